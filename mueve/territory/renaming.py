"""Adapting a text written for one place to another, for copies that travel between regions (a programme made from
a template, a report catalogue copied from another jurisdiction).

A `Renaming` knows the origin's place names (its own, its region's, its communes') and what each becomes, and the
names that have no counterpart in the new place (landmarks, areas: "Plaza Independencia"). In a one-line text
(a title, a name) every origin name becomes the new place's; in a text of several lines (an agenda, a description)
a line naming a landmark or an area is dropped, as it describes something the new place does not have.

Spanish puts an article before some names and not others: "del Gran Concepción" becomes "de Temuco", and "de
Temuco" becomes "del Gran Valparaíso". Names are found whatever their accents ("Concepcion" too), with the case
of their first letter as written, so that a common word ("la concepción del hub") is left alone.
"""

import re
import unicodedata
from dataclasses import dataclass, field

# The article a place name takes by its first word: "el Gran Concepción", "la Región de Valparaíso".
_ARTICLE_BY_FIRST_WORD = {
    "gran": "el",
    "región": "la",
    "region": "la",
    "provincia": "la",
    "área": "la",
    "area": "la",
    "zona": "la",
    "comuna": "la",
    "ciudad": "la",
    "municipalidad": "la",
    "intendencia": "la",
    "gobernación": "la",
}
# What a preposition and an article before a name make together.
_CONTRACTIONS = {
    ("de", "el"): "del",
    ("a", "el"): "al",
    ("en", "el"): "en el",
    ("", "el"): "el",
    ("de", "la"): "de la",
    ("a", "la"): "a la",
    ("en", "la"): "en la",
    ("", "la"): "la",
}
# A word before an origin name, and the preposition it carries ("del" is "de" + "el").
_PREPOSITION_OF = {"del": "de", "al": "a", "el": "", "la": "", "de": "de", "a": "a", "en": "en"}
_VARIANTS = {"a": "aáàä", "e": "eéèë", "i": "iíìï", "o": "oóòö", "u": "uúùü", "n": "nñ"}


def article_of(name: str) -> str:
    words = name.split()
    return _ARTICLE_BY_FIRST_WORD.get(words[0].lower(), "") if words else ""


def _base(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))


def _name_pattern(name: str) -> str:
    """A regex for `name` whatever its accents and spacing ("Concepcion", "Gran  Concepción")."""
    parts = []
    for ch in name:
        if ch.isspace():
            if not parts or parts[-1] != r"\s+":
                parts.append(r"\s+")
            continue
        base = _base(ch).lower()
        variants = _VARIANTS.get(base)
        if variants is None:
            parts.append(re.escape(ch))
        else:
            variants = variants.upper() if ch.isupper() else variants
            parts.append(f"[{variants}]")
    return "".join(parts)


def _with_preposition(preposition: str, new: str) -> str:
    article = article_of(new)
    joined = _CONTRACTIONS.get((preposition, article), preposition) if article else preposition
    return f"{joined} {new}" if joined else new


@dataclass(frozen=True)
class Renaming:
    """Origin names → new names (`places`), and origin names with no counterpart (`landmarks`), which become
    `target` in a one-line text and take their line with them in a longer one."""

    target: str
    places: tuple[tuple[str, str], ...] = ()
    landmarks: tuple[str, ...] = ()
    _names: tuple[str, ...] = field(default=(), init=False, compare=False, repr=False)
    _new: dict = field(default_factory=dict, init=False, compare=False, repr=False)
    _pattern: re.Pattern | None = field(default=None, init=False, compare=False, repr=False)
    _landmark_pattern: re.Pattern | None = field(default=None, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        places = {old.strip(): (new or "").strip() for old, new in self.places if old and old.strip()}
        landmarks = tuple(dict.fromkeys(n.strip() for n in self.landmarks if n and n.strip()))
        landmarks = tuple(n for n in landmarks if n not in places)
        names = tuple(sorted([*places, *landmarks], key=lambda n: (-len(n), n)))
        set_ = object.__setattr__
        set_(self, "places", tuple(places.items()))
        set_(self, "landmarks", landmarks)
        set_(self, "_names", names)
        set_(self, "_new", {name: places.get(name, self.target) for name in names})
        if not names:
            return
        alternatives = "|".join(f"(?P<n{i}>{_name_pattern(name)})" for i, name in enumerate(names))
        words = "|".join(sorted(_PREPOSITION_OF, key=len, reverse=True))
        set_(self, "_pattern", re.compile(rf"(?<!\w)(?:(?P<word>(?i:{words}))\s+)?(?:{alternatives})(?!\w)"))
        if landmarks:
            either = "|".join(_name_pattern(n) for n in landmarks)
            set_(self, "_landmark_pattern", re.compile(rf"(?<!\w)(?:{either})(?!\w)"))

    @classmethod
    def of_pairs(cls, pairs, *, target: str = "") -> "Renaming":
        return cls(target=target, places=tuple(pairs))

    def merged(self, other: "Renaming") -> "Renaming":
        """This renaming with `other`'s pairs on top (other's wins for the same origin name)."""
        mapping = dict(self.places)
        mapping.update(other.places)
        landmarks = tuple(n for n in (*self.landmarks, *other.landmarks) if n not in mapping)
        return Renaming(target=other.target or self.target, places=tuple(mapping.items()), landmarks=landmarks)

    def _replace(self, match: re.Match) -> str:
        new = self._new[self._names[int(match.lastgroup[1:])]]  # the name's group closes last
        word = match.group("word")
        if word is None:
            return new
        # An article or a preposition right before a place name goes with the name: "del Biobío" is "de" + "el".
        preposition = _PREPOSITION_OF[word.lower()]
        replaced = _with_preposition(preposition, new)
        return replaced[:1].upper() + replaced[1:] if word[:1].isupper() else replaced

    def line(self, text: str) -> str:
        """A one-line text (a title, a name) with every origin name replaced."""
        if not text or self._pattern is None:
            return text
        return self._pattern.sub(self._replace, text)

    def text(self, text: str) -> str:
        """A text of several lines: lines naming a landmark or an area of the origin are dropped, the others
        renamed."""
        if not text or self._pattern is None:
            return text
        landmark = self._landmark_pattern
        kept = [line for line in text.split("\n") if landmark is None or not landmark.search(line)]
        return self.line("\n".join(kept))

    def value(self, value):
        """Strings, lists and dicts (a workshop's structure) with their one-line texts renamed; keys kept."""
        if isinstance(value, str):
            return self.line(value)
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, dict):
            return {key: self.value(item) for key, item in value.items()}
        return value

    def leftovers(self, text: str) -> list[str]:
        """The origin names still in `text` (none after `line` or `text`, unless a new name repeats an old one)."""
        if not text:
            return []
        return [name for name in self._names if re.search(rf"(?<!\w){_name_pattern(name)}(?!\w)", text)]

    @property
    def names(self) -> tuple[str, ...]:
        return self._names

    def __bool__(self) -> bool:
        return bool(self._names)
