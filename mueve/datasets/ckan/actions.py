"""The read actions of CKAN's action API over the published catalog. Each takes the call (request and base URL)
and the parameters as CKAN receives them, and returns the `result` of CKAN's envelope or raises one of
mueve.datasets.ckan.errors. Their docstrings are what `help_show` answers."""

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from mueve.datasets import gate
from mueve.datasets.ckan import params, search
from mueve.datasets.ckan.errors import NotAuthorized, NotFound, ValidationFailed, invalid
from mueve.datasets.ckan.serializers import (
    group_dict,
    organization_dict,
    organization_id,
    package_dict,
    resource_dict,
    tag_dict,
)
from mueve.datasets.datastore import search as datastore
from mueve.datasets.models import Dataset, Distribution, Theme
from mueve.stakeholders.models import Organization

ROWS_MAX = 1000  # CKAN's ckan.search.rows_max
LIST_MAX = 1000  # ckan.group_and_organization_list_max
DATASTORE_ROWS_MAX = 32000  # ckan.datastore.search.rows_max
UUID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")


@dataclass(frozen=True)
class Call:
    request: object
    base_url: str


def packages() -> QuerySet[Dataset]:
    """Published datasets with what their CKAN dict needs, in three queries for any number of them."""
    return (
        search.published()
        .select_related("publisher", "spatial_jurisdiction")
        .prefetch_related(Prefetch("distributions", queryset=Distribution.objects.order_by("position", "pk")))
    )


def _package(identifier: str) -> Dataset:
    by = {"uuid": identifier} if UUID.fullmatch(identifier) else {"slug": identifier}
    dataset = packages().filter(**by).first()
    if dataset is None:
        raise NotFound(_("No hay un conjunto de datos publicado «%(id)s».") % {"id": identifier})
    return dataset


def _resource(identifier: str) -> Distribution:
    distribution = None
    if UUID.fullmatch(identifier):
        distribution = (
            Distribution.objects.select_related("dataset")
            .filter(uuid=identifier, dataset__status=Dataset.Status.PUBLISHED)
            .first()
        )
    if distribution is None:
        raise NotFound(_("No hay un recurso publicado «%(id)s».") % {"id": identifier})
    return distribution


# --- datasets ------------------------------------------------------------------------------------------------------


def package_list(call: Call, data: dict) -> list[str]:
    """Los nombres de los conjuntos de datos publicados, en orden alfabético.

    :param limit: cuántos, como máximo (opcional)
    :param offset: desde cuál, si se da limit (opcional)"""
    limit = params.integer(data, "limit", 0)
    offset = params.integer(data, "offset", 0)
    names = search.published().order_by("slug").values_list("slug", flat=True)
    return list(names[offset : offset + limit] if limit else names[offset:])


def package_show(call: Call, data: dict) -> dict:
    """Un conjunto de datos publicado, con sus recursos.

    :param id: su identificador (UUID) o su nombre"""
    return package_dict(_package(params.required(data, "id")), call.base_url)


def package_search(call: Call, data: dict) -> dict:
    """Busca conjuntos de datos publicados.

    :param q: texto a buscar (y cláusulas campo:valor)
    :param fq: filtros campo:valor (organization, tags, res_format, license_id, groups, access_rights, ...)
    :param rows: cuántos resultados (10 por omisión, 1000 como máximo)
    :param start: desde qué resultado
    :param sort: orden, p. ej. «metadata_modified desc» o «title_string asc» (por omisión «score desc,
        metadata_modified desc»)
    :param facet.field: lista JSON de campos con facetas
    :param facet.limit: cuántos valores por faceta (50 por omisión; -1, todos)
    :param facet.mincount: mínimo de conjuntos por valor (1 por omisión)"""
    rows = params.integer(data, "rows", 10, maximum=ROWS_MAX)
    start = params.integer(data, "start", 0)
    sort = params.text(data, "sort").strip() or search.DEFAULT_SORT
    fq = params.text(data, "fq")
    fq_list = params.string_list(data, "fq_list") or []
    matched = search.matching(params.text(data, "q"), " ".join([fq, *fq_list]))
    page = search.ordered(matched, sort)
    count = matched.count()
    ids = list(page.values_list("pk", flat=True)[start : start + rows])
    by_id = {d.pk: d for d in packages().filter(pk__in=ids)}
    results = [package_dict(by_id[pk], call.base_url) for pk in ids if pk in by_id]
    facets, search_facets = _facets(matched, data)
    return {"count": count, "sort": sort, "results": results, "facets": facets, "search_facets": search_facets}


