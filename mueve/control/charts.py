"""Server-side SVG charts of the statistics page: no JavaScript, readable by screen readers (title + table)."""

import math
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


def _wrap(text: str, limit: int) -> list[str]:
    """Words into lines of at most `limit` characters (a longer word is cut); at most two lines, the second
    ending in "…" when the text does not fit. The full text stays in the bar's <title>."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > limit:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[: limit - 1] + "-")
            word = word[limit - 1 :]
        candidate = f"{current} {word}".strip()
        if len(candidate) <= limit:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > 2:
        lines = [lines[0], lines[1][: limit - 1].rstrip() + "…"]
    return lines or [""]


# Average advance of a 12 px sans-serif character, generous: labels are wrapped by character count.
CHAR_WIDTH = 7.2
LINE_HEIGHT = 15


def bar_chart(rows: list[tuple[str, int]], *, title: str, chart_id: str, width: int = 420) -> SafeString:
    """Horizontal bars, one per (label, count), longest first as given. Each label is written above its bar,
    from the left edge, wrapped to the chart's width: a label right-aligned beside the bar ran out of the drawing
    on the left ("uminaria apagada") once it was longer than the space kept for it."""
    rows = rows[:15]
    left, top, bar_height, gap = 4, 6, 14, 10
    limit = int((width - 2 * left) / CHAR_WIDTH)
    top_value = _nice_max(max([count for _label, count in rows] or [0]))
    plot = width - left - 50  # room for the count after the longest bar
    body: list[str] = []
    y = top
    if not rows:
        body.append(f'<text x="8" y="24" class="chart-empty">{escape(_("Sin datos en el periodo."))}</text>')
        y = 36
    for label, count in rows:
        lines = _wrap(label, limit)
        texts = "".join(
            f'<tspan x="{left}" dy="{LINE_HEIGHT if index else 0}">{escape(line)}</tspan>'
            for index, line in enumerate(lines)
        )
        label_y = y + 12
        bar_y = y + len(lines) * LINE_HEIGHT + 2
        length = round(plot * count / top_value, 1) if top_value else 0
        body.append(
            f"<g><title>{escape(label)}: {count}</title>"
            f'<text x="{left}" y="{label_y}" class="chart-label">{texts}</text>'
            f'<rect x="{left}" y="{bar_y}" width="{max(length, 1)}" height="{bar_height}" fill="{BAR}"/>'
            f'<text x="{left + length + 6}" y="{bar_y + bar_height - 3}" class="chart-value">{count}</text></g>'
        )
        y = bar_y + bar_height + gap
    height = y + top
    return mark_safe(  # noqa: S308 — every text above is escaped
        f'<svg class="control-chart" role="img" aria-labelledby="{chart_id}-t" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet"><title id="{chart_id}-t">{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def hourly_chart(
    points: list[tuple[datetime, int]], *, title: str, width: int = 720, height: int = 200, chart_id: str = "hourly"
) -> SafeString:
    """Columns per hour with a y axis from zero; x labels every few hours in local time. `chart_id` names the
    chart's title element (one id per page)."""
    left, right, top, bottom = 40, width - 10, 10, height - 28
    top_value = _nice_max(max([count for _hour, count in points] or [0]))
    count = max(1, len(points))
    step = (right - left) / count
    parts = [
        f'<svg class="control-chart" role="img" aria-labelledby="{chart_id}-t" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet"><title id="{chart_id}-t">{escape(title)}</title>',
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#555"/>',
    ]
    for fraction in (0, 0.5, 1):
        y = round(bottom - (bottom - top) * fraction, 1)
        parts.append(
            f'<text x="{left - 6}" y="{y + 4}" text-anchor="end" class="chart-value">'
            f"{round(top_value * fraction)}</text>"
            f'<line x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="#ddd"/>'
        )
    # At most eight labels, each with some 44 units of room ("00:00" at 12 px): on a narrow chart, fewer.
    label_every = max(1, count // 8, math.ceil(count * 44 / (right - left)))
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
            # Centred under its column, kept clear of both edges: the last label ran past the drawing's right side.
            middle = round(min(max(x + step / 2, left + 16), width - 18), 2)
            parts.append(
                f'<text x="{middle}" y="{bottom + 16}" text-anchor="middle" class="chart-label">'
                f"{escape(f'{local:%H}:00')}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
