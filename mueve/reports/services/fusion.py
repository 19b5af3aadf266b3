"""Incident fusion: many citizens' reports of one problem become one incident.

A located report joins the nearest active incident of its service whose centroid lies within the service's
radius and whose last report is within the service's window; otherwise it opens a new incident. Candidates
come from the fusion index (service, status, h3_cell) over an h3 grid_disk around each report's cell, so the
cost does not grow with the number of incidents. A batch of reports is fused in memory, in arrival order, over
the candidates of all its reports (one query per service), then written with a few bulk statements. The
services' rows are locked (SELECT ... FOR UPDATE on PostgreSQL, in id order; SQLite's BEGIN IMMEDIATE already
serialises writers) so two batches cannot both open an incident, and candidates are read under that lock so
no count is lost.

Confidence: each independent source (distinct account, device, email, phone or client; reports without any
identity count together as one source) halves the doubt: confidence = 1 - 0.5 ** sources, in [0, 1).
An operator acknowledging or resolving the incident makes it 1.0 (verified).
Priority (for the control centre's queue) = severity weight × (1 + log2(reports)) × (0.5 + confidence / 2).
"""

import math
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.core.bulk import update_rows
from mueve.core.events import publish_many
from mueve.core.geo import h3_cell, haversine_m
from mueve.reports import events
from mueve.reports.models import Incident, IncidentAssignment, Report, Service, Severity
from mueve.reports.selectors import cells_within
from mueve.reports.services.history import public_note, set_report_state
from mueve.reports.services.routing import RuleBook, plan_route, route
from mueve.territory import selectors as territory_selectors
from mueve.territory.models import Area

SEVERITY_ORDER = [Severity.INFORMATIONAL, Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]
SEVERITY_WEIGHT = {Severity.INFORMATIONAL: 0.5, Severity.LOW: 1.0, Severity.MEDIUM: 2.0, Severity.HIGH: 3.0}
SEVERITY_WEIGHT[Severity.CRITICAL] = 4.0


def severity_index(level: str) -> int:
    """A level's rank in SEVERITY_ORDER (an unknown level ranks lowest)."""
    return SEVERITY_ORDER.index(level) if level in SEVERITY_ORDER else 0


def _max_severity(a: str, b: str) -> str:
    return max(a, b, key=severity_index)


def confidence_for(sources: int) -> float:
    return 1.0 - 0.5 ** max(sources, 0)


def priority_for(severity: str, report_count: int, confidence: float) -> float:
    weight = SEVERITY_WEIGHT.get(severity, 1.0)
    return round(weight * (1.0 + math.log2(max(report_count, 1))) * (0.5 + confidence / 2.0), 4)


def refresh_scores(incident: Incident) -> None:
    """The incident's confidence and priority from its counts and state (see the module docstring)."""
    verified = incident.acknowledged_at is not None or incident.status == Incident.Status.RESOLVED
    incident.confidence = 1.0 if verified else confidence_for(incident.source_count)
    incident.priority = priority_for(incident.severity, incident.report_count, incident.confidence)


def _fusion_window(service: Service) -> timedelta:
    return timedelta(minutes=service.fusion_window_minutes)


def _lock_services(service_ids: list[int]) -> None:
    # Serialises fusion per service on PostgreSQL (in id order, so two batches never wait on each other in a
    # circle). SQLite has no row locks: its BEGIN IMMEDIATE write lock already serialises every writer.
    if connection.features.has_select_for_update and service_ids:
        # NO KEY: an Open311 insert's foreign-key check (FOR KEY SHARE on the service) must not wait for a batch.
        locked = Service.objects.select_for_update(no_key=True).filter(pk__in=service_ids).order_by("pk")
        list(locked.values_list("pk", flat=True))


CANDIDATE_CELLS_PER_QUERY = 2000
FUSION_UPDATE_FIELDS = [
    "lat",
    "lon",
    "h3_cell",
    "report_count",
    "source_count",
    "severity",
    "last_report_at",
    "address_string",
    "confidence",
    "priority",
    "agency",
    "routing_rule",
    "updated_at",
]


