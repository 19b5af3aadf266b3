"""One harvest run: read the whole source first, then write it in one transaction.

Harvested datasets carry their source and the id they have there (`harvest_source`, `harvest_identifier`): the
next run updates them in place, and withdraws (never deletes) those the source no longer lists. A source that
cannot be read at all (timeout, not CKAN, malformed RDF) changes nothing; its Spanish error is kept in
`last_result`.
"""

import time
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.core.events import publish_many
from mueve.core.slugs import save_with_unique_slug, slug_base
from mueve.datasets import events
from mueve.datasets.dcat.harvest import ckan, rdf
from mueve.datasets.dcat.harvest.fetch import HarvestError
from mueve.datasets.dcat.harvest.records import HarvestedDataset, HarvestedDistribution
from mueve.datasets.models import Dataset, Distribution, HarvestSource
from mueve.datasets.services.inventory import search_text
from mueve.stakeholders.models import Organization

READERS = {HarvestSource.Kind.CKAN: ckan.read, HarvestSource.Kind.DCAT: rdf.read}
# Messages kept in last_result (the counts are always whole).
MAX_MESSAGES = 20


def harvest(source: HarvestSource) -> dict:
    """Runs `source` now and returns what `last_result` records."""
    started = time.monotonic()
    try:
        found, errors = READERS[source.kind](source.url)
    except HarvestError as exc:
        result = {"ok": False, "error": str(exc), "created": 0, "updated": 0, "withdrawn": 0, "errors": 1}
    else:
        result = _apply(source, found, errors)
    result["seconds"] = round(time.monotonic() - started, 2)
    source.last_run_at = timezone.now()
    source.last_result = result
    source.save(update_fields=["last_run_at", "last_result", "updated_at"])
    return result


def due_sources(now=None):
    now = now or timezone.now()
    sources = HarvestSource.objects.filter(active=True).filter(
        Q(last_run_at__isnull=True) | Q(last_run_at__lte=now - timedelta(hours=1))
    )
    return [s for s in sources if s.last_run_at is None or s.last_run_at + timedelta(hours=s.every_hours) <= now]


def harvest_due(now=None) -> dict[HarvestSource, dict]:
    """Runs every active source whose interval has passed (what `manage.py harvest` does on each call)."""
    return {source: harvest(source) for source in due_sources(now)}


@transaction.atomic
def _apply(source: HarvestSource, found: list[HarvestedDataset], errors: list[str]) -> dict:
    existing = {
        d.harvest_identifier: d
        for d in Dataset.objects.filter(harvest_source=source)
        .select_related("publisher")
        .prefetch_related("distributions")
    }
    publishers = _publishers(found, source)
    counts = {"created": 0, "updated": 0, "withdrawn": 0}
    messages = list(errors)
    changed: list[Dataset] = []
    seen: set[str] = set()
    for record in found:
        if record.identifier in seen:
            continue
        seen.add(record.identifier)
        dataset = existing.get(record.identifier)
        try:
            with transaction.atomic():
                publisher = publishers.get(record.publisher_name.lower(), source.publisher)
                outcome, dataset = _write(source, record, dataset, publisher)
        except ValidationError as exc:
            messages.append(_("%(title)s: %(error)s") % {"title": record.title[:80], "error": _flatten(exc)})
            continue
        if outcome:
            counts[outcome] += 1
            changed.append(dataset)
    for identifier, dataset in existing.items():
        if identifier not in seen and dataset.status == Dataset.Status.PUBLISHED:
            dataset.status = Dataset.Status.WITHDRAWN
            dataset.save(update_fields=["status", "updated_at"])
            counts["withdrawn"] += 1
            changed.append(dataset)
    publish_many([(events.DATASET_SAVED, events.dataset_saved(dataset=d)) for d in changed])
    return {
        "ok": True,
        **counts,
        "errors": len(messages),
        "seen": len(seen),
        "messages": messages[:MAX_MESSAGES],
    }


def _publishers(found: list[HarvestedDataset], source: HarvestSource) -> dict[str, Organization]:
    """Organizations of this platform whose name a source's organization has (case aside)."""
    names = {d.publisher_name.lower() for d in found if d.publisher_name}
    if not names:
        return {}
    query = Q()
    for name in names:
        query |= Q(name__iexact=name)
    return {o.name.lower(): o for o in Organization.objects.filter(query)}


def _values(record: HarvestedDataset, publisher: Organization) -> dict:
    west, south, east, north = record.bbox or (None, None, None, None)
    return {
        "title": record.title,
        "description": record.description,
        "status": Dataset.Status.PUBLISHED,
        "publisher": publisher,
        "keyword": ", ".join(k.strip().replace(",", " ") for k in record.keywords if k.strip())[:255],
        "themes": ",".join(record.themes),
        "license": record.license,
        "landing_page": record.landing_page[:200],
        "version": record.version,
        "accrual_periodicity": record.accrual_periodicity,
        "access_rights": record.access_rights,
        "contact_name": record.contact_name,
        "contact_email": record.contact_email,
        "bbox_west": west,
        "bbox_south": south,
        "bbox_east": east,
        "bbox_north": north,
        "temporal_start": record.temporal_start,
        "temporal_end": record.temporal_end,
        "issued": record.issued,
        "data_modified": record.modified,
    }


def _write(source: HarvestSource, record: HarvestedDataset, dataset: Dataset | None, publisher) -> tuple[str, Dataset]:
    """Creates or updates one dataset and its distributions: "created", "updated" or "" (unchanged), and it."""
    values = _values(record, publisher)
    created = dataset is None
    if created:
        dataset = Dataset(harvest_source=source, harvest_identifier=record.identifier)
    dirty = created or any(getattr(dataset, k) != v for k, v in values.items())
    for key, value in values.items():
        setattr(dataset, key, value)
    if dirty:
        dataset.search_text = search_text(dataset)
        if created:
            dataset.full_clean(exclude=["slug"])
            save_with_unique_slug(dataset, slug_base(record.name or record.title, max_length=120, fallback="datos"))
        else:
            dataset.full_clean()
            dataset.save()
    dirty = _distributions(dataset, record.distributions, fresh=created) or dirty
    if not dirty:
        return "", dataset
    return ("created" if created else "updated"), dataset


def _distributions(dataset: Dataset, wanted: list[HarvestedDistribution], *, fresh: bool) -> bool:
    current = {} if fresh else {d.harvest_identifier: d for d in dataset.distributions.all()}
    changed = False
    kept = set()
    for position, item in enumerate(wanted):
        if not item.access_url or item.identifier in kept:
            continue
        kept.add(item.identifier)
        values = {
            "title": item.title,
            "description": item.description,
            "kind": item.kind,
            "format": item.format,
            "media_type": item.media_type,
            "access_url": item.access_url[:500],
            "byte_size": item.byte_size,
            "checksum_sha256": item.checksum_sha256,
            "position": position,
        }
        distribution = current.get(item.identifier)
        if distribution is None:
            distribution = Distribution(dataset=dataset, harvest_identifier=item.identifier[:200])
        elif all(getattr(distribution, k) == v for k, v in values.items()):
            continue
        for key, value in values.items():
            setattr(distribution, key, value)
        distribution.full_clean()
        distribution.save()
        changed = True
    # A distribution the source dropped is only a link to it: it goes (the dataset itself is withdrawn, not deleted).
    gone = [d.pk for ident, d in current.items() if ident not in kept]
    if gone:
        Distribution.objects.filter(pk__in=gone).delete()
        changed = True
    return changed


def _flatten(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())[:300]
    return " ".join(error.messages)[:300]
