"""Turning a device's message into readings: JSON attributes, or SenML (RFC 8428) JSON.

JSON attributes: {"power": 0, "illuminance": 3.5, "observedAt": "2026-12-06T03:00:00Z"}, a value may also be
{"value": 3.5, "unit": "lx", "observedAt": ...}. Without a time, the reading is taken now.
SenML: a JSON array of records; base name, time, unit and value (bn, bt, bu, bv) apply to the records after
them; a record's name is the base name plus its name, and the metric is its last part (after ':' or '/');
`v` is a number, `vb` a boolean (stored as 1 or 0); `t` and `bt` are seconds since the epoch, or relative to now
when under 2**28 (RFC 8428 section 4.5.3).
"""

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils.dateparse import parse_datetime

from mueve.sensors.metrics import METRICS
from mueve.sensors.models import RejectedReading

Reason = RejectedReading.Reason
SENML_RELATIVE_LIMIT = 2**28


@dataclass(frozen=True)
class Value:
    metric: str
    time: datetime
    value: float
    unit: str


@dataclass(frozen=True)
class Problem:
    reason: str
    detail: str


class Malformed(ValueError):
    pass


def _number(raw, metric: str) -> float:
    if isinstance(raw, bool):
        return 1.0 if raw else 0.0
    if not isinstance(raw, int | float):
        raise Malformed(f"{metric}: el valor no es un número")
    return float(raw)


def _time(raw, now: datetime) -> datetime:
    if raw is None:
        return now
    if isinstance(raw, bool):
        raise Malformed("el momento no es una fecha")
    if isinstance(raw, int | float):
        if not math.isfinite(raw):
            raise Malformed("el momento no es finito")
        if abs(raw) < SENML_RELATIVE_LIMIT:
            return now + timedelta(seconds=raw)
        return datetime.fromtimestamp(raw, tz=UTC)
    if isinstance(raw, str):
        parsed = parse_datetime(raw)
        if parsed is None:
            raise Malformed(f"momento ilegible: {raw[:40]}")
        if parsed.tzinfo is None:
            raise Malformed("el momento no indica su zona horaria")
        return parsed
    raise Malformed("el momento no es una fecha")


def _check(metric: str, value: float, unit: str | None, time: datetime, problems: list[Problem], out: list[Value]):
    spec = METRICS.get(metric)
    if spec is None:
        problems.append(Problem(Reason.UNKNOWN_METRIC, metric[:60]))
    elif not math.isfinite(value):
        problems.append(Problem(Reason.NOT_FINITE, metric))
    elif unit not in (None, "", spec.unit):
        problems.append(Problem(Reason.UNIT, f"{metric}: «{str(unit)[:12]}», se espera «{spec.unit}»"))
    elif not spec.low <= value <= spec.high:
        problems.append(Problem(Reason.RANGE, f"{metric}: {value:g} fuera de [{spec.low:g}, {spec.high:g}]"))
    else:
        out.append(Value(metric=metric, time=time.astimezone(UTC), value=value, unit=spec.unit))


def _attrs(doc: dict, now: datetime) -> tuple[list[Value], list[Problem]]:
    out: list[Value] = []
    problems: list[Problem] = []
    shared_time = _time(doc.get("observedAt"), now)
    for name, raw in doc.items():
        if name in ("observedAt", "id", "type"):
            continue
        try:
            if isinstance(raw, dict):
                value = _number(raw.get("value"), name)
                unit = raw.get("unit")
                time = _time(raw.get("observedAt"), now) if "observedAt" in raw else shared_time
            else:
                value, unit, time = _number(raw, name), None, shared_time
        except Malformed as exc:
            problems.append(Problem(Reason.MALFORMED, str(exc)))
            continue
        _check(name, value, unit, time, problems, out)
    return out, problems


def _senml(records: list, now: datetime) -> tuple[list[Value], list[Problem]]:
    out: list[Value] = []
    problems: list[Problem] = []
    base_name, base_time, base_unit, base_value = "", 0.0, None, 0.0
    for record in records:
        if not isinstance(record, dict):
            problems.append(Problem(Reason.MALFORMED, "un registro SenML no es un objeto"))
            continue
        try:
            if "bn" in record:
                base_name = str(record["bn"])
            if "bt" in record:
                base_time = _number(record["bt"], "bt")
            if "bu" in record:
                base_unit = record["bu"]
            if "bv" in record:
                base_value = _number(record["bv"], "bv")
            name = base_name + str(record.get("n", ""))
            metric = name.replace("/", ":").rsplit(":", 1)[-1]
            if "vb" in record:
                if not isinstance(record["vb"], bool):
                    raise Malformed(f"{metric}: vb no es booleano")
                value = 1.0 if record["vb"] else 0.0
            elif "v" in record:
                value = base_value + _number(record["v"], metric)
            elif "bn" in record and "n" not in record:
                continue  # a record of base fields only
            else:
                raise Malformed(f"{metric or '?'}: registro sin valor")
            t = base_time + (_number(record["t"], "t") if "t" in record else 0.0)
            if abs(base_time) >= SENML_RELATIVE_LIMIT or abs(t) >= SENML_RELATIVE_LIMIT:
                time = _time(t, now)
            else:
                time = now + timedelta(seconds=t)
        except Malformed as exc:
            problems.append(Problem(Reason.MALFORMED, str(exc)))
            continue
        _check(metric, value, record.get("u", base_unit), time, problems, out)
    return out, problems


def parse(payload: bytes | str, *, now: datetime) -> tuple[list[Value], list[Problem]]:
    """The readings in a message, and what in it could not be read (each with its reason)."""
    try:
        doc = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as exc:
        return [], [Problem(Reason.MALFORMED, f"JSON inválido: {str(exc)[:120]}")]
    if isinstance(doc, list):
        if not doc:
            return [], [Problem(Reason.MALFORMED, "SenML vacío")]
        return _senml(doc, now)
    if isinstance(doc, dict):
        if not doc:
            return [], [Problem(Reason.MALFORMED, "mensaje sin atributos")]
        try:
            return _attrs(doc, now)
        except Malformed as exc:
            return [], [Problem(Reason.MALFORMED, str(exc))]
    return [], [Problem(Reason.MALFORMED, "se espera un objeto JSON o una lista SenML")]
