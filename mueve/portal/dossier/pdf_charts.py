"""The dossier's figures drawn as PDF vectors (fpdf2 lines, rectangles, ellipses and text).

Each drawing takes the geometry that the site's own page draws as SVG (programs.charts, stakeholders.charts,
competitions.charts, workshops.charts), in SVG units, and maps it onto millimetres: the PDF shows what the
page shows. `Ink` carries the font family and the text filter of the document being written.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from mueve.stakeholders.charts import HEIGHT as MAP_HEIGHT
from mueve.stakeholders.charts import LEFT as MAP_LEFT
from mueve.stakeholders.charts import PLOT_H as MAP_PLOT_H
from mueve.stakeholders.charts import PLOT_W as MAP_PLOT_W
from mueve.stakeholders.charts import RADIUS as MAP_RADIUS
from mueve.stakeholders.charts import SECTOR_COLOURS, point_positions
from mueve.stakeholders.charts import TOP as MAP_TOP
from mueve.stakeholders.charts import WIDTH as MAP_WIDTH
from mueve.stakeholders.charts import _x as map_x
from mueve.stakeholders.charts import _y as map_y
from mueve.stakeholders.models import Sector
from mueve.stakeholders.selectors import HIGH, QUADRANTS

PT_PER_MM = 72 / 25.4
INK = (27, 27, 27)
GREY = (90, 90, 90)
GRID = (200, 200, 200)
BLUE = (31, 78, 121)
WHITE = (255, 255, 255)


def rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


@dataclass
class Ink:
    pdf: object
    family: str
    clean: Callable[[str], str]

    def font(self, size_pt: float, bold: bool = False, colour=INK) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size_pt)
        self.pdf.set_text_color(*colour)

    def text(self, x: float, y: float, text: str, *, anchor: str = "start") -> None:
        """Text whose baseline is at y; `anchor` as SVG's text-anchor."""
        text = self.clean(str(text))
        width = self.pdf.get_string_width(text)
        if anchor == "end":
            x -= width
        elif anchor == "middle":
            x -= width / 2
        self.pdf.text(x, y, text)

    def line(self, x1, y1, x2, y2, *, colour=GRID, width: float = 0.2, dash: float = 0) -> None:
        self.pdf.set_draw_color(*colour)
        self.pdf.set_line_width(width)
        if dash:
            self.pdf.set_dash_pattern(dash=dash, gap=dash * 0.7)
        self.pdf.line(x1, y1, x2, y2)
        if dash:
            self.pdf.set_dash_pattern()

    def box(self, x, y, w, h, *, fill=None, stroke=None, width: float = 0.2, dash: float = 0, round_: float = 0):
        style = ("F" if fill else "") + ("D" if stroke else "")
        if not style:
            return
        if fill:
            self.pdf.set_fill_color(*fill)
        if stroke:
            self.pdf.set_draw_color(*stroke)
            self.pdf.set_line_width(width)
        if dash:
            self.pdf.set_dash_pattern(dash=dash, gap=dash * 0.7)
        if round_:
            self.pdf.rect(x, y, w, h, style=style, round_corners=True, corner_radius=round_)
        else:
            self.pdf.rect(x, y, w, h, style=style)
        if dash:
            self.pdf.set_dash_pattern()


def _pt(units: float, scale: float) -> float:
    """A font size given in SVG units, in points at this drawing's scale."""
    return units * scale * PT_PER_MM


# --- the programme's timeline (programs.charts.timeline_chart) ------------------------------------------


def timeline_height(chart, width: float, max_height: float) -> float:
    scale = width / chart.width
    return min(chart.height * scale, max_height)


