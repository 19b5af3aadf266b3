"""What every own-data generator shares: the description of a dataset to publish (`Spec`), writing it to the catalog
(`apply`), and choosing who publishes it.

A generator owns its dataset (found by `Dataset.generator`) and the dataset's distributions (found by their
position): running it again updates them in place, so it never duplicates a dataset, a distribution or a row.
A generated file is written to storage only when its content changed (its SHA-256 says), and its tabular rows are
loaded into the datastore then, or when the datastore lost them.
"""

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone

from mueve.core.events import publish
from mueve.core.slugs import save_with_unique_slug, slug_base
from mueve.datasets import datastore, events
from mueve.datasets.models import AccessRights, Dataset, Distribution
from mueve.datasets.models.vocab import FILE_TYPES
from mueve.datasets.services.inventory import search_text
from mueve.stakeholders.models import Organization, ProgramRole, ProgramStakeholder, Sector

log = logging.getLogger(__name__)

LICENSE = "CC-BY-4.0"


@dataclass
class GeneratedFile:
    """A file the platform writes (a CSV, a GeoJSON, a GTFS zip); `fields` and `rows` go to the datastore."""

    position: int
    title: str
    description: str
    format: str  # EU file-type code (vocab.FILE_TYPES)
    filename: str  # as it is downloaded
    content: bytes
    fields: list[dict] | None = None
    rows: list[tuple] | None = None


@dataclass
class Link:
    """An endpoint the platform serves live (an API, a feed): the distribution points at it."""

    position: int
    title: str
    description: str
    kind: str  # Distribution.Kind
    format: str
    url: str


@dataclass
class Spec:
    generator: str
    title: str
    slug: str
    description: str
    publisher: Organization
    keyword: str
    themes: str
    periodicity: str
    program: object = None
    jurisdiction: object = None
    bbox: tuple[float, float, float, float] | None = None
    temporal: tuple[date | None, date | None] = (None, None)
    landing_page: str = ""
    version: str = ""
    license: str = LICENSE
    distributions: list[GeneratedFile | Link] = field(default_factory=list)
    # The publisher was inferred from the data (not configured): an existing dataset keeps the one it has.
    keep_publisher: bool = False


@dataclass
class Outcome:
    dataset: Dataset
    created: bool
    files_written: int
    rows: int


def site_url(path: str) -> str:
    return settings.MUEVE_SITE_URL.rstrip("/") + path


def iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


# --- who publishes --------------------------------------------------------------------------------------------


def configured_organization(slug: str) -> Organization | None:
    if not slug:
        return None
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        log.warning("own data: no organization with slug %r; using the default publisher", slug)
    return organization


def lead_organization(program=None) -> Organization | None:
    """Who publishes the platform's data: MUEVE_OWN_DATA_PUBLISHER, else the main counterpart of `program` (or of
    the latest public programme), else a government counterpart, else the first government organization."""
    configured = configured_organization(settings.MUEVE_OWN_DATA_PUBLISHER)
    if configured is not None:
        return configured
    links = ProgramStakeholder.objects.filter(program__is_public=True)
    if program is not None:
        links = ProgramStakeholder.objects.filter(program=program)
    for role in (ProgramRole.MAIN_COUNTERPART, ProgramRole.GOVERNMENT_COUNTERPART):
        link = (
            links.filter(roles__role=role)
            .select_related("organization")
            # The latest programme first; a parent organization before its own units (MTT before its division).
            .order_by("-program__start_date", F("organization__parent_id").asc(nulls_first=True), "organization__name")
            .first()
        )
        if link is not None:
            return link.organization
    return (
        Organization.objects.filter(sector=Sector.GOVERNMENT).order_by("pk").first()
        or Organization.objects.order_by("pk").first()
    )


def busiest_agency(incidents) -> Organization | None:
    """The organization assigned to most of `incidents` (a queryset): the one that attends them."""
    row = incidents.exclude(agency=None).values("agency").annotate(n=Count("pk")).order_by("-n", "agency").first()
    return Organization.objects.filter(pk=row["agency"]).first() if row else None


# --- writing a dataset ------------------------------------------------------------------------------------------


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def download_path(distribution: Distribution, filename: str) -> str:
    return reverse("datasets:own_data_download", args=[distribution.uuid, filename])


def apply(spec: Spec, *, now: datetime | None = None) -> Outcome:
    """Creates or updates the dataset `spec` describes, with its distributions, in one transaction. A file written
    for a transaction that then fails is removed; a file replaced is removed once the replacement committed."""
    now = now or timezone.now()
    written: list[tuple] = []  # (storage, name) of files this run wrote
    replaced: list[tuple] = []  # (storage, name) of files they replace
    try:
        with transaction.atomic():
            dataset, created = _dataset(spec, now)
            rows = 0
            kept = []
            for item in spec.distributions:
                distribution, loaded = _distribution(dataset, item, written, replaced)
                kept.append(distribution.pk)
                rows += loaded
            for extra in dataset.distributions.exclude(pk__in=kept):
                _remove_distribution(extra, replaced)
            publish(events.DATASET_SAVED, events.dataset_saved(dataset=dataset))
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
    # A file that had gone missing is written again under its old name: that name is not to delete.
    kept_names = {name for _storage, name in written}
    for storage, name in replaced:
        if name not in kept_names:
            storage.delete(name)
    return Outcome(dataset=dataset, created=created, files_written=len(written), rows=rows)