def _facets(matched: QuerySet[Dataset], data: dict) -> tuple[dict, dict]:
    fields = params.string_list(data, "facet.field") or []
    if not params.boolean(data, "facet", True) or not fields:
        return {}, {}
    unknown = [f for f in fields if f not in search.FACET_FIELDS]
    if unknown:
        raise invalid(
            "facet.field",
            _("No hay facetas de %(unknown)s. Campos con facetas: %(known)s.")
            % {"unknown": ", ".join(unknown), "known": ", ".join(search.FACET_FIELDS)},
        )
    limit = params.integer(data, "facet.limit", 50, minimum=-1)
    mincount = params.integer(data, "facet.mincount", 1)
    seconds = getattr(settings, "MUEVE_CKAN_FACET_CACHE_SECONDS", 60)
    key = None
    if seconds:
        request = [params.text(data, "q"), params.text(data, "fq"), params.string_list(data, "fq_list"), fields]
        stamp = search.catalog_stamp()
        key = "ckan-facets:" + hashlib.sha256(json.dumps([stamp, request, limit, mincount]).encode()).hexdigest()
        if (cached := cache.get(key)) is not None:
            return cached
    facets, search_facets = {}, {}
    organizations: dict[str, str] = {}
    for field in fields:
        if field == "organization":
            counts, organizations = search.organization_facet(matched)
        else:
            counts = search.facet_counts(matched, field)
        items = sorted(((n, c) for n, c in counts.items() if c >= mincount), key=lambda item: (-item[1], item[0]))
        if limit >= 0:
            items = items[:limit]
        facets[field] = dict(items)
        search_facets[field] = {
            "title": field,
            "items": [
                {"name": name, "display_name": search.display_name(field, name, organizations), "count": count}
                for name, count in items
            ],
        }
    if key:
        cache.set(key, (facets, search_facets), seconds)
    return facets, search_facets


def resource_show(call: Call, data: dict) -> dict:
    """Un recurso (distribución) de un conjunto de datos publicado.

    :param id: el identificador (UUID) del recurso"""
    distribution = _resource(params.required(data, "id"))
    return resource_dict(distribution, distribution.dataset, call.base_url)


# --- organizations, groups, tags -----------------------------------------------------------------------------------


def _publishers() -> dict[Organization, int]:
    counts = dict(search.published().order_by().values_list("publisher").annotate(n=Count("pk")))
    return {org: counts[org.pk] for org in Organization.objects.filter(pk__in=counts)}


def _listing(call: Call, data: dict, entries: list[tuple[dict, int]]) -> list:
    """organization_list and group_list: [(full dict, dataset count)] filtered, sorted and paged as CKAN does."""
    query = params.text(data, "q").strip().lower()
    if query:
        entries = [e for e in entries if query in e[0]["name"].lower() or query in e[0]["title"].lower()]
    names = params.string_list(data, "organizations") or params.string_list(data, "groups")
    if names:
        entries = [e for e in entries if e[0]["name"] in names]
    sort = params.text(data, "sort", "title asc").strip() or "title asc"
    words = sort.split()
    keys = {"name": lambda e: e[0]["name"], "title": lambda e: e[0]["title"].lower(), "package_count": lambda e: e[1]}
    if words[0] not in keys or len(words) > 2 or (len(words) == 2 and words[1] not in ("asc", "desc")):
        raise invalid("sort", _("Ordene por name, title o package_count, con asc o desc."))
    entries = sorted(entries, key=keys[words[0]], reverse=len(words) == 2 and words[1] == "desc")
    offset = params.integer(data, "offset", 0)
    limit = params.integer(data, "limit", LIST_MAX, maximum=LIST_MAX)
    entries = entries[offset : offset + limit]
    if not params.boolean(data, "all_fields", False):
        return [e[0]["name"] for e in entries]
    with_count = params.boolean(data, "include_dataset_count", True)
    return [{**e[0], "package_count": e[1]} if with_count else e[0] for e in entries]