def draw_timeline(ink: Ink, chart, x0: float, y0: float, width: float, max_height: float) -> float:
    """Bars per component and phase; planned work hollow and dashed, as on the programme's page.

    A long schedule is squeezed vertically (never horizontally) to fit `max_height`; the text keeps its size.
    """
    sx = width / chart.width
    sy = min(sx, max_height / chart.height)

    def X(v):  # noqa: N802 - reads like the SVG attribute it maps
        return x0 + v * sx

    def Y(v):  # noqa: N802
        return y0 + v * sy

    ink.font(6.5, colour=GREY)
    for tick in chart.ticks:
        ink.line(X(tick.x), Y(chart.axis_y), X(tick.x), Y(chart.rows_bottom))
        ink.text(X(tick.x) + 0.7, Y(16), tick.label)
        if tick.year:
            ink.font(6.5, bold=True, colour=GREY)
            ink.text(X(tick.x) + 0.7, Y(32), tick.year)
            ink.font(6.5, colour=GREY)
    ink.line(X(chart.plot_right), Y(chart.axis_y), X(chart.plot_right), Y(chart.rows_bottom))
    for bar in chart.bars:
        component = bar.kind == "component"
        ink.font(7.5 if component else 6.8, bold=component)
        ink.text(X(bar.label_x), Y(bar.label_y), bar.label, anchor=bar.label_anchor)
        if bar.x is None:
            ink.font(6.5, colour=GREY)
            ink.text(X(chart.plot_left), Y(bar.note_y), _("sin fechas"))
            continue
        colour = rgb(bar.color)
        if bar.hollow:
            ink.box(X(bar.x), Y(bar.y), bar.width * sx, bar.height * sy, fill=WHITE, stroke=colour, width=0.4, dash=1)
        else:
            ink.box(X(bar.x), Y(bar.y), bar.width * sx, bar.height * sy, fill=colour)
    if chart.today_x is not None:
        ink.line(X(chart.today_x), Y(chart.axis_y), X(chart.today_x), Y(chart.rows_bottom), colour=INK, dash=0.8)
        ink.font(6.5)
        ink.text(X(chart.today_x) + 0.7, Y(chart.rows_bottom) - 0.8, chart.today_label)
    ink.font(7)
    for item in chart.legend:
        colour = rgb(item.color)
        top = Y(chart.legend_y)
        if item.hollow:
            ink.box(X(item.x), top, 18 * sx, 12 * sy, fill=WHITE, stroke=colour, width=0.4, dash=1)
        else:
            ink.box(X(item.x), top, 18 * sx, 12 * sy, fill=colour)
        ink.text(X(item.x) + 24 * sx, top + 11 * sy, item.label)
    return chart.height * sy


# --- the stakeholder map (stakeholders.charts: interest × influence) ---------------------------------------


MAP_LEGEND = 9  # mm under the map for the sectors' colours


def stakeholder_map_height(points, width: float, max_height: float) -> float:
    return min(width * MAP_HEIGHT / MAP_WIDTH, max_height - MAP_LEGEND) + MAP_LEGEND


