"""Geometry for the server-rendered SVG charts: a Gantt timeline and small line charts.

Pure functions over dates and numbers (no database, no templates), so they are easy to test.
Templates `programs/_timeline.html` and `programs/_line_chart.html` only draw what is computed here.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.dates import MONTHS_3
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Same hues as the status badges in mueve.css; all at least 4.5:1 on white.
STATUS_COLORS = {
    "planned": "#5a5a5a",
    "in_progress": "#9a4a00",
    "done": "#1d6b2f",
    "cancelled": "#a4161a",
}

TIMELINE_WIDTH = 720
MARGIN_X = 12
AXIS_HEIGHT = 44
COMPONENT_ROW = 48
PHASE_ROW = 40
# Rough advance width of one character at the label font sizes, to keep labels inside the chart.
CHAR_WIDTH = {"component": 8.0, "phase": 7.2}
LEGEND_HEIGHT = 40
MAX_TICKS = 14


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def month_end(day: date) -> date:
    return next_month(day) - timedelta(days=1)


def month_label(day: date) -> str:
    """Spanish (or the active language's) month abbreviation: ene, feb, mar…"""
    return str(MONTHS_3[day.month])


@dataclass(frozen=True)
class DateScale:
    """Maps days onto [x0, x1]; `end` is inclusive (a bar for one day has the width of one day)."""

    start: date
    end: date
    x0: float
    x1: float

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def x(self, day: date) -> float:
        offset = (day - self.start).days
        return self.x0 + (self.x1 - self.x0) * offset / self.days

    def span(self, start: date, end: date) -> tuple[float, float]:
        """(x, width) of the inclusive interval, clamped to the scale."""
        start = max(start, self.start)
        end = min(end, self.end)
        left = self.x(start)
        right = self.x(end + timedelta(days=1))
        return left, max(right - left, 0.0)


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    year: str  # shown under the month on the first tick and in January, else ""


def month_ticks(scale: DateScale, max_ticks: int = MAX_TICKS) -> list[Tick]:
    """A tick at the start of every month (every n-th month on long ranges, so labels never crowd)."""
    first = month_start(scale.start)
    month_count = (scale.end.year - first.year) * 12 + scale.end.month - first.month + 1
    step = max(1, math.ceil(month_count / max_ticks))
    ticks = []
    for index in range(0, month_count, step):
        year, month0 = divmod(first.month - 1 + index, 12)
        month = date(first.year + year, month0 + 1, 1)
        label_year = str(month.year) if index == 0 or month.month <= step else ""
        ticks.append(Tick(round(scale.x(month), 2), month_label(month), label_year))
    return ticks


@dataclass(frozen=True)
class Bar:
    kind: str
    label: str
    status: str
    status_label: str
    color: str
    label_x: float
    label_y: float
    label_anchor: str  # SVG text-anchor: "start" or "end"
    # Absent when the row has no dates: the label is drawn, the bar is not.
    x: float | None
    y: float
    width: float
    height: float
    hollow: bool
    title: str

    @property
    def note_y(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class LegendItem:
    x: float
    status: str
    label: str
    color: str
    hollow: bool


@dataclass
class TimelineChart:
    width: int
    height: int
    start: date
    end: date
    plot_left: float
    plot_right: float
    axis_y: float
    rows_bottom: float
    ticks: list[Tick]
    bars: list[Bar]
    legend: list[LegendItem]
    legend_y: float
    today_x: float | None = None
    today_label: str = ""
    summary: str = field(default="")


def _date_range_text(start: date | None, end: date | None) -> str:
    if not (start and end):
        return _("sin fechas")
    return f"{date_format(start, 'SHORT_DATE_FORMAT')} – {date_format(end, 'SHORT_DATE_FORMAT')}"


def _label_position(label: str, kind: str, left: float, right: float, scale: DateScale) -> tuple[float, str]:
    """Put the label right above its bar: from the bar's start, else ending at the bar's end, else at the margin."""
    text_width = len(label) * CHAR_WIDTH.get(kind, 7.2)
    if left + text_width <= scale.x1:
        return left, "start"
    if right - text_width >= scale.x0:
        return round(right, 2), "end"
    return scale.x0, "start"


def timeline_chart(
    rows: Sequence,
    *,
    start: date,
    end: date,
    today: date | None = None,
    status_labels: dict[str, str] | None = None,
    width: int = TIMELINE_WIDTH,
) -> TimelineChart:
    """Lays out one row per component/phase (objects with kind, label, start, end, status, status_label).

    The axis runs from the first day of `start`'s month to the last day of `end`'s month.
    Planned work is drawn hollow (dashed outline) so status is not told by colour alone.
    """
    if end < start:
        start, end = end, start
    scale = DateScale(month_start(start), month_end(end), MARGIN_X, width - MARGIN_X)
    bars: list[Bar] = []
    y = AXIS_HEIGHT
    for row in rows:
        is_component = row.kind == "component"
        row_height = COMPONENT_ROW if is_component else PHASE_ROW
        bar_height = 14 if is_component else 10
        label_y = y + (17 if is_component else 15)
        bar_y = y + (22 if is_component else 20)
        x: float | None = None
        bar_width = 0.0
        label_x, anchor = scale.x0, "start"
        if row.start and row.end:
            x, bar_width = scale.span(row.start, row.end)
            bar_width = max(bar_width, 3.0)
            x = round(x, 2)
            bar_width = round(bar_width, 2)
            label_x, anchor = _label_position(row.label, row.kind, x, x + bar_width, scale)
        title = f"{row.label}: {row.status_label}, {_date_range_text(row.start, row.end)}"
        bars.append(
            Bar(
                kind=row.kind,
                label=row.label,
                status=row.status,
                status_label=row.status_label,
                color=STATUS_COLORS.get(row.status, STATUS_COLORS["planned"]),
                label_x=label_x,
                label_y=label_y,
                label_anchor=anchor,
                x=x,
                y=bar_y,
                width=bar_width,
                height=bar_height,
                hollow=row.status == "planned",
                title=title,
            )
        )
        y += row_height
    rows_bottom = y + 4
    labels = status_labels or {}
    legend = []
    legend_x = float(MARGIN_X)
    for status, color in STATUS_COLORS.items():
        label = labels.get(status, status)
        legend.append(LegendItem(legend_x, status, label, color, status == "planned"))
        legend_x += 24 + 8.5 * len(label) + 20
    today_x = None
    if today is not None and scale.start <= today <= scale.end:
        today_x = round(scale.x(today), 2)
    return TimelineChart(
        width=width,
        height=int(rows_bottom + LEGEND_HEIGHT),
        start=scale.start,
        end=scale.end,
        plot_left=scale.x0,
        plot_right=scale.x1,
        axis_y=AXIS_HEIGHT - 4,
        rows_bottom=rows_bottom,
        ticks=month_ticks(scale),
        bars=bars,
        legend=legend,
        legend_y=rows_bottom + 14,
        today_x=today_x,
        today_label=_("hoy"),
        summary=ngettext(
            "Cronograma del %(start)s al %(end)s: %(n)d fila.",
            "Cronograma del %(start)s al %(end)s: %(n)d filas.",
            len(bars),
        )
        % {
            "start": date_format(start, "SHORT_DATE_FORMAT"),
            "end": date_format(end, "SHORT_DATE_FORMAT"),
            "n": len(bars),
        },
    )


# --- small line charts --------------------------------------------------------------------------------


def nice_step(span: float, target_ticks: int = 4) -> float:
    """A round step (1, 2 or 5 × 10^n) giving about `target_ticks` intervals over `span`."""
    raw = span / target_ticks
    if not (raw > 0 and math.isfinite(raw)):  # an empty span, or one so small that dividing it underflows to 0
        return 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def format_number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", "X").replace(".", ",").replace("X", ".")


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    date: date
    title: str


@dataclass(frozen=True)
class YTick:
    y: float
    label: str


@dataclass
class LineChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    points: list[Point]
    polyline: str
    y_ticks: list[YTick]
    x_labels: list[tuple[float, str, str]]  # (x, text, text-anchor)
    target_y: float | None
    target_label: str


def line_chart(
    values: Sequence[tuple[date, float]],
    *,
    target: float | None = None,
    unit: str = "",
    width: int = 320,
    height: int = 170,
) -> LineChart:
    """Points of a value-over-time series on a y axis starting at zero (or below, for negatives)."""
    left, right, top, bottom = 44.0, width - 14.0, 14.0, height - 30.0
    series = sorted(values, key=lambda p: p[0])
    numbers = [v for _d, v in series] + ([target] if target is not None else [])
    low = min([0.0, *numbers])
    high = max([0.0, *numbers])
    if high == low:
        high = low + 1
    step = nice_step(high - low)
    y_min = math.floor(low / step) * step
    y_max = math.ceil(high / step) * step

    def y_of(value: float) -> float:
        return round(bottom - (value - y_min) / (y_max - y_min) * (bottom - top), 2)

    y_ticks = []
    tick = y_min
    while tick <= y_max + step / 1000:
        y_ticks.append(YTick(y_of(tick), format_number(round(tick, 10))))
        tick += step

    points: list[Point] = []
    x_labels: list[tuple[float, str, str]] = []
    if series:
        first, last = series[0][0], series[-1][0]
        days = (last - first).days

        def x_of(day: date) -> float:
            if days == 0:
                return round((left + right) / 2, 2)
            return round(left + (day - first).days / days * (right - left), 2)

        suffix = f" {unit}" if unit else ""
        for day, value in series:
            points.append(
                Point(
                    x_of(day),
                    y_of(value),
                    value,
                    day,
                    f"{date_format(day, 'SHORT_DATE_FORMAT')}: {format_number(value)}{suffix}",
                )
            )
        first_label = f"{month_label(first)} {first.year}"
        if days == 0:
            x_labels.append((x_of(first), first_label, "middle"))
        else:
            x_labels.append((left, first_label, "start"))
            x_labels.append((right, f"{month_label(last)} {last.year}", "end"))
    return LineChart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        y_ticks=y_ticks,
        x_labels=x_labels,
        target_y=y_of(target) if target is not None else None,
        target_label=_("meta: %(value)s") % {"value": format_number(target)} if target is not None else "",
    )
