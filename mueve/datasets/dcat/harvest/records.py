"""What a source says about one dataset, in the catalog's own terms, whichever the source's language (CKAN or DCAT).

The readers (`ckan`, `rdf`) build these; `run` writes them. Values are already mapped to the catalog's vocabularies
(SPDX licences, EU theme codes, the platform's frequency and access values).
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_naive, make_aware

from mueve.datasets.models.vocab import (
    ACCESS_RIGHT_CODES,
    FILE_TYPES,
    FREQUENCY_CODES,
    LICENSES,
    AccessRights,
    Periodicity,
    Theme,
    license_from_text,
)


@dataclass
class HarvestedDistribution:
    identifier: str
    title: str
    access_url: str
    description: str = ""
    kind: str = "file"
    format: str = ""
    media_type: str = ""
    byte_size: int | None = None
    checksum_sha256: str = ""


@dataclass
class HarvestedDataset:
    identifier: str
    title: str
    name: str = ""  # the source's short name (CKAN `name`): the base of the local slug
    description: str = ""
    publisher_name: str = ""
    keywords: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    license: str = ""
    landing_page: str = ""
    version: str = ""
    accrual_periodicity: str = Periodicity.UNKNOWN
    access_rights: str = AccessRights.PUBLIC
    contact_name: str = ""
    contact_email: str = ""
    bbox: tuple[float, float, float, float] | None = None
    temporal_start: date | None = None
    temporal_end: date | None = None
    issued: datetime | None = None
    modified: datetime | None = None
    distributions: list[HarvestedDistribution] = field(default_factory=list)


# --- mapping the sources' values onto the catalog's -------------------------------------------------------------

_FREQUENCY_BY_CODE = {code: value for value, code in FREQUENCY_CODES.items()}
# A source that says RESTRICTED does not say under which terms: the catalog treats it as restricted (by agreement).
_ACCESS_BY_CODE = {
    "PUBLIC": AccessRights.PUBLIC,
    "RESTRICTED": AccessRights.RESTRICTED,
    "NON_PUBLIC": AccessRights.NON_PUBLIC,
}
_LICENSE_BY_URL = {url.rstrip("/").split("://", 1)[-1]: spdx for spdx, (_t, url) in LICENSES.items() if url}
# CKAN's own licence ids (its default licence list) -> SPDX.
_CKAN_LICENSES = {
    "cc-by": "CC-BY-4.0",
    "cc-by-4.0": "CC-BY-4.0",
    "cc-by-sa": "CC-BY-SA-4.0",
    "cc-zero": "CC0-1.0",
    "odc-odbl": "ODbL-1.0",
    "odc-by": "ODC-By-1.0",
    "odc-pddl": "PDDL-1.0",
}
_FILE_TYPE_ALIASES = {"GEO+JSON": "GEOJSON", "JSONLD": "JSON_LD", "JSON-LD": "JSON_LD", "TTL": "RDF_TURTLE"}


def last_segment(value: str) -> str:
    return value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def frequency(value: str) -> str:
    value = (value or "").strip()
    if value in Periodicity.values:
        return value
    return _FREQUENCY_BY_CODE.get(last_segment(value).upper(), Periodicity.UNKNOWN)


def access_rights(value: str) -> str:
    value = (value or "").strip()
    if value in ACCESS_RIGHT_CODES:
        return value
    return _ACCESS_BY_CODE.get(last_segment(value).upper(), AccessRights.PUBLIC) if value else AccessRights.PUBLIC


def license_id(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if value in LICENSES:
        return value
    if "://" in value:
        return _LICENSE_BY_URL.get(value.rstrip("/").split("://", 1)[-1], "")
    return _CKAN_LICENSES.get(value.lower()) or license_from_text(value)


def theme_codes(values) -> list[str]:
    codes = []
    for value in values:
        code = last_segment(str(value)).upper()
        if code in Theme.values and code not in codes:
            codes.append(code)
    return codes


def file_type(value: str) -> str:
    code = last_segment((value or "").strip()).upper().lstrip(".")
    code = _FILE_TYPE_ALIASES.get(code, code)
    return code if code in FILE_TYPES else ("OTHER" if code else "")


def media_type(value: str) -> str:
    value = (value or "").strip()
    if "/media-types/" in value:
        value = value.split("/media-types/", 1)[1]
    return value[:100] if re.fullmatch(r"[\w.+-]+/[\w.+-]+", value) else ""


def when(value) -> datetime | None:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    else:
        text = str(value or "").strip()
        parsed = parse_datetime(text) if "T" in text or " " in text else None
        if parsed is None and (day := _date(text)):
            parsed = datetime(day.year, day.month, day.day)
    if parsed is not None and is_naive(parsed):
        parsed = make_aware(parsed)
    return parsed


def day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return _date(str(value or "").strip()[:10])


def _date(text: str) -> date | None:
    try:
        return parse_date(text[:10]) if text else None
    except ValueError:
        return None


def bbox_from_wkt(text: str) -> tuple[float, float, float, float] | None:
    """The box around a WKT polygon (lon lat pairs), or None."""
    numbers = re.findall(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?", text or "")
    if not text.strip().upper().startswith(("POLYGON", "<")) or len(numbers) < 6 or len(numbers) % 2:
        return None
    lons, lats = [float(n) for n in numbers[0::2]], [float(n) for n in numbers[1::2]]
    return _box(lons, lats)


def bbox_from_geojson(geometry) -> tuple[float, float, float, float] | None:
    points: list[tuple[float, float]] = []

    def walk(coords):
        if (
            isinstance(coords, list | tuple)
            and len(coords) >= 2
            and all(isinstance(c, int | float) for c in coords[:2])
        ):
            points.append((float(coords[0]), float(coords[1])))
        elif isinstance(coords, list | tuple):
            for item in coords:
                walk(item)

    if isinstance(geometry, dict):
        walk(geometry.get("coordinates"))
    if not points:
        return None
    return _box([p[0] for p in points], [p[1] for p in points])


def _box(lons: list[float], lats: list[float]) -> tuple[float, float, float, float] | None:
    box = (min(lons), min(lats), max(lons), max(lats))
    if not (-180 <= box[0] <= box[2] <= 180 and -90 <= box[1] <= box[3] <= 90):
        return None
    return box
