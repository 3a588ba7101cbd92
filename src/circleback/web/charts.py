"""Server-side SVG charts: geometry computed here, drawn by a template, readable without it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    week: dt.date
    count: int


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    # Where the label sits, in percent of the chart's width: labels are HTML under the SVG, so
    # they keep their shape and size however far the bars stretch or squeeze.
    left: float = 0.0


@dataclass(frozen=True)
class WeeklyChart:
    width: int
    height: int
    baseline: float
    bars: list[Bar]
    ticks: list[Tick]
    peak: int
    total: int
    busiest: Bar | None

    @property
    def average(self) -> float:
        return self.total / len(self.bars) if self.bars else 0.0


def weekly_chart(
    weeks: list[tuple[dt.date, int]], width: int = 640, height: int = 140
) -> WeeklyChart:
    """Bars for (Monday, count) pairs, with a month label under each month's first week."""
    top, bottom, left = 12.0, 4.0, 4.0
    plot_height = height - top - bottom
    slot = (width - 2 * left) / max(len(weeks), 1)
    peak = max((count for _, count in weeks), default=0)
    bars: list[Bar] = []
    ticks: list[Tick] = []
    previous_month = None
    for i, (week, count) in enumerate(weeks):
        bar_height = (count / peak) * plot_height if peak else 0.0
        x = left + i * slot
        bars.append(
            Bar(
                x=round(x + slot * 0.15, 1),
                y=round(top + plot_height - bar_height, 1),
                width=round(slot * 0.7, 1),
                height=round(bar_height, 1),
                week=week,
                count=count,
            )
        )
        if week.month != previous_month and i < len(weeks) - 1:
            previous_month = week.month
            # A month that starts right after the first bar would collide with its label.
            if ticks and x - ticks[-1].x < 60:
                ticks.pop()
            at = x + slot * 0.15
            ticks.append(
                Tick(x=round(at, 1), label=week.strftime("%b"), left=round(100 * at / width, 2))
            )
    busiest = max(bars, key=lambda b: b.count) if peak else None
    return WeeklyChart(
        width=width,
        height=height,
        baseline=top + plot_height,
        bars=bars,
        ticks=ticks,
        peak=peak,
        total=sum(count for _, count in weeks),
        busiest=busiest,
    )
