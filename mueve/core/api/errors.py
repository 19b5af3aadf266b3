"""Request-validation messages in the platform's language, keyed by pydantic's error types.

Pydantic writes its messages in English; API clients of a Spanish-first platform get them in
the active language (Spanish by default, English with `Accept-Language: en`).
"""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "missing": _("Obligatorio."),
    "greater_than_equal": _("Debe ser mayor o igual que %(ge)s."),
    "greater_than": _("Debe ser mayor que %(gt)s."),
    "less_than_equal": _("Debe ser menor o igual que %(le)s."),
    "less_than": _("Debe ser menor que %(lt)s."),
    # The same words as mueve.core.text.too_long (forms, services); MueveAPI adds the input's length.
    "string_too_long": _("Máximo %(max_length)s caracteres (tiene %(length)s)."),
    "string_too_short": _("Use al menos %(min_length)s caracteres."),
    "too_long": _("Use como máximo %(max_length)s elementos."),
    "string_type": _("Debe ser texto."),
    "int_parsing": _("Debe ser un número entero."),
    "int_type": _("Debe ser un número entero."),
    "int_from_float": _("Debe ser un número entero."),
    "float_parsing": _("Debe ser un número."),
    "float_type": _("Debe ser un número."),
    "finite_number": _("Debe ser un número finito."),
    "bool_parsing": _("Debe ser verdadero o falso (true/false)."),
    "bool_type": _("Debe ser verdadero o falso (true/false)."),
    "date_parsing": _("Debe ser una fecha AAAA-MM-DD."),
    "date_from_datetime_parsing": _("Debe ser una fecha AAAA-MM-DD."),
    "date_type": _("Debe ser una fecha AAAA-MM-DD."),
    "datetime_parsing": _("Debe ser una fecha y hora ISO 8601."),
    "datetime_from_date_parsing": _("Debe ser una fecha y hora ISO 8601."),
    "list_type": _("Debe ser una lista."),
    "dict_type": _("Debe ser un objeto JSON."),
    "model_type": _("Debe ser un objeto JSON."),
    "model_attributes_type": _("Debe ser un objeto JSON."),
    "enum": _("Valor no permitido. Use: %(expected)s."),
    "literal_error": _("Valor no permitido. Use: %(expected)s."),
}


def schema_error_message(error: dict) -> str:
    template = MESSAGES.get(error.get("type", ""))
    if error.get("type") == "string_too_long" and "length" not in (error.get("ctx") or {}):
        template = _("Máximo %(max_length)s caracteres.")
    if template is None:
        return str(error.get("msg", ""))
    context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    if "expected" in context:
        # Pydantic lists the values as "'a', 'b' or 'c'": the English "or" and the quotes go.
        context["expected"] = context["expected"].replace(" or ", ", ").replace("'", "")
    try:
        return str(template) % context
    except (KeyError, ValueError, TypeError):
        return str(error.get("msg", ""))
