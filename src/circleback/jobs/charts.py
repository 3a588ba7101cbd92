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
    y: float  # the route's name sits on this baseline, how many applied on the next
    label: str
    applied: int
    enough: bool
    bars: list[Bar]


@dataclass(frozen=True)
class RoutesChart:
    width: int
    height: int
    groups: list[Group]
    description: str
    font: int  # the bars' words; the route's name is a size bigger


# Drawn at about a phone's width and never scaled up past it (jobs.css), so its words are
# read at their size on a 375 px phone and on a laptop alike: each route's name on a line of
# its own, and under it each measure's words with its bar below them, the full width. (Names
# beside the bars left the bars a third of a phone, and words scaled down to 7 px; words
# beside a bar run off the picture when the bar is long.)
CHART_WIDTH = 340


def routes_chart(stats: JobStats, width: int = CHART_WIDTH) -> RoutesChart:
    font, bar_height, words, gap, group_gap, heading = 12, 9, 15, 6, 14, 44
    step = words + bar_height + gap
    groups: list[Group] = []
    y = 0.0
    sentences = []
    for route in stats.routes:
        top = y + heading
        bars = []
        for i, (measure, name) in enumerate(MEASURES):
            count = getattr(route, measure)
            share = count / route.applied if route.applied else 0.0
            bars.append(
                Bar(
                    x=0,
                    y=top + i * step + words,
                    width=round(max(share * width, 0.0), 1),
                    height=bar_height,
                    measure=name,
                    label=f"{count} of {route.applied}"
                    + (f" ({round(100 * share)}%)" if route.applied else ""),
                    css=FILLS[measure],
                )
            )
        groups.append(Group(y + 15, route.label, route.applied, route.enough, bars))
        sentences.append(f"{route.label}: {route.words}")
        y = top + len(MEASURES) * step + group_gap
    return RoutesChart(
        width=width,
        height=int(y),
        groups=groups,
        description=" ".join(sentences),
        font=font,
    )