def draw_stakeholder_map(ink: Ink, points, x0: float, y0: float, width: float, max_height: float) -> float:
    """Four quadrants, one numbered dot per organization coloured by sector; the numbers match the table."""
    s = min(width / MAP_WIDTH, (max_height - MAP_LEGEND) / MAP_HEIGHT)
    x0 += (width - MAP_WIDTH * s) / 2

    def X(v):  # noqa: N802
        return x0 + v * s

    def Y(v):  # noqa: N802
        return y0 + v * s

    split_x, split_y = map_x(HIGH - 0.5), map_y(HIGH - 0.5)
    right, bottom = MAP_LEFT + MAP_PLOT_W, MAP_TOP + MAP_PLOT_H
    quadrants = [
        ("keep_satisfied", MAP_LEFT, MAP_TOP, split_x, split_y, "#eef3f7", (MAP_LEFT + 8, MAP_TOP + 20, "start")),
        ("manage_closely", split_x, MAP_TOP, right, split_y, "#fbece5", (right - 8, MAP_TOP + 20, "end")),
        ("monitor", MAP_LEFT, split_y, split_x, bottom, "#f4f4f4", (MAP_LEFT + 8, bottom - 10, "start")),
        ("keep_informed", split_x, split_y, right, bottom, "#ecf4ed", (right - 8, bottom - 10, "end")),
    ]
    for _code, left, top, x1, y1, fill, _label in quadrants:
        ink.box(X(left), Y(top), (x1 - left) * s, (y1 - top) * s, fill=rgb(fill))
    ink.box(X(MAP_LEFT), Y(MAP_TOP), MAP_PLOT_W * s, MAP_PLOT_H * s, stroke=(74, 82, 92), width=0.3)
    ink.line(X(split_x), Y(MAP_TOP), X(split_x), Y(bottom), colour=(74, 82, 92), dash=1)
    ink.line(X(MAP_LEFT), Y(split_y), X(right), Y(split_y), colour=(74, 82, 92), dash=1)
    ink.font(_pt(14, s), bold=True)
    for code, *_box, _fill, (lx, ly, anchor) in quadrants:
        ink.text(X(lx), Y(ly), str(QUADRANTS[code]), anchor=anchor)
    ink.font(_pt(13, s), colour=(74, 82, 92))
    for v in range(1, 6):
        ink.text(X(map_x(v)), Y(bottom + 18), str(v), anchor="middle")
        ink.text(X(MAP_LEFT - 8), Y(map_y(v)) + _pt(13, s) / PT_PER_MM / 3, str(v), anchor="end")
    ink.font(_pt(14, s), bold=True)
    ink.text(X(MAP_LEFT + MAP_PLOT_W / 2), Y(MAP_HEIGHT - 12), _("Interés en el programa →"), anchor="middle")
    with ink.pdf.rotation(90, X(20), Y(MAP_TOP + MAP_PLOT_H / 2)):
        ink.text(X(20), Y(MAP_TOP + MAP_PLOT_H / 2), _("Influencia →"), anchor="middle")
    radius = MAP_RADIUS * s
    for n, (point, (cx, cy)) in enumerate(zip(points, point_positions(points), strict=True), start=1):
        ink.pdf.set_fill_color(*rgb(SECTOR_COLOURS.get(point.sector, "#1a1d21")))
        ink.pdf.set_draw_color(*WHITE)
        ink.pdf.set_line_width(0.3)
        ink.pdf.ellipse(X(cx) - radius, Y(cy) - radius, 2 * radius, 2 * radius, style="FD")
        size = _pt(10 if n < 10 else 9, s)
        ink.font(size, bold=True, colour=WHITE)
        ink.text(X(cx), Y(cy) + size / PT_PER_MM * 0.35, str(n), anchor="middle")
    # The sectors' colours, as the legend beside the map on the stakeholders page.
    legend_y = Y(MAP_HEIGHT) + 4
    x = X(MAP_LEFT)
    ink.font(7.5)
    for code, label in Sector.choices:
        ink.pdf.set_fill_color(*rgb(SECTOR_COLOURS.get(code, "#1a1d21")))
        ink.pdf.ellipse(x, legend_y - 2.4, 3, 3, style="F")
        ink.text(x + 4, legend_y, str(label))
        x += 4 + ink.pdf.get_string_width(ink.clean(str(label))) + 5
    if not points:
        ink.font(_pt(15, s))
        ink.text(
            X(MAP_LEFT + MAP_PLOT_W / 2),
            Y(MAP_TOP + MAP_PLOT_H / 2),
            _("Aún no hay organizaciones vinculadas al programa."),
            anchor="middle",
        )
    return MAP_HEIGHT * s + MAP_LEGEND


# --- a competition's funnel (competitions.charts.funnel_chart) ---------------------------------------------


def funnel_height(funnel, width: float, max_height: float) -> float:
    return min(funnel["height"] * width / funnel["width"], max_height)


def draw_funnel(ink: Ink, funnel, x0: float, y0: float, width: float, max_height: float) -> float:
    s = min(width / funnel["width"], max_height / funnel["height"])
    for step in funnel["steps"]:
        ink.font(_pt(14, s), bold=True)
        ink.text(x0 + 4 * s, y0 + (step.y + 19) * s, step.label)
        ink.box(x0 + step.x * s, y0 + step.y * s, step.w * s, 26 * s, fill=BLUE)
        ink.font(_pt(14, s))
        ink.text(x0 + step.value_x * s, y0 + (step.y + 19) * s, str(step.value))
    return funnel["height"] * s


# --- the indicators (programs.charts.line_chart), two small charts a row ------------------------------------

INDICATOR_COLUMNS = 2
INDICATOR_GAP = 8  # mm between two charts
INDICATOR_TITLE = 9  # mm above each chart for its name


def _indicator_cell(width: float) -> float:
    return (width - INDICATOR_GAP * (INDICATOR_COLUMNS - 1)) / INDICATOR_COLUMNS


def indicator_row_height(charts: list, width: float) -> float:
    cell = _indicator_cell(width)
    return max((chart.height * cell / chart.width for _n, _u, chart in charts), default=0) + INDICATOR_TITLE


