"""Text the dossier's sections share: paragraphs, institution labels, Spanish dates and numbers,
and the one-column-per-sector table of Tables 2 and 9."""

import itertools
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mueve.portal.dossier.document import Paragraph, Row, Table
from mueve.stakeholders.models import Organization, Sector

SECTOR_COLUMNS = [Sector.GOVERNMENT, Sector.PRIVATE, Sector.ACADEMIA, Sector.CIVIL_SOCIETY]


def paragraphs_of(text: str) -> list[Paragraph]:
    return [Paragraph(p.strip()) for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]


def org_label(org: Organization | None) -> str:
    if org is None:
        return ""
    label = org.name
    if org.acronym and org.acronym.lower() not in org.name.lower():
        label = f"{org.name} ({org.acronym})"
    return label + ("*" if org.is_international else "")


def day_text(value: date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def month_text(value: date | None) -> str:
    return date_format(value, "YEAR_MONTH_FORMAT") if value else ""


def period_text(start: date | None, end: date | None) -> str:
    if start and end and (start.year, start.month) == (end.year, end.month):
        return month_text(start)
    if start and end:
        return _("%(start)s – %(end)s") % {"start": month_text(start), "end": month_text(end)}
    return month_text(start or end)


def number_text(value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")  # Spanish: 1.234,5


def sector_table(key: str, caption: str, orgs: list[Organization], note: str = "") -> Table:
    """Table 2/9 style: one column per sector, institutions listed down each column.

    International bodies get their own column only when there are some (Table 9 marks them with *).
    """
    sectors = list(SECTOR_COLUMNS)
    by_sector: dict[str, list[str]] = {s: [] for s in sectors}
    for org in sorted(set(orgs), key=lambda o: o.name):
        if org.sector not in by_sector:
            sectors.append(org.sector)
            by_sector[org.sector] = []
        by_sector[org.sector].append(org_label(org))
    if orgs:  # a component run with one sector (officials only) should not print empty columns
        sectors = [s for s in sectors if by_sector[s]]
    columns = [str(Sector(s).label) if s in Sector.values else s for s in sectors]
    rows = [Row(list(cells)) for cells in itertools.zip_longest(*[by_sector[s] for s in sectors], fillvalue="")]
    if any(o.is_international for o in orgs):
        note = (note + " " if note else "") + _("* Socio internacional o multinacional.")
    return Table(key, caption, columns, rows, (1,) * len(sectors), note=note)
