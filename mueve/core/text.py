import json
import unicodedata
from collections.abc import Callable

from django.utils.translation import gettext


def fold(text: str) -> str:
    """A comparison key: case, accents, spacing and punctuation ignored ("Concepción" == "concepcion")."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join("".join(ch if ch.isalnum() else " " for ch in plain.casefold()).split())


def has_lone_surrogates(data) -> bool:
    """True if decoded JSON holds a lone UTF-16 surrogate ("\\ud800"): valid JSON, but no text encoding
    (nor any database) can store it."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def plural_forms(forms: Callable[[int], str]) -> dict[str, str]:
    """Both forms of a counted phrase in the active language, for a script that shows a count it only learns later:
    `plural_forms(lambda n: ngettext("%(n)s reporte", "%(n)s reportes", n))` (a literal ngettext call, so that
    makemessages finds the phrase). The script takes "one" for 1 and "other" for any other number, 0 included,
    which is the plural rule of both of the platform's languages (Spanish and English)."""
    return {"one": forms(1), "other": forms(2)}


def too_long(limit: int, length: int) -> str:
    """The one message for a text over its limit, in forms, the API and services alike: it gives the limit and the
    length, so the person knows how much to cut (the text is refused, never cut without a word)."""
    return gettext("Máximo %(limit)d caracteres (tiene %(length)d).") % {"limit": limit, "length": length}
