"""The interest/influence chart as server-rendered SVG (no JavaScript, readable without CSS)."""

import math
from collections import Counter

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mueve.stakeholders.models import Sector
from mueve.stakeholders.selectors import HIGH, QUADRANTS, InfluencePoint

# Same palette as mueve.css (--gov, --private, ...): each passes 4.5:1 against white text.
SECTOR_COLOURS = {
    Sector.GOVERNMENT: "#00557f",
    Sector.PRIVATE: "#7a3e9d",
    Sector.ACADEMIA: "#1d6b2f",
    Sector.CIVIL_SOCIETY: "#b03a00",
    Sector.INTERNATIONAL: "#5c5c00",
}

WIDTH, HEIGHT = 640, 540
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 56
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
X_DOMAIN = (0.5, 5.5)
# Half a unit more above and below than the values need: room for the quadrant labels.
Y_DOMAIN = (0.0, 6.0)
RADIUS = 10
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def _x(value: float) -> float:
    return LEFT + (value - X_DOMAIN[0]) / (X_DOMAIN[1] - X_DOMAIN[0]) * PLOT_W


def _y(value: float) -> float:
    return TOP + (Y_DOMAIN[1] - value) / (Y_DOMAIN[1] - Y_DOMAIN[0]) * PLOT_H


def jitter_offsets(count: int) -> list[tuple[float, float]]:
    """Offsets that spread `count` points sharing one spot on a sunflower spiral: same input, same picture.

    The spiral stays inside the spot's own cell (so a point never drifts into a neighbouring value);
    with many points they may touch, and the table below the chart lists them all.
    """
    if count <= 1:
        return [(0.0, 0.0)]
    cell_w = PLOT_W / (X_DOMAIN[1] - X_DOMAIN[0])
    cell_h = PLOT_H / (Y_DOMAIN[1] - Y_DOMAIN[0])
    room = cell_h / 2 - 3
    step = min(2 * RADIUS + 1, room / math.sqrt(count - 1))
    stretch = cell_w / cell_h
    return [
        (
            round(step * stretch * math.sqrt(i) * math.cos(i * GOLDEN_ANGLE), 1),
            round(step * math.sqrt(i) * math.sin(i * GOLDEN_ANGLE), 1),
        )
        for i in range(count)
    ]


def point_positions(points: list[InfluencePoint]) -> list[tuple[float, float]]:
    """SVG coordinates per point, in order; points on the same (interest, influence) are spread out."""
    groups: dict[tuple[int, int], list[int]] = {}
    for index, point in enumerate(points):
        groups.setdefault((point.interest, point.influence), []).append(index)
    positions: list[tuple[float, float]] = [(0.0, 0.0)] * len(points)
    for (interest, influence), indexes in groups.items():
        indexes.sort(key=lambda i: (points[i].organization.name, i))
        for index, (dx, dy) in zip(indexes, jitter_offsets(len(indexes)), strict=True):
            positions[index] = (round(_x(interest) + dx, 1), round(_y(influence) + dy, 1))
    return positions


def chart_description(points: list[InfluencePoint]) -> str:
    counts = Counter(p.quadrant for p in points)
    parts = [f"{label}: {counts.get(code, 0)}" for code, label in QUADRANTS.items()]
    return ngettext(
        "Gráfico de dispersión con %(n)s organización según su interés (eje horizontal, 1 a 5) e influencia "
        "(eje vertical, 1 a 5), dividido en cuatro cuadrantes a partir del valor %(high)s. %(parts)s. "
        "La tabla que sigue al gráfico contiene los mismos datos.",
        "Gráfico de dispersión con %(n)s organizaciones según su interés (eje horizontal, 1 a 5) e influencia "
        "(eje vertical, 1 a 5), dividido en cuatro cuadrantes a partir del valor %(high)s. %(parts)s. "
        "La tabla que sigue al gráfico contiene los mismos datos.",
        len(points),
    ) % {"n": len(points), "high": HIGH, "parts": "; ".join(parts)}


