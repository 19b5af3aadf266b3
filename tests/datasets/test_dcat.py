"""The DCAT-AP 3 export at /catalogo/dcat.ttl and .jsonld, checked with pySHACL against the 3.0.1 shapes.

The shapes are in tests/datasets/shapes/dcat-ap-3.0.1/ (with their README). pySHACL runs without inference: each
class a shape checks is stated in the export itself.
"""

import hashlib
import re
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from mueve.datasets.models import Dataset, Distribution
from mueve.stakeholders.models import Organization
from mueve.territory.models import Jurisdiction

SHAPES = Path(__file__).parent / "shapes" / "dcat-ap-3.0.1"
DOCS = Path(__file__).parents[2] / "docs" / "dcat-ap.md"
SH = Namespace("http://www.w3.org/ns/shacl#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
EU = "http://publications.europa.eu/resource/authority/"


MDR = Namespace("http://data.europa.eu/r5r#")


def mandatory_shapes(*, spdx_fix: bool = True) -> Graph:
    """dcat-ap-SHACL.ttl + ranges.ttl (without the dangling sh:property links, as the README says) + the
    controlled-vocabulary shapes, with their checksum-algorithm pattern corrected (see the README)."""
    shapes = Graph().parse(SHAPES / "dcat-ap-SHACL.ttl").parse(SHAPES / "ranges.ttl")
    for subject, shape in list(shapes.subject_objects(SH.property)):
        if (shape, None, None) not in shapes:
            shapes.remove((subject, SH.property, shape))
    shapes.parse(SHAPES / "mdr-vocabularies.shape.ttl")
    if spdx_fix:
        # The pattern asks for https://spdx.org/rdf/terms, a namespace SPDX does not use: its algorithms (and the
        # spdx: terms of DCAT-AP's own shapes) are http://spdx.org/rdf/terms#...
        restriction = MDR.ChecksumAlgorithmRestriction
        shapes.remove((restriction, SH.pattern, None))
        shapes.add((restriction, SH.pattern, Literal("^https?://spdx.org/rdf/terms")))
    return shapes


def results(data: Graph, shapes: Graph) -> list[dict]:
    _conforms, report, _text = validate(data, shacl_graph=shapes, inference="none", advanced=True)
    if report.value(predicate=RDF.type, object=SH.ValidationReport) is None:
        return []
    found = []
    # The report's own results (nested ones under sh:detail only explain them).
    for result in report.objects(report.value(predicate=RDF.type, object=SH.ValidationReport), SH.result):
        focus = report.value(result, SH.focusNode)
        found.append(
            {
                "severity": report.value(result, SH.resultSeverity),
                "class": data.value(focus, RDF.type),
                "path": report.value(result, SH.resultPath),
                "focus": focus,
                "message": str(report.value(result, SH.resultMessage)),
            }
        )
    return found


def short(uri) -> str:
    text = str(uri)
    for prefix, ns in [("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("dcatap", "http://data.europa.eu/r5r/")]:
        if text.startswith(str(ns)):
            return f"{prefix}:{text[len(str(ns)) :]}"
    return text


@pytest.fixture
def catalog(demo_db, settings):
    """The demo's inventory, published, plus a dataset that fills in every field the platform knows."""
    settings.MUEVE_SITE_URL = "https://datos.example.cl"
    Dataset.objects.update(status=Dataset.Status.PUBLISHED)
    withdrawn = Dataset.objects.order_by("pk").first()
    withdrawn.status = Dataset.Status.WITHDRAWN
    withdrawn.save()
    uoct = Organization.objects.get(slug="uoct")
    full = Dataset.objects.create(
        title="Velocidades de buses por tramo",
        slug="velocidades-buses",
        description="Velocidad media de los buses por tramo de 500 m y hora del día.",
        status=Dataset.Status.PUBLISHED,
        publisher=uoct,
        keyword="buses, velocidad, congestión",
        themes="TRAN,REGI",
        accrual_periodicity="monthly",
        access_rights="public",
        license="CC-BY-4.0",
        landing_page="https://www.uoct.cl/datos/velocidades",
        version="2.1",
        spatial_jurisdiction=Jurisdiction.objects.get(slug="gran-concepcion"),
        bbox_west=-73.2,
        bbox_south=-36.95,
        bbox_east=-72.9,
        bbox_north=-36.7,
        temporal_start=date(2013, 1, 1),
        temporal_end=date(2014, 12, 31),
        contact_name="Mesa de datos UOCT",
        contact_email="datos@uoct.example.cl",
        issued=timezone.now(),
        data_modified=timezone.now(),
    )
    body = b"tramo,hora,velocidad\n1,8,17.5\n"
    Distribution.objects.create(
        dataset=full,
        title="Velocidades (CSV)",
        description="Una fila por tramo y hora.",
        kind=Distribution.Kind.FILE,
        format="CSV",
        media_type="text/csv",
        access_url="https://www.uoct.cl/datos/velocidades.csv",
        byte_size=len(body),
        checksum_sha256=hashlib.sha256(body).hexdigest(),
    )
    Distribution.objects.create(
        dataset=full,
        title="API de velocidades",
        kind=Distribution.Kind.API,
        format="JSON",
        access_url="https://api.uoct.cl/velocidades",
        position=1,
    )
    Distribution.objects.create(
        dataset=full,
        title="Posiciones en tiempo real",
        kind=Distribution.Kind.FEED,
        format="BIN",
        access_url="https://api.uoct.cl/gtfs-rt/vehiculos",
        position=2,
    )
    return {"full": full, "withdrawn": withdrawn}


def exported(client, fmt: str = "ttl") -> Graph:
    response = client.get(f"/catalogo/dcat.{fmt}")
    assert response.status_code == 200
    return Graph().parse(data=response.content, format="turtle" if fmt == "ttl" else "json-ld")


def test_demo_catalog_passes_the_dcat_ap_3_shapes_without_a_violation(client, catalog):
    graph = exported(client)
    violations = [r for r in results(graph, mandatory_shapes()) if r["severity"] == SH.Violation]
    assert violations == [], "\n".join(f"{short(v['path'])} on {v['focus']}: {v['message']}" for v in violations)
    # Not vacuous: every published dataset is in it, each with its mandatory properties.
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == Dataset.objects.filter(status=Dataset.Status.PUBLISHED).count() >= 7
    assert all(graph.value(d, DCTERMS.title) and graph.value(d, DCTERMS.description) for d in datasets)


def test_the_only_violation_of_the_uncorrected_shapes_is_the_spdx_namespace(client, catalog):
    graph = exported(client)
    violations = [r for r in results(graph, mandatory_shapes(spdx_fix=False)) if r["severity"] == SH.Violation]
    assert {r["path"] for r in violations} == {SPDX.algorithm}
    assert {graph.value(r["focus"], SPDX.algorithm) for r in violations} == {SPDX.checksumAlgorithm_sha256}


def test_the_same_graph_breaks_the_shapes_when_a_mandatory_property_is_missing(client, catalog):
    # The validation above can fail: drop a distribution's access URL and a dataset's title.
    graph = exported(client)
    distribution = next(graph.subjects(RDF.type, DCAT.Distribution))
    graph.remove((distribution, DCAT.accessURL, None))
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    graph.remove((dataset, DCTERMS.title, None))
    broken = {(r["focus"], r["path"]) for r in results(graph, mandatory_shapes()) if r["severity"] == SH.Violation}
    assert (distribution, DCAT.accessURL) in broken and (dataset, DCTERMS.title) in broken


def test_recommended_shape_warnings_are_the_ones_docs_explain(client, catalog):
    graph = exported(client)
    recommended = Graph().parse(SHAPES / "shapes_recommended.ttl")
    warnings = {(short(r["class"]), short(r["path"])) for r in results(graph, recommended)}
    documented = set(re.findall(r"^\| `([\w:]+)` \| `([\w:]+)` \|", DOCS.read_text(), flags=re.M))
    assert warnings <= documented, f"warnings not explained in docs/dcat-ap.md: {warnings - documented}"
    # The fully described dataset raises none of them.
    full = URIRef(f"https://datos.example.cl/catalogo/conjuntos/{catalog['full'].uuid}")
    own = {n for n in graph.objects(full, DCAT.distribution)} | {full}
    assert not [r for r in results(graph, recommended) if r["focus"] in own]


def test_full_dataset_states_every_property_with_its_dcat_ap_type(client, catalog):
    graph = exported(client)
    full = URIRef(f"https://datos.example.cl/catalogo/conjuntos/{catalog['full'].uuid}")
    assert graph.value(full, DCTERMS.title) == Literal("Velocidades de buses por tramo", lang="es")
    assert set(graph.objects(full, DCAT.theme)) == {URIRef(EU + "data-theme/TRAN"), URIRef(EU + "data-theme/REGI")}
    assert graph.value(full, DCTERMS.accrualPeriodicity) == URIRef(EU + "frequency/MONTHLY")
    assert graph.value(full, DCTERMS.accessRights) == URIRef(EU + "access-right/PUBLIC")
    assert graph.value(full, DCTERMS.issued).datatype == XSD.dateTime
    assert {str(k) for k in graph.objects(full, DCAT.keyword)} == {"buses", "velocidad", "congestión"}
    publisher = graph.value(full, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph and graph.value(publisher, FOAF.name)
    assert graph.value(publisher, DCTERMS.type) == URIRef("http://purl.org/adms/publishertype/RegionalAuthority")
    contact = graph.value(full, DCAT.contactPoint)
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:datos@uoct.example.cl")
    boxes = [graph.value(s, DCAT.bbox) for s in graph.objects(full, DCTERMS.spatial) if graph.value(s, DCAT.bbox)]
    assert (
        Literal(
            "POLYGON((-73.2 -36.95, -72.9 -36.95, -72.9 -36.7, -73.2 -36.7, -73.2 -36.95))", datatype=GSP.wktLiteral
        )
        in boxes
    )
    period = graph.value(full, DCTERMS.temporal)
    assert graph.value(period, DCAT.startDate) == Literal(date(2013, 1, 1))
    csv = next(d for d in graph.objects(full, DCAT.distribution) if graph.value(d, DCAT.byteSize))
    assert graph.value(csv, DCAT.byteSize).datatype == XSD.nonNegativeInteger
    assert graph.value(csv, DCTERMS.format) == URIRef(EU + "file-type/CSV")
    assert graph.value(csv, DCAT.mediaType) == URIRef("https://www.iana.org/assignments/media-types/text/csv")
    assert graph.value(csv, DCAT.downloadURL) == URIRef("https://www.uoct.cl/datos/velocidades.csv")
    licence = graph.value(csv, DCTERMS.license)
    assert licence == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert (licence, RDF.type, DCTERMS.LicenseDocument) in graph
    checksum = graph.value(csv, SPDX.checksum)
    assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    assert str(graph.value(checksum, SPDX.checksumValue)) == catalog["full"].distributions.first().checksum_sha256


def test_only_published_datasets_are_exported_and_json_ld_says_the_same(client, catalog):
    turtle, jsonld = exported(client), exported(client, "jsonld")
    assert len(turtle) == len(jsonld)
    assert set(turtle.subjects(RDF.type, DCAT.Dataset)) == set(jsonld.subjects(RDF.type, DCAT.Dataset))
    titles = {str(t) for d in turtle.subjects(RDF.type, DCAT.Dataset) for t in turtle.objects(d, DCTERMS.title)}
    assert catalog["withdrawn"].title not in titles
    inventoried = Dataset.objects.create(title="Borrador interno", slug="borrador", publisher=catalog["full"].publisher)
    assert "Borrador interno" not in client.get("/catalogo/dcat.ttl").content.decode()
    assert client.get(f"/catalogo/conjuntos/{inventoried.uuid}").status_code == 404


def test_a_dataset_iri_serves_its_rdf(client, catalog):
    full = catalog["full"]
    response = client.get(f"/catalogo/conjuntos/{full.uuid}", HTTP_ACCEPT="application/ld+json")
    assert response["Content-Type"].startswith("application/ld+json")
    graph = Graph().parse(data=response.content, format="json-ld")
    assert (URIRef(f"https://datos.example.cl/catalogo/conjuntos/{full.uuid}"), RDF.type, DCAT.Dataset) in graph
    assert client.get("/catalogo/dcat.xyz").status_code == 404
    assert client.get("/catalogo/", HTTP_ACCEPT="text/turtle")["Content-Type"].startswith("text/turtle")
