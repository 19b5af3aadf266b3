"""The platform's own data, published in the catalog and kept current (the issue's "own data"):

- `incidents`: citizen incidents (daily CSV and GeoJSON, the Open311 API, the live public GeoJSON);
- `gtfs:<feed>`: each transit feed (the static GTFS zip and its three GTFS-Realtime feeds);
- `competitions`: the results of competitions whose results are public (CSV and JSON);
- `roadmap:<programme>`: each public programme's roadmap and its progress (CSV and JSON).

Each is a published, public, CC BY 4.0 dataset whose `generator` is the key above. Tabular files are loaded into
the datastore too, so the CKAN API's `datastore_search` answers on them.

How it stays current (the platform has no scheduler of its own; cron or a systemd timer runs commands):
- `manage.py publish_own_data` regenerates everything (run it daily); `--if-stale` only what changed since its last
  run, cheaply, so it can run every few minutes;
- a download of a generated file (`views.own_data`) regenerates its dataset first when it is stale: older than its
  declared frequency, its file missing, or its source changed since and MUEVE_OWN_DATA_MIN_REFRESH_SECONDS passed;
- `make demo` publishes them after loading the rest of the demo.
Running a generator twice changes nothing the second time except the dataset's `data_modified`.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from mueve.datasets.models import Dataset, Periodicity
from mueve.datasets.own_data import base, competitions, incidents, roadmap, transit
from mueve.datasets.own_data.base import Outcome

log = logging.getLogger(__name__)

# Family -> the module that generates it: PREFIX, keys() (the generators its source has now), spec(generator)
# (what to publish, or None) and changed_since(generator, moment).
FAMILIES = {
    incidents.PREFIX: incidents,
    transit.PREFIX: transit,
    competitions.PREFIX: competitions,
    roadmap.PREFIX: roadmap,
}
# How old a generated dataset may grow before a download regenerates it, by declared frequency.
MAX_AGE = {
    Periodicity.CONTINUOUS: timedelta(hours=1),
    Periodicity.DAILY: timedelta(days=1),
    Periodicity.WEEKLY: timedelta(days=7),
    Periodicity.MONTHLY: timedelta(days=30),
}
DEFAULT_MAX_AGE = timedelta(days=1)


@dataclass
class Run:
    outcomes: list[Outcome]
    withdrawn: int
    skipped: int  # datasets found current (with --if-stale)


def family_of(generator: str) -> str:
    return generator.partition(":")[0]


def _generated(family: str):
    if family in (incidents.PREFIX, competitions.PREFIX):
        return Dataset.objects.filter(generator=family)
    return Dataset.objects.filter(generator__startswith=f"{family}:")


def publish(*, families=None, if_stale: bool = False, now: datetime | None = None) -> Run:
    """Regenerates every own dataset of `families` (default: all), and withdraws those whose source is gone (a
    feed deleted, a programme made private, no public results left). With `if_stale`, a published dataset that is
    current (`is_stale`) is left as it is."""
    now = now or timezone.now()
    run = Run(outcomes=[], withdrawn=0, skipped=0)
    with translation.override(settings.LANGUAGE_CODE):
        for family in families or FAMILIES:
            module = FAMILIES[family]
            existing = {d.generator: d for d in _generated(family)}
            produced = set()
            for key in module.keys():
                dataset = existing.get(key)
                if if_stale and dataset is not None and dataset.is_published and not is_stale(dataset, now=now):
                    run.skipped += 1
                    produced.add(key)
                    continue
                spec = module.spec(key)
                if spec is None:
                    continue
                run.outcomes.append(base.apply(spec, now=now))
                produced.add(key)
            run.withdrawn += base.withdraw(_generated(family).exclude(generator__in=produced))
    return run


def refresh(dataset: Dataset, *, now: datetime | None = None) -> Outcome | None:
    """Regenerates one own dataset (a download found it stale). Returns None when its source is gone, after
    withdrawing it."""
    module = FAMILIES.get(family_of(dataset.generator))
    if module is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        spec = module.spec(dataset.generator)
        if spec is None:
            base.withdraw(Dataset.objects.filter(pk=dataset.pk))
            return None
        return base.apply(spec, now=now)


def is_stale(dataset: Dataset, *, now: datetime | None = None) -> bool:
    """Due for regeneration: never generated, a generated file missing, older than its declared frequency, or its
    source changed since (and MUEVE_OWN_DATA_MIN_REFRESH_SECONDS passed: incidents change by the minute)."""
    module = FAMILIES.get(family_of(dataset.generator))
    if module is None:
        return False
    now = now or timezone.now()
    if dataset.data_modified is None:
        return True
    for distribution in dataset.distributions.exclude(file=""):
        if not distribution.file.storage.exists(distribution.file.name):
            return True
    age = now - dataset.data_modified
    if age >= MAX_AGE.get(dataset.accrual_periodicity, DEFAULT_MAX_AGE):
        return True
    if age < timedelta(seconds=settings.MUEVE_OWN_DATA_MIN_REFRESH_SECONDS):
        return False
    return module.changed_since(dataset.generator, dataset.data_modified)


__all__ = ["FAMILIES", "Run", "is_stale", "publish", "refresh"]


REFRESH_LOCK_SECONDS = 300  # longer than a regeneration takes; a crashed one frees the lock after this


def refresh_if_stale(dataset: Dataset) -> None:
    """Before a download: regenerates a stale dataset, one process at a time (the others serve the file as it is).
    A failure keeps the last good file published; the next download or the scheduled run tries again."""
    if not is_stale(dataset):
        return
    lock = f"mueve:own-data:refresh:{dataset.pk}"
    if not cache.add(lock, 1, REFRESH_LOCK_SECONDS):
        return
    try:
        refresh(dataset)
    except Exception:
        log.exception("own data: could not regenerate %s", dataset.generator)
    finally:
        cache.delete(lock)
