"""The dossier as an A4 PDF (fpdf2): title page, contents, sections, numbered tables and figures."""

from pathlib import Path

from django.utils.translation import gettext as _

from mueve.portal.dossier import pdf_charts
from mueve.portal.dossier.document import EMPTY, MARK, Block, Figure, ListBlock, Paragraph, ProgramDossier, Table
from mueve.portal.dossier.pdf_charts import Ink

FONT_CANDIDATES = [
    Path(__file__).resolve().parents[2] / "static" / "vendor" / "fonts",  # if ever vendored
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts/dejavu"),
]
# Characters the built-in (Windows-1252) fonts lack, mapped to ones they have.
CORE_FONT_REPLACEMENTS = str.maketrans(
    {"●": "•", "✓": "x", "→": "->", "←": "<-", "≥": ">=", "≤": "<=", "·": "·", "\u00a0": " ", "\u202f": " "}
)
BLUE = (31, 78, 121)
INK = (27, 27, 27)
GREY = (90, 90, 90)
CELL_PADDING = 1  # mm around a table cell's text


def find_unicode_font() -> tuple[Path, Path] | None:
    """DejaVu Sans regular + bold if installed (or vendored); None means use the built-in Helvetica."""
    for folder in FONT_CANDIDATES:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


def render_pdf(dossier: ProgramDossier, *, font: tuple[Path, Path] | None | str = "auto") -> bytes:
    """A4 PDF: title page, contents, sections, numbered tables whose headings repeat on every page, and
    the charts of the site's pages drawn as vectors.

    A heading never ends a page: it moves to the next one with the start of what it introduces. A table's
    columns are never narrower than their headings' longest word.

    `font="auto"` embeds DejaVu Sans when the machine has it; `font=None` forces the built-in
    Helvetica (Windows-1252: all Spanish letters, dashes and curly quotes; other symbols replaced).
    """
    from fpdf import FPDF
    from fpdf.enums import TableCellFillMode
    from fpdf.fonts import FontFace

    font_files = find_unicode_font() if font == "auto" else font
    edition = _("Versión pública") if dossier.public else _("Versión completa (uso interno)")

    class DossierPDF(FPDF):
        def header(self):
            if self.page_no() == 1:
                return
            self.set_font(family, "", 8)
            self.set_text_color(*GREY)
            self.cell(0, 6, clean(f"{dossier.program_name} — {_('Informe de cierre')}"), align="L")
            self.ln(8)

        def footer(self):
            self.set_y(-12)
            self.set_font(family, "", 8)
            self.set_text_color(*GREY)
            self.cell(
                0,
                6,
                clean(_("Página %(n)s de %(total)s") % {"n": self.page_no(), "total": "{nb}"}),
                align="C",
            )

    pdf = DossierPDF(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_lang("es")
    pdf.set_title(_("Informe de cierre: %(name)s") % {"name": dossier.program_name})
    pdf.set_subject(dossier.jurisdiction)
    pdf.set_creator("Mueve")
    if font_files:
        pdf.add_font("DejaVu", "", str(font_files[0]))
        pdf.add_font("DejaVu", "B", str(font_files[1]))
        family = "DejaVu"

        def clean(text: str) -> str:
            return text or ""
    else:
        family = "helvetica"
        pdf.core_fonts_encoding = "windows-1252"

        def clean(text: str) -> str:
            return (text or "").translate(CORE_FONT_REPLACEMENTS).encode("cp1252", "replace").decode("cp1252")

    width = pdf.epw

    def write(text: str, size: float = 10, style: str = "", color=INK, height: float = 5, align: str = "L") -> None:
        pdf.set_font(family, style, size)
        pdf.set_text_color(*color)
        pdf.multi_cell(0, height, clean(text), new_x="LMARGIN", new_y="NEXT", align=align)

    # Title page.
    pdf.add_page()
    pdf.ln(50)
    write(_("Informe de cierre del programa"), 12, color=GREY)
    pdf.ln(2)
    write(dossier.program_name, 26, "B", BLUE, height=12)
    pdf.ln(4)
    for line in (
        _("Jurisdicción: %(j)s") % {"j": dossier.jurisdiction},
        _("Período: %(p)s") % {"p": dossier.period},
        _("Sector: %(s)s · Estado: %(st)s") % {"s": dossier.sector, "st": dossier.status},
    ):
        write(line, 12, height=7)
    pdf.ln(30)
    write(edition, 10, "B", GREY)
    write(
        _("Generado por Mueve el %(d)s a partir de los datos del programa.") % {"d": dossier.generated_at},
        9,
        color=GREY,
    )
    if dossier.narrative_updated:
        write(_("Textos narrativos actualizados el %(d)s.") % {"d": dossier.narrative_updated}, 9, color=GREY)

    def render_toc(pdf_, outline) -> None:
        pdf_.set_font(family, "B", 16)
        pdf_.set_text_color(*BLUE)
        pdf_.set_xy(pdf_.l_margin, pdf_.t_margin + 8)
        pdf_.cell(width, 10, clean(_("Contenido")), new_x="LMARGIN", new_y="NEXT")
        pdf_.ln(2)
        for entry in outline:
            pdf_.set_font(family, "B" if entry.level == 0 else "", 10 if entry.level == 0 else 9)
            pdf_.set_text_color(*INK)
            indent = 6 * entry.level
            link = pdf_.add_link(page=entry.page_number)
            pdf_.set_x(pdf_.l_margin + indent)
            label = clean(entry.name)
            pdf_.cell(width - indent - 12, 6, label, link=link)
            pdf_.cell(12, 6, str(entry.page_number), align="R", link=link, new_x="LMARGIN", new_y="NEXT")

    pdf.add_page()
    body_top = pdf.get_y()  # where text starts on a page with the running header
    pdf.insert_toc_placeholder(render_toc, pages=1)  # itself moves on to a new, empty page

    def new_page() -> None:
        """A page break, unless the current page is still empty (no blank page after the contents)."""
        if pdf.get_y() > body_top + 0.01:
            pdf.add_page()

    heading_style = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=BLUE)
    group_style = FontFace(emphasis="BOLD", fill_color=(226, 234, 243))
    ink = Ink(pdf, family, clean)
    page_room = pdf.h - pdf.b_margin - body_top  # the height of a whole page's text area

    def lines_of(text: str, w: float, size: float, style: str = "") -> int:
        pdf.set_font(family, style, size)
        return max(1, len(pdf.multi_cell(w, 5, clean(text), dry_run=True, output="LINES")))

    def text_height(text: str, size: float = 10, style: str = "", height: float = 5) -> float:
        return lines_of(text, width, size, style) * height

    def fit(text: str, column_mm: float) -> str:
        # fpdf2 cannot split one table row over two pages: cap a cell at ~25 lines of 8-pt text.
        limit = max(40, int(column_mm * 0.5 * 25))
        if len(text) <= limit:
            return text
        return text[:limit].rsplit(" ", 1)[0] + " … " + _("(texto completo en la versión HTML)")

    def longest_word(texts, size: float, style: str = "") -> float:
        pdf.set_font(family, style, size)
        words = [w for text in texts for w in clean(text).split()]
        # A URL or a code longer than a column may break anywhere: it does not set the column's width.
        return max((pdf.get_string_width(w) for w in words if pdf.get_string_width(w) <= width / 4), default=0)

    def column_widths(t: Table) -> tuple[list[float], float]:
        """Millimetres per column, and the headings' font size, so that no word of a heading (nor, where
        there is room, of a cell) is split: each column at least as wide as its longest word, the rest of
        the width shared in the proportions the table asks for. Too many columns: smaller headings."""
        total = sum(t.widths)
        body = [r.cells for r in t.rows if not r.group]
        for head_size in (8, 7.5, 7, 6.5, 6):
            need = []
            for i, column in enumerate(t.columns):
                head = longest_word([column], head_size, "B")
                cells = longest_word([cells[i] for cells in body if i < len(cells)], 8)
                need.append(max(head, cells) + 2 * CELL_PADDING + 1.2)
            if sum(need) <= width or head_size == 6:
                break
        if sum(need) > width:  # headings stay whole; long cell words may break
            need = [longest_word([c], head_size, "B") + 2 * CELL_PADDING + 1.2 for c in t.columns]
        widths = [width * w / total for w in t.widths]
        fixed: set[int] = set()
        for _round in range(len(widths)):
            short = [i for i, w in enumerate(widths) if w < need[i] - 0.01 and i not in fixed]
            if not short:
                break
            fixed |= set(short)
            free = [i for i in range(len(widths)) if i not in fixed]
            left = width - sum(need[i] for i in fixed)
            weight = sum(t.widths[i] for i in free)
            widths = [need[i] if i in fixed else max(left, 0) * t.widths[i] / weight for i in range(len(widths))]
            if not free:
                break
        return widths, head_size

    def row_height(cells: list[str], col_mm: list[float], size: float, style: str = "") -> float:
        tallest = max(
            lines_of(fit(value, mm) if style == "" else value, mm - 2 * CELL_PADDING, size, style)
            for value, mm in zip(cells, col_mm, strict=False)
        )
        return tallest * 4 + 2 * CELL_PADDING

    def table_start_height(t: Table) -> float:
        """The title, the heading row and the first row: what must share a page."""
        title = text_height(t.title, 10, "B") + 1
        if t.empty:
            return title + 5
        col_mm, head_size = column_widths(t)
        first = t.rows[0]
        first_h = 6 if first.group else row_height(first.cells, col_mm, 8)
        if first.group and len(t.rows) > 1:
            first_h += row_height(t.rows[1].cells, col_mm, 8)
        return title + row_height(t.columns, col_mm, head_size, "B") + first_h

    def table(t: Table) -> None:
        if pdf.will_page_break(table_start_height(t)):
            new_page()
        write(t.title, 10, "B", BLUE)
        pdf.ln(1)
        if t.empty:
            write(_(EMPTY), 9, color=GREY)
            pdf.ln(3)
            return
        col_mm, head_size = column_widths(t)
        pdf.set_font(family, "", 8)
        pdf.set_text_color(*INK)
        pdf.set_draw_color(0, 0, 0)
        pdf.set_line_width(0.2)
        with pdf.table(
            col_widths=tuple(col_mm),
            headings_style=FontFace(
                emphasis="BOLD", color=heading_style.color, fill_color=heading_style.fill_color, size_pt=head_size
            ),
            line_height=4,
            text_align="LEFT",
            repeat_headings=1,
            cell_fill_mode=TableCellFillMode.NONE,
            padding=CELL_PADDING,
            v_align="TOP",
        ) as grid:
            head = grid.row()
            for column in t.columns:
                head.cell(clean(column))
            for row in t.rows:
                cells = grid.row()
                if row.group:
                    cells.cell(clean(row.cells[0]), colspan=len(t.columns), style=group_style)
                    continue
                for value, mm in zip(row.cells, col_mm, strict=False):
                    cells.cell(clean(fit(value, mm)), align="C" if value == MARK else None)
        if t.note:
            write(t.note, 8, color=GREY, height=4)
        pdf.ln(4)

    def figure_start_height(f: Figure) -> float:
        title = text_height(f.title, 10, "B") + 1
        data = f.data
        if f.chart == "roadmap":
            layout = data["layout"]
            first = layout.rows[0] if layout.rows else None
            head = layout.head_height * width / layout.width
            return title + head + (pdf_charts.roadmap_row_height(layout, first, width) if first else 0)
        if f.chart == "indicators":
            rows = pdf_charts.indicator_rows([c[:3] for c in data["charts"]])
            return title + (pdf_charts.indicator_row_height(rows[0], width) if rows else 0)
        return title + single_chart_height(f)

    def single_chart_height(f: Figure) -> float:
        room = page_room - text_height(f.title, 10, "B") - 12
        if f.chart == "timeline":
            return pdf_charts.timeline_height(f.data["chart"], width, room)
        if f.chart == "stakeholder_map":
            return pdf_charts.stakeholder_map_height(f.data["points"], width * 0.9, room)
        return pdf_charts.funnel_height(f.data["funnel"], width * 0.6, room)

    def figure(f: Figure) -> None:
        if pdf.will_page_break(figure_start_height(f)):
            new_page()
        write(f.title, 10, "B", BLUE)
        pdf.ln(2)
        x, y = pdf.l_margin, pdf.get_y()
        if f.chart == "roadmap":
            layout = f.data["layout"]
            y += pdf_charts.roadmap_head(ink, layout, x, y, width)
            for row in layout.rows:
                h = pdf_charts.roadmap_row_height(layout, row, width)
                if y + h > pdf.h - pdf.b_margin:
                    pdf.add_page()
                    y = body_top
                    y += pdf_charts.roadmap_head(ink, layout, x, y, width)
                y += pdf_charts.draw_roadmap_row(ink, layout, row, x, y, width)
        elif f.chart == "indicators":
            for row in pdf_charts.indicator_rows([c[:3] for c in f.data["charts"]]):
                h = pdf_charts.indicator_row_height(row, width)
                if y + h > pdf.h - pdf.b_margin:
                    pdf.add_page()
                    y = body_top
                y += pdf_charts.draw_indicator_row(ink, row, x, y, width) + 3
        else:
            room = single_chart_height(f)
            if f.chart == "timeline":
                y += pdf_charts.draw_timeline(ink, f.data["chart"], x, y, width, room)
            elif f.chart == "stakeholder_map":
                y += pdf_charts.draw_stakeholder_map(ink, f.data["points"], x + width * 0.05, y, width * 0.9, room)
            else:
                y += pdf_charts.draw_funnel(ink, f.data["funnel"], x, y, width * 0.6, room)
        pdf.set_draw_color(0, 0, 0)
        pdf.set_fill_color(255, 255, 255)
        pdf.set_line_width(0.2)
        pdf.set_xy(pdf.l_margin, y + 2)
        write(_("Descripción del gráfico: %(alt)s") % {"alt": f.alt}, 8, color=GREY, height=4)
        pdf.ln(4)

    def start_height(b: Block) -> float:
        """What of a block must be on the same page as the heading before it."""
        if isinstance(b, Paragraph):
            return min(text_height(b.text), 10) + 2
        if isinstance(b, ListBlock):
            first = b.items[0] if b.items else ""
            return text_height(b.title, 10, "B") + lines_of(first, width - 8, 9.5) * 5
        if isinstance(b, Figure):
            return figure_start_height(b)
        return table_start_height(b)

    def block(b: Block) -> None:
        if isinstance(b, Paragraph):
            write(b.text, 10, color=GREY if b.muted else INK)
            pdf.ln(2)
        elif isinstance(b, ListBlock):
            if pdf.will_page_break(start_height(b)):  # never leave a list's title alone at the foot of a page
                new_page()
            write(b.title, 10, "B")
            for n, item in enumerate(b.items, start=1):
                marker = f"{n}." if b.ordered else "•"
                pdf.set_font(family, "", 9.5)
                pdf.set_text_color(*INK)
                pdf.set_x(pdf.l_margin + 2)
                pdf.cell(6, 5, clean(marker))
                pdf.multi_cell(0, 5, clean(item), new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(2)
        elif isinstance(b, Figure):
            figure(b)
        else:
            table(b)

    for section in dossier.sections:
        new_page()
        pdf.start_section(clean(section.title), level=0)
        write(section.title, 18, "B", BLUE, height=9)
        pdf.ln(3)
        for b in section.blocks:
            block(b)
        for sub in section.subsections:
            heading = text_height(sub.title, 14, "B", 7) + (text_height(sub.subtitle, 10, "B") if sub.subtitle else 0)
            following = start_height(sub.blocks[0]) if sub.blocks else 0
            if pdf.will_page_break(heading + 2 + following):  # a heading never ends a page
                new_page()
            pdf.start_section(clean(sub.title), level=1)
            write(sub.title, 14, "B", BLUE, height=7)
            if sub.subtitle:
                write(sub.subtitle, 10, "B", GREY)
            pdf.ln(2)
            for b in sub.blocks:
                block(b)
    return bytes(pdf.output())
