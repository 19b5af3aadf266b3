"""Server-side SVG charts of the statistics page: no JavaScript, readable by screen readers (title + table)."""

from datetime import datetime

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

BAR = "#1f5f99"


def _nice_max(value: int) -> int:
    if value <= 5:
        return 5
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return value


def bar_chart(rows: list[tuple[str, int]], *, title: str, chart_id: str, width: int = 560) -> SafeString:
    """Horizontal bars, one per (label, count), longest first as given."""
    rows = rows[:15]
    row_height, label_width, top = 26, 190, 8
    height = top * 2 + max(1, len(rows)) * row_height
    top_value = _nice_max(max([count for _label, count in rows] or [0]))
    plot = width - label_width - 60
    parts = [
        f'<svg class="control-chart" role="img" aria-labelledby="{chart_id}-t" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet"><title id="{chart_id}-t">{escape(title)}</title>'
    ]
    if not rows:
        parts.append(f'<text x="8" y="24" class="chart-empty">{escape(_("Sin datos en el periodo."))}</text>')
    for index, (label, count) in enumerate(rows):
        y = top + index * row_height
        length = round(plot * count / top_value, 1) if top_value else 0
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f"<g><title>{escape(label)}: {count}</title>"
            f'<text x="{label_width - 6}" y="{y + 17}" text-anchor="end" class="chart-label">{escape(short)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{max(length, 1)}" height="{row_height - 8}" fill="{BAR}"/>'
            f'<text x="{label_width + length + 6}" y="{y + 17}" class="chart-value">{count}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


def hourly_chart(points: list[tuple[datetime, int]], *, title: str, width: int = 720, height: int = 200) -> SafeString:
    """Columns per hour with a y axis from zero; x labels every few hours in local time."""
    left, right, top, bottom = 40, width - 10, 10, height - 28
    top_value = _nice_max(max([count for _hour, count in points] or [0]))
    count = max(1, len(points))
    step = (right - left) / count
    parts = [
        f'<svg class="control-chart" role="img" aria-labelledby="hourly-t" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet"><title id="hourly-t">{escape(title)}</title>',
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#555"/>',
    ]
    for fraction in (0, 0.5, 1):
        y = round(bottom - (bottom - top) * fraction, 1)
        parts.append(
            f'<text x="{left - 6}" y="{y + 4}" text-anchor="end" class="chart-value">'
            f"{round(top_value * fraction)}</text>"
            f'<line x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="#ddd"/>'
        )
    label_every = max(1, count // 8)
    for index, (hour, value) in enumerate(points):
        local = timezone.localtime(hour)
        x = round(left + index * step, 2)
        h = round((bottom - top) * value / top_value, 2) if top_value else 0
        label = f"{local:%d/%m %H}:00"
        parts.append(
            f'<rect x="{x + 0.5}" y="{round(bottom - h, 2)}" width="{max(round(step - 1, 2), 0.5)}" height="{h}" '
            f'fill="{BAR}"><title>{escape(label)}: {value}</title></rect>'
        )
        if index % label_every == 0:
            parts.append(f'<text x="{x}" y="{bottom + 16}" class="chart-label">{escape(f"{local:%H}:00")}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
