"""The catalog as DCAT-AP 3 (rdflib): one dcat:Catalog and every published dataset with its distributions.

IRIs are absolute, from MUEVE_SITE_URL: the catalog is `<site>/catalogo/`, a dataset
`<site>/catalogo/conjuntos/<uuid>` (served as RDF by `dcat.views.dataset_rdf`), a distribution that IRI with
`#<distribution uuid>`, a publisher `<site>/actores/<slug>/` (the organization's page).

Controlled values (themes, frequencies, access rights, file types, languages, publisher and licence types) are
IRIs of the EU authority tables or ADMS, each stated as a skos:Concept in its scheme: the DCAT-AP shapes check
the scheme on the concept itself (mdr-vocabularies.shape.ttl), and harvesters read the labels.
"""

from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache

from django.conf import settings
from django.db.models import Max, Min, Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from mueve.datasets.dcat import terms as t
from mueve.datasets.models import Dataset, Distribution
from mueve.datasets.models.vocab import (
    FILE_TYPES,
    LICENSES,
    Theme,
    access_right_uri,
    file_type_uri,
    frequency_uri,
    license_url,
    theme_uri,
)
from mueve.stakeholders.models import Level, Organization, Sector

LANG = "es"
# Spanish labels of the EU frequency and access-right concepts the catalog uses (skos:prefLabel is mandatory).
EU_LABELS = {
    "CONT": "continuo",
    "DAILY": "diario",
    "WEEKLY": "semanal",
    "MONTHLY": "mensual",
    "ANNUAL": "anual",
    "IRREG": "irregular",
    "UNKNOWN": "desconocido",
    "PUBLIC": "público",
    "RESTRICTED": "restringido",
    "NON_PUBLIC": "no público",
    "AVAILABLE": "disponible",
}
# ISO 639-1 (the site's language) -> the EU language table's code.
EU_LANGUAGE = {"es": "SPA", "en": "ENG"}

# ADMS licence types of the catalog's SPDX licences (the contracted "under agreement" licence has none that fits).
LICENCE_TYPES = {
    "CC-BY-4.0": ["Attribution"],
    "CC-BY-SA-4.0": ["Attribution", "ShareAlike"],
    "CC0-1.0": ["PublicDomain"],
    "ODbL-1.0": ["Attribution", "ShareAlike"],
    "ODC-By-1.0": ["Attribution"],
    "PDDL-1.0": ["PublicDomain"],
    "AGPL-3.0-or-later": ["ShareAlike"],
}


def site_url() -> str:
    return settings.MUEVE_SITE_URL.rstrip("/")


def catalog_iri() -> URIRef:
    return URIRef(f"{site_url()}/catalogo/")


def dataset_iri(dataset: Dataset) -> URIRef:
    return URIRef(f"{site_url()}/catalogo/conjuntos/{dataset.uuid}")


def distribution_iri(distribution: Distribution) -> URIRef:
    return URIRef(f"{site_url()}/catalogo/conjuntos/{distribution.dataset.uuid}#{distribution.uuid}")


def publisher_iri(organization: Organization) -> URIRef:
    return URIRef(site_url() + reverse("stakeholders:detail", args=[organization.slug]))


@lru_cache
def _route_exists(name: str, *args) -> bool:
    # Other parts of the catalog add these pages; asked once per process, not once per dataset (a failed reverse()
    # costs milliseconds).
    try:
        reverse(name, args=args)
        return True
    except NoReverseMatch:
        return False


def dataset_page(dataset: Dataset) -> str:
    """The dataset's page on this platform, for people: the catalog's page when it has one, else its RDF."""
    if _route_exists("datasets:detail", "x"):
        return site_url() + reverse("datasets:detail", args=[dataset.slug])
    return str(dataset_iri(dataset))


