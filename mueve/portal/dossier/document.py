"""The dossier as plain data: sections made of paragraphs, lists, numbered tables and numbered figures.

Both renderers (HTML and PDF) lay out the same objects, so both say the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

EMPTY = gettext_noop("Sin datos registrados")  # translated where shown: _(EMPTY)
MARK = "●"  # a roadmap initiative placed at a horizon; HTML adds a text alternative


@dataclass
class Paragraph:
    text: str
    muted: bool = False
    kind: str = "paragraph"


@dataclass
class ListBlock:
    title: str
    items: list[str]
    ordered: bool = False
    kind: str = "list"


@dataclass
class Row:
    cells: list[str]
    group: bool = False  # a heading row spanning every column (e.g. a roadmap line)


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]
    rows: list[Row]
    widths: tuple[float, ...]  # relative column widths for the PDF
    note: str = ""
    number: int = 0  # set when the dossier is assembled, in reading order
    kind: str = "table"

    @property
    def title(self) -> str:
        return _("Tabla %(n)d: %(caption)s") % {"n": self.number, "caption": self.caption}

    @property
    def empty(self) -> bool:
        return not self.rows

    def text(self) -> str:
        return "\n".join(" | ".join(r.cells) for r in self.rows)


@dataclass
class Figure:
    """A chart drawn from the same geometry as the site's own page (programs, stakeholders, competitions,
    workshops charts modules): vector in the PDF, SVG in the HTML.

    `chart` names the drawing ("timeline", "stakeholder_map", "funnel", "indicator", "roadmap"), `data` is
    that chart's geometry, `alt` its text alternative (printed under the chart: a reader who cannot see it
    loses nothing).
    """

    key: str
    caption: str
    chart: str
    data: Any
    alt: str
    number: int = 0
    kind: str = "figure"

    @property
    def title(self) -> str:
        return _("Figura %(n)d: %(caption)s") % {"n": self.number, "caption": self.caption}


Block = Paragraph | ListBlock | Table | Figure


@dataclass
class Section:
    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    subtitle: str = ""

    @property
    def empty(self) -> bool:
        return not self.blocks and not self.subsections


@dataclass
class ProgramDossier:
    program_name: str
    program_slug: str
    jurisdiction: str
    period: str
    sector: str
    status: str
    generated_at: str
    public: bool
    sections: list[Section]
    key_figures: list[tuple[str, str]]
    narrative_updated: str = ""

    def all_sections(self) -> list[Section]:
        out = []
        for section in self.sections:
            out.append(section)
            out.extend(section.subsections)
        return out

    def section(self, section_id: str) -> Section:
        return next(s for s in self.all_sections() if s.id == section_id)

    def tables(self) -> list[Table]:
        return [b for s in self.all_sections() for b in s.blocks if isinstance(b, Table)]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables() if t.key == key)

    def figures(self) -> list[Figure]:
        return [b for s in self.all_sections() for b in s.blocks if isinstance(b, Figure)]
