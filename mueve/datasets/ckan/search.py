"""`package_search` over the published catalog: the text query, CKAN's filter queries (`fq`), sorting and facets.

`fq` (and field clauses inside `q`) take the Solr syntax CKAN clients send: clauses separated by spaces, all of
which must hold; each `field:value`, `field:"two words"`, `field:(a OR b)` or `field:[from TO to]` (dates; `*` for
open), with `-` in front to exclude and `+` accepted. Fields: organization, tags, res_format, license_id, groups
(the DCAT themes), access_rights (or access), name, id, metadata_modified, metadata_created, and dataset_type /
state (every published dataset is an active "dataset").

The text match itself is `text_search`, through the catalog's full-text search (mueve.datasets.fulltext).
"""

import re
from collections import Counter
from datetime import datetime

from django.db.models import Case, Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Concat, Lower, Replace
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from mueve.datasets import fulltext
from mueve.datasets.ckan.errors import SearchQueryFailed, invalid
from mueve.datasets.ckan.serializers import format_label
from mueve.datasets.models import AccessRights, Dataset, Distribution, Theme
from mueve.datasets.models.vocab import FILE_TYPES, LICENSES
from mueve.stakeholders.models import Organization

FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id", "access_rights", "access")
DEFAULT_SORT = "score desc, metadata_modified desc"
SORT_FIELDS = {
    "score": "score",
    "metadata_modified": "updated_at",
    "metadata_created": "created_at",
    "title_string": "title",
    "title": "title",
    "name": "slug",
    "id": "uuid",
}
CLAUSE = re.compile(r'([+-]?)([A-Za-z_.]+):("[^"]*"|\[[^\]]*\]|\([^)]*\)|\S+)')
WORD = re.compile(r'"[^"]*"|\S+')


def published() -> QuerySet[Dataset]:
    return Dataset.objects.filter(status=Dataset.Status.PUBLISHED)


def text_search(queryset: QuerySet[Dataset], q: str) -> QuerySet[Dataset]:
    """Datasets of `queryset` whose search text holds every word of `q` (the catalog's full-text search:
    datasets.fulltext, FTS5 on SQLite, tsvector on PostgreSQL, accents folded), with a `score` to rank them (words
    found in the title count)."""
    words = [w.strip('"') for w in WORD.findall(q) if w.strip('"')]
    matching = fulltext.match(" ".join(words)) if words else None
    if matching is not None:
        queryset = queryset.filter(matching)
    if not words:
        return queryset.annotate(score=Value(0, output_field=IntegerField()))
    score = sum(
        (Case(When(title__icontains=w, then=Value(1)), default=Value(0), output_field=IntegerField()) for w in words),
        start=Value(0, output_field=IntegerField()),
    )
    return queryset.annotate(score=score)


# --- filter queries ------------------------------------------------------------------------------------------------


def _values(raw: str) -> list[str]:
    if raw.startswith("(") and raw.endswith(")"):
        parts = re.split(r"\s+OR\s+", raw[1:-1].strip())
        return [p.strip().strip('"') for p in parts if p.strip().strip('"')]
    return [raw.strip('"')]


def _moment(text: str, *, end: bool) -> datetime | None:
    text = text.strip()
    if text == "*":
        return None
    text = re.sub(r"(?i)Z$", "+00:00", text.split("/")[0])  # Solr date math ("NOW/DAY") is not understood
    moment = parse_datetime(text)
    if moment is None and (day := parse_date(text)) is not None:
        moment = datetime.combine(day, datetime.max.time() if end else datetime.min.time())
    if moment is None:
        raise SearchQueryFailed(_("fecha no válida en el filtro: %(value)s") % {"value": text})
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, timezone.UTC)


def _range(column: str, raw: str) -> Q:
    inner = raw[1:-1].split(" TO ")
    if len(inner) != 2:
        raise SearchQueryFailed(_("un rango se escribe [desde TO hasta]: %(value)s") % {"value": raw})
    q = Q()
    if (start := _moment(inner[0], end=False)) is not None:
        q &= Q(**{f"{column}__gte": start})
    if (stop := _moment(inner[1], end=True)) is not None:
        q &= Q(**{f"{column}__lte": stop})
    return q


def _list_member(column: str, value: str) -> Q:
    """The comma-separated `column` (keywords, themes) has `value` as one of its items (annotation `_<column>`)."""
    return Q(**{f"_{column}__contains": f",{value.strip().lower()},"})


def _normalized_list(column: str):
    spaced = Replace(Replace(Lower(column), Value(", "), Value(",")), Value(" ,"), Value(","))
    return Concat(Value(","), spaced, Value(","))


def _format_codes(value: str) -> list[str]:
    wanted = value.lower()
    codes = [code for code, (label, _media) in FILE_TYPES.items() if wanted in (code.lower(), label.lower())]
    return codes or [value]


def _clause(field: str, raw: str) -> Q:
    if raw.startswith("[") and raw.endswith("]"):
        if field not in ("metadata_modified", "metadata_created"):
            raise SearchQueryFailed(_("el campo %(field)s no admite rangos") % {"field": field})
        return _range(SORT_FIELDS[field], raw)
    q = Q()
    for value in _values(raw):
        if field == "organization":
            q |= Q(publisher__slug=value)
        elif field == "tags":
            q |= _list_member("keyword", value)
        elif field == "groups":
            q |= _list_member("themes", value)
        elif field == "res_format":
            q |= Exists(Distribution.objects.filter(dataset=OuterRef("pk"), format__in=_format_codes(value)))
        elif field == "license_id":
            q |= Q(license__iexact=value)
        elif field in ("access_rights", "access"):
            q |= Q(access_rights=value)
        elif field == "name":
            q |= Q(slug=value)
        elif field == "id":
            q |= Q(uuid=value) if _is_uuid(value) else Q(pk__in=[])
        elif field in ("dataset_type", "type"):
            q |= Q() if value == "dataset" else Q(pk__in=[])
        elif field == "state":
            q |= Q() if value == "active" else Q(pk__in=[])
        else:
            raise SearchQueryFailed(_("campo desconocido en el filtro: %(field)s") % {"field": field})
    return q


