import json
import unicodedata


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