def organization_list(call: Call, data: dict) -> list:
    """Las instituciones que publican conjuntos de datos.

    :param all_fields: diccionarios completos en vez de nombres (false por omisión)
    :param sort: name, title o package_count, con asc o desc («title asc» por omisión)
    :param q: texto en el nombre o el título
    :param limit, offset: paginación"""
    entries = [(organization_dict(org), n) for org, n in _publishers().items()]
    return _listing(call, data, entries)


def organization_show(call: Call, data: dict) -> dict:
    """Una institución que publica conjuntos de datos.

    :param id: su identificador o su nombre
    :param include_datasets: incluir sus conjuntos de datos (false por omisión)"""
    identifier = params.required(data, "id")
    for org, count in _publishers().items():
        if identifier in (org.slug, organization_id(org)):
            result = organization_dict(org, package_count=count)
            if params.boolean(data, "include_datasets", False):
                datasets = packages().filter(publisher=org).order_by("slug")[:ROWS_MAX]
                result["packages"] = [package_dict(d, call.base_url) for d in datasets]
            return result
    raise NotFound(_("No hay una institución que publique datos con el identificador «%(id)s».") % {"id": identifier})


def _theme_counts() -> Counter:
    counts: Counter = Counter()
    for text in search.published().values_list("themes", flat=True):
        counts.update({t.strip().upper() for t in text.split(",") if t.strip()})
    return counts


def group_list(call: Call, data: dict) -> list:
    """Los grupos: los temas de datos de DCAT-AP (tabla de temas de la UE).

    :param all_fields: diccionarios completos en vez de nombres (false por omisión)
    :param sort: name, title o package_count, con asc o desc («title asc» por omisión)"""
    counts = _theme_counts()
    return _listing(call, data, [(group_dict(code), counts[code]) for code in Theme.values])


def group_show(call: Call, data: dict) -> dict:
    """Un grupo (tema de datos de DCAT-AP).

    :param id: su nombre (el código del tema en minúsculas) o su identificador"""
    identifier = params.required(data, "id")
    for code in Theme.values:
        entry = group_dict(code)
        if identifier in (entry["name"], entry["id"], code):
            return group_dict(code, package_count=_theme_counts()[code])
    raise NotFound(_("No hay un grupo «%(id)s».") % {"id": identifier})


def tag_list(call: Call, data: dict) -> list:
    """Las palabras clave de los conjuntos de datos publicados.

    :param query: solo las que contienen este texto (opcional)
    :param all_fields: diccionarios completos en vez de nombres (false por omisión)"""
    names = set()
    for text in search.published().values_list("keyword", flat=True):
        names.update(k.strip() for k in text.split(",") if k.strip())
    query = params.text(data, "query").strip().lower()
    chosen = sorted(n for n in names if query in n.lower())
    if params.boolean(data, "all_fields", False):
        return [tag_dict(n) for n in chosen]
    return chosen


def status_show(call: Call, data: dict) -> dict:
    """El estado del sitio: su nombre, su dirección y la versión de CKAN cuya API sigue."""
    return {
        "site_title": settings.MUEVE_SITE_NAME,
        "site_description": _("Catálogo de datos abiertos"),
        "site_url": call.base_url,
        "ckan_version": "2.10.0",
        "error_emails_to": None,
        "locale_default": settings.LANGUAGE_CODE,
        "extensions": ["datastore", "dcat"],
    }


# --- the datastore -------------------------------------------------------------------------------------------------


