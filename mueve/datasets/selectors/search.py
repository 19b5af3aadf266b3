"""The public catalog's search: full text plus facets, for the /datos/ page and the CKAN API's package_search.

Filters: a dict of facet -> values. Values of one facet combine with OR (CSV or JSON), facets with AND (a theme and
a publisher). Each facet's counts are those of the query and of the *other* facets' filters (disjunctive faceting):
a count says how many results choosing that value alone would give, so a chosen value's siblings keep their
counts. Every count is one grouped query, never a query per dataset or per value.

Only published datasets are ever found.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Upper

from mueve.datasets import fulltext
from mueve.datasets.models import AccessRights, Dataset, Distribution, Theme
from mueve.datasets.models.vocab import FILE_TYPES, LICENSES

FACETS = ("publisher", "theme", "format", "license", "access")
SORTS = ("relevance", "title", "modified")
MAX_ROWS = 1000


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    datasets: list[Dataset]
    total: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)

    def __iter__(self):  # search() returns a 3-tuple: (datasets, total, facets)
        return iter((self.datasets, self.total, self.facets))


def published() -> QuerySet[Dataset]:
    return Dataset.objects.filter(status=Dataset.Status.PUBLISHED)


def _has_distributions():
    return Exists(Distribution.objects.filter(dataset=OuterRef("pk")))


def _facet_filter(facet: str, values: list[str]) -> Q:
    if facet == "publisher":
        return Q(publisher__slug__in=values)
    if facet == "theme":
        q = Q()
        for code in values:
            # Comma lists of four-letter codes: no code is part of another.
            q |= Q(themes__contains=code)
        return q
    if facet == "format":
        codes = [v.upper() for v in values]
        in_distribution = Exists(Distribution.objects.filter(dataset=OuterRef("pk"), format__in=codes))
        inventory = Q(~_has_distributions()) & Q(format_upper__in=codes)
        return Q(in_distribution) | inventory
    if facet == "license":
        return Q(license__in=values)
    if facet == "access":
        return Q(access_rights__in=values)
    raise ValueError(facet)


def _clean(filters: dict[str, list[str]] | None) -> dict[str, list[str]]:
    cleaned = {}
    for facet, values in (filters or {}).items():
        if facet not in FACETS:
            raise ValueError(f"unknown facet: {facet!r}")
        values = [str(v).strip() for v in (values or []) if str(v).strip()]
        if values:
            cleaned[facet] = list(dict.fromkeys(values))
    return cleaned


def _base(q: str) -> QuerySet[Dataset]:
    qs = published().annotate(format_upper=Upper("format"))
    found = fulltext.match(q)
    return qs.filter(found) if found is not None else qs


def _filtered(base: QuerySet[Dataset], filters: dict[str, list[str]], *, without: str | None = None):
    for facet, values in filters.items():
        if facet != without:
            base = base.filter(_facet_filter(facet, values))
    return base


def _count_publisher(qs) -> list[tuple[str, str, int]]:
    rows = qs.order_by().values("publisher__slug", "publisher__name").annotate(n=Count("pk"))
    return [(r["publisher__slug"], r["publisher__name"], r["n"]) for r in rows]


def _count_theme(qs) -> list[tuple[str, str, int]]:
    # Grouped by the whole comma list (a few hundred combinations at most), then split: one pass over the rows.
    counts: Counter[str] = Counter()
    for row in qs.exclude(themes="").order_by().values("themes").annotate(n=Count("pk")):
        for code in {t.strip() for t in row["themes"].split(",")}:
            counts[code] += row["n"]
    return [(code, str(Theme(code).label), counts[code]) for code in Theme.values if counts[code]]


def _count_format(qs) -> list[tuple[str, str, int]]:
    counts: Counter[str] = Counter()
    in_distributions = (
        Distribution.objects.filter(dataset__in=qs.values("pk"))
        .exclude(format="")
        .order_by()
        .values("format")
        .annotate(n=Count("dataset", distinct=True))
    )
    for row in in_distributions:
        counts[row["format"].upper()] += row["n"]
    inventory = (
        qs.filter(~_has_distributions()).exclude(format="").order_by().values("format_upper").annotate(n=Count("pk"))
    )
    for row in inventory:
        counts[row["format_upper"]] += row["n"]
    return [(code, FILE_TYPES.get(code, (code,))[0], n) for code, n in counts.items()]


def _count_license(qs) -> list[tuple[str, str, int]]:
    rows = qs.exclude(license="").order_by().values("license").annotate(n=Count("pk"))
    return [(r["license"], LICENSES.get(r["license"], (r["license"],))[0], r["n"]) for r in rows]


def _count_access(qs) -> list[tuple[str, str, int]]:
    rows = qs.order_by().values("access_rights").annotate(n=Count("pk"))
    labels = dict(AccessRights.choices)
    return [(r["access_rights"], str(labels.get(r["access_rights"], r["access_rights"])), r["n"]) for r in rows]


_COUNTERS = {
    "publisher": _count_publisher,
    "theme": _count_theme,
    "format": _count_format,
    "license": _count_license,
    "access": _count_access,
}


def facet_counts(base: QuerySet[Dataset], filters: dict[str, list[str]], facets=FACETS) -> dict:
    result = {}
    for facet in facets:
        chosen = set(filters.get(facet, []))
        rows = _COUNTERS[facet](_filtered(base, filters, without=facet))
        values = [FacetValue(value, label, count, value in chosen) for value, label, count in rows]
        # A chosen value with no results still shows, at 0, so it can be unchosen.
        values += [FacetValue(v, _facet_label(facet, v), 0, True) for v in chosen - {fv.value for fv in values}]
        values.sort(key=lambda fv: (-fv.count, fv.label.lower()))
        result[facet] = values
    return result


def _facet_label(facet: str, value: str) -> str:
    if facet == "theme" and value in Theme.values:
        return str(Theme(value).label)
    if facet == "format":
        return FILE_TYPES.get(value.upper(), (value,))[0]
    if facet == "license":
        return LICENSES.get(value, (value,))[0]
    if facet == "access" and value in AccessRights.values:
        return str(AccessRights(value).label)
    if facet == "publisher":
        from mueve.stakeholders.models import Organization

        found = Organization.objects.filter(slug=value).values_list("name", flat=True).first()
        return found or value
    return value


def _ordered(qs: QuerySet[Dataset], q: str, sort: str) -> QuerySet[Dataset]:
    if sort == "relevance":
        ranked = fulltext.order_by_relevance(qs, q, "title", "pk")
        if ranked is not None:
            return ranked
        sort = "modified"
    if sort == "modified":
        return qs.annotate(changed=Coalesce("data_modified", "issued", "updated_at")).order_by(
            F("changed").desc(), "title", "pk"
        )
    return qs.order_by("title", "pk")


def search(
    *,
    q: str = "",
    filters: dict[str, list[str]] | None = None,
    sort: str = "relevance",
    start: int = 0,
    rows: int = 20,
    facets=FACETS,
) -> SearchResult:
    """Published datasets matching `q` and `filters`: (one page of datasets, the total, the facets' counts).

    `sort`: "relevance" (the best matches first; without a query, the most recently updated), "title", or
    "modified" (most recently updated data first). `start`/`rows`: the page (rows capped at MAX_ROWS).
    Raises ValueError for an unknown facet or sort."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort: {sort!r}")
    filters = _clean(filters)
    start = max(0, int(start))
    rows = max(0, min(int(rows), MAX_ROWS))
    base = _base(q)
    matching = _filtered(base, filters)
    total = matching.count()
    page: list[Dataset] = []
    if rows and start < total:
        ids = list(_ordered(matching, q, sort).values_list("pk", flat=True)[start : start + rows])
        by_id = {
            d.pk: d
            for d in Dataset.objects.filter(pk__in=ids)
            .select_related("publisher", "spatial_jurisdiction")
            .prefetch_related("distributions")
        }
        page = [by_id[pk] for pk in ids if pk in by_id]
    return SearchResult(page, total, facet_counts(base, filters, facets) if facets else {})
