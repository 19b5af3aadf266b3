"""Reading an action's parameters as CKAN does: a POST sends them typed in a JSON object, a GET as query-string
text (lists and objects JSON-encoded, or a list as repeated parameters). Every bad value becomes a Validation
Error naming its parameter."""

import json

from django.utils.translation import gettext as _

from mueve.datasets.ckan.errors import invalid

TRUE = {"true", "1", "yes", "on", "t", "y"}
FALSE = {"false", "0", "no", "off", "f", "n", ""}


def integer(data: dict, name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    """A natural number; above `maximum` it is capped, as CKAN caps `rows` and `limit` to their configured maxima."""
    value = data.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise invalid(name, _("Debe ser un número entero."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise invalid(name, _("Debe ser un número entero.")) from None
    if not isinstance(value, int):
        raise invalid(name, _("Debe ser un número entero."))
    if value < minimum:
        raise invalid(name, _("Debe ser un número entero mayor o igual que %(n)s.") % {"n": minimum})
    if maximum is not None and value > maximum:
        return maximum
    return value


def boolean(data: dict, name: str, default: bool) -> bool:
    value = data.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise invalid(name, _("Debe ser verdadero o falso (true o false)."))


def text(data: dict, name: str, default: str = "") -> str:
    value = data.get(name)
    if value is None:
        return default
    if isinstance(value, list):  # the same parameter twice in a query string
        value = value[-1]
    if not isinstance(value, str | int | float):
        raise invalid(name, _("Debe ser un texto."))
    return str(value)


def json_value(data: dict, name: str):
    """A parameter that a GET sends JSON-encoded; a POST may send it as it is."""
    value = data.get(name)
    if isinstance(value, str):
        stripped = value.strip()
        if stripped[:1] in ("[", "{", '"'):
            try:
                return json.loads(stripped)
            except ValueError:
                raise invalid(name, _("No es JSON válido.")) from None
    return value


def string_list(data: dict, name: str, *, comma: bool = False) -> list[str] | None:
    """A list of names: a JSON list, repeated parameters, or (where CKAN allows it) one comma-separated text."""
    value = json_value(data, name)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",")] if comma else [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise invalid(name, _("Debe ser una lista de nombres."))
    return [v for v in value if v]


def json_object(data: dict, name: str) -> dict | None:
    value = json_value(data, name)
    if value is None or value == "":
        return None
    if not isinstance(value, dict):
        raise invalid(name, _("Debe ser un objeto JSON (campo: valor)."))
    return value


def required(data: dict, name: str) -> str:
    value = text(data, name).strip()
    if not value:
        raise invalid(name, _("Falta el valor"))
    return value
