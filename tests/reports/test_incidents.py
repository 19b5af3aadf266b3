"""Operators' incident transitions: allowed steps, audit, propagation to the reports (Open311 status and the
tracking history), events, merge and split."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from mueve.accounts.models import Role
from mueve.core import events
from mueve.reports import selectors, services
from mueve.reports.models import Incident, IncidentChange, Report, ReportStatusChange
from tests.conftest import ROLES_AND_ANONYMOUS

HERE = (-36.827, -73.050)
THERE = (-36.840, -73.060)  # ~1.7 km away: another incident


@pytest.fixture
def operator(make_user):
    return make_user(Role.OPERATOR)


@pytest.fixture
def pothole_incident(pothole):
    first = services.report_submit(service=pothole, lat=HERE[0], lon=HERE[1], device_id="a")
    services.report_submit(service=pothole, lat=HERE[0], lon=HERE[1], device_id="b")
    return Incident.objects.get(pk=first.incident_id)


@pytest.fixture
def capture_events():
    received = []

    def listener(kind, payload):
        received.append((kind, payload))

    events.subscribe(listener)
    yield received
    events._subscribers.remove(listener)


def test_lifecycle_propagates_to_reports_and_open311(pothole_incident, operator, api_key):
    incident = services.incident_acknowledge(incident=pothole_incident, actor=operator)
    assert incident.status == "acknowledged" and incident.confidence == 1.0 and incident.acknowledged_at
    incident = services.incident_dispatch(incident=incident, actor=operator, public_reply="Cuadrilla 3 en camino.")
    incident = services.incident_resolve(
        incident=incident, actor=operator, note="Cuadrilla 4, 2 h.", public_reply="Bache reparado."
    )
    assert incident.status == "resolved" and incident.closed_at and incident.resolution == "fixed"
    assert list(IncidentChange.objects.filter(incident=incident).values_list("action", "from_status", "to_status")) == [
        ("acknowledge", "open", "acknowledged"),
        ("dispatch", "acknowledged", "dispatched"),
        ("resolve", "dispatched", "resolved"),
    ]
    report = incident.reports.order_by("id").first()
    assert report.status == "closed" and report.status_notes == "El problema fue resuelto. Bache reparado."
    timeline = selectors.report_public_timeline(report)
    assert [entry.label for entry in timeline] == [
        "Recibido",
        "Recibido por el organismo",
        "En atención (equipo despachado)",
        "Resuelto",
    ]
    assert timeline[2].note == "Un equipo va en camino o está trabajando en el lugar. Cuadrilla 3 en camino."
    body = Client().get(f"/open311/v2/requests/{report.public_id}.json").json()[0]
    assert body["status"] == "closed" and body["status_notes"] == "El problema fue resuelto. Bache reparado."


def test_transitions_publish_public_events(
    pothole_incident, operator, capture_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_acknowledge(incident=pothole_incident, actor=operator)
    kind, payload = capture_events[-1]
    assert kind == "reports.incident_updated" and payload["action"] == "acknowledge"
    assert payload["actor"] == operator.username
    assert payload["incident"]["status"] == "acknowledged" and payload["incident"]["report_count"] == 2
    text = str(payload)
    assert "device" not in text and "@" not in text


@pytest.mark.parametrize(
    ("first", "then"),
    [("resolve", "acknowledge"), ("resolve", "dispatch"), ("acknowledge", "acknowledge"), ("reject", "resolve")],
)
def test_closed_or_repeated_steps_are_refused(pothole_incident, operator, first, then):
    do = {
        "acknowledge": services.incident_acknowledge,
        "dispatch": services.incident_dispatch,
        "resolve": services.incident_resolve,
        "reject": services.incident_reject,
    }
    do[first](incident=pothole_incident, actor=operator)
    changes = IncidentChange.objects.count()
    with pytest.raises(ValidationError) as exc:
        do[then](incident=pothole_incident, actor=operator)
    assert "status" in exc.value.message_dict
    assert IncidentChange.objects.count() == changes


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_only_operators_and_managers_manage_incidents(pothole_incident, users_by_role, role):
    user = users_by_role[role]
    if role in {Role.OPERATOR, Role.MANAGER, Role.ADMIN}:
        assert services.incident_acknowledge(incident=pothole_incident, actor=user).status == "acknowledged"
    else:
        with pytest.raises(PermissionDenied):
            services.incident_acknowledge(incident=pothole_incident, actor=user)
        pothole_incident.refresh_from_db()
        assert pothole_incident.status == "open"


def test_reject_as_duplicate_needs_the_other_incident(pothole, pothole_incident, operator):
    other = services.report_submit(service=pothole, lat=THERE[0], lon=THERE[1]).incident
    with pytest.raises(ValidationError) as exc:
        services.incident_reject(incident=other, actor=operator, reason="duplicate")
    assert "duplicate_of" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.incident_reject(incident=other, actor=operator, reason="spam")
    rejected = services.incident_reject(
        incident=other, actor=operator, reason="duplicate", duplicate_of=pothole_incident
    )
    assert (rejected.status, rejected.resolution, rejected.duplicate_of) == ("rejected", "duplicate", pothole_incident)
    report = rejected.reports.get()
    assert report.status == "closed" and report.status_notes.startswith("Es un duplicado")


def test_a_report_joining_an_acknowledged_incident_says_so(pothole, pothole_incident, operator):
    services.incident_acknowledge(incident=pothole_incident, actor=operator)
    late = services.report_submit(service=pothole, lat=HERE[0], lon=HERE[1])
    assert late.incident_id == pothole_incident.pk
    late.refresh_from_db()
    assert late.status == "open" and late.status_notes == "El organismo responsable recibió el reporte."
    assert [e.label for e in selectors.report_public_timeline(late)][-1] == "Recibido por el organismo"


def test_merge_moves_every_report_once(pothole, pothole_incident, operator):
    other = services.report_submit(service=pothole, lat=THERE[0], lon=THERE[1], device_id="c").incident
    third = services.report_submit(service=pothole, lat=THERE[0] + 0.01, lon=THERE[1], device_id="a").incident
    target = services.incident_merge(target=pothole_incident, sources=[other, third], actor=operator)
    assert target.report_count == 4 == target.reports.count()
    assert target.source_count == 3  # a, b, c
    for source in (other, third):
        source.refresh_from_db()
        assert (source.status, source.resolution, source.duplicate_of_id, source.report_count) == (
            "rejected",
            "merged",
            target.pk,
            0,
        )
    assert Report.objects.filter(incident=target).count() == Report.objects.count()
    moved = Report.objects.get(device_id="c")
    assert "Se unió a otro incidente" in moved.status_notes and moved.status == "open"


def test_merge_refuses_other_services_and_closed_incidents(accident, pothole, pothole_incident, operator):
    crash = services.report_submit(service=accident, lat=HERE[0], lon=HERE[1], attributes={"carriles": "1"}).incident
    with pytest.raises(ValidationError) as exc:
        services.incident_merge(target=pothole_incident, sources=[crash], actor=operator)
    assert "sources" in exc.value.message_dict
    closed = services.report_submit(service=pothole, lat=THERE[0], lon=THERE[1]).incident
    services.incident_resolve(incident=closed, actor=operator)
    with pytest.raises(ValidationError):
        services.incident_merge(target=pothole_incident, sources=[closed], actor=operator)
    assert pothole_incident.reports.count() == 2 and crash.reports.count() == 1


def test_split_makes_a_new_routed_incident(pothole_incident, operator, organization):
    reports = list(pothole_incident.reports.order_by("id"))
    new = services.incident_split(incident=pothole_incident, reports=reports[1:], actor=operator, note="Otra cuadra")
    pothole_incident.refresh_from_db()
    assert (pothole_incident.report_count, new.report_count) == (1, 1)
    assert new.status == "open" and new.service_id == pothole_incident.service_id
    assert IncidentChange.objects.filter(incident=new, action="split_from").exists()
    assert ReportStatusChange.objects.filter(report=reports[1], field="incident", to_value="open").exists()
    with pytest.raises(ValidationError) as exc:
        services.incident_split(incident=pothole_incident, reports=[reports[0]], actor=operator)
    assert "reports" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.incident_split(incident=new, reports=[reports[0]], actor=operator)


def test_public_dict_has_no_personal_data(pothole, operator):
    report = services.report_submit(
        service=pothole,
        lat=HERE[0],
        lon=HERE[1],
        first_name="Ana",
        last_name="Pérez",
        email="ana@example.org",
        phone="+56 9 1234 5678",
        device_id="tel-ana",
        address_string="O'Higgins 100",
    )
    data = selectors.incident_public_dict(report.incident)
    assert data["address_string"] == "O'Higgins 100" and data["service_code"] == "bache"
    text = str(data)
    for private in ("Ana", "Pérez", "ana@example.org", "1234", "tel-ana"):
        assert private not in text


def test_citizens_who_left_an_email_get_status_updates(
    pothole, operator, mailoutbox, django_capture_on_commit_callbacks
):
    report = services.report_submit(service=pothole, lat=HERE[0], lon=HERE[1], email="vecina@example.org")
    services.report_submit(service=pothole, lat=HERE[0], lon=HERE[1])  # no email: nobody to tell
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_resolve(
            incident=report.incident, actor=operator, note="Interno: cuadrilla 2.", public_reply="Bache tapado."
        )
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["vecina@example.org"] and report.public_id in message.subject
    assert "Resuelto" in message.body and "Bache tapado." in message.body
    assert "cuadrilla 2" not in message.body  # the internal note stays with the operators
    assert f"/reportes/seguimiento/{report.token}/" in message.body


def test_open311_media_url_falls_back_to_the_first_photo(pothole):
    from django.core.files.base import ContentFile

    from mueve.reports.models import ReportPhoto, Review

    report = services.report_submit(service=pothole, lat=HERE[0], lon=HERE[1])
    photo = ReportPhoto.objects.create(
        report=report,
        image=ContentFile(b"\xff\xd8\xff", name="x.jpg"),
        width=1,
        height=1,
        content_type="image/jpeg",
        size_bytes=3,
        review=Review.APPROVED,
    )
    listed = Client().get("/open311/v2/requests.json").json()[0]
    assert listed["media_url"] == f"http://testserver/reportes/fotos/{photo.token}/"
    detail = Client().get(f"/open311/v2/requests/{report.public_id}.json").json()[0]
    assert detail["media_url"] == listed["media_url"]
    photo.image.delete(save=False)
