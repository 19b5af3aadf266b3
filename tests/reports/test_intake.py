"""The intake queue behind Open311 POST: a report is accepted with one insert and processed moments later, in
batches, by the worker thread; nothing is lost, processed twice, or fused differently because it came in a batch."""

import math
import threading
import time

import pytest
from django.db import connections
from django.db.models import Sum
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mueve.realtime.models import Event
from mueve.reports import intake, services
from mueve.reports.models import Incident, Report, ReportStatusChange
from mueve.reports.services import processing, submission

from .conftest import approved_key
from .test_fusion import CENTRE, assert_counts_consistent, offset, rolled_back

FAST = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def background(settings):
    settings.MUEVE_REPORTS_INTAKE = "background"


def _accept(service, n: int, **extra) -> Report:
    lat, lon = offset(*CENTRE, 7 * n, -5 * n)
    return services.report_accept(
        service=service,
        lat=lat,
        lon=lon,
        device_id=f"tel-{n}",
        idempotency_key=f"cola-{n}",
        check_abuse=False,
        **extra,
    )


def _wait_until(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("the intake worker did not get there in time")


def test_accepted_reports_wait_in_the_queue_then_one_batch_processes_them(db, traffic, background, monkeypatch):
    monkeypatch.setattr(submission, "_wake_intake", lambda: None)  # as if the process died right after answering
    reports = [_accept(traffic, n) for n in range(5)]
    assert all(r.intake_pending and r.incident_id is None for r in reports)
    assert Report.objects.filter(intake_pending=True).count() == 5
    # Accepted means stored: the citizen's tracking token works and a retry gets the same report back.
    assert _accept(traffic, 2).pk == reports[2].pk

    assert services.reports_process_pending(limit=200) == 5
    assert services.reports_process_pending(limit=200) == 0
    incident = Incident.objects.get()
    assert incident.report_count == 5 and incident.source_count == 5
    assert not Report.objects.filter(intake_pending=True).exists()
    assert ReportStatusChange.objects.filter(field="status").count() == 5
    submitted = Event.objects.filter(kind="reports.report_submitted")
    assert sorted(e.payload["public_id"] for e in submitted) == sorted(r.public_id for r in reports)
    assert Event.objects.filter(kind="reports.incident_opened").count() == 1
    assert_counts_consistent()


def test_batches_respect_the_limit_oldest_first(db, traffic, background, monkeypatch):
    monkeypatch.setattr(submission, "_wake_intake", lambda: None)
    reports = [_accept(traffic, n) for n in range(7)]
    assert services.reports_process_pending(limit=3) == 3
    processed = set(Report.objects.filter(intake_pending=False).values_list("pk", flat=True))
    assert processed == {r.pk for r in reports[:3]}
    assert services.reports_process_pending(limit=3) == 3
    assert services.reports_process_pending(limit=3) == 1
    assert Incident.objects.get().report_count == 7


def test_inline_mode_processes_inside_the_request(db, traffic):
    report = _accept(traffic, 1)  # the tests' default: MUEVE_REPORTS_INTAKE=inline
    assert not report.intake_pending and report.incident_id is not None


def test_a_burst_from_one_sender_is_suspected_also_within_one_batch(db, traffic, background, monkeypatch):
    monkeypatch.setattr(submission, "_wake_intake", lambda: None)
    reports = [
        services.report_accept(
            service=traffic, lat=CENTRE[0], lon=CENTRE[1], device_id="mismo", idempotency_key=f"r{n}"
        )
        for n in range(services.SPAM_BURST_COUNT + 2)
    ]
    services.reports_process_pending()
    states = [Report.objects.get(pk=r.pk).moderation for r in reports]
    burst = services.SPAM_BURST_COUNT
    assert states[:burst] == [Report.Moderation.ACCEPTED] * burst
    assert states[burst:] == [Report.Moderation.SUSPECTED] * 2
    assert Incident.objects.get().report_count == burst  # suspected reports stay out of incidents


# --- batching never changes the outcome --------------------------------------------------------------------------

points = st.lists(
    st.tuples(st.floats(min_value=-900, max_value=900), st.floats(min_value=-900, max_value=900)),
    min_size=1,
    max_size=14,
)


@FAST
@given(points=points, batch=st.integers(min_value=1, max_value=6))
def test_every_report_is_counted_once_whatever_the_batches(db, traffic, background, monkeypatch, points, batch):
    monkeypatch.setattr(submission, "_wake_intake", lambda: None)
    with rolled_back():
        for n, (north, east) in enumerate(points):
            lat, lon = offset(*CENTRE, north, east)
            services.report_accept(
                service=traffic, lat=lat, lon=lon, device_id=f"t{n}", idempotency_key=f"h{n}", check_abuse=False
            )
        while services.reports_process_pending(limit=batch):
            pass
        assert Report.objects.filter(incident__isnull=False).count() == len(points)
        assert (Incident.objects.aggregate(total=Sum("report_count"))["total"] or 0) == len(points)
        assert ReportStatusChange.objects.filter(field="status").count() == len(points)
        assert_counts_consistent()


@FAST
@given(n=st.integers(min_value=2, max_value=12), batch=st.integers(min_value=1, max_value=12))
def test_reports_within_the_radius_make_one_incident_in_any_batches(db, traffic, background, monkeypatch, n, batch):
    monkeypatch.setattr(submission, "_wake_intake", lambda: None)
    with rolled_back():
        for k in range(n):
            angle = 2 * math.pi * k / n
            lat, lon = offset(*CENTRE, 100 * math.cos(angle), 100 * math.sin(angle))
            services.report_accept(
                service=traffic, lat=lat, lon=lon, device_id=f"t{k}", idempotency_key=f"r{k}", check_abuse=False
            )
        while services.reports_process_pending(limit=batch):
            pass
        incident = Incident.objects.get()
        assert incident.report_count == n and incident.source_count == n


# --- the real worker thread --------------------------------------------------------------------------------------


@pytest.fixture
def live_worker(settings):
    settings.MUEVE_REPORTS_INTAKE = "background"
    intake.stop()
    yield
    intake.stop()
    connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_the_worker_processes_an_open311_post_moments_after_the_answer(live_worker, metro, manager):
    traffic = services.service_upsert(
        jurisdiction=metro, code="congestion", name="Congestión", alert_category="traffic", attributes=[]
    )
    api_key = approved_key(manager, "Cola")
    lat, lon = CENTRE
    response = Client().post(
        "/open311/v2/requests.json",
        {"api_key": api_key, "service_code": traffic.code, "lat": lat, "long": lon, "idempotency_key": "uno"},
    )
    assert response.status_code == 200, response.content
    public_id = response.json()[0]["service_request_id"]
    _wait_until(lambda: Report.objects.filter(public_id=public_id, intake_pending=False).exists())
    report = Report.objects.get(public_id=public_id)
    assert report.incident is not None and report.incident.report_count == 1
    assert Event.objects.filter(kind="reports.report_submitted", payload__public_id=public_id).exists()


@pytest.mark.django_db(transaction=True)
def test_reports_left_pending_by_a_stopped_process_are_processed_when_a_worker_starts(live_worker, metro, monkeypatch):
    traffic = services.service_upsert(
        jurisdiction=metro, code="congestion", name="Congestión", alert_category="traffic", attributes=[]
    )
    monkeypatch.setattr(submission, "_wake_intake", lambda: None)  # the process died before its worker ran
    for n in range(4):
        _accept(traffic, n)
    assert Report.objects.filter(intake_pending=True).count() == 4
    intake.start()  # a new process: its worker's first pass reads the queue
    _wait_until(lambda: not Report.objects.filter(intake_pending=True).exists())
    assert Incident.objects.get().report_count == 4


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_never_process_a_report_twice(transactional_db, metro, settings, monkeypatch):
    settings.MUEVE_REPORTS_INTAKE = "background"
    traffic = services.service_upsert(
        jurisdiction=metro, code="congestion", name="Congestión", alert_category="traffic", attributes=[]
    )
    monkeypatch.setattr(submission, "_wake_intake", lambda: None)
    total = 60
    for n in range(total):
        lat, lon = offset(*CENTRE, n % 12 * 200, 0)  # a dozen places: joins and new incidents
        services.report_accept(
            service=traffic, lat=lat, lon=lon, device_id=f"t{n}", idempotency_key=f"d{n}", check_abuse=False
        )
    barrier = threading.Barrier(2)
    counts: list[int] = []
    errors: list[Exception] = []

    def worker():
        try:
            barrier.wait(10)
            done = 0
            while processed := services.reports_process_pending(limit=7):
                done += processed
            counts.append(done)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sum(counts) == total
    assert ReportStatusChange.objects.filter(field="status").count() == total
    assert Event.objects.filter(kind="reports.report_submitted").count() == total
    assert_counts_consistent()


def test_a_moderator_accepting_a_report_still_in_the_queue_has_it_counted_once(
    db, traffic, background, monkeypatch, make_user
):
    from mueve.accounts.models import Role

    monkeypatch.setattr(submission, "_wake_intake", lambda: None)
    spam_like = "Ver http://a.example http://b.example http://c.example"
    report = _accept(traffic, 1, description=spam_like)
    assert report.moderation == Report.Moderation.SUSPECTED and report.intake_pending
    services.report_moderate(report=report, moderation="accepted", actor=make_user(Role.OPERATOR))
    report.refresh_from_db()
    assert not report.intake_pending and report.incident is not None
    assert services.reports_process_pending() == 0  # nothing left for the worker: no second fusion
    assert Incident.objects.get().report_count == 1
    assert Event.objects.filter(kind="reports.report_submitted").count() == 1


def test_a_report_that_cannot_be_processed_does_not_hold_back_the_queue(db, traffic, background, monkeypatch):
    monkeypatch.setattr(submission, "_wake_intake", lambda: None)
    good = [_accept(traffic, n) for n in (1, 2)]
    bad = _accept(traffic, 30)
    real_asset_near = processing.asset_near

    def broken_for_one(service, lat, lon):  # a bug that only this report's data triggers
        if abs(lat - bad.lat) < 1e-9:
            raise RuntimeError("dato inesperado")
        return real_asset_near(service, lat, lon)

    monkeypatch.setattr(processing, "asset_near", broken_for_one)
    with pytest.raises(RuntimeError):
        services.reports_process_pending()  # the whole batch rolls back: nothing half done
    assert Report.objects.filter(intake_pending=True).count() == 3

    assert services.reports_process_pending_singly() == 2
    assert all(Report.objects.get(pk=r.pk).incident_id for r in good)
    bad.refresh_from_db()
    assert bad.intake_pending and bad.intake_attempts == 1
    for _attempt in range(services.INTAKE_MAX_ATTEMPTS - 1):
        services.reports_process_pending_singly()
    bad.refresh_from_db()
    assert not bad.intake_pending and bad.incident_id is None  # kept, out of the queue, logged
    assert services.reports_process_pending() == 0
