from __future__ import annotations

import datetime as dt

from circleback.insights.charts import CHART_HEIGHT, goal_charts, list_balance
from circleback.insights.queries.goals import GoalProgress, Goals, MonthProgress


def _goals(values: list[int], target: int) -> Goals:
    history = [
        MonthProgress(
            start=dt.date(2026, month, 1),
            counts={"new_contacts": value},
            met={"new_contacts": value >= target},
        )
        for month, value in zip(range(1, 13), values, strict=True)
    ]
    progress = [GoalProgress("new_contacts", "New contacts", target, values[-1], 0)]
    return Goals(
        targets={"new_contacts": target}, progress=progress, history=history, all_met_streak=0
    )


def test_bars_scale_to_the_best_month_or_the_target_whichever_is_higher():
    chart = goal_charts(_goals([0, 2, 8, 4, 0, 0, 0, 0, 0, 0, 0, 4], target=4))[0]
    tallest = max(chart.bars, key=lambda bar: bar.height)
    assert tallest.value == 8 and tallest.y == 4.0  # the top of the plot
    assert chart.bars[0].height == 0 and chart.bars[0].y == chart.plot_bottom
    assert chart.target_y == (chart.plot_bottom + 4.0) / 2
    assert [bar.met for bar in chart.bars].count(True) == 3
    assert chart.description.startswith("New contacts per month against a target of 4; met in 3")
    assert all(bar.x + bar.width <= chart.width for bar in chart.bars)
    assert chart.height == CHART_HEIGHT


def test_an_empty_history_still_draws_the_target_at_the_top():
    chart = goal_charts(_goals([0] * 12, target=3))[0]
    assert chart.target_y == 4.0
    assert {bar.height for bar in chart.bars} == {0}


def test_list_balance_segments_fill_the_bar_in_order():
    segments = list_balance({"A": 1, "B": 2, "C": 1})
    assert [(s.key, s.count, s.percent) for s in segments] == [
        ("A", 1, 25),
        ("B", 2, 50),
        ("C", 1, 25),
    ]
    assert [s.x for s in segments] == [0, 75, 225]
    assert list_balance({"A": 0, "B": 0, "C": 0})[0].width == 0
