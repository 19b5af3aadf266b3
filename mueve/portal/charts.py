"""Geometry for the ministry's comparison charts: horizontal bars, one chart per measure. Pure functions; the
template `portal/ministry/_bar_chart.html` draws the SVG and the PDF (mueve.portal.printing) draws the same
geometry as vectors.

A measure with one figure per region draws one bar per region. A measure with several figures per region (the
workshops by status, the competition funnel) draws one group per region, one labelled bar per figure, all on the
same scale. Labels sit above their bars in a narrow viewBox, as competitions.charts does, so the chart stays
readable at 360 px. Every chart has its table (`columns`, `table_rows`) for screen readers.
"""

from dataclasses import dataclass

WIDTH = 360  # a narrow viewBox: at 360 px the text is drawn near its own size
LABEL_H = 19  # the label line above a bar
BAR_H = 16
ROW_GAP = 10
GROUP_TITLE_H = 26
PAD = 8
VALUE_ROOM = 96  # room right of the longest bar for its value ("107,6 h", "47 de 80")
LABEL_CHARS = 44  # a longer label is cut with "…" in the drawing (the table beside it has it whole)
# Bar colours: at least 3:1 against white (WCAG non-text contrast), in the order of a group's bars.
COLORS = ["#1f4e79", "#7a3b00", "#1d6b2f", "#5b2a86", "#a4161a", "#00557f"]


@dataclass(frozen=True)
class Series:
    """One region's figures, in the order of the chart's categories: (value or None for no data, text)."""

    label: str
    values: list[tuple[float | None, str]]


@dataclass(frozen=True)
class BarRow:
    label: str
    text: str
    label_y: float
    y: float
    w: float
    value_x: float
    color: str
    empty: bool


@dataclass(frozen=True)
class BarGroup:
    title: str  # "" when the chart has one bar per region
    title_y: float
    top: float
    height: float
    rows: list[BarRow]


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    description: str
    width: int
    height: float
    x0: float
    groups: list[BarGroup]
    columns: list[str]
    table_rows: list[list[str]]


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(
    *,
    key: str,
    title: str,
    description: str,
    categories: list[str],
    series: list[Series],
    region_column: str,
    maximum: float | None = None,
) -> BarChart:
    """`categories`: one label (a single measure: one bar per region) or several (one group per region)."""
    values = [v for s in series for v, _text in s.values if v is not None]
    top = maximum if maximum is not None else max(values, default=0)
    top = top or 1
    span = WIDTH - 2 * PAD - VALUE_ROOM
    grouped = len(categories) > 1
    groups: list[BarGroup] = []
    y = PAD
    for s in series:
        group_top = y
        title_y = y + 17 if grouped else 0
        if grouped:
            y += GROUP_TITLE_H
        rows = []
        for i, (value, text) in enumerate(s.values):
            label = _cut(categories[i] if grouped else s.label)
            w = 0.0 if value is None else max(value / top * span, 2.0 if value > 0 else 0.0)
            rows.append(
                BarRow(
                    label=label,
                    text=text,
                    label_y=round(y + 13, 1),
                    y=round(y + LABEL_H, 1),
                    w=round(w, 1),
                    value_x=round(PAD + w + 6, 1),
                    color=COLORS[i % len(COLORS)] if grouped else COLORS[0],
                    empty=value is None,
                )
            )
            y += LABEL_H + BAR_H + ROW_GAP
        if grouped:
            y += 6  # a little air between regions
        group_title = _cut(s.label) if grouped else ""
        groups.append(BarGroup(title=group_title, title_y=title_y, top=group_top, height=y - group_top, rows=rows))
    columns = [region_column, *categories] if grouped else [region_column, title]
    table_rows = [[s.label, *[text for _v, text in s.values]] for s in series]
    return BarChart(
        key=key,
        title=title,
        description=description,
        width=WIDTH,
        height=round(y + PAD, 1),
        x0=PAD,
        groups=groups,
        columns=columns,
        table_rows=table_rows,
    )