def indicator_rows(charts: list) -> list[list]:
    return [charts[i : i + INDICATOR_COLUMNS] for i in range(0, len(charts), INDICATOR_COLUMNS)]


def draw_indicator_row(ink: Ink, row: list, x0: float, y0: float, width: float) -> float:
    cell = _indicator_cell(width)
    for index, (name, unit, chart) in enumerate(row):
        left = x0 + index * (cell + INDICATOR_GAP)
        s = cell / chart.width
        ink.font(7.5, bold=True)
        ink.pdf.set_xy(left, y0)
        title = name + (f" ({unit})" if unit else "")
        ink.pdf.multi_cell(cell, 3.4, ink.clean(title), max_line_height=3.4, align="L")
        top = y0 + INDICATOR_TITLE

        def X(v, left=left, s=s):  # noqa: N802
            return left + v * s

        def Y(v, top=top, s=s):  # noqa: N802
            return top + v * s

        ink.font(6)
        for tick in chart.y_ticks:
            ink.line(X(chart.left), Y(tick.y), X(chart.right), Y(tick.y))
            ink.font(6, colour=GREY)
            ink.text(X(chart.left) - 1.2, Y(tick.y) + 0.8, tick.label, anchor="end")
        for x, label, anchor in chart.x_labels:
            ink.text(X(x), Y(chart.height) - 1.5, label, anchor=anchor)
        if chart.target_y is not None:
            ink.line(X(chart.left), Y(chart.target_y), X(chart.right), Y(chart.target_y), colour=(164, 22, 26), dash=1)
            ink.font(6, colour=(164, 22, 26))
            ink.text(X(chart.right), Y(chart.target_y) - 0.9, chart.target_label, anchor="end")
        if len(chart.points) > 1:
            ink.pdf.set_draw_color(*BLUE)
            ink.pdf.set_line_width(0.5)
            ink.pdf.polyline([(X(p.x), Y(p.y)) for p in chart.points])
        ink.pdf.set_fill_color(*BLUE)
        for p in chart.points:
            r = 4 * s
            ink.pdf.ellipse(X(p.x) - r, Y(p.y) - r, 2 * r, 2 * r, style="F")
    return indicator_row_height(row, width)


# --- the roadmap (workshops.charts.roadmap_layout), one line of the roadmap at a time -----------------------


def roadmap_head(ink: Ink, layout, x0: float, y0: float, width: float) -> float:
    s = width / layout.width
    ink.box(x0, y0, width, layout.head_height * s, fill=BLUE)
    ink.font(_pt(14, s), bold=True, colour=WHITE)
    ink.text(x0 + 14 * s, y0 + 24 * s, _("Línea"))
    ink.font(_pt(16, s), bold=True, colour=WHITE)
    for x, year in layout.horizons:
        ink.text(x0 + (x + layout.column_width / 2) * s, y0 + 24 * s, year, anchor="middle")
    return layout.head_height * s


def roadmap_row_height(layout, row, width: float) -> float:
    return row.height * width / layout.width


def draw_roadmap_row(ink: Ink, layout, row, x0: float, y0: float, width: float) -> float:
    """One line of the roadmap at y0 (its own y in the layout is replaced: a line may open a new page)."""
    s = width / layout.width

    def Y(v):  # noqa: N802
        return y0 + (v - row.y) * s

    ink.box(x0, y0, width, row.height * s, fill=rgb(row.background))
    ink.box(x0, y0, 6 * s, row.height * s, fill=rgb(row.color))
    for x, _year in layout.horizons:
        ink.line(x0 + x * s, y0, x0 + x * s, y0 + row.height * s)
    ink.font(_pt(14, s), bold=True)
    for text, ty in zip(row.label_lines, row.label_ys, strict=True):
        ink.text(x0 + 14 * s, Y(ty), text)
    ink.font(_pt(12, s))
    for b in row.boxes:
        ink.box(x0 + b.x * s, Y(b.y), b.width * s, b.height * s, fill=rgb(b.fill), stroke=rgb(b.stroke), round_=0.8)
        for text, ty in zip(b.lines, b.line_ys, strict=True):
            ink.text(x0 + (b.x + 6) * s, Y(ty), text)
    return row.height * s
