"""Incident fusion: reports of one service close in space and time make one incident; nothing is lost or counted
twice, also when reports arrive at the same time; a closed incident never takes new reports."""

import math
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mueve.accounts.models import Role
from mueve.core.geo import h3_cell, haversine_m
from mueve.reports import selectors, services
from mueve.reports.models import Incident, Report

FAST = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
CENTRE = (-36.8270, -73.0500)  # Plaza de la Independencia, Concepción


def offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    return (
        lat + north_m / 111_320.0,
        lon + east_m / (111_320.0 * math.cos(math.radians(lat))),
    )


@pytest.fixture
def lights(metro):
    return services.service_upsert(
        jurisdiction=metro,
        code="luminaria-apagada",
        name="Luminaria apagada",
        alert_category="security",
        fusion_radius_m=50,
        fusion_window_minutes=7 * 24 * 60,
        attributes=[],
    )


@pytest.fixture
def operator(make_user):
    return make_user(Role.OPERATOR)


def assert_counts_consistent():
    """Every report with an incident is counted exactly once, by its own incident."""
    total = Incident.objects.aggregate(total=Sum("report_count"))["total"] or 0
    assert total == Report.objects.filter(incident__isnull=False).count()
    for incident in Incident.objects.all():
        assert incident.report_count == incident.reports.count(), incident.pk
        assert 0.0 <= incident.confidence <= 1.0


def rolled_back():
    """Each hypothesis example runs in its own savepoint, rolled back, so examples never see each other."""

    class _Rollback:
        def __enter__(self):
            self.atomic = transaction.atomic()
            self.atomic.__enter__()

        def __exit__(self, *exc):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
            return False

    return _Rollback()


# --- property tests ---------------------------------------------------------------------------------------------

points_in_half_radius = st.lists(
    st.tuples(st.floats(0, 2 * math.pi), st.floats(0, 1), st.integers(0, 59)), min_size=1, max_size=8
)


@FAST
@given(points=points_in_half_radius)
def test_reports_within_radius_and_window_make_one_incident(traffic, points):
    # All points within r/2 of one spot: their running centroid stays within r/2, so each is within r of it.
    with rolled_back():
        start = timezone.now() - timedelta(hours=1)
        for i, (angle, fraction, minute) in enumerate(points):
            distance = traffic.fusion_radius_m / 2 * fraction
            lat, lon = offset(*CENTRE, distance * math.cos(angle), distance * math.sin(angle))
            services.report_submit(
                service=traffic, lat=lat, lon=lon, requested_at=start + timedelta(minutes=minute + i), device_id=f"d{i}"
            )
        incident = Incident.objects.get()
        assert incident.report_count == len(points) == Report.objects.filter(incident=incident).count()
        assert incident.source_count == len(points)
        assert incident.confidence == pytest.approx(1 - 0.5 ** len(points))
        assert_counts_consistent()


