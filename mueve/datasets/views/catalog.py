"""The catalog's public pages: search with facets, a dataset's page, downloads, and the metadata quality page."""

from urllib.parse import urlencode

from django import forms
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from mueve.datasets import charts, gate
from mueve.datasets.models import Dataset, Distribution, Theme
from mueve.datasets.models.vocab import FILE_TYPES, license_url
from mueve.datasets.selectors import preview as previews
from mueve.datasets.selectors import quality, search
from mueve.datasets.selectors.agreements import agreements_for_dataset

PAGE_SIZE = 20
# Query parameter -> facet of selectors.search (Spanish addresses).
FACET_PARAMS = {
    "institucion": "publisher",
    "tema": "theme",
    "formato": "format",
    "licencia": "license",
    "acceso": "access",
}
FACET_TITLES = {
    "publisher": _lazy("Institución"),
    "theme": _lazy("Tema"),
    "format": _lazy("Formato"),
    "license": _lazy("Licencia"),
    "access": _lazy("Acceso"),
}
SORT_PARAMS = {"relevancia": "relevance", "titulo": "title", "reciente": "modified"}


class SearchForm(forms.Form):
    q = forms.CharField(label=_lazy("Buscar"), required=False, max_length=200)
    orden = forms.ChoiceField(
        label=_lazy("Ordenar por"),
        required=False,
        choices=[
            ("relevancia", _lazy("Relevancia")),
            ("titulo", _lazy("Título")),
            ("reciente", _lazy("Actualizados recientemente")),
        ],
    )
    pagina = forms.IntegerField(label=_lazy("Página"), required=False, min_value=1, max_value=10000)


def _may_see(user, dataset: Dataset) -> bool:
    return dataset.is_published or user.has_perm("datasets.manage_catalog", dataset)


def dataset_get_visible(user, slug: str) -> Dataset:
    """The dataset, if it is published or the person keeps it; 404 otherwise (an unpublished dataset does not
    exist for the public)."""
    dataset = get_object_or_404(Dataset.objects.select_related("publisher", "program", "steward"), slug=slug)
    if not _may_see(user, dataset):
        raise Http404
    return dataset


def dataset_list(request):
    """/datos/: full-text search and facets over the published datasets."""
    form = SearchForm(request.GET or None)
    valid = form.is_valid() if request.GET else True
    data = form.cleaned_data if (request.GET and valid) else {}
    q = data.get("q") or ""
    sort = SORT_PARAMS.get(data.get("orden") or "relevancia")
    page = data.get("pagina") or 1
    filters = {facet: request.GET.getlist(param) for param, facet in FACET_PARAMS.items() if request.GET.getlist(param)}
    datasets, total, facets = search.search(
        q=q, filters=filters, sort=sort, start=(page - 1) * PAGE_SIZE, rows=PAGE_SIZE
    )
    results = [(d, quality.score(d, distributions=list(d.distributions.all()))) for d in datasets]
    pages = max(1, -(-total // PAGE_SIZE))

    def url_for(number: int) -> str:
        params = [(k, v) for k in request.GET for v in request.GET.getlist(k) if k != "pagina"]
        return "?" + urlencode(params + [("pagina", number)])

    facet_groups = [
        {"param": param, "title": FACET_TITLES[facet], "values": facets[facet]}
        for param, facet in FACET_PARAMS.items()
        if facets.get(facet)
    ]
    return render(
        request,
        "datasets/search.html",
        {
            "form": form,
            "q": q,
            "results": results,
            "total": total,
            "facet_groups": facet_groups,
            "page": page,
            "pages": pages,
            "previous_url": url_for(page - 1) if page > 1 else "",
            "next_url": url_for(page + 1) if page < pages else "",
            "filtered": bool(filters or q),
        },
        status=200 if valid else 400,
    )


def _distribution_rows(dataset: Dataset, decision) -> list[dict]:
    rows = []
    for index, distribution in enumerate(dataset.distributions.all()):
        preview = previews.preview(distribution) if decision.allowed else None
        drawn = []
        if preview:
            for n, h in enumerate(preview.histograms):
                drawn.append((h, charts.histogram_svg(h, chart_id=f"chart-{index}-{n}")))
        rows.append(
            {
                "distribution": distribution,
                "format_label": FILE_TYPES.get(distribution.format, (distribution.format,))[0],
                "downloadable": bool(distribution.file or distribution.access_url),
                "preview": preview,
                "charts": drawn,
                "fields": previews.fields_of(distribution) if distribution.datastore_active else [],
            }
        )
    return rows


def dataset_detail(request, slug: str):
    dataset = dataset_get_visible(request.user, slug)
    # Whether the page may offer the files; not an access to them, so not logged (the downloads are).
    decision = gate.download_decision(request, dataset, surface="page", record=False)
    distributions = list(dataset.distributions.all())
    steward = dataset.steward
    return render(
        request,
        "datasets/detail.html",
        {
            "dataset": dataset,
            "decision": decision,
            "distributions": _distribution_rows(dataset, decision),
            "score": quality.score(dataset, distributions=distributions),
            "license_url": license_url(dataset.license),
            "themes": [(code, Theme(code).label) for code in dataset.themes_list if code in Theme.values],
            "steward_name": steward.get_full_name() if steward else "",
            "late": quality.freshness_late(dataset),
            "can_manage": request.user.has_perm("datasets.manage_catalog", dataset),
            "agreements": agreements_for_dataset(dataset),
        },
    )


def distribution_download(request, slug: str, uuid):
    """A distribution's file (or its address elsewhere), if the access rule allows it (datasets.gate)."""
    dataset = dataset_get_visible(request.user, slug)
    distribution = get_object_or_404(Distribution, dataset=dataset, uuid=uuid)
    decision = gate.download_decision(request, dataset, distribution=distribution)
    if not decision.allowed:
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"detail": decision.reason}, status=decision.status)
        return render(
            request, "datasets/refused.html", {"dataset": dataset, "decision": decision}, status=decision.status
        )
    if distribution.file:
        try:
            handle = distribution.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404(_("El archivo ya no está disponible.")) from exc
        name = distribution.file.name.rsplit("/", 1)[-1]
        response = FileResponse(handle, as_attachment=True, filename=name)
        if distribution.media_type:
            response["Content-Type"] = distribution.media_type
        return response
    if distribution.access_url:
        return HttpResponseRedirect(distribution.access_url)
    raise Http404


def quality_page(request):
    """/datos/calidad/: the metadata quality of each publisher's published datasets; with ?institucion=, theirs
    one by one."""
    slug = request.GET.get("institucion") or ""
    publishers = quality.by_publisher()
    chosen = next((p for p in publishers if p.slug == slug), None)
    datasets = []
    if chosen is not None:
        qs = search.published().filter(publisher__slug=slug).prefetch_related("distributions").order_by("title")
        datasets = [(d, quality.score(d, distributions=list(d.distributions.all()))) for d in qs]
    return render(
        request,
        "datasets/quality.html",
        {
            "publishers": publishers,
            "chosen": chosen,
            "datasets": datasets,
            "dimensions": [str(label) for label in quality.DIMENSIONS.values()],
        },
    )