def published_datasets() -> QuerySet[Dataset]:
    return (
        Dataset.objects.filter(status=Dataset.Status.PUBLISHED)
        .select_related("publisher", "spatial_jurisdiction")
        .prefetch_related(Prefetch("distributions", queryset=Distribution.objects.order_by("position", "pk")))
        .order_by("pk")
    )


class _Builder:
    """Adds resources to one graph, stating each controlled concept and each agent once."""

    def __init__(self) -> None:
        self.g = Graph(bind_namespaces="core")
        for prefix, namespace in t.BINDINGS.items():
            self.g.bind(prefix, namespace)
        self._done: set = set()
        self._agents: dict[int, URIRef] = {}

    # --- shared nodes ---------------------------------------------------------------------------------------------

    def concept(self, iri: str, scheme: str, label: str = "", rdf_class: URIRef | None = None) -> URIRef:
        node = URIRef(iri)
        if node not in self._done:
            self._done.add(node)
            self.g.add((node, RDF.type, SKOS.Concept))
            if rdf_class is not None:
                self.g.add((node, RDF.type, rdf_class))
            self.g.add((node, SKOS.inScheme, self.scheme(scheme)))
            if label:
                self.g.add((node, SKOS.prefLabel, Literal(str(label), lang=LANG)))
        return node

    def scheme(self, iri: str) -> URIRef:
        node = URIRef(iri)
        if node not in self._done:
            self._done.add(node)
            self.g.add((node, RDF.type, SKOS.ConceptScheme))
            self.g.add((node, DCTERMS.title, Literal(t.SCHEME_TITLES[iri], lang="en")))
        return node

    def agent(self, organization: Organization) -> URIRef:
        if organization.pk in self._agents:
            return self._agents[organization.pk]
        node = self._agents[organization.pk] = publisher_iri(organization)
        g = self.g
        g.add((node, RDF.type, FOAF.Agent))
        g.add((node, RDF.type, FOAF.Organization))
        g.add((node, FOAF.name, Literal(organization.name, lang=LANG)))
        if organization.acronym:
            g.add((node, SKOS.altLabel, Literal(organization.acronym, lang=LANG)))
        if organization.website:
            g.add((node, FOAF.homepage, self.document(organization.website)))
        kind = publisher_type(organization)
        g.add((node, DCTERMS.type, self.concept(t.PUBLISHER_TYPE + kind, t.SCHEME_PUBLISHER_TYPE, kind)))
        return node

    def document(self, url: str) -> URIRef:
        node = URIRef(url)
        self.g.add((node, RDF.type, FOAF.Document))
        return node

    def licence(self, spdx: str) -> URIRef | BNode | None:
        if spdx not in LICENSES:
            return None
        url = license_url(spdx)
        node = URIRef(url) if url else BNode(f"licencia-{spdx}")
        if node in self._done:
            return node
        self._done.add(node)
        self.g.add((node, RDF.type, DCTERMS.LicenseDocument))
        self.g.add((node, RDFS.label, Literal(LICENSES[spdx][0], lang=LANG)))
        self.g.add((node, DCTERMS.identifier, Literal(spdx)))
        for kind in LICENCE_TYPES.get(spdx, []):
            self.g.add((node, DCTERMS.type, self.concept(t.LICENCE_TYPE + kind, t.SCHEME_LICENCE_TYPE, kind)))
        return node

    def language(self) -> URIRef:
        code = EU_LANGUAGE.get(settings.LANGUAGE_CODE.split("-")[0], "SPA")
        label = {"SPA": "español", "ENG": "inglés"}[code]
        return self.concept(f"{t.SCHEME_LANGUAGE}/{code}", t.SCHEME_LANGUAGE, label, DCTERMS.LinguisticSystem)

    def country(self) -> URIRef | None:
        code = settings.MUEVE_CATALOG_COUNTRY
        if not code:
            return None
        label = {"CHL": "Chile"}.get(code, code)
        return self.concept(f"{t.SCHEME_COUNTRY}/{code}", t.SCHEME_COUNTRY, label, DCTERMS.Location)

    def text(self, node, predicate, value: str) -> None:
        if value:
            self.g.add((node, predicate, Literal(value, lang=LANG)))

    def when(self, node, predicate, value: datetime | date | None) -> None:
        if isinstance(value, datetime):
            self.g.add((node, predicate, Literal(value.isoformat(), datatype=XSD.dateTime)))
        elif isinstance(value, date):
            self.g.add((node, predicate, Literal(value.isoformat(), datatype=XSD.date)))

    # --- the catalog's resources ----------------------------------------------------------------------------------

    def location(self, *, bbox: tuple[float, float, float, float] | None, iri: str | None = None, label: str = ""):
        node = URIRef(iri) if iri else BNode()
        g = self.g
        g.add((node, RDF.type, DCTERMS.Location))
        if label:
            g.add((node, SKOS.prefLabel, Literal(label, lang=LANG)))
        if bbox:
            west, south, east, north = bbox
            polygon = f"POLYGON(({west} {south}, {east} {south}, {east} {north}, {west} {north}, {west} {south}))"
            g.add((node, DCAT.bbox, Literal(polygon, datatype=t.GSP.wktLiteral)))
            centroid = f"POINT({(west + east) / 2} {(south + north) / 2})"
            g.add((node, DCAT.centroid, Literal(centroid, datatype=t.GSP.wktLiteral)))
        return node

    def jurisdiction(self, jurisdiction) -> URIRef:
        """A jurisdiction as a place: its name, and the box around its loaded areas (or its centre)."""
        iri = f"{site_url()}{reverse('territory:list')}#{jurisdiction.slug}"
        if URIRef(iri) in self._done:
            return URIRef(iri)
        self._done.add(URIRef(iri))
        extent = jurisdiction.areas.aggregate(w=Min("min_lon"), s=Min("min_lat"), e=Max("max_lon"), n=Max("max_lat"))
        bbox = (extent["w"], extent["s"], extent["e"], extent["n"]) if extent["w"] is not None else None
        node = self.location(bbox=bbox, iri=iri, label=jurisdiction.name)
        if bbox is None and jurisdiction.center_lat is not None:
            point = f"POINT({jurisdiction.center_lon} {jurisdiction.center_lat})"
            self.g.add((node, DCAT.centroid, Literal(point, datatype=t.GSP.wktLiteral)))
        return node

    def dataset(self, dataset: Dataset) -> URIRef:
        g = self.g
        node = dataset_iri(dataset)
        g.add((node, RDF.type, DCAT.Dataset))
        self.text(node, DCTERMS.title, dataset.title)
        # dct:description is mandatory: a record without one says so rather than leaving it out.
        self.text(node, DCTERMS.description, dataset.description or dataset.title)
        g.add((node, DCTERMS.identifier, Literal(str(dataset.uuid))))
        for keyword in dataset.keywords:
            self.text(node, DCAT.keyword, keyword)
        labels = dict(Theme.choices)
        for code in dataset.themes_list:
            if code in labels:
                g.add((node, DCAT.theme, self.concept(theme_uri(code), t.SCHEME_THEME, labels[code])))
        g.add((node, DCTERMS.publisher, self.agent(dataset.publisher)))
        if dataset.contact_email or dataset.contact_name:
            contact = BNode()
            g.add((contact, RDF.type, t.VCARD.Kind))
            g.add((contact, t.VCARD.fn, Literal(dataset.contact_name or dataset.publisher.name)))
            if dataset.contact_email:
                g.add((contact, t.VCARD.hasEmail, URIRef(f"mailto:{dataset.contact_email}")))
            g.add((node, DCAT.contactPoint, contact))
        if dataset.bbox:
            g.add((node, DCTERMS.spatial, self.location(bbox=dataset.bbox)))
        if dataset.spatial_jurisdiction_id:
            g.add((node, DCTERMS.spatial, self.jurisdiction(dataset.spatial_jurisdiction)))
        if dataset.temporal_start or dataset.temporal_end:
            period = BNode()
            g.add((period, RDF.type, DCTERMS.PeriodOfTime))
            self.when(period, DCAT.startDate, dataset.temporal_start)
            self.when(period, DCAT.endDate, dataset.temporal_end)
            g.add((node, DCTERMS.temporal, period))
        frequency = frequency_uri(dataset.accrual_periodicity)
        g.add(
            (
                node,
                DCTERMS.accrualPeriodicity,
                self.concept(frequency, t.SCHEME_FREQUENCY, _label(frequency), DCTERMS.Frequency),
            )
        )
        rights = access_right_uri(dataset.access_rights)
        g.add(
            (
                node,
                DCTERMS.accessRights,
                self.concept(rights, t.SCHEME_ACCESS_RIGHT, _label(rights), DCTERMS.RightsStatement),
            )
        )
        if dataset.version:
            g.add((node, t.DCAT_VERSION, Literal(dataset.version)))
        self.when(node, DCTERMS.issued, dataset.issued or dataset.created_at)
        self.when(node, DCTERMS.modified, dataset.data_modified or dataset.updated_at)
        g.add((node, DCAT.landingPage, self.document(dataset.landing_page or dataset_page(dataset))))
        g.add((node, DCTERMS.language, self.language()))
        for distribution in dataset.distributions.all():
            g.add((node, DCAT.distribution, self.distribution(distribution, dataset)))
        return node

    def distribution(self, distribution: Distribution, dataset: Dataset) -> URIRef:
        g = self.g
        node = distribution_iri(distribution)
        g.add((node, RDF.type, DCAT.Distribution))
        self.text(node, DCTERMS.title, distribution.title)
        self.text(node, DCTERMS.description, distribution.description or distribution.title)
        download = download_url(distribution, dataset)
        # dcat:accessURL is mandatory: the file itself, the endpoint, or the dataset's page that leads to it.
        g.add((node, DCAT.accessURL, URIRef(distribution.access_url or download or dataset_page(dataset))))
        if download:
            g.add((node, DCAT.downloadURL, URIRef(download)))
        if distribution.format in FILE_TYPES:
            label = FILE_TYPES[distribution.format][0]
            fmt = self.concept(file_type_uri(distribution.format), t.SCHEME_FILE_TYPE, label, DCTERMS.MediaTypeOrExtent)
            g.add((node, DCTERMS.format, fmt))
        media_type = distribution.media_type or FILE_TYPES.get(distribution.format, ("", ""))[1]
        if media_type:
            media = URIRef(t.IANA_MEDIA_TYPES + media_type)
            g.add((media, RDF.type, DCTERMS.MediaType))
            g.add((node, DCAT.mediaType, media))
        licence = self.licence(dataset.license)
        if licence is not None:
            g.add((node, DCTERMS.license, licence))
        if distribution.byte_size is not None and distribution.byte_size >= 0:
            g.add((node, DCAT.byteSize, Literal(distribution.byte_size, datatype=XSD.nonNegativeInteger)))
        if distribution.checksum_sha256:
            checksum = BNode()
            g.add((checksum, RDF.type, t.SPDX.Checksum))
            algorithm = t.SPDX.checksumAlgorithm_sha256
            g.add((algorithm, RDF.type, t.SPDX.ChecksumAlgorithm))
            g.add((checksum, t.SPDX.algorithm, algorithm))
            g.add(
                (checksum, t.SPDX.checksumValue, Literal(distribution.checksum_sha256.lower(), datatype=XSD.hexBinary))
            )
            g.add((node, t.SPDX.checksum, checksum))
        # Whatever the catalog publishes it keeps available while the dataset is published.
        available = self.concept(f"{t.SCHEME_AVAILABILITY}/AVAILABLE", t.SCHEME_AVAILABILITY, EU_LABELS["AVAILABLE"])
        g.add((node, t.DCATAP.availability, available))
        self.when(node, DCTERMS.modified, distribution.updated_at)
        return node

    def catalog(self, datasets: Iterable[Dataset]) -> URIRef:
        g = self.g
        node = catalog_iri()
        site = settings.MUEVE_SITE_NAME
        g.add((node, RDF.type, DCAT.Catalog))
        self.text(node, DCTERMS.title, f"{site}: catálogo de datos abiertos")
        self.text(
            node,
            DCTERMS.description,
            f"Los conjuntos de datos que publican {site} y las instituciones que participan en sus programas: "
            "movilidad, transporte, territorio y servicios de la ciudad.",
        )
        g.add((node, DCTERMS.publisher, self.catalog_publisher()))
        g.add((node, FOAF.homepage, self.document(site_url() + reverse("datasets:list"))))
        g.add((node, DCTERMS.language, self.language()))
        licence = self.licence(settings.MUEVE_CATALOG_LICENSE)
        if licence is not None:
            g.add((node, DCTERMS.license, licence))
        g.add((node, DCAT.themeTaxonomy, self.scheme(t.SCHEME_THEME)))
        country = self.country()
        if country is not None:
            g.add((node, DCTERMS.spatial, country))
        span = Dataset.objects.filter(status=Dataset.Status.PUBLISHED).aggregate(
            first=Min("created_at"), issued=Min("issued"), last=Max("updated_at")
        )
        self.when(node, DCTERMS.issued, span["issued"] or span["first"])
        self.when(node, DCTERMS.modified, span["last"])
        for dataset in datasets:
            g.add((node, DCAT.dataset, self.dataset(dataset)))
        return node

    def catalog_publisher(self) -> URIRef:
        slug = settings.MUEVE_CATALOG_PUBLISHER
        organization = Organization.objects.filter(slug=slug).first() if slug else None
        if organization is not None:
            return self.agent(organization)
        # No organization named: the installation itself publishes its catalog.
        node = URIRef(site_url() + "/")
        self.g.add((node, RDF.type, FOAF.Agent))
        self.g.add((node, FOAF.name, Literal(settings.MUEVE_SITE_NAME, lang=LANG)))
        return node


