"""The dossier as an A4 PDF (fpdf2): title page, contents, sections, numbered tables."""

from pathlib import Path

from django.utils.translation import gettext as _

from mueve.portal.dossier.document import EMPTY, MARK, Block, ListBlock, Paragraph, ProgramDossier, Table

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


def find_unicode_font() -> tuple[Path, Path] | None:
    """DejaVu Sans regular + bold if installed (or vendored); None means use the built-in Helvetica."""
    for folder in FONT_CANDIDATES:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


def render_pdf(dossier: ProgramDossier, *, font: tuple[Path, Path] | None | str = "auto") -> bytes:
    """A4 PDF: title page, contents, sections, numbered tables whose headings repeat on every page.

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
    pdf.insert_toc_placeholder(render_toc, pages=1)

    heading_style = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=BLUE)
    group_style = FontFace(emphasis="BOLD", fill_color=(226, 234, 243))

    def fit(text: str, column_mm: float) -> str:
        # fpdf2 cannot split one table row over two pages: cap a cell at ~25 lines of 8-pt text.
        limit = max(40, int(column_mm * 0.5 * 25))
        if len(text) <= limit:
            return text
        return text[:limit].rsplit(" ", 1)[0] + " … " + _("(texto completo en la versión HTML)")

    def table(t: Table) -> None:
        pdf.set_font(family, "B", 10)
        if pdf.will_page_break(24):
            pdf.add_page()
        write(t.title, 10, "B", BLUE)
        pdf.ln(1)
        if t.empty:
            write(_(EMPTY), 9, color=GREY)
            pdf.ln(3)
            return
        pdf.set_font(family, "", 8)
        pdf.set_text_color(*INK)
        total = sum(t.widths)
        col_mm = [width * w / total for w in t.widths]
        with pdf.table(
            col_widths=tuple(col_mm),
            headings_style=heading_style,
            line_height=4,
            text_align="LEFT",
            repeat_headings=1,
            cell_fill_mode=TableCellFillMode.NONE,
            padding=1,
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

    def block(b: Block) -> None:
        if isinstance(b, Paragraph):
            write(b.text, 10, color=GREY if b.muted else INK)
            pdf.ln(2)
        elif isinstance(b, ListBlock):
            if pdf.will_page_break(16):  # never leave a list's title alone at the foot of a page
                pdf.add_page()
            write(b.title, 10, "B")
            for n, item in enumerate(b.items, start=1):
                marker = f"{n}." if b.ordered else "•"
                pdf.set_font(family, "", 9.5)
                pdf.set_text_color(*INK)
                pdf.set_x(pdf.l_margin + 2)
                pdf.cell(6, 5, clean(marker))
                pdf.multi_cell(0, 5, clean(item), new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(2)
        else:
            table(b)

    for section in dossier.sections:
        pdf.add_page()
        pdf.start_section(clean(section.title), level=0)
        write(section.title, 18, "B", BLUE, height=9)
        pdf.ln(3)
        for b in section.blocks:
            block(b)
        for sub in section.subsections:
            if pdf.will_page_break(40):
                pdf.add_page()
            pdf.start_section(clean(sub.title), level=1)
            write(sub.title, 14, "B", BLUE, height=7)
            if sub.subtitle:
                write(sub.subtitle, 10, "B", GREY)
            pdf.ln(2)
            for b in sub.blocks:
                block(b)
    return bytes(pdf.output())
