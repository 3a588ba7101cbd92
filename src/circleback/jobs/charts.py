"""What worked, as a server-drawn SVG: per route, the share of applications answered, led
to an interview and to an offer. Geometry here; the template draws it beside a table."""

from __future__ import annotations

from dataclasses import dataclass

from circleback.jobs.queries import JobStats

MEASURES = (("answered", "Answered"), ("interviews", "Interview"), ("offers", "Offer"))
# Colours told apart without colour vision too: each bar also says its measure in words.
FILLS = {"answered": "#5b7fa6", "interviews": "#2e7d5b", "offers": "#a35f00"}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    measure: str
    label: str  # "3 of 5 (60%)"
    css: str


@dataclass(frozen=True)
class Group:
    y: float
    label: str
    applied: int
    enough: bool
    bars: list[Bar]


@dataclass(frozen=True)
class RoutesChart:
    width: int
    height: int
    label_width: int
    groups: list[Group]
    description: str


def routes_chart(stats: JobStats, width: int = 640) -> RoutesChart:
    label_width, bar_height, gap, group_gap = 190, 14, 3, 18
    plot = width - label_width - 150  # room for the longest label, "Answered 12 of 12 (100%)"
    groups: list[Group] = []
    y = 8.0
    sentences = []
    for route in stats.routes:
        bars = []
        for i, (measure, name) in enumerate(MEASURES):
            count = getattr(route, measure)
            share = count / route.applied if route.applied else 0.0
            bars.append(
                Bar(
                    x=label_width,
                    y=y + i * (bar_height + gap),
                    width=round(max(share * plot, 0.0), 1),
                    height=bar_height,
                    measure=name,
                    label=f"{count} of {route.applied}"
                    + (f" ({round(100 * share)}%)" if route.applied else ""),
                    css=FILLS[measure],
                )
            )
        groups.append(Group(y, route.label, route.applied, route.enough, bars))
        sentences.append(f"{route.label}: {route.words}")
        y += len(MEASURES) * (bar_height + gap) + group_gap
    return RoutesChart(
        width=width,
        height=int(y),
        label_width=label_width,
        groups=groups,
        description=" ".join(sentences),
    )
