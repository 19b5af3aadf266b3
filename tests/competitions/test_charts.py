"""Chart geometry: bars stay inside the viewBox and right of the labels."""

import datetime as dt

from django.utils import timezone

from mueve.competitions import charts
from mueve.competitions.models import Stage, StageKind


def test_funnel_bars_start_after_labels_and_fit():
    chart = charts.funnel_chart([("Inscritos", 50), ("Equipos", 14), ("Ganadores", 0)])
    for step in chart["steps"]:
        assert step.x == charts.FUNNEL_LABEL_W
        assert step.value_x + 30 <= chart["width"]
    assert chart["steps"][0].w > chart["steps"][1].w > chart["steps"][2].w > 0


def test_stage_timeline_orders_and_scales_bars():
    t0 = timezone.make_aware(dt.datetime(2014, 5, 20, 9))
    stages = [
        Stage(kind=StageKind.CLINICS, starts_at=t0, ends_at=t0 + dt.timedelta(days=8)),
        Stage(kind=StageKind.ACCELERATION, starts_at=t0 + dt.timedelta(days=40), ends_at=t0 + dt.timedelta(days=140)),
    ]
    chart = charts.stage_timeline(stages, now=t0 + dt.timedelta(days=50))
    first, second = chart.bars
    assert first.x < second.x and second.w > first.w
    assert second.x + second.w <= chart.width + 0.5
    assert second.current and not first.current
    assert chart.today_x is not None and first.label == "Clínicas preparatorias"
    assert charts.stage_timeline([]) is None