def interest_influence_svg(points: list[InfluencePoint], *, chart_id: str = "mapa-interes-influencia") -> SafeString:
    """The chart: four labelled quadrants, one numbered point per organization (numbers match the table)."""
    split_x, split_y = _x(HIGH - 0.5), _y(HIGH - 0.5)
    right, bottom = LEFT + PLOT_W, TOP + PLOT_H
    quadrants = [
        # code, x, y, width, height, fill, label anchor (x, y, text-anchor)
        ("keep_satisfied", LEFT, TOP, split_x - LEFT, split_y - TOP, "#eef3f7", (LEFT + 8, TOP + 20, "start")),
        ("manage_closely", split_x, TOP, right - split_x, split_y - TOP, "#fbece5", (right - 8, TOP + 20, "end")),
        ("monitor", LEFT, split_y, split_x - LEFT, bottom - split_y, "#f4f4f4", (LEFT + 8, bottom - 10, "start")),
        (
            "keep_informed",
            split_x,
            split_y,
            right - split_x,
            bottom - split_y,
            "#ecf4ed",
            (right - 8, bottom - 10, "end"),
        ),
    ]
    quadrant_svg = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
        '<text x="{}" y="{}" text-anchor="{}" class="quadrant-label" font-size="14" font-weight="700" '
        'fill="#1a1d21">{}</text>',
        (
            (round(x, 1), round(y, 1), round(w, 1), round(h, 1), fill, lx, ly, anchor, QUADRANTS[code])
            for code, x, y, w, h, fill, (lx, ly, anchor) in quadrants
        ),
    )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="13" fill="#4a525c">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" font-size="13" fill="#4a525c">{}</text>',
        ((round(_x(v), 1), bottom + 18, v, LEFT - 8, round(_y(v), 1), v) for v in range(1, 6)),
    )
    positions = point_positions(points)
    dots = format_html_join(
        "",
        '<g class="point sector-{}"><title>{}</title>'
        '<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="#ffffff" stroke-width="1.5"/>'
        '<text x="{}" y="{}" text-anchor="middle" dominant-baseline="central" font-size="{}" font-weight="700" '
        'fill="#ffffff" aria-hidden="true">{}</text></g>',
        (
            (
                p.sector,
                _("%(n)s. %(org)s (%(sector)s): interés %(interest)s, influencia %(influence)s")
                % {
                    "n": n,
                    "org": p.organization.name,
                    "sector": p.sector_label,
                    "interest": p.interest,
                    "influence": p.influence,
                },
                cx,
                cy,
                RADIUS,
                SECTOR_COLOURS.get(p.sector, "#1a1d21"),
                cx,
                cy,
                10 if n < 10 else 9,
                n,
            )
            for n, (p, (cx, cy)) in enumerate(zip(points, positions, strict=True), start=1)
        ),
    )
    frame = format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#4a525c"/>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#4a525c" stroke-dasharray="4 3"/>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#4a525c" stroke-dasharray="4 3"/>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="14" font-weight="600" fill="#1a1d21">{}</text>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="14" font-weight="600" fill="#1a1d21" '
        'transform="rotate(-90 {} {})">{}</text>',
        LEFT,
        TOP,
        PLOT_W,
        PLOT_H,
        round(split_x, 1),
        TOP,
        round(split_x, 1),
        bottom,
        LEFT,
        round(split_y, 1),
        right,
        round(split_y, 1),
        round(LEFT + PLOT_W / 2, 1),
        HEIGHT - 12,
        _("Interés en el programa →"),
        20,
        round(TOP + PLOT_H / 2, 1),
        20,
        round(TOP + PLOT_H / 2, 1),
        _("Influencia →"),
    )
    empty = ""
    if not points:
        empty = format_html(
            '<text x="{}" y="{}" text-anchor="middle" font-size="15" fill="#1a1d21">{}</text>',
            round(LEFT + PLOT_W / 2, 1),
            round(TOP + PLOT_H / 2, 1),
            _("Aún no hay organizaciones vinculadas al programa."),
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" class="chart interest-influence" role="img" '
        'aria-labelledby="{}-title {}-desc" id="{}">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}{}{}{}{}</svg>',
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        chart_id,
        chart_id,
        _("Mapa de interés e influencia de los actores"),
        chart_id,
        chart_description(points),
        quadrant_svg,
        frame,
        ticks,
        dots,
        mark_safe(empty) if empty else "",
    )
