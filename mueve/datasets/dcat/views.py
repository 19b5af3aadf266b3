"""The DCAT-AP catalog in Turtle and JSON-LD, and each published dataset at its own IRI."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from mueve.datasets.dcat import export, turtle
from mueve.datasets.models import Dataset

FORMATS = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json; charset=utf-8"),
    "rdf": ("xml", "application/rdf+xml; charset=utf-8"),
}


def _respond(graph, fmt: str) -> HttpResponse:
    serializer, content_type = FORMATS[fmt]
    body = turtle.serialize(graph) if serializer == "turtle" else graph.serialize(format=serializer)
    response = HttpResponse(body, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    response["Vary"] = "Accept"
    return response


@require_safe
def catalog(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    return _respond(export.catalog_graph(), fmt)


def _negotiated(request) -> str:
    accept = request.headers.get("Accept", "")
    if "ld+json" in accept or request.GET.get("formato") == "jsonld":
        return "jsonld"
    if "rdf+xml" in accept or request.GET.get("formato") == "rdf":
        return "rdf"
    return "ttl"


@require_safe
def catalog_negotiated(request):
    """The catalog's IRI: its RDF in the format the client accepts (Turtle by default)."""
    return _respond(export.catalog_graph(), _negotiated(request))


@require_safe
def dataset(request, uuid):
    found = get_object_or_404(export.published_datasets(), uuid=uuid, status=Dataset.Status.PUBLISHED)
    return _respond(export.dataset_graph(found), _negotiated(request))