class Fusion:
    """One batch of stored, accepted, located reports put into incidents (see the module docstring)."""

    def __init__(self, reports: list[Report], confirms: dict[int, Incident]):
        self.reports = reports
        self.confirms = confirms
        self.opened: list[Incident] = []
        self.joined: dict[int, Incident] = {}  # existing incidents that got reports, by id
        self.members: dict[int, list[Report]] = {}  # id(incident) -> its reports in this batch, in order
        self.reroute: list[tuple[Incident, dict[str, Any]]] = []  # existing incidents with a condition answered
        self.assignments: list[IncidentAssignment] = []
        self.rules: RuleBook | None = None

    def run(self) -> None:
        if not self.reports:
            return
        by_service: dict[int, list[Report]] = {}
        for report in self.reports:
            by_service.setdefault(report.service_id, []).append(report)
        _lock_services(sorted(by_service))
        self.rules = RuleBook({r.jurisdiction_id for r in self.reports})
        for reports in by_service.values():
            self._fuse_service(reports)
        self._count_sources()
        self._open()
        now = timezone.now()
        for incident in self.joined.values():
            incident.updated_at = now
        update_rows(list(self.joined.values()), FUSION_UPDATE_FIELDS)
        for incident in self.opened + list(self.joined.values()):
            for report in self.members[id(incident)]:
                report.incident = incident
                report.agency_responsible_id = incident.agency_id

    def _fuse_service(self, reports: list[Report]) -> None:
        service = reports[0].service
        radius = service.fusion_radius_m
        window = _fusion_window(service)
        disks = {r.pk: cells_within(r.lat, r.lon, radius) for r in reports if r.pk not in self.confirms}
        wanted = sorted(set().union(*disks.values())) if disks else []
        index: dict[str, list[Incident]] = {}
        loaded: dict[int, Incident] = {}
        by_cell: dict[str, list[tuple[int, float, float]]] = {}
        for start in range(0, len(wanted), CANDIDATE_CELLS_PER_QUERY):
            chunk = wanted[start : start + CANDIDATE_CELLS_PER_QUERY]
            for pk, lat, lon, cell in _active_incident_rows(service.pk, chunk):
                by_cell.setdefault(cell, []).append((pk, lat, lon))
        # Only incidents within reach of one of the batch's reports are worth loading (a disk is far wider than
        # the radius). One that is not cannot come within reach during the batch: it would have to be joined.
        ids = {
            pk
            for report in reports
            if report.pk in disks
            for cell in disks[report.pk]
            for pk, lat, lon in by_cell.get(cell, ())
            if haversine_m(report.lat, report.lon, lat, lon) <= radius
        }
        if ids:
            # In id order, as incident_merge locks them: two lockers never wait on each other in a circle.
            rows = Incident.objects.filter(pk__in=ids).select_related("agency", "area", "routing_rule").order_by("pk")
            for incident in rows.select_for_update(of=("self",), no_key=True):
                if not incident.is_active:  # closed by an operator between the lookup and the lock
                    continue
                incident.service = service  # the same row: spares a query when events are built
                loaded[incident.pk] = incident
                index.setdefault(incident.h3_cell, []).append(incident)
        for report in reports:
            confirmed = self.confirms.get(report.pk)
            if confirmed is not None:
                target = loaded.get(confirmed.pk) or self._locked_confirmed(confirmed, service)
                loaded[target.pk] = target
            else:
                target = self._nearest(report, disks[report.pk], index, radius, window)
            if target is None:
                target = self._new_incident(report)
                index.setdefault(target.h3_cell, []).append(target)
                continue
            old_cell = target.h3_cell
            self._join(target, report)
            if target.h3_cell != old_cell or target not in index.get(old_cell, ()):
                if target in index.get(old_cell, ()):
                    index[old_cell].remove(target)
                index.setdefault(target.h3_cell, []).append(target)

    @staticmethod
    def _locked_confirmed(confirmed: Incident, service: Service) -> Incident:
        target = (
            Incident.objects.select_for_update(of=("self",))
            .select_related("agency", "area")
            .filter(pk=confirmed.pk)
            .first()
        )
        if target is None or not target.is_active:
            raise ValidationError({"confirms": [_("Ese incidente ya fue cerrado; envíe un reporte nuevo.")]})
        target.service = service
        return target

    @staticmethod
    def _nearest(report: Report, cells, index, radius: float, window: timedelta) -> Incident | None:
        now = report.requested_datetime
        best = None
        for cell in cells:
            for incident in index.get(cell, ()):
                if incident.last_report_at < now - window or incident.opened_at > now + window:
                    continue
                distance = haversine_m(report.lat, report.lon, incident.lat, incident.lon)
                if distance <= radius and (best is None or distance < best[0]):
                    best = (distance, incident)
        return best[1] if best else None

    def _new_incident(self, report: Report) -> Incident:
        incident = Incident(
            jurisdiction_id=report.jurisdiction_id,
            service=report.service,
            h3_cell=report.h3_cell,
            lat=report.lat,
            lon=report.lon,
            address_string=report.address_string[:255],
            report_count=1,
            source_count=0,
            severity=report.severity,
            opened_at=report.requested_datetime,
            last_report_at=report.requested_datetime,
        )
        self.opened.append(incident)
        self.members[id(incident)] = [report]
        return incident

    def _join(self, incident: Incident, report: Report) -> None:
        if incident.pk is not None and incident.pk not in self.joined:
            self.joined[incident.pk] = incident
            self.members[id(incident)] = []
        self.members[id(incident)].append(report)
        count = incident.report_count + 1
        # Running mean of the located reports (every report in an incident is located).
        incident.lat += (report.lat - incident.lat) / count
        incident.lon += (report.lon - incident.lon) / count
        incident.h3_cell = h3_cell(incident.lat, incident.lon)
        incident.report_count = count
        incident.severity = _max_severity(incident.severity, report.severity)
        incident.last_report_at = max(incident.last_report_at, report.requested_datetime)
        if not incident.address_string and report.address_string:
            incident.address_string = report.address_string[:255]
        if report.attributes and self.rules.has_condition(incident.service_id, report.attributes):
            self.reroute.append((incident, report.attributes))

    def _count_sources(self) -> None:
        """New independent sources per incident: the batch's distinct senders not already in the incident."""
        known: dict[int, set[str]] = {}
        if self.joined:
            rows = (
                Report.objects.filter(incident_id__in=list(self.joined))
                .values_list("incident_id", "reporter_key")
                .distinct()
            )
            for incident_id, key in rows:
                known.setdefault(incident_id, set()).add(key)
        for incident in self.opened + list(self.joined.values()):
            seen = set(known.get(incident.pk, ())) if incident.pk else set()
            for report in self.members[id(incident)]:
                if report.reporter_key not in seen:
                    seen.add(report.reporter_key)
                    incident.source_count += 1
            refresh_scores(incident)

    def _open(self) -> None:
        """Areas and routing of the new incidents, then one insert for them and one for their assignments."""
        if not self.opened:
            return
        areas = territory_selectors.areas_containing_points([(i.lat, i.lon) for i in self.opened])
        planned: list[tuple[Incident, list[IncidentAssignment]]] = []
        for incident, containing in zip(self.opened, areas, strict=True):
            incident.area = area_for(incident.lat, incident.lon, containing)
            first = self.members[id(incident)][0]
            logged = plan_route(
                incident,
                rule=self.rules.match(incident, first.attributes, {a.pk for a in containing}),
                reason=_("Al abrirse el incidente"),
                already=set(),
            )
            # Later reports of the same batch answering a routing condition (someone is hurt: SAMU is told).
            for report in self.members[id(incident)][1:]:
                if report.attributes and self.rules.has_condition(incident.service_id, report.attributes):
                    logged += plan_route(
                        incident,
                        rule=self.rules.match(incident, report.attributes, {a.pk for a in containing}),
                        reason=_("Nuevo reporte con más información"),
                        already={a.agency_id for a in logged} | {incident.agency_id},
                        only_if_better=True,
                    )
            planned.append((incident, logged))
        self.reroute = [(i, a) for i, a in self.reroute if i.pk is not None]
        Incident.objects.bulk_create(self.opened)
        for incident, logged in planned:
            for assignment in logged:
                assignment.incident = incident
            self.assignments += logged
        IncidentAssignment.objects.bulk_create(self.assignments)

    def after_reports_saved(self) -> None:
        """What needs the reports stored with their incident: an incident already being worked tells its new
        reports so; an existing incident whose new report answers a routing condition is routed again."""
        for incident in self.joined.values():
            if incident.status != Incident.Status.OPEN:
                set_report_state(
                    self.members[id(incident)],
                    incident,
                    incident.status,
                    note=public_note(incident.status, ""),
                    actor=None,
                )
        for incident, attributes in self.reroute:
            route(incident, attributes=attributes, reason=_("Nuevo reporte con más información"), only_if_better=True)

    def events(self) -> list[tuple[str, dict[str, Any]]]:
        return [(events.INCIDENT_OPENED, events.incident_payload(i, "opened", None)) for i in self.opened] + [
            (events.INCIDENT_UPDATED, events.incident_payload(i, "report_added", None)) for i in self.joined.values()
        ]


