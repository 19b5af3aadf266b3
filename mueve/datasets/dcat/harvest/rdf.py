"""Reading a DCAT-AP catalog (Turtle, RDF/XML, JSON-LD or N-Triples) with rdflib: each dcat:Dataset becomes a
HarvestedDataset. Spanish literals are preferred, then untagged ones, then any."""

import json

from django.utils.translation import gettext as _
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS

from mueve.datasets.dcat import terms as t
from mueve.datasets.dcat.harvest import records as r
from mueve.datasets.dcat.harvest.fetch import HarvestError, fetch
from mueve.datasets.models import Distribution

ACCEPT = "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8, application/n-triples;q=0.7"
FORMATS = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
    "application/n-triples": "nt",
}
SUFFIXES = {".ttl": "turtle", ".rdf": "xml", ".xml": "xml", ".jsonld": "json-ld", ".json": "json-ld", ".nt": "nt"}


def read(url: str) -> tuple[list[r.HarvestedDataset], list[str]]:
    body, content_type = fetch(url, accept=ACCEPT)
    graph = parse(body, content_type=content_type, url=url)
    found, errors = [], []
    for node in sorted(set(graph.subjects(RDF.type, DCAT.Dataset)), key=str):
        try:
            found.append(dataset(graph, node))
        except ValueError as exc:
            errors.append(_("Conjunto %(id)s ilegible: %(error)s") % {"id": str(node)[:120], "error": exc})
    return found, errors


def parse(body: bytes, *, content_type: str, url: str) -> Graph:
    fmt = FORMATS.get(content_type) or next(
        (f for suffix, f in SUFFIXES.items() if url.split("?")[0].lower().endswith(suffix)), "turtle"
    )
    if fmt == "json-ld":
        _refuse_remote_context(body)
    try:
        return Graph().parse(data=body, format=fmt)
    except Exception as exc:  # rdflib's parsers raise many kinds (syntax, SAX, JSON, Unicode) for a bad document
        raise HarvestError(
            _("El catálogo DCAT no se pudo leer como RDF (%(format)s): %(error)s")
            % {"format": fmt, "error": str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__}
        ) from exc


def _refuse_remote_context(body: bytes) -> None:
    """JSON-LD may name a remote @context, which rdflib would fetch with no deadline: refused (use Turtle)."""
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise HarvestError(_("El catálogo DCAT no es JSON-LD válido.")) from exc

    def remote(value) -> bool:
        if isinstance(value, str):
            return value.startswith(("http://", "https://"))
        if isinstance(value, list):
            return any(remote(v) for v in value)
        return False

    items = document if isinstance(document, list) else [document]
    if any(isinstance(i, dict) and remote(i.get("@context")) for i in items):
        raise HarvestError(_("El JSON-LD usa un @context remoto, que no se descarga; use la URL en Turtle o RDF/XML."))


def _text(graph: Graph, node, *predicates) -> str:
    values = [o for p in predicates for o in graph.objects(node, p) if isinstance(o, Literal)]
    for wanted in ("es", None):
        for value in values:
            if (value.language or "").split("-")[0] == wanted or (wanted is None and not value.language):
                return str(value).strip()
    return str(values[0]).strip() if values else ""


def _iris(graph: Graph, node, predicate) -> list[str]:
    return [str(o) for o in graph.objects(node, predicate)]


def dataset(graph: Graph, node) -> r.HarvestedDataset:
    title = _text(graph, node, DCTERMS.title)
    if not title:
        raise ValueError(_("sin título"))
    identifier = str(node) if isinstance(node, URIRef) else _text(graph, node, DCTERMS.identifier)
    if not identifier:
        raise ValueError(_("sin IRI ni dct:identifier"))
    publisher = graph.value(node, DCTERMS.publisher)
    contact = graph.value(node, DCAT.contactPoint)
    email = next((e for e in _iris(graph, contact, t.VCARD.hasEmail)), "") if contact is not None else ""
    bbox, start, end = None, None, None
    for place in graph.objects(node, DCTERMS.spatial):
        for shape in [*graph.objects(place, DCAT.bbox), *graph.objects(place, t.LOCN.geometry)]:
            bbox = bbox or r.bbox_from_wkt(str(shape))
    period = graph.value(node, DCTERMS.temporal)
    if period is not None:
        start = r.day(graph.value(period, DCAT.startDate))
        end = r.day(graph.value(period, DCAT.endDate))
    licences = _iris(graph, node, DCTERMS.license) + [
        str(lic) for d in graph.objects(node, DCAT.distribution) for lic in graph.objects(d, DCTERMS.license)
    ]
    return r.HarvestedDataset(
        identifier=identifier[:200],
        title=title[:200],
        description=_text(graph, node, DCTERMS.description),
        publisher_name=_text(graph, publisher, FOAF.name) if publisher is not None else "",
        keywords=[str(k) for k in graph.objects(node, DCAT.keyword)],
        themes=r.theme_codes(graph.objects(node, DCAT.theme)),
        license=next((spdx for lic in licences if (spdx := _licence(graph, lic))), ""),
        landing_page=next(iter(_iris(graph, node, DCAT.landingPage)), ""),
        version=(_text(graph, node, t.DCAT_VERSION, OWL.versionInfo))[:40],
        accrual_periodicity=r.frequency(str(graph.value(node, DCTERMS.accrualPeriodicity) or "")),
        access_rights=r.access_rights(str(graph.value(node, DCTERMS.accessRights) or "")),
        contact_name=(_text(graph, contact, t.VCARD.fn) if contact is not None else "")[:120],
        contact_email=email.removeprefix("mailto:"),
        bbox=bbox,
        temporal_start=start,
        temporal_end=end,
        issued=r.when(graph.value(node, DCTERMS.issued)),
        modified=r.when(graph.value(node, DCTERMS.modified)),
        distributions=[_distribution(graph, d) for d in sorted(graph.objects(node, DCAT.distribution), key=str)],
    )


def _licence(graph: Graph, iri: str) -> str:
    node = URIRef(iri)
    return r.license_id(iri) or r.license_id(_text(graph, node, DCTERMS.identifier, RDFS.label, SKOS.prefLabel))


def _distribution(graph: Graph, node) -> r.HarvestedDistribution:
    access = str(graph.value(node, DCAT.accessURL) or "")
    download = str(graph.value(node, DCAT.downloadURL) or "")
    size = graph.value(node, DCAT.byteSize)
    checksum = ""
    for value in graph.objects(node, t.SPDX.checksum):
        if str(graph.value(value, t.SPDX.algorithm) or "").endswith("sha256"):
            checksum = str(graph.value(value, t.SPDX.checksumValue) or "").lower()
    fmt = graph.value(node, DCTERMS.format)
    media = graph.value(node, DCAT.mediaType)
    return r.HarvestedDistribution(
        identifier=(str(node) if isinstance(node, URIRef) else download or access)[:200],
        title=(_text(graph, node, DCTERMS.title) or download or access or _("Recurso"))[:200],
        description=_text(graph, node, DCTERMS.description),
        access_url=download or access,
        kind=Distribution.Kind.FILE if download else Distribution.Kind.API,
        format=r.file_type(str(fmt)) if fmt is not None else "",
        media_type=r.media_type(str(media)) if media is not None else "",
        byte_size=int(size) if size is not None and str(size).isdigit() else None,
        checksum_sha256=checksum if len(checksum) == 64 else "",
    )
