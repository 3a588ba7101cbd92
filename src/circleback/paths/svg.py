"""Server-rendered SVG pictures: the paths to a target, and a person's ego network.

Each picture carries a <title> and <desc> and is referenced by aria-labelledby, and the page
that shows it lists the same information as text, so nothing is only in the picture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape

from circleback.paths.queries.paths import IntroPath
from circleback.people.models import Person, Tie

NODE_R = 7
COL_W = 190
ROW_H = 46
PAD = 24


def _label(text: str, limit: int = 24) -> str:
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def paths_svg(paths: Sequence[IntroPath], *, target: str, svg_id: str = "paths-picture") -> str:
    """Layered picture: you on the left, the people of the paths in columns by position,
    the people at the target on the right; a line for each link, thicker when stronger."""
    columns: dict[int, list[int]] = {}
    where: dict[int, tuple[int, int]] = {}
    names: dict[int, Person] = {}
    depth = max((p.hops for p in paths), default=1)
    for path in paths:
        for i, step in enumerate(path.steps):
            person = step.person
            names[person.pk] = person
            if person.pk in where:
                continue
            column = depth if i == path.hops - 1 else i + 1
            columns.setdefault(column, []).append(person.pk)
            where[person.pk] = (column, len(columns[column]) - 1)
    rows = max((len(c) for c in columns.values()), default=1)
    width = PAD * 2 + COL_W * depth + 150
    height = PAD * 2 + ROW_H * max(rows, 1)

    def xy(pk: int | None) -> tuple[float, float]:
        if pk is None:
            return PAD + 10, PAD + ROW_H * (rows - 1) / 2 + 10
        column, row = where[pk]
        count = len(columns[column])
        offset = (rows - count) * ROW_H / 2
        return PAD + 10 + COL_W * column, PAD + offset + ROW_H * row + 10

    title = f"Introduction paths to {target}"
    desc = (
        "; ".join(f"Path {n}: {p.sentence}" for n, p in enumerate(paths, 1))
        or f"No paths to {target}."
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="paths-svg" viewBox="0 0 {width} '
        f'{height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{svg_id}-title {svg_id}-desc">',
        f'<title id="{svg_id}-title">{escape(title)}</title>',
        f'<desc id="{svg_id}-desc">{escape(desc)}</desc>',
    ]
    drawn: set[tuple[int | None, int]] = set()
    for path in paths:
        previous: int | None = None
        for step in path.steps:
            key = (previous, step.person.pk)
            if key not in drawn:
                drawn.add(key)
                (x1, y1), (x2, y2) = xy(previous), xy(step.person.pk)
                weight = 1 + (step.tie_strength or 3) * 0.6
                dash = (
                    ' stroke-dasharray="4 3"'
                    if step.tie_strength and step.tie_strength <= 2
                    else ""
                )
                out.append(
                    f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
                    f'stroke="#7a8699" stroke-width="{weight:.1f}"{dash}/>'
                )
            previous = step.person.pk
    you_x, you_y = xy(None)
    out.append(f'<circle cx="{you_x:.0f}" cy="{you_y:.0f}" r="{NODE_R + 2}" fill="#e8a33d"/>')
    out.append(
        f'<text x="{you_x:.0f}" y="{you_y + 24:.0f}" text-anchor="middle" '
        f'font-size="12" font-weight="bold">You</text>'
    )
    for pk, person in names.items():
        x, y = xy(pk)
        fill = "#2b6cb0" if person.is_decision_maker else "#4a5568"
        out.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{NODE_R}" fill="{fill}"/>')
        label = person.full_name + (" ★" if person.is_decision_maker else "")
        out.append(f'<text x="{x + 11:.0f}" y="{y + 4:.0f}" font-size="12">{_label(label)}</text>')
    out.append("</svg>")
    return "".join(out)


def ego_svg(
    person: Person, ties: Sequence[tuple[Person, Tie]], *, svg_id: str = "ego-picture"
) -> str:
    """The person in the middle and the people they are tied to around them."""
    shown = list(ties[:24])
    # Wider than tall, so the names on the left and right have room to be read whole.
    width, height = 560, 380
    cx, cy = width / 2, height / 2
    rx, ry = 150, 140
    title = f"{person.full_name}'s ties"
    desc = (
        ", ".join(
            f"{other.full_name} ({tie.get_kind_display().lower()}, strength {tie.strength})"
            for other, tie in shown
        )
        or f"No ties recorded for {person.full_name}."
    )
    if len(ties) > len(shown):
        desc += f"; and {len(ties) - len(shown)} more."
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ego-svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{svg_id}-title {svg_id}-desc">',
        f'<title id="{svg_id}-title">{escape(title)}</title>',
        f'<desc id="{svg_id}-desc">{escape(desc)}</desc>',
    ]
    points = []
    for i, (other, tie) in enumerate(shown):
        angle = 2 * math.pi * i / max(len(shown), 1) - math.pi / 2
        x, y = cx + rx * math.cos(angle), cy + ry * math.sin(angle)
        points.append((x, y, math.cos(angle), other))
        out.append(
            f'<line x1="{cx:.0f}" y1="{cy:.0f}" x2="{x:.0f}" y2="{y:.0f}" '
            f'stroke="#7a8699" stroke-width="{0.6 + tie.strength * 0.6:.1f}"/>'
        )
    for x, y, cos, other in points:
        fill = "#2b6cb0" if other.is_decision_maker else "#4a5568"
        out.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="6" fill="{fill}"/>')
        if abs(cos) < 0.1:  # straight above or below: the name centred beyond the dot
            tx, ty, anchor = x, (y - 11 if y < cy else y + 19), "middle"
        else:  # left or right: the name runs outwards from the dot
            tx, ty = (x + 10 if cos > 0 else x - 10), y + 4
            anchor = "start" if cos > 0 else "end"
        out.append(
            f'<text x="{tx:.0f}" y="{ty:.0f}" font-size="11" '
            f'text-anchor="{anchor}">{_label(other.full_name, 18)}</text>'
        )
    out.append(f'<circle cx="{cx:.0f}" cy="{cy:.0f}" r="10" fill="#e8a33d"/>')
    out.append(
        f'<text x="{cx:.0f}" y="{cy + 26:.0f}" font-size="12" font-weight="bold" '
        f'text-anchor="middle">{_label(person.full_name)}</text>'
    )
    out.append("</svg>")
    return "".join(out)