def _dataset(spec: Spec, now: datetime) -> tuple[Dataset, bool]:
    dataset = Dataset.objects.select_for_update().filter(generator=spec.generator).first()
    created = dataset is None
    if created:
        dataset = Dataset(generator=spec.generator)
    if created or not spec.keep_publisher:
        dataset.publisher = spec.publisher
    dataset.title = spec.title
    dataset.description = spec.description
    dataset.keyword = spec.keyword
    dataset.themes = spec.themes
    dataset.accrual_periodicity = spec.periodicity
    # The platform's own data is open by definition: published, public, CC BY 4.0 (unless a feed it republishes
    # declares another open licence).
    dataset.status = Dataset.Status.PUBLISHED
    dataset.access_rights = AccessRights.PUBLIC
    dataset.license = spec.license
    dataset.program = spec.program
    dataset.spatial_jurisdiction = spec.jurisdiction
    dataset.bbox_west, dataset.bbox_south, dataset.bbox_east, dataset.bbox_north = spec.bbox or (None,) * 4
    dataset.temporal_start, dataset.temporal_end = spec.temporal
    dataset.landing_page = spec.landing_page
    dataset.version = spec.version
    dataset.contact_name = dataset.publisher.name[:120]
    dataset.contact_email = settings.MUEVE_OWN_DATA_CONTACT_EMAIL
    dataset.issued = dataset.issued or now
    dataset.data_modified = now
    dataset.search_text = search_text(dataset)
    # The landing page is this site (MUEVE_SITE_URL), which may be a bare host name no URL validator accepts.
    if created:
        dataset.full_clean(exclude=["slug", "landing_page"])
        save_with_unique_slug(dataset, slug_base(spec.slug, max_length=120, fallback="datos-de-la-plataforma"))
    else:
        dataset.full_clean(exclude=["landing_page"])
        dataset.save()
    return dataset, created


def _distribution(dataset: Dataset, item: GeneratedFile | Link, written: list, replaced: list) -> tuple:
    distribution = Distribution.objects.filter(dataset=dataset, position=item.position).order_by("pk").first()
    if distribution is None:
        distribution = Distribution(dataset=dataset, position=item.position)
    distribution.title = item.title
    distribution.description = item.description
    distribution.format = item.format
    distribution.media_type = FILE_TYPES.get(item.format, FILE_TYPES["OTHER"])[1]
    if isinstance(item, Link):
        distribution.kind = item.kind
        distribution.access_url = item.url
        if distribution.file:
            replaced.append((distribution.file.storage, distribution.file.name))
            distribution.file = ""
        distribution.byte_size = None
        distribution.checksum_sha256 = ""
        distribution.save()
        datastore.drop(distribution)
        return distribution, 0
    distribution.kind = Distribution.Kind.FILE
    checksum = sha256(item.content)
    changed = (
        checksum != distribution.checksum_sha256
        or not distribution.file
        or not distribution.file.storage.exists(distribution.file.name)
    )
    if changed:
        if distribution.file:
            replaced.append((distribution.file.storage, distribution.file.name))
        distribution.file.save(item.filename, ContentFile(item.content), save=False)
        written.append((distribution.file.storage, distribution.file.name))
    distribution.byte_size = len(item.content)
    distribution.checksum_sha256 = checksum
    distribution.access_url = site_url(download_path(distribution, item.filename))
    distribution.save()
    if item.fields is None:
        datastore.drop(distribution)
        return distribution, 0
    fields = [{"id": f["id"], "type": f["type"]} for f in item.fields]
    if changed or not distribution.datastore_table or distribution.datastore_fields != fields:
        datastore.load(distribution, fields, item.rows or [])
    return distribution, len(item.rows or [])


def _remove_distribution(distribution: Distribution, replaced: list) -> None:
    if distribution.file:
        replaced.append((distribution.file.storage, distribution.file.name))
    datastore.drop(distribution)
    distribution.delete()


def withdraw(datasets) -> int:
    """Withdraws the generated datasets whose source is gone (a feed deleted, a programme no longer public)."""
    count = 0
    for dataset in datasets.exclude(status=Dataset.Status.WITHDRAWN):
        dataset.status = Dataset.Status.WITHDRAWN
        dataset.save(update_fields=["status", "updated_at"])
        publish(events.DATASET_SAVED, events.dataset_saved(dataset=dataset))
        count += 1
    return count
