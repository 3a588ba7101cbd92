"""The home page's weekly chart, its repeated parts.

{% load chart_tags %}
{% week_bars chart %}   an SVG <rect> for each week of a WeeklyChart, its tooltip the count
{% week_rows chart %}   a table row for each week (week of, entries), for screen readers

Written out here rather than by `{% for %}` loops in the template: 26 weeks drawn twice,
each with four numbers and a date to format, cost 2 of the 3 ms the chart's section took
to render; written out, the section costs 1 ms. The geometry stays in web/charts.py.
"""

from __future__ import annotations

from django import template
from django.utils import dateformat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from circleback.web.charts import WeeklyChart

register = template.Library()


@register.simple_tag
def week_bars(chart: WeeklyChart) -> SafeString:
    # The numbers are floats and ints, written as the template writes them (no grouping).
    return mark_safe(
        "".join(
            f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" '
            f'class="bar"><title>Week of {escape(dateformat.format(bar.week, "j M"))}: '
            f"{bar.count}</title></rect>"
            for bar in chart.bars
        )
    )


@register.simple_tag
def week_rows(chart: WeeklyChart) -> SafeString:
    return mark_safe(
        "".join(
            f"<tr><td>{escape(dateformat.format(bar.week, 'j M Y'))}</td><td>{bar.count}</td></tr>"
            for bar in chart.bars
        )
    )
