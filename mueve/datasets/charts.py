"""Server-drawn SVG charts of the dataset page (no JavaScript): a histogram per numeric column of a tabular
preview. Each SVG has a title; the page puts a table with the same numbers after it for screen readers."""

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

BAR = "#00557f"


def number(value: float) -> str:
    if float(value).is_integer():
        return number_format(int(value), force_grouping=True)
    return number_format(round(value, 2), decimal_pos=2, force_grouping=True)


def histogram_svg(histogram, *, chart_id: str, width: int = 480, height: int = 220) -> SafeString:
    left, right, top, bottom = 48, width - 12, 12, height - 40
    bins = histogram.bins
    tallest = max([n for _a, _b, n in bins] or [0]) or 1
    step = (right - left) / max(1, len(bins))
    title = _("Distribución de «%(field)s» (%(count)s valores)") % {
        "field": histogram.field,
        "count": number(histogram.count),
    }
    parts = [
        f'<svg class="catalog-chart" role="img" aria-labelledby="{chart_id}-t" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet"><title id="{chart_id}-t">{escape(title)}</title>',
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#4a525c"/>',
        f'<text x="{left - 6}" y="{top + 8}" text-anchor="end" class="chart-value">{escape(number(tallest))}</text>',
        f'<text x="{left - 6}" y="{bottom}" text-anchor="end" class="chart-value">0</text>',
    ]
    for index, (low, high, count) in enumerate(bins):
        x = round(left + index * step, 2)
        h = round((bottom - top) * count / tallest, 2)
        label = f"{number(low)} – {number(high)}: {number(count)}"
        parts.append(
            f'<rect x="{x + 1}" y="{round(bottom - h, 2)}" width="{max(round(step - 2, 2), 1)}" height="{h}" '
            f'fill="{BAR}"><title>{escape(label)}</title></rect>'
        )
    parts.append(
        f'<text x="{left}" y="{bottom + 16}" class="chart-label">{escape(number(histogram.lowest))}</text>'
        f'<text x="{right}" y="{bottom + 16}" text-anchor="end" class="chart-label">'
        f"{escape(number(histogram.highest))}</text>"
        f'<text x="{(left + right) / 2}" y="{bottom + 34}" text-anchor="middle" class="chart-label">'
        f"{escape(histogram.field)}</text></svg>"
    )
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
