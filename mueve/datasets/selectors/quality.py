"""Metadata quality, after data.europa.eu's Metadata Quality Assessment (MQA), plus freshness.

The MQA scores a dataset's metadata on five dimensions, with points per property; we keep its dimensions, its
weights and its rating bands (scaled to our maximum), and measure what this catalog can know without fetching
anything over the network while a page is drawn:

Findability (100): keywords 30, themes 30, spatial coverage (a jurisdiction or a bounding box) 20, temporal
  coverage 20.
Accessibility (100): access URL 50 (each distribution has a file the platform keeps or a URL), download URL 20
  (a file the platform keeps, or a file distribution's URL), download works 30 (a kept file whose size and SHA-256
  were recorded when it was stored: the platform serves it itself). The MQA tests the URLs by requesting them;
  we cannot on every page view, so a link to elsewhere earns the first points only.
Interoperability (110): format given 20, media type given 10, format from the EU file-type vocabulary 10,
  non-proprietary format 20, machine-readable format 20, DCAT-AP mandatory properties (title, description, and an
  access URL on every distribution) 30.
Reusability (75): licence 20, licence from the vocabulary (an SPDX id with a URL) 10, access rights 10, access
  rights from the vocabulary 5, contact point (an e-mail) 20, publisher 10.
Contextuality (20): rights (a licence statement) 5, byte size 5, date of issue 5, date of modification 5.
Freshness (30, not in the MQA; the issue asks for it): the data's last change (data_modified) against the
  declared frequency (vocab.FREQUENCY_MAX_AGE_DAYS): on time 30, late by up to the same period again 15, later 0;
  an irregular frequency earns 30 with any date; an unknown frequency or no date earns 0.

Distribution properties earn their points in proportion to the distributions that have them (the MQA averages
over distributions); a dataset without distributions is judged on its inventory format for the format criteria.
Total: 435 points. Rating bands, the MQA's scaled: excellent from 87 %, good from 55 %, sufficient from 30 %,
otherwise insufficient.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mueve.datasets.models import Dataset, Distribution, Periodicity
from mueve.datasets.models.vocab import FILE_TYPES, FREQUENCY_MAX_AGE_DAYS, LICENSES

NON_PROPRIETARY = {"CSV", "JSON", "GEOJSON", "XML", "HTML", "RDF_TURTLE", "JSON_LD", "GTFS", "BIN", "ZIP", "PDF"}
MACHINE_READABLE = {"CSV", "JSON", "GEOJSON", "XML", "RDF_TURTLE", "JSON_LD", "GTFS", "BIN", "XLSX", "XLS", "SHP"}

DIMENSIONS = {
    "findability": _("Búsqueda"),
    "accessibility": _("Accesibilidad"),
    "interoperability": _("Interoperabilidad"),
    "reusability": _("Reutilización"),
    "contextuality": _("Contexto"),
    "freshness": _("Actualidad"),
}
BANDS = [(0.87, "excellent", _("Excelente")), (0.55, "good", _("Buena")), (0.30, "sufficient", _("Suficiente"))]
LOWEST = ("insufficient", _("Insuficiente"))


@dataclass
class Check:
    dimension: str
    label: str
    points: float
    maximum: int


@dataclass
class Score:
    checks: list[Check] = field(default_factory=list)

    def add(self, dimension: str, label, maximum: int, fraction: float) -> None:
        self.checks.append(Check(dimension, str(label), round(maximum * max(0.0, min(1.0, fraction)), 1), maximum))

    @property
    def points(self) -> int:
        return round(sum(c.points for c in self.checks))

    @property
    def maximum(self) -> int:
        return sum(c.maximum for c in self.checks)

    @property
    def percent(self) -> int:
        return round(100 * self.points / self.maximum) if self.maximum else 0

    @property
    def band(self) -> str:
        return band_of(self.percent)[0]

    @property
    def band_label(self) -> str:
        return str(band_of(self.percent)[1])

    @property
    def dimensions(self) -> list[tuple[str, str, int, int]]:
        """(key, label, points, maximum) per dimension, in the MQA's order."""
        rows = []
        for key, label in DIMENSIONS.items():
            mine = [c for c in self.checks if c.dimension == key]
            rows.append((key, str(label), round(sum(c.points for c in mine)), sum(c.maximum for c in mine)))
        return rows

    @property
    def missing(self) -> list[Check]:
        return [c for c in self.checks if c.points < c.maximum]