def datastore_search(call: Call, data: dict) -> dict:
    """Las filas de un recurso tabular del almacén de datos.

    :param resource_id: el identificador del recurso
    :param q: texto a buscar en los campos de texto, o un objeto {campo: texto}
    :param filters: objeto JSON {campo: valor o lista de valores}
    :param fields: campos a devolver (lista o texto separado por comas)
    :param sort: p. ej. «campo desc, otro»
    :param limit: cuántas filas (100 por omisión, 32000 como máximo)
    :param offset: desde qué fila
    :param include_total: contar las filas que coinciden (true por omisión)
    :param distinct: sin filas repetidas (false por omisión)
    :param records_format: objects (por omisión) o lists"""
    resource_id = params.text(data, "resource_id").strip() or params.required(data, "id")
    distribution = _resource(resource_id)
    if not distribution.datastore_active:
        raise NotFound(_("El recurso «%(id)s» no está en el almacén de datos.") % {"id": resource_id})
    decision = gate.download_decision(
        call.request, distribution.dataset, surface="datastore", distribution=distribution
    )
    if not decision.allowed:
        raise NotAuthorized(decision.reason)
    limit = params.integer(data, "limit", 100, maximum=DATASTORE_ROWS_MAX)
    offset = params.integer(data, "offset", 0)
    include_total = params.boolean(data, "include_total", params.boolean(data, "total", True))
    q = params.json_value(data, "q")
    if q is not None and not isinstance(q, str | dict):
        raise invalid("q", _("Debe ser un texto o un objeto {campo: texto}."))
    filters = params.json_object(data, "filters")
    sort = data.get("sort")
    if isinstance(sort, str) and sort.strip().startswith("["):  # a JSON list in a query string
        sort = params.json_value(data, "sort")
    if isinstance(sort, list):
        sort = ", ".join(str(s) for s in sort)
    try:
        found = datastore.search(
            distribution,
            q=q,
            filters=filters,
            fields=params.string_list(data, "fields", comma=True),
            sort=str(sort or ""),
            limit=limit,
            offset=offset,
            include_total=include_total,
            distinct=params.boolean(data, "distinct", False),
            records_format=params.text(data, "records_format", "objects"),
        )
    except datastore.QueryError as exc:
        raise ValidationFailed(exc.errors) from None
    result = {"resource_id": str(distribution.uuid), **found, "limit": limit, "offset": offset}
    result["include_total"] = include_total
    for echoed in ("q", "filters", "sort"):
        if data.get(echoed) not in (None, ""):
            result[echoed] = {"q": q, "filters": filters, "sort": sort}[echoed]
    result["_links"] = _links(call, data, str(distribution.uuid), limit, offset)
    return result


def _links(call: Call, data: dict, resource_id: str, limit: int, offset: int) -> dict:
    """Where the first page and the next one are, as CKAN gives them: this action's path with the GET parameters
    (a POST's JSON cannot travel in a link: its links carry the resource alone)."""
    path = call.request.path
    if call.request.method == "GET":
        arguments = {k: v for k, v in call.request.GET.items() if k != "offset"}
    else:
        arguments = {"resource_id": resource_id}
        arguments.update({k: data[k] for k in ("limit", "sort") if isinstance(data.get(k), str | int)})
    links = {
        "start": f"{path}?{urlencode(arguments)}",
        "next": f"{path}?{urlencode({**arguments, 'offset': offset + limit})}",
    }
    if offset - limit > 0:
        links["prev"] = f"{path}?{urlencode({**arguments, 'offset': offset - limit})}"
    return links


def help_show(call: Call, data: dict) -> str:
    """La ayuda de una acción.

    :param name: el nombre de la acción"""
    name = params.required(data, "name")
    if name not in ACTIONS:
        raise NotFound(_("Acción desconocida: %(name)s") % {"name": name})
    return ACTIONS[name].__doc__


ACTIONS = {
    f.__name__: f
    for f in (
        package_list,
        package_show,
        package_search,
        resource_show,
        organization_list,
        organization_show,
        group_list,
        group_show,
        tag_list,
        status_show,
        datastore_search,
        help_show,
    )
}