@FAST
@given(
    steps=st.lists(
        st.one_of(
            st.tuples(
                st.just("report"),
                st.sampled_from(["traffic", "lights"]),
                st.integers(-600, 600),
                st.integers(-600, 600),
                st.integers(0, 20),
            ),
            st.tuples(st.just("resolve"), st.integers(0, 10)),
            st.tuples(st.just("reject"), st.integers(0, 10)),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_no_report_is_lost_or_counted_twice_and_closed_incidents_take_none(traffic, lights, operator, steps):
    with rolled_back():
        by_code = {"traffic": traffic, "lights": lights}
        clock = timezone.now() - timedelta(days=3)
        closed_before: dict[int, int] = {}
        sent = 0
        for step in steps:
            if step[0] == "report":
                _kind, code, north, east, minutes = step
                clock += timedelta(minutes=minutes)
                lat, lon = offset(*CENTRE, north, east)
                report = services.report_submit(service=by_code[code], lat=lat, lon=lon, requested_at=clock)
                sent += 1
                assert report.incident is not None and report.incident.pk not in closed_before
            else:
                active = list(Incident.objects.filter(status__in=Incident.ACTIVE_STATUSES).order_by("pk"))
                if not active:
                    continue
                incident = active[step[1] % len(active)]
                if step[0] == "resolve":
                    services.incident_resolve(incident=incident, actor=operator)
                else:
                    services.incident_reject(incident=incident, actor=operator, reason="invalid")
                closed_before[incident.pk] = incident.reports.count()
        assert Report.objects.count() == sent == Report.objects.filter(incident__isnull=False).count()
        assert_counts_consistent()
        for pk, count in closed_before.items():
            assert Incident.objects.get(pk=pk).report_count == count


# --- fusion rules, by example ----------------------------------------------------------------------------------


def test_a_report_after_closure_opens_a_new_incident(traffic, operator):
    first = services.report_submit(service=traffic, lat=CENTRE[0], lon=CENTRE[1])
    services.incident_resolve(incident=first.incident, actor=operator, note="Despejado.")
    again = services.report_submit(service=traffic, lat=CENTRE[0], lon=CENTRE[1])
    assert again.incident_id != first.incident_id
    assert Incident.objects.get(pk=first.incident_id).report_count == 1
    assert again.incident.status == Incident.Status.OPEN


def test_outside_radius_window_or_service_opens_new_incidents(traffic, lights):
    now = timezone.now()
    base = services.report_submit(service=traffic, lat=CENTRE[0], lon=CENTRE[1], requested_at=now - timedelta(hours=5))
    far = services.report_submit(service=traffic, lat=offset(*CENTRE, 400, 0)[0], lon=CENTRE[1], requested_at=now)
    late = services.report_submit(service=traffic, lat=CENTRE[0], lon=CENTRE[1], requested_at=now)
    other = services.report_submit(service=lights, lat=CENTRE[0], lon=CENTRE[1], requested_at=now)
    assert len({base.incident_id, far.incident_id, late.incident_id, other.incident_id}) == 4
    # Street lights: 50 m and a week.
    near = services.report_submit(
        service=lights, lat=offset(*CENTRE, 30, 0)[0], lon=CENTRE[1], requested_at=now + timedelta(days=6)
    )
    assert near.incident_id == other.incident_id
    assert_counts_consistent()


def test_the_same_sender_does_not_raise_confidence(traffic):
    for _i in range(3):
        report = services.report_submit(service=traffic, lat=CENTRE[0], lon=CENTRE[1], device_id="mismo-telefono")
    incident = report.incident
    incident.refresh_from_db()
    assert (incident.report_count, incident.source_count, incident.confidence) == (3, 1, 0.5)
    services.report_submit(service=traffic, lat=CENTRE[0], lon=CENTRE[1], email="otra@example.org")
    incident.refresh_from_db()
    assert (incident.report_count, incident.source_count, incident.confidence) == (4, 2, 0.75)


def test_centroid_is_the_mean_of_the_reports(traffic):
    a = services.report_submit(service=traffic, lat=CENTRE[0], lon=CENTRE[1])
    north = offset(*CENTRE, 100, 0)
    services.report_submit(service=traffic, lat=north[0], lon=north[1])
    incident = Incident.objects.get(pk=a.incident_id)
    assert incident.lat == pytest.approx((CENTRE[0] + north[0]) / 2)
    assert haversine_m(incident.lat, incident.lon, *CENTRE) == pytest.approx(50, abs=0.5)


def test_me_too_joins_the_incident_it_confirms_even_from_further_away(traffic, operator):
    first = services.report_submit(service=traffic, lat=CENTRE[0], lon=CENTRE[1])
    far = offset(*CENTRE, 900, 0)
    me_too = services.report_submit(service=traffic, lat=far[0], lon=far[1], confirms=first.incident)
    assert me_too.incident_id == first.incident_id and me_too.is_confirmation
    without_position = services.report_submit(service=traffic, confirms=first.incident)
    assert without_position.incident_id == first.incident_id
    services.incident_resolve(incident=first.incident, actor=operator)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(service=traffic, lat=CENTRE[0], lon=CENTRE[1], confirms=first.incident)
    assert "confirms" in exc.value.message_dict
    assert Report.objects.count() == 3


def test_me_too_for_another_service_is_refused(traffic, lights):
    light = services.report_submit(service=lights, lat=CENTRE[0], lon=CENTRE[1])
    with pytest.raises(ValidationError) as exc:
        services.report_submit(service=traffic, lat=CENTRE[0], lon=CENTRE[1], confirms=light.incident)
    assert "confirms" in exc.value.message_dict
    assert Report.objects.count() == 1


def test_a_report_without_coordinates_stays_out_of_incidents(traffic):
    report = services.report_submit(service=traffic, address_string="Barros Arana 500, Concepción")
    assert report.incident is None and not Incident.objects.exists()


def test_incidents_nearby_uses_the_radius_and_sorts_by_distance(traffic):
    a = services.report_submit(service=traffic, lat=CENTRE[0], lon=CENTRE[1])
    b_point = offset(*CENTRE, 0, 600)
    b = services.report_submit(service=traffic, lat=b_point[0], lon=b_point[1])
    probe = offset(*CENTRE, 0, 200)
    near = selectors.incidents_nearby(service=traffic, lat=probe[0], lon=probe[1], radius_m=250)
    assert [i.pk for i in near] == [a.incident_id]
    wide = selectors.incidents_nearby(service=traffic, lat=probe[0], lon=probe[1], radius_m=500)
    assert [i.pk for i in wide] == [a.incident_id, b.incident_id]
    assert wide[0].distance_m == pytest.approx(200, abs=1)


@pytest.mark.parametrize("radius", [1, 50, 250, 1000, 2000])
def test_the_h3_disk_covers_the_whole_radius(radius):
    # Points on the circle in 16 directions always fall in the disk of cells the lookup reads.
    cells = set(selectors.cells_within(*CENTRE, radius))
    for k in range(16):
        angle = 2 * math.pi * k / 16
        lat, lon = offset(*CENTRE, radius * math.cos(angle), radius * math.sin(angle))
        assert h3_cell(lat, lon) in cells


# --- concurrent submissions --------------------------------------------------------------------------------------

THREADS = 6


def _submit_concurrently(service) -> list[Report]:
    barrier = threading.Barrier(THREADS)
    results: list = []
    errors: list = []

    def run(i: int):
        try:
            lat, lon = offset(*CENTRE, 10 * i, -10 * i)
            barrier.wait(10)
            results.append(
                services.report_submit(
                    service=service, lat=lat, lon=lon, device_id=f"tel-{i}", idempotency_key=f"concurrent-{i}"
                )
            )
        except Exception as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_simultaneous_reports_make_one_incident(db_settings_free_traffic):
    """PostgreSQL runs the submissions side by side (the incident's row lock decides); SQLite queues them."""
    reports = _submit_concurrently(db_settings_free_traffic)
    assert len(reports) == THREADS == Report.objects.count()
    incident = Incident.objects.get()
    assert incident.report_count == THREADS and incident.source_count == THREADS
    assert_counts_consistent()


@pytest.fixture
def db_settings_free_traffic(transactional_db):
    from mueve.territory.models import Jurisdiction
    from mueve.territory.services import jurisdiction_upsert

    metro = jurisdiction_upsert(
        slug="gran-concepcion", name="Gran Concepción", kind=Jurisdiction.Kind.METROPOLITAN_AREA
    )
    return services.service_upsert(
        jurisdiction=metro,
        code="congestion",
        name="Congestión",
        alert_category="traffic",
        fusion_radius_m=250,
        fusion_window_minutes=120,
        attributes=[],
    )


def test_incidents_nearby_with_now_keeps_those_within_the_window(traffic):
    old = timezone.now() - timedelta(hours=5)
    services.report_submit(service=traffic, lat=CENTRE[0], lon=CENTRE[1], requested_at=old)
    assert len(selectors.incidents_nearby(service=traffic, lat=CENTRE[0], lon=CENTRE[1])) == 1
    assert selectors.incidents_nearby(service=traffic, lat=CENTRE[0], lon=CENTRE[1], now=timezone.now()) == []
