"""Controlled vocabularies of the catalog, with the URIs that DCAT-AP 3 expects.

- Themes: the EU Publications Office data-theme authority table (DCAT-AP's `dcat:theme`).
- Frequencies: the EU frequency authority table (`dct:accrualPeriodicity`).
- Access rights: the EU access-right authority table (`dct:accessRights`).
- File types: the EU file-type authority table (`dct:format`), with IANA media types (`dcat:mediaType`).
- Licences: SPDX identifiers and their canonical URLs (`dct:license`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"


class Theme(models.TextChoices):
    AGRI = "AGRI", _("Agricultura, pesca, silvicultura y alimentación")
    ECON = "ECON", _("Economía y finanzas")
    EDUC = "EDUC", _("Educación, cultura y deporte")
    ENER = "ENER", _("Energía")
    ENVI = "ENVI", _("Medio ambiente")
    GOVE = "GOVE", _("Gobierno y sector público")
    HEAL = "HEAL", _("Salud")
    INTR = "INTR", _("Asuntos internacionales")
    JUST = "JUST", _("Justicia, sistema judicial y seguridad pública")
    REGI = "REGI", _("Regiones y ciudades")
    SOCI = "SOCI", _("Población y sociedad")
    TECH = "TECH", _("Ciencia y tecnología")
    TRAN = "TRAN", _("Transporte")


def theme_uri(code: str) -> str:
    return f"{EU_AUTHORITY}data-theme/{code}"


class Periodicity(models.TextChoices):
    # The values predate the catalog (Dublin Core terms); FREQUENCY_CODES maps them to the EU table.
    CONTINUOUS = "continuous", _("Continua (tiempo real)")
    DAILY = "daily", _("Diaria")
    WEEKLY = "weekly", _("Semanal")
    MONTHLY = "monthly", _("Mensual")
    ANNUAL = "annual", _("Anual")
    IRREGULAR = "irregular", _("Irregular")
    UNKNOWN = "unknown", _("Desconocida")


FREQUENCY_CODES = {
    Periodicity.CONTINUOUS: "CONT",
    Periodicity.DAILY: "DAILY",
    Periodicity.WEEKLY: "WEEKLY",
    Periodicity.MONTHLY: "MONTHLY",
    Periodicity.ANNUAL: "ANNUAL",
    Periodicity.IRREGULAR: "IRREG",
    Periodicity.UNKNOWN: "UNKNOWN",
}

# How old the data may be, in days, before it is late against its declared frequency (metadata quality).
FREQUENCY_MAX_AGE_DAYS = {
    Periodicity.CONTINUOUS: 1,
    Periodicity.DAILY: 2,
    Periodicity.WEEKLY: 8,
    Periodicity.MONTHLY: 32,
    Periodicity.ANNUAL: 366,
}


def frequency_uri(value: str) -> str:
    return f"{EU_AUTHORITY}frequency/{FREQUENCY_CODES.get(value, 'UNKNOWN')}"


class AccessRights(models.TextChoices):
    # PUBLIC: anyone downloads. REGISTERED: anyone with an approved key of the developer portal. RESTRICTED: only
    # keys of organizations under an active data-sharing agreement. NON_PUBLIC: inventoried, not distributed.
    PUBLIC = "public", _("Pública")
    REGISTERED = "registered", _("Con registro (clave de la API)")
    RESTRICTED = "restricted", _("Restringida (por convenio)")
    NON_PUBLIC = "non_public", _("No pública")


ACCESS_RIGHT_CODES = {
    AccessRights.PUBLIC: "PUBLIC",
    AccessRights.REGISTERED: "RESTRICTED",
    AccessRights.RESTRICTED: "RESTRICTED",
    AccessRights.NON_PUBLIC: "NON_PUBLIC",
}


def access_right_uri(value: str) -> str:
    return f"{EU_AUTHORITY}access-right/{ACCESS_RIGHT_CODES[value]}"


# EU file-type code -> (label, IANA media type).
FILE_TYPES = {
    "CSV": ("CSV", "text/csv"),
    "JSON": ("JSON", "application/json"),
    "GEOJSON": ("GeoJSON", "application/geo+json"),
    "XLSX": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "XLS": ("XLS", "application/vnd.ms-excel"),
    "ZIP": ("ZIP", "application/zip"),
    "GTFS": ("GTFS", "application/zip"),
    "PDF": ("PDF", "application/pdf"),
    "SHP": ("Shapefile", "application/zip"),
    "XML": ("XML", "application/xml"),
    "HTML": ("HTML", "text/html"),
    "RDF_TURTLE": ("Turtle", "text/turtle"),
    "JSON_LD": ("JSON-LD", "application/ld+json"),
    "BIN": ("GTFS-Realtime", "application/x-protobuf"),
    "OTHER": ("Otro", "application/octet-stream"),
}
# The EU table names GTFS-Realtime's protobuf as BIN and GTFS as a ZIP; the catalog keeps GTFS as a facet people
# search for, and exports it as ZIP.
FILE_TYPE_EXPORT = {"GTFS": "ZIP", "SHP": "SHP"}


def file_type_uri(code: str) -> str:
    return f"{EU_AUTHORITY}file-type/{FILE_TYPE_EXPORT.get(code, code)}"


# SPDX id -> (title, canonical URL). The open licences a Chilean public body uses, and the usual code licences.
LICENSES = {
    "CC-BY-4.0": ("Creative Commons Atribución 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": (
        "Creative Commons Atribución-CompartirIgual 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC0-1.0": ("Creative Commons Cero 1.0 (dominio público)", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODbL-1.0": ("Open Database License 1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
    "ODC-By-1.0": ("Open Data Commons Attribution 1.0", "https://opendatacommons.org/licenses/by/1-0/"),
    "PDDL-1.0": ("Open Data Commons Public Domain Dedication 1.0", "https://opendatacommons.org/licenses/pddl/1-0/"),
    "AGPL-3.0-or-later": ("GNU Affero GPL 3.0 o posterior", "https://www.gnu.org/licenses/agpl-3.0.html"),
    "other-closed": ("Uso sujeto a convenio", ""),
}
LICENSE_CHOICES = [("", _("Sin licencia declarada"))] + [(k, v[0]) for k, v in LICENSES.items()]


def license_url(spdx: str) -> str:
    entry = LICENSES.get(spdx)
    return (entry[1] if entry else "") or ""


def license_from_text(text: str) -> str:
    """The SPDX id a free-text licence (as the old inventory recorded them) names, or ""."""
    t = (text or "").upper().replace(" ", "").replace("-", "")
    for spdx in LICENSES:
        if spdx.upper().replace("-", "") == t:
            return spdx
    aliases = {"CCBY4.0": "CC-BY-4.0", "CCBY": "CC-BY-4.0", "CCBYSA4.0": "CC-BY-SA-4.0", "CC0": "CC0-1.0"}
    return aliases.get(t, "")
