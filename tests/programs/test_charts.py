from dataclasses import dataclass
from datetime import date

import pytest

from mueve.programs import charts


@dataclass
class Row:
    kind: str
    label: str
    start: date | None
    end: date | None
    status: str
    status_label: str = ""


def test_date_scale_is_inclusive_and_linear():
    scale = charts.DateScale(date(2014, 1, 1), date(2014, 1, 10), 0, 100)
    assert scale.days == 10
    assert scale.x(date(2014, 1, 1)) == 0
    assert scale.x(date(2014, 1, 6)) == 50
    assert scale.span(date(2014, 1, 1), date(2014, 1, 10)) == (0, 100)
    # A one-day bar has the width of one day, and bars are clamped to the scale.
    assert scale.span(date(2014, 1, 3), date(2014, 1, 3)) == (20, 10)
    assert scale.span(date(2013, 12, 1), date(2014, 1, 2)) == (0, 20)


def test_month_helpers():
    assert charts.month_start(date(2014, 3, 17)) == date(2014, 3, 1)
    assert charts.next_month(date(2014, 12, 5)) == date(2015, 1, 1)
    assert charts.month_end(date(2014, 2, 3)) == date(2014, 2, 28)


def test_month_ticks_use_spanish_abbreviations_and_mark_years():
    scale = charts.DateScale(date(2013, 11, 1), date(2014, 11, 30), 12, 708)
    ticks = charts.month_ticks(scale)
    assert [t.label for t in ticks] == [
        "nov",
        "dic",
        "ene",
        "feb",
        "mar",
        "abr",
        "may",
        "jun",
        "jul",
        "ago",
        "sep",
        "oct",
        "nov",
    ]
    assert [t.year for t in ticks if t.year] == ["2013", "2014"]
    assert ticks[0].x == 12
    assert all(a.x < b.x for a, b in zip(ticks, ticks[1:], strict=False))


def test_month_ticks_thin_out_on_long_programs():
    scale = charts.DateScale(date(2014, 1, 1), date(2018, 12, 31), 0, 700)
    ticks = charts.month_ticks(scale)
    assert len(ticks) <= charts.MAX_TICKS
    assert ticks[0].label == "ene"


def test_timeline_chart_lays_out_rows_bars_and_legend():
    rows = [
        Row("component", "1. Codiseño", date(2014, 1, 1), date(2014, 1, 31), "done", "Terminado"),
        Row("phase", "Análisis de contexto", date(2014, 1, 1), date(2014, 1, 15), "in_progress", "En curso"),
        Row("phase", "Taller", None, None, "planned", "Planificado"),
    ]
    chart = charts.timeline_chart(
        rows,
        start=date(2014, 1, 1),
        end=date(2014, 2, 28),
        today=date(2014, 1, 20),
        status_labels={"done": "Terminado", "planned": "Planificado"},
    )
    component, phase, undated = chart.bars
    assert component.x == pytest.approx(chart.plot_left)
    # January is 31 of the 59 days on the axis.
    assert component.width == pytest.approx((chart.plot_right - chart.plot_left) * 31 / 59, abs=0.02)
    assert phase.width < component.width
    assert component.y < phase.y < undated.y
    assert component.height > phase.height
    assert component.color == charts.STATUS_COLORS["done"]
    assert phase.color == charts.STATUS_COLORS["in_progress"]
    assert undated.x is None
    assert undated.hollow is True
    assert "sin fechas" in undated.title
    assert "Terminado" in component.title
    assert chart.today_x is not None and chart.plot_left < chart.today_x < chart.plot_right
    assert chart.today_label == "hoy"
    assert [item.status for item in chart.legend] == ["planned", "in_progress", "done", "cancelled"]
    assert [item.label for item in chart.legend][:1] == ["Planificado"]
    assert chart.height > undated.y + undated.height
    assert [t.label for t in chart.ticks] == ["ene", "feb"]


def test_timeline_chart_hides_today_outside_the_range():
    chart = charts.timeline_chart([], start=date(2014, 1, 1), end=date(2014, 3, 31), today=date(2026, 1, 1))
    assert chart.today_x is None


def test_timeline_labels_stay_inside_the_chart():
    long_label = "Presentación de resultados y consenso con las autoridades"
    rows = [Row("phase", long_label, date(2014, 12, 20), date(2014, 12, 31), "done")]
    chart = charts.timeline_chart(rows, start=date(2014, 1, 1), end=date(2014, 12, 31))
    bar = chart.bars[0]
    assert bar.label_anchor == "end"
    assert bar.label_x == pytest.approx(bar.x + bar.width, abs=0.02)


def test_nice_step_and_number_format():
    assert charts.nice_step(50) == 20
    assert charts.nice_step(14) == 5
    assert charts.nice_step(1) == 0.5
    assert charts.nice_step(0) == 1
    assert charts.format_number(1500) == "1.500"
    assert charts.format_number(7.5) == "7,5"


def test_line_chart_geometry():
    chart = charts.line_chart(
        [(date(2014, 10, 31), 4), (date(2014, 6, 30), 14), (date(2014, 7, 1), 7)], target=10, unit="equipos"
    )
    first, second, last = chart.points
    # Sorted by date, from the left edge to the right edge.
    assert (first.value, last.value) == (14, 4)
    assert first.x == chart.left and last.x == chart.right
    assert first.x < second.x < last.x
    # Bigger values are higher up (smaller y); the axis starts at zero.
    assert first.y < second.y < last.y
    assert chart.y_ticks[0].label == "0"
    assert chart.y_ticks[0].y == chart.bottom
    assert chart.y_ticks[-1].y == chart.top
    assert chart.polyline.count(",") == 3
    assert chart.target_y is not None and chart.top < chart.target_y < chart.bottom
    assert chart.target_label == "meta: 10"
    assert "equipos" in first.title
    assert [label for _x, label, _a in chart.x_labels] == ["jun 2014", "oct 2014"]


def test_line_chart_single_point_is_centred():
    chart = charts.line_chart([(date(2014, 1, 15), 20)])
    (point,) = chart.points
    assert point.x == pytest.approx((chart.left + chart.right) / 2)
    assert chart.x_labels == [(point.x, "ene 2014", "middle")]
    assert chart.target_y is None


def test_line_chart_without_values():
    chart = charts.line_chart([])
    assert chart.points == []
    assert chart.polyline == ""
