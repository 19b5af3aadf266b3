"""A small A4 writer (fpdf2) for the top floor's printable documents other than the dossier: the ministry's
comparison and the methodology toolkit. Headings, paragraphs, lists, tables whose heading row repeats on every
page, and the ministry's bar charts drawn as vectors from the geometry the page draws as SVG.

It embeds DejaVu Sans when the machine has it (as the dossier does, mueve.portal.dossier.pdf) and falls back to
the built-in Helvetica, whose Windows-1252 covers Spanish letters, «» and dashes.
"""

from collections.abc import Sequence

from django.utils.translation import gettext as _

from mueve.portal.charts import BAR_H, BarChart
from mueve.portal.dossier.pdf import CORE_FONT_REPLACEMENTS, find_unicode_font

BLUE = (31, 78, 121)
INK = (27, 27, 27)
GREY = (90, 90, 90)
PT_PER_MM = 72 / 25.4


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


class Printer:
    def __init__(self, *, title: str, running_head: str, landscape: bool = False, font="auto"):
        from fpdf import FPDF

        font_files = find_unicode_font() if font == "auto" else font
        printer = self

        class Document(FPDF):
            def header(self):
                if self.page_no() == 1:
                    return
                self.set_font(printer.family, "", 8)
                self.set_text_color(*GREY)
                self.cell(0, 6, printer.clean(running_head), align="L")
                self.ln(8)

            def footer(self):
                self.set_y(-12)
                self.set_font(printer.family, "", 8)
                self.set_text_color(*GREY)
                self.cell(
                    0,
                    6,
                    printer.clean(_("Página %(n)s de %(total)s") % {"n": self.page_no(), "total": "{nb}"}),
                    align="C",
                )

        self.pdf = Document(orientation="L" if landscape else "P", format="A4")
        self.pdf.set_margins(18, 16, 18)
        self.pdf.set_auto_page_break(auto=True, margin=18)
        self.pdf.set_lang("es")
        self.pdf.set_creator("Mueve")
        if font_files:
            self.pdf.add_font("DejaVu", "", str(font_files[0]))
            self.pdf.add_font("DejaVu", "B", str(font_files[1]))
            self.family = "DejaVu"
            self.unicode = True
        else:
            self.family = "helvetica"
            self.pdf.core_fonts_encoding = "windows-1252"
            self.unicode = False
        self.pdf.set_title(self.clean(title))
        self._outline_level = -1
        self.pdf.add_page()

    def clean(self, text: str) -> str:
        text = str(text or "")
        if self.unicode:
            return text
        return text.translate(CORE_FONT_REPLACEMENTS).encode("cp1252", "replace").decode("cp1252")

    @property
    def width(self) -> float:
        return self.pdf.epw

    def _text_height(self, text: str, size: float, style: str = "", height: float = 5) -> float:
        self.pdf.set_font(self.family, style, size)
        return len(self.pdf.multi_cell(self.width, height, self.clean(text), dry_run=True, output="LINES")) * height

    def write(self, text: str, size: float = 10, style: str = "", color=INK, height: float = 5) -> None:
        self.pdf.set_font(self.family, style, size)
        self.pdf.set_text_color(*color)
        self.pdf.multi_cell(0, height, self.clean(text), new_x="LMARGIN", new_y="NEXT", align="L")

    def title(self, text: str, lines: Sequence[str] = ()) -> None:
        self.write(text, 20, "B", BLUE, height=9)
        self.pdf.ln(2)
        for line in lines:
            self.write(line, 10, color=GREY)
        self.pdf.ln(4)

    def heading(self, text: str, level: int = 1, keep_with: float = 20) -> None:
        """A heading never ends a page: with less than `keep_with` mm below it, it starts the next one."""
        size = {1: 15, 2: 12, 3: 10.5}[level]
        height = self._text_height(text, size, "B", 7)
        if self.pdf.will_page_break(height + keep_with):
            self.pdf.add_page()
        if level == 1:
            self.pdf.ln(2)
        # The outline may go down one level at a time only (fpdf2 refuses a jump).
        self._outline_level = min(level - 1, self._outline_level + 1)
        self.pdf.start_section(self.clean(text), level=self._outline_level)
        self.write(text, size, "B", BLUE, height=7 if level < 3 else 6)
        self.pdf.ln(1)

    def paragraph(self, text: str, *, muted: bool = False, size: float = 10) -> None:
        self.write(text, size, color=GREY if muted else INK)
        self.pdf.ln(2)

    def items(self, items: Sequence[str], *, ordered: bool = False, size: float = 9.5) -> None:
        for n, item in enumerate(items, start=1):
            self.pdf.set_font(self.family, "", size)
            self.pdf.set_text_color(*INK)
            self.pdf.set_x(self.pdf.l_margin + 2)
            self.pdf.cell(7, 5, self.clean(f"{n}." if ordered else "•"))
            self.pdf.multi_cell(0, 5, self.clean(item), new_x="LMARGIN", new_y="NEXT", align="L")
        self.pdf.ln(2)

    def table(self, columns: Sequence[str], rows: Sequence[Sequence[str]], *, widths: Sequence[float] | None = None):
        from fpdf.enums import TableCellFillMode
        from fpdf.fonts import FontFace

        if self.pdf.will_page_break(24):
            self.pdf.add_page()
        self.pdf.set_font(self.family, "", 8)
        self.pdf.set_text_color(*INK)
        self.pdf.set_draw_color(0, 0, 0)
        self.pdf.set_line_width(0.2)
        total = sum(widths) if widths else len(columns)
        col_mm = tuple(self.width * w / total for w in (widths or [1] * len(columns)))
        with self.pdf.table(
            col_widths=col_mm,
            headings_style=FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=BLUE, size_pt=8),
            line_height=4,
            text_align="LEFT",
            repeat_headings=1,
            cell_fill_mode=TableCellFillMode.NONE,
            padding=1,
            v_align="TOP",
        ) as grid:
            head = grid.row()
            for column in columns:
                head.cell(self.clean(column))
            for row in rows:
                cells = grid.row()
                for value in row:
                    cells.cell(self.clean(value))
        self.pdf.ln(4)

    def bar_chart(self, chart: BarChart, *, width_mm: float = 110) -> None:
        """The chart's SVG geometry in millimetres, a region's group never split over two pages, then its table
        in words (the PDF's reader who cannot see the bars loses nothing)."""
        scale = width_mm / chart.width
        x0 = self.pdf.l_margin
        first = chart.groups[0].height * scale if chart.groups else 0
        self.heading(chart.title, 3, keep_with=first + 4)
        self.paragraph(chart.description, muted=True, size=8.5)
        y = self.pdf.get_y()
        top = y - chart.groups[0].top * scale if chart.groups else y
        label_pt = 11 * scale * PT_PER_MM
        for group in chart.groups:
            if top + (group.top + group.height) * scale > self.pdf.h - self.pdf.b_margin:
                self.pdf.add_page()
                y = self.pdf.get_y()
                top = y - group.top * scale
            if group.title:
                self.pdf.set_font(self.family, "B", label_pt * 1.1)
                self.pdf.set_text_color(*INK)
                self.pdf.text(x0, top + group.title_y * scale, self.clean(group.title))
            for row in group.rows:
                self.pdf.set_font(self.family, "", label_pt)
                self.pdf.set_text_color(*INK)
                self.pdf.text(x0 + chart.x0 * scale, top + row.label_y * scale, self.clean(row.label))
                if row.w:
                    self.pdf.set_fill_color(*_rgb(row.color))
                    self.pdf.rect(x0 + chart.x0 * scale, top + row.y * scale, row.w * scale, BAR_H * scale, style="F")
                self.pdf.set_font(self.family, "B", label_pt)
                self.pdf.text(x0 + row.value_x * scale, top + (row.y + 12.5) * scale, self.clean(row.text))
            y = top + (group.top + group.height) * scale
        self.pdf.set_xy(self.pdf.l_margin, y + 2)

    def output(self) -> bytes:
        return bytes(self.pdf.output())