def band_of(percent: float) -> tuple[str, str]:
    for threshold, key, label in BANDS:
        if percent >= threshold * 100:
            return key, label
    return LOWEST


def _share(items: list, test) -> float:
    return sum(1 for item in items if test(item)) / len(items) if items else 0.0


def _freshness(dataset: Dataset, now: datetime) -> float:
    if dataset.accrual_periodicity == Periodicity.UNKNOWN or dataset.data_modified is None:
        return 0.0
    if dataset.accrual_periodicity == Periodicity.IRREGULAR:
        return 1.0
    allowed = FREQUENCY_MAX_AGE_DAYS.get(dataset.accrual_periodicity)
    if allowed is None:
        return 0.0
    age = (now - dataset.data_modified).total_seconds() / 86400
    if age <= allowed:
        return 1.0
    return 0.5 if age <= 2 * allowed else 0.0


def freshness_late(dataset: Dataset, now: datetime | None = None) -> bool:
    """The data is older than its declared frequency allows."""
    return _freshness(dataset, now or timezone.now()) < 1.0 and dataset.accrual_periodicity in FREQUENCY_MAX_AGE_DAYS


def score(dataset: Dataset, *, distributions: list[Distribution] | None = None, now: datetime | None = None) -> Score:
    """The dataset's score; pass `distributions` when they are already at hand (prefetched)."""
    now = now or timezone.now()
    dists = list(dataset.distributions.all()) if distributions is None else distributions
    s = Score()

    s.add("findability", _("Palabras clave"), 30, bool(dataset.keywords))
    s.add("findability", _("Temas"), 30, bool(dataset.themes_list))
    spatial = dataset.spatial_jurisdiction_id is not None or dataset.bbox_west is not None
    s.add("findability", _("Cobertura espacial"), 20, spatial)
    s.add("findability", _("Cobertura temporal"), 20, dataset.temporal_start is not None)

    s.add("accessibility", _("URL de acceso"), 50, _share(dists, lambda d: bool(d.file or d.access_url)))
    downloadable = lambda d: bool(d.file) or (d.kind == Distribution.Kind.FILE and bool(d.access_url))  # noqa: E731
    s.add("accessibility", _("URL de descarga"), 20, _share(dists, downloadable))
    kept = lambda d: bool(d.file) and d.byte_size is not None and bool(d.checksum_sha256)  # noqa: E731
    s.add("accessibility", _("Descarga verificada"), 30, _share(dists, kept))

    formats = [d.format.upper() for d in dists] if dists else ([dataset.format.upper()] if dataset.format else [])
    s.add("interoperability", _("Formato"), 20, _share(formats, bool) if dists else float(bool(formats)))
    s.add("interoperability", _("Tipo de medio"), 10, _share(dists, lambda d: bool(d.media_type)))
    s.add("interoperability", _("Formato del vocabulario"), 10, _share(formats, lambda f: f in FILE_TYPES))
    s.add("interoperability", _("Formato no propietario"), 20, _share(formats, lambda f: f in NON_PROPRIETARY))
    s.add("interoperability", _("Formato legible por máquinas"), 20, _share(formats, lambda f: f in MACHINE_READABLE))
    mandatory = bool(dataset.title and dataset.description) and all(d.file or d.access_url for d in dists)
    s.add("interoperability", _("Propiedades obligatorias de DCAT-AP"), 30, mandatory)

    s.add("reusability", _("Licencia"), 20, bool(dataset.license))
    s.add("reusability", _("Licencia del vocabulario"), 10, bool(LICENSES.get(dataset.license, ("", ""))[1]))
    s.add("reusability", _("Condiciones de acceso"), 10, bool(dataset.access_rights))
    s.add("reusability", _("Condiciones de acceso del vocabulario"), 5, bool(dataset.access_rights))
    s.add("reusability", _("Punto de contacto"), 20, bool(dataset.contact_email))
    s.add("reusability", _("Institución que publica"), 10, dataset.publisher_id is not None)

    s.add("contextuality", _("Derechos"), 5, bool(dataset.license))
    s.add("contextuality", _("Tamaño en bytes"), 5, _share(dists, lambda d: d.byte_size is not None))
    s.add("contextuality", _("Fecha de publicación"), 5, dataset.issued is not None)
    s.add("contextuality", _("Fecha de modificación"), 5, dataset.data_modified is not None)

    s.add("freshness", _("Al día según su frecuencia"), 30, _freshness(dataset, now))
    return s


