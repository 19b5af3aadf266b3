"""The subset of the NGSI-LD query language (ETSI GS CIM 009 §4.9) and geo-query (§4.10) the API takes.

q: terms `attr<op>value` joined by `;` (AND), op one of == != >= <= > <; value a number, a "quoted string", true
or false. An entity without the attribute does not match. georel: `near;maxDistance==<metres>` (and/or
`minDistance`) with geometry=Point and coordinates=[lon,lat]; matches are ordered nearest first.
"""

import json
import math
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from mueve.sensors.ngsild.representation import attribute_value


class BadQuery(ValueError):
    pass


OPERATORS = ("==", "!=", ">=", "<=", ">", "<")
_TERM = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(==|!=|>=|<=|>|<)(.+)$")


@dataclass(frozen=True)
class Term:
    attr: str
    op: str
    value: object


def _literal(raw: str):
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        return raw[1:-1]
    if raw in ("true", "false"):
        return raw == "true"
    try:
        number = float(raw)
    except ValueError:
        raise BadQuery(
            _('Valor «%(value)s» no válido en q: use un número, true, false o "texto".') % {"value": raw}
        ) from None
    if not math.isfinite(number):
        raise BadQuery(_("Valor no finito en q."))
    return number


def parse_q(text: str) -> list[Term]:
    if len(text) > 1000:
        raise BadQuery(_("La consulta q es demasiado larga."))
    terms = []
    for part in text.split(";"):
        match = _TERM.match(part.strip())
        if not match:
            raise BadQuery(
                _("Expresión «%(term)s» no válida en q: use atributo, operador y valor.") % {"term": part[:80]}
            )
        terms.append(Term(match.group(1), match.group(2), _literal(match.group(3))))
    return terms


def _compare(left, op: str, right) -> bool:
    if isinstance(left, bool) and isinstance(right, float):
        left = float(left)
    if isinstance(right, bool) and isinstance(left, int | float) and not isinstance(left, bool):
        right = float(right)
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    if type(left) is not type(right) and not (isinstance(left, int | float) and isinstance(right, int | float)):
        return False
    try:
        return {">": left > right, "<": left < right, ">=": left >= right, "<=": left <= right}[op]
    except TypeError:
        return False


def matches(body: dict, terms: list[Term]) -> bool:
    for term in terms:
        value = attribute_value(body, term.attr)
        if value is None or not _compare(value, term.op, term.value):
            return False
    return True


@dataclass(frozen=True)
class Near:
    lon: float
    lat: float
    max_distance: float | None
    min_distance: float | None

    def distance(self, lon: float, lat: float) -> float:
        """Metres along the great circle (haversine)."""
        p1, p2 = math.radians(self.lat), math.radians(lat)
        dp, dl = p2 - p1, math.radians(lon - self.lon)
        a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        return 2 * 6_371_008.8 * math.asin(min(1.0, math.sqrt(a)))

    def accepts(self, distance: float) -> bool:
        if self.max_distance is not None and distance > self.max_distance:
            return False
        return not (self.min_distance is not None and distance < self.min_distance)


def parse_georel(georel: str, geometry: str, coordinates: str) -> Near:
    parts = [p.strip() for p in georel.split(";")]
    if parts[0] != "near":
        raise BadQuery(_("Solo se admite georel=near (con maxDistance o minDistance)."))
    if geometry != "Point":
        raise BadQuery(_("georel=near requiere geometry=Point."))
    limits = {}
    for part in parts[1:]:
        name, sep, raw = part.partition("==")
        if not sep or name not in ("maxDistance", "minDistance"):
            raise BadQuery(_("Modificador «%(part)s» no válido en georel.") % {"part": part[:40]})
        try:
            limits[name] = float(raw)
        except ValueError:
            raise BadQuery(_("La distancia de georel debe ser un número de metros.")) from None
        if not math.isfinite(limits[name]) or limits[name] < 0:
            raise BadQuery(_("La distancia de georel debe ser un número de metros."))
    if not limits:
        raise BadQuery(_("georel=near requiere maxDistance o minDistance."))
    try:
        lon, lat = json.loads(coordinates)
        lon, lat = float(lon), float(lat)
    except (ValueError, TypeError):
        raise BadQuery(_("coordinates debe ser [longitud,latitud].")) from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise BadQuery(_("coordinates fuera de rango: [longitud,latitud]."))
    return Near(lon, lat, limits.get("maxDistance"), limits.get("minDistance"))