def _label(concept: str) -> str:
    code = concept.rsplit("/", 1)[1]
    return EU_LABELS.get(code, code)


def publisher_type(organization: Organization) -> str:
    """The ADMS publisher type of an organization, from its sector and level."""
    if organization.sector == Sector.GOVERNMENT:
        return {Level.NATIONAL: "NationalAuthority", Level.REGIONAL: "RegionalAuthority"}.get(
            organization.level, "LocalAuthority"
        )
    return {
        Sector.PRIVATE: "Company",
        Sector.ACADEMIA: "Academia-ScientificOrganisation",
        Sector.CIVIL_SOCIETY: "NonGovernmentalOrganisation",
        Sector.INTERNATIONAL: "SupraNationalAuthority",
    }.get(organization.sector, "NonGovernmentalOrganisation")


def download_url(distribution: Distribution, dataset: Dataset) -> str:
    """Where the file itself is: the platform's download route for a file it keeps, or the external file."""
    if distribution.file:
        if not _route_exists("datasets:download", "x", distribution.uuid):
            return ""
        return site_url() + reverse("datasets:download", args=[dataset.slug, distribution.uuid])
    if distribution.kind == Distribution.Kind.FILE and distribution.access_url:
        return distribution.access_url
    return ""


def catalog_graph(datasets: Iterable[Dataset] | None = None) -> Graph:
    """The whole catalog: every published dataset (or those given)."""
    builder = _Builder()
    builder.catalog(published_datasets() if datasets is None else datasets)
    return builder.g


def dataset_graph(dataset: Dataset) -> Graph:
    """One dataset on its own (what its IRI serves)."""
    builder = _Builder()
    node = builder.dataset(dataset)
    builder.g.add((catalog_iri(), DCAT.dataset, node))
    return builder.g
