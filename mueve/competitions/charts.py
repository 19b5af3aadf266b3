"""Geometry for the competition's SVG charts (stage timeline, funnel). Pure functions; the
templates `_timeline.svg.html` and `_funnel.svg.html` only draw what is computed here."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format

# Narrow viewBoxes with labels above the bars: readable at 360 px, where a side label column
# would leave the text a few pixels high once the SVG is scaled down.
WIDTH = 480
ROW = 46
LABEL_W = 0
FUNNEL_WIDTH = 520
FUNNEL_LABEL_W = 250  # "Terminaron la aceleración" in the bold label font
COLORS = ["#1f4e79", "#7a3b00", "#1d6b2f", "#5b2a86", "#a4161a"]


@dataclass
class Bar:
    label: str
    dates: str
    x: float
    y: float
    w: float
    color: str
    current: bool


@dataclass
class Timeline:
    width: int
    height: int
    bars: list[Bar]
    today_x: float | None


def _day(dt: datetime):
    return timezone.localtime(dt).date()


def stage_timeline(stages, now: datetime | None = None) -> Timeline | None:
    stages = list(stages)
    if not stages:
        return None
    start = min(_day(s.starts_at) for s in stages)
    end = max(_day(s.ends_at) for s in stages)
    days = max((end - start).days + 1, 1)
    span = WIDTH - LABEL_W - 8
    now = now or timezone.now()

    def x(day) -> float:
        return LABEL_W + (day - start).days / days * span

    def short(day) -> str:
        return date_format(day, "SHORT_DATE_FORMAT")

    bars = []
    for i, stage in enumerate(stages):
        s, e = _day(stage.starts_at), _day(stage.ends_at)
        left = x(s)
        width = max(x(e) + span / days - left, 6.0)
        dates = short(s) if s == e else f"{short(s)} – {short(e)}"
        bars.append(
            Bar(
                label=str(stage.get_kind_display()),
                dates=dates,
                x=round(left, 1),
                y=4 + i * ROW,
                w=round(width, 1),
                color=COLORS[i % len(COLORS)],
                current=stage.starts_at <= now <= stage.ends_at,
            )
        )
    today = _day(now)
    today_x = round(x(today), 1) if start <= today <= end else None
    return Timeline(width=WIDTH, height=8 + len(stages) * ROW, bars=bars, today_x=today_x)


@dataclass
class FunnelStep:
    label: str
    value: int
    x: float
    y: float
    w: float
    value_x: float


def funnel_chart(steps: list[tuple[str, int]]) -> dict:
    top = max((v for _l, v in steps), default=0) or 1
    span = FUNNEL_WIDTH - FUNNEL_LABEL_W - 44
    out = []
    for i, (label, value) in enumerate(steps):
        w = max(value / top * span, 2.0)
        out.append(
            FunnelStep(
                label=str(label),
                value=value,
                x=FUNNEL_LABEL_W,
                y=8 + i * 34,
                w=round(w, 1),
                value_x=round(FUNNEL_LABEL_W + w + 6, 1),
            )
        )
    return {"width": FUNNEL_WIDTH, "height": 16 + len(steps) * 34, "steps": out}