@dataclass
class PublisherQuality:
    name: str
    slug: str
    datasets: int
    percent: int
    band: str
    band_label: str
    dimensions: list[tuple[str, str, int]]  # (key, label, percent)


def _with_distributions(qs: QuerySet[Dataset]) -> QuerySet[Dataset]:
    return qs.select_related("publisher").prefetch_related(
        Prefetch("distributions", queryset=Distribution.objects.order_by("position", "pk"))
    )


def by_publisher(qs: QuerySet[Dataset] | None = None) -> list[PublisherQuality]:
    """The mean score of each publisher's datasets (default: the published ones), best first."""
    if qs is None:
        qs = Dataset.objects.filter(status=Dataset.Status.PUBLISHED)
    now = timezone.now()
    groups: dict[int, tuple] = {}
    for dataset in _with_distributions(qs):
        result = score(dataset, distributions=list(dataset.distributions.all()), now=now)
        groups.setdefault(dataset.publisher_id, (dataset.publisher, []))[1].append(result)
    rows = []
    for publisher, scores in groups.values():
        rows.append(_summary(publisher.name, publisher.slug, scores))
    rows.sort(key=lambda r: (-r.percent, r.name.lower()))
    return rows


def _summary(name: str, slug: str, scores: list[Score]) -> PublisherQuality:
    percent = round(sum(s.percent for s in scores) / len(scores)) if scores else 0
    dims = []
    for index, (key, label) in enumerate(DIMENSIONS.items()):
        got = sum(s.dimensions[index][2] for s in scores)
        top = sum(s.dimensions[index][3] for s in scores)
        dims.append((key, str(label), round(100 * got / top) if top else 0))
    key, label = band_of(percent)
    return PublisherQuality(name, slug, len(scores), percent, key, str(label), dims)


def overall(qs: QuerySet[Dataset]) -> PublisherQuality | None:
    """All of `qs`'s datasets together (e.g. a programme's)."""
    now = timezone.now()
    scores = [score(d, distributions=list(d.distributions.all()), now=now) for d in _with_distributions(qs)]
    return _summary("", "", scores) if scores else None


@dataclass
class ProgramQuality:
    overall: PublisherQuality | None
    publishers: list[PublisherQuality]
    published: int
    waiting: int  # inventoried or withdrawn: not public


def for_program(program) -> ProgramQuality:
    """The programme's datasets on its progress page: the quality of those published, per publisher and together,
    and how many of its inventory are not public yet."""
    published = Dataset.objects.filter(program=program, status=Dataset.Status.PUBLISHED)
    return ProgramQuality(
        overall=overall(published),
        publishers=by_publisher(published),
        published=published.count(),
        waiting=Dataset.objects.filter(program=program).exclude(status=Dataset.Status.PUBLISHED).count(),
    )
