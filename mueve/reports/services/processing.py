"""What follows storing reports, for one or many at once: the first line of each status history, the burst check,
the nearby asset, fusion and routing, adopters' notifications, and the events. `report_submit` runs it inside its
own transaction; for the reports `report_accept` only stored, the intake worker (mueve.reports.intake) runs
`reports_process_pending` in batches."""

import contextlib
import logging
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F

from mueve.core.bulk import update_rows
from mueve.core.events import publish_many
from mueve.reports import events
from mueve.reports.models import Incident, Report, ReportStatusChange, Service
from mueve.reports.services.adoption import asset_near
from mueve.reports.services.fusion import Fusion

# Spam heuristics: a burst of reports from one sender.
SPAM_BURST_COUNT = 5
SPAM_BURST_WINDOW = timedelta(minutes=10)
# A report that fails this often leaves the queue (see reports_process_pending_singly).
INTAKE_MAX_ATTEMPTS = 5

log = logging.getLogger(__name__)


def one_writer():
    """SQLite takes one writer at a time: the Open311 accept path and the intake worker (threads or processes) take
    turns on a lock that wakes the next one at once, rather than in SQLite's busy handler."""
    if connection.vendor != "sqlite":
        return contextlib.nullcontext()
    from mueve.core.sqlite.base import writer

    return writer(connection)


def reports_process_pending(*, limit: int = 200) -> int:
    """Processes up to `limit` accepted reports, oldest first, in one transaction; returns how many.

    Several workers (processes, hosts) may run it at once: on PostgreSQL each claims its rows with
    SKIP LOCKED; SQLite has one writer. A worker that dies mid-batch rolls back, and the reports wait for the
    next one: none is lost, none processed twice."""
    if not Report.objects.filter(intake_pending=True).exists():
        return 0  # a read: no write lock taken for an empty queue
    pending = Report.objects.filter(intake_pending=True).select_related("asset").order_by("id")
    if connection.features.has_select_for_update_skip_locked:
        pending = pending.select_for_update(skip_locked=True, of=("self",))
    with one_writer(), transaction.atomic():
        reports = list(pending[:limit])
        services = Service.objects.select_related("jurisdiction").in_bulk({r.service_id for r in reports})
        for report in reports:
            report.service = services[report.service_id]  # one instance per service for the whole batch
        process_batch(reports)
    return len(reports)


def reports_process_pending_singly(*, limit: int = 200) -> int:
    """After a batch failed: each pending report in a transaction of its own, so one that cannot be processed holds
    no other back. A report that fails INTAKE_MAX_ATTEMPTS times leaves the queue (kept, unfused, logged) instead of
    being retried forever. Returns how many were processed."""
    ids = list(Report.objects.filter(intake_pending=True).order_by("id").values_list("pk", flat=True)[:limit])
    done = 0
    for pk in ids:
        try:
            with one_writer(), transaction.atomic():
                claim = Report.objects.filter(pk=pk, intake_pending=True).select_related("asset")
                if connection.features.has_select_for_update_skip_locked:
                    claim = claim.select_for_update(skip_locked=True, of=("self",))
                report = claim.first()
                if report is None:
                    continue  # another worker has it
                report.service = Service.objects.select_related("jurisdiction").get(pk=report.service_id)
                process_batch([report])
            done += 1
        except Exception:
            log.exception("reports intake: report %s could not be processed", pk)
            with one_writer(), transaction.atomic():
                Report.objects.filter(pk=pk).update(intake_attempts=F("intake_attempts") + 1)
                Report.objects.filter(pk=pk, intake_attempts__gte=INTAKE_MAX_ATTEMPTS).update(intake_pending=False)
    return done


def process_batch(
    reports: list[Report], *, confirms: dict[int, Incident] | None = None, check_bursts: bool = True
) -> None:
    """What follows storing reports, for many at once inside the caller's transaction: the first line of each
    status history, the burst check, the nearby asset, fusion and routing, adopters' notifications, events."""
    if not reports:
        return
    ReportStatusChange.objects.bulk_create(
        [ReportStatusChange(report=r, to_value=r.status, changed_at=r.requested_datetime) for r in reports]
    )
    if check_bursts:
        _mark_bursts(reports)
    for report in reports:
        if report.asset_id is None and report.lat is not None:
            report.asset = asset_near(report.service, report.lat, report.lon)
    # (A report already in an incident is never fused again: each report is counted once.)
    fused = [
        r for r in reports if r.moderation == Report.Moderation.ACCEPTED and r.lat is not None and r.incident_id is None
    ]
    fusion = Fusion(fused, confirms or {})
    fusion.run()
    for report in reports:
        report.intake_pending = False
    update_rows(reports, ["incident", "agency_responsible", "asset", "moderation", "intake_pending"])
    fusion.after_reports_saved()
    published = fusion.events()
    published += [(events.REPORT_SUBMITTED, events.report_submitted_payload(report)) for report in reports]
    publish_many(published)


def _mark_bursts(reports: list[Report]) -> None:
    """A sender with SPAM_BURST_COUNT reports in the SPAM_BURST_WINDOW before this one: suspected. One query for
    the batch; the reports of the batch count for the later ones."""
    checked = [
        r
        for r in reports
        if r.reporter_key and r.source != Report.Source.GENERATED and r.moderation == Report.Moderation.ACCEPTED
    ]
    if not checked:
        return
    earliest = min(r.requested_datetime for r in checked) - SPAM_BURST_WINDOW
    sent: dict[str, list[tuple[datetime, int]]] = {}
    rows = Report.objects.filter(
        reporter_key__in={r.reporter_key for r in checked}, requested_datetime__gte=earliest
    ).values_list("reporter_key", "requested_datetime", "id")
    for key, moment, pk in rows:
        sent.setdefault(key, []).append((moment, pk))
    for report in checked:
        since = report.requested_datetime - SPAM_BURST_WINDOW
        before = sum(1 for moment, pk in sent.get(report.reporter_key, ()) if pk < report.pk and moment >= since)
        if before >= SPAM_BURST_COUNT:
            report.moderation = Report.Moderation.SUSPECTED