def _is_uuid(value: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-fA-F-]{32,36}", value))


def split_query(q: str) -> tuple[str, list[tuple[str, str, str]]]:
    """`q`'s free text, and the `field:value` clauses it holds for a field the catalog knows."""
    known = set(FACET_FIELDS) | set(SORT_FIELDS) | {"dataset_type", "type", "state"}
    clauses = []

    def keep(match):
        if match.group(2) in known:
            clauses.append(match.groups())
            return " "
        return match.group(0)

    text = CLAUSE.sub(keep, q or "")
    if text.strip() in ("*:*", "*"):
        text = ""
    return text.strip(), clauses


def filter_clauses(fq: str) -> list[tuple[str, str, str]]:
    clauses = []
    rest = CLAUSE.sub(lambda m: clauses.append(m.groups()) or " ", fq or "")
    rest = rest.replace("AND", " ").strip()
    if rest and rest != "*:*":
        raise SearchQueryFailed(_("no se entiende esta parte del filtro: %(rest)s") % {"rest": rest})
    return clauses


def matching(q: str, fq: str) -> QuerySet[Dataset]:
    text, clauses = split_query(q)
    clauses += filter_clauses(fq)
    queryset = text_search(published(), text)
    fields = {field for _sign, field, _raw in clauses}
    if "tags" in fields:
        queryset = queryset.annotate(_keyword=_normalized_list("keyword"))
    if "groups" in fields:
        queryset = queryset.annotate(_themes=_normalized_list("themes"))
    for sign, field, raw in clauses:
        condition = _clause(field, raw)
        queryset = queryset.exclude(condition) if sign == "-" else queryset.filter(condition)
    return queryset


# --- sorting -------------------------------------------------------------------------------------------------------


def ordered(queryset: QuerySet[Dataset], sort: str) -> QuerySet[Dataset]:
    order = []
    for part in (sort or DEFAULT_SORT).split(","):
        words = part.split()
        if not words:
            continue
        if len(words) > 2 or words[0] not in SORT_FIELDS or (len(words) == 2 and words[1] not in ("asc", "desc")):
            raise invalid(
                "sort",
                _("No se puede ordenar por «%(part)s». Use uno de %(fields)s, con asc o desc.")
                % {"part": part.strip(), "fields": ", ".join(SORT_FIELDS)},
            )
        column = SORT_FIELDS[words[0]]
        order.append(f"-{column}" if len(words) == 2 and words[1] == "desc" else column)
    return queryset.order_by(*order, "pk")


# --- facets --------------------------------------------------------------------------------------------------------


def catalog_stamp() -> list:
    """Changes whenever the published catalog does (a dataset or a distribution saved, added or removed, a dataset
    published or withdrawn): the key under which facet counts are kept for a while (settings
    MUEVE_CKAN_FACET_CACHE_SECONDS, 60 by default, 0 for none). Counting facets over every dataset is the one part
    of a search that grows with the catalog; Solr keeps them cached too."""
    datasets = published().aggregate(n=Count("pk"), last=Max("updated_at"))
    distributions = Distribution.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    return [datasets["n"], str(datasets["last"]), distributions["n"], str(distributions["last"])]


def _counted(rows) -> Counter:
    return Counter({name: count for name, count in rows if name})


def organization_facet(queryset: QuerySet[Dataset]) -> tuple[Counter, dict[str, str]]:
    """Datasets per publisher's slug, and the publishers' names by slug."""
    counts = dict(queryset.order_by().values_list("publisher_id").annotate(n=Count("pk")))
    publishers = Organization.objects.filter(pk__in=counts).values_list("pk", "slug", "name")
    return Counter({slug: counts[pk] for pk, slug, _name in publishers}), {slug: name for _pk, slug, name in publishers}


def facet_counts(queryset: QuerySet[Dataset], field: str) -> Counter:
    base = queryset.order_by()
    if field == "organization":
        return organization_facet(base)[0]
    if field == "license_id":
        return _counted(base.values_list("license").annotate(n=Count("pk")))
    if field in ("access_rights", "access"):
        return _counted(base.values_list("access_rights").annotate(n=Count("pk")))
    if field in ("tags", "groups"):
        counts: Counter = Counter()
        column = "keyword" if field == "tags" else "themes"
        for text in base.values_list(column, flat=True):
            items = {item.strip() for item in text.split(",") if item.strip()}
            counts.update(item.lower() if field == "groups" else item for item in items)
        return counts
    if field == "res_format":
        rows = (
            Distribution.objects.filter(dataset__in=base.values("pk"))
            .values_list("format")
            .annotate(n=Count("dataset", distinct=True))
        )
        counts = Counter()
        for code, count in rows:
            if code:
                counts[format_label(code)] += count
        return counts
    raise invalid("facet.field", _("No hay facetas de «%(field)s».") % {"field": field})


def display_name(field: str, name: str, organizations: dict[str, str]) -> str:
    if field == "organization":
        return organizations.get(name, name)
    if field == "groups":
        code = name.upper()
        return str(Theme(code).label) if code in Theme.values else name
    if field == "license_id":
        return LICENSES[name][0] if name in LICENSES else name
    if field in ("access_rights", "access"):
        return str(AccessRights(name).label) if name in AccessRights.values else name
    return name
