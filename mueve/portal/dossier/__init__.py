"""The programme dossier: the seed document's structure, filled from the database.

Called the *dossier* in code so that "report" keeps one meaning, a citizen's report (mueve.reports);
its pages and files still say "Informe de cierre" to readers.

`build_dossier(program)` reads everything once into plain dataclasses (document.py); `render_html`
and `render_pdf` only lay them out, so both say the same. `write_dossier` is `mueve programreport`.
"""

from mueve.portal.dossier.build import build_dossier
from mueve.portal.dossier.document import (
    EMPTY,
    MARK,
    Block,
    Figure,
    ListBlock,
    Paragraph,
    ProgramDossier,
    Row,
    Section,
    Table,
)
from mueve.portal.dossier.files import write_dossier
from mueve.portal.dossier.html import render_html
from mueve.portal.dossier.pdf import find_unicode_font, render_pdf

__all__ = [
    "EMPTY",
    "MARK",
    "Block",
    "Figure",
    "ListBlock",
    "Paragraph",
    "ProgramDossier",
    "Row",
    "Section",
    "Table",
    "build_dossier",
    "find_unicode_font",
    "render_html",
    "render_pdf",
    "write_dossier",
]
