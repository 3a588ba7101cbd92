"""Server-side SVG geometry for the goals history and the list balance.

Pure functions from numbers to shapes; templates draw them, with a <title>, a <desc> and a
table equivalent beside each chart for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from circleback.insights.queries.goals import Goals

CHART_WIDTH = 360
CHART_HEIGHT = 120
AXIS = 16  # room for month labels under the bars


@dataclass(frozen=True)
class MonthBar:
    label: str  # "Nov"
    month: str  # "November 2026"
    value: int
    met: bool
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> float:
        """Where the month's label is centred."""
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class MonthChart:
    metric: str
    label: str
    target: int
    target_y: float
    bars: list[MonthBar]
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT

    @property
    def plot_bottom(self) -> int:
        return self.height - AXIS

    @property
    def months_met(self) -> int:
        return sum(1 for bar in self.bars if bar.met)

    @property
    def description(self) -> str:
        values = ", ".join(f"{bar.month}: {bar.value}" for bar in self.bars)
        return (
            f"{self.label} per month against a target of {self.target}; met in "
            f"{self.months_met} of {len(self.bars)} months. {values}."
        )


def goal_charts(goals: Goals) -> list[MonthChart]:
    """One 12-month bar chart per goal, bars scaled to the larger of the target and the best
    month, with the target drawn as a line."""
    charts = []
    plot = CHART_HEIGHT - AXIS - 4
    for progress in goals.progress:
        metric = progress.metric
        values = [month.counts[metric] for month in goals.history]
        top = max([progress.target, *values, 1])
        slot = CHART_WIDTH / max(len(values), 1)
        bars = [
            MonthBar(
                label=f"{month.start:%b}",
                month=f"{month.start:%B %Y}",
                value=value,
                met=month.met[metric],
                x=round(index * slot + slot * 0.15, 1),
                y=round(CHART_HEIGHT - AXIS - plot * value / top, 1),
                width=round(slot * 0.7, 1),
                height=round(plot * value / top, 1),
            )
            for index, (month, value) in enumerate(zip(goals.history, values, strict=True))
        ]
        charts.append(
            MonthChart(
                metric=metric,
                label=progress.label,
                target=progress.target,
                target_y=round(CHART_HEIGHT - AXIS - plot * progress.target / top, 1),
                bars=bars,
            )
        )
    return charts


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    count: int
    percent: int
    x: float
    width: float


LIST_LABELS = {"A": "List A — personal", "B": "List B — career", "C": "List C — targets"}


def list_balance(lists: dict[str, int], width: int = 300) -> list[Segment]:
    """The lists A/B/C as segments of one horizontal bar (empty lists take no room)."""
    total = sum(lists.values())
    segments = []
    x = 0.0
    for key in ("A", "B", "C"):
        count = lists.get(key, 0)
        share = count / total if total else 0
        segments.append(
            Segment(
                key=key,
                label=LIST_LABELS[key],
                count=count,
                percent=round(100 * share),
                x=round(x, 1),
                width=round(width * share, 1),
            )
        )
        x += width * share
    return segments