def _active_incident_rows(service_id: int, cells: list[str]) -> list[tuple[int, float, float, str]]:
    """(id, lat, lon, h3_cell) of the service's active incidents whose centroid lies in one of `cells`, through
    the fusion index. Plain SQL: the ORM spends longer building a long IN list than the database answering it."""
    quote = connection.ops.quote_name
    statuses = list(Incident.ACTIVE_STATUSES)
    sql = (
        f"SELECT {quote('id')}, {quote('lat')}, {quote('lon')}, {quote('h3_cell')}"
        f" FROM {quote(Incident._meta.db_table)} WHERE {quote('service_id')} = %s"
        f" AND {quote('status')} IN ({', '.join(['%s'] * len(statuses))})"
        f" AND {quote('h3_cell')} IN ({', '.join(['%s'] * len(cells))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [service_id, *statuses, *cells])
        return cursor.fetchall()


def area_for(lat: float, lon: float, areas: list[Area] | None = None) -> Area | None:
    """The smallest territory area containing the point: the neighbourhood, or the commune when no finer one."""
    if areas is None:
        areas = territory_selectors.areas_containing(lat=lat, lon=lon)
    if not areas:
        return None
    return min(areas, key=lambda a: (a.max_lat - a.min_lat) * (a.max_lon - a.min_lon))


def recount(incident: Incident) -> None:
    """Recomputes counts, centroid and times from the incident's reports (after merge, split, moderation)."""
    rows = list(
        Report.objects.filter(incident=incident).values_list("lat", "lon", "reporter_key", "requested_datetime")
    )
    incident.report_count = len(rows)
    if rows:
        incident.lat = sum(r[0] for r in rows) / len(rows)
        incident.lon = sum(r[1] for r in rows) / len(rows)
        incident.h3_cell = h3_cell(incident.lat, incident.lon)
        incident.source_count = len({r[2] for r in rows})
        incident.last_report_at = max(r[3] for r in rows)
        incident.opened_at = min(incident.opened_at, min(r[3] for r in rows))
    else:
        incident.source_count = 0
    refresh_scores(incident)


def fuse_one(report: Report) -> None:
    """Fusion of a single stored report (one a moderator accepted), with its events."""
    fusion = Fusion([report] if report.lat is not None else [], {})
    fusion.run()
    Report.objects.filter(pk=report.pk).update(
        incident=report.incident, agency_responsible_id=report.agency_responsible_id
    )
    fusion.after_reports_saved()
    publish_many(fusion.events())
