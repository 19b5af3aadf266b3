"""«¿Quedó resuelto?» on the tracking page: the reporter answers once a report's incident is resolved; «no» reopens
the incident (through the operators' status service: log, history, event) with the comment and the photo."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mueve.accounts.models import Role
from mueve.core import events
from mueve.reports import services
from mueve.reports.models import Incident, IncidentChange, ReportFeedback, ReportPhoto, ReportStatusChange, Review
from tests.reports.test_photos import jpeg_with_gps

HERE = (-36.827, -73.050)
QUESTION = "¿Quedó resuelto?"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def operator(make_user):
    return make_user(Role.OPERATOR)


@pytest.fixture
def report(pothole):
    return services.report_submit(service=pothole, lat=HERE[0], lon=HERE[1], device_id="a")


@pytest.fixture
def resolved(report, operator):
    incident = Incident.objects.get(pk=report.incident_id)
    services.incident_acknowledge(incident=incident, actor=operator)
    services.incident_resolve(incident=incident, actor=operator, public_reply="Bache reparado.")
    report.refresh_from_db()
    return report


@pytest.fixture
def capture_events():
    received = []

    def listener(kind, payload):
        received.append((kind, payload))

    events.subscribe(listener)
    yield received
    events._subscribers.remove(listener)


def track(report):
    return reverse("reports:track", args=[report.token])


def answer(report):
    return reverse("reports:track_feedback", args=[report.token])


def test_the_question_appears_only_once_the_report_is_resolved(client, report, operator):
    page = client.get(track(report)).content.decode()
    assert QUESTION not in page
    incident = Incident.objects.get(pk=report.incident_id)
    services.incident_acknowledge(incident=incident, actor=operator)
    assert QUESTION not in client.get(track(report)).content.decode()
    response = client.post(answer(report), {"fixed": "no", "comment": "Sigue"})
    assert response.status_code == 409 and "aún no figura como resuelto" in response.content.decode()
    assert not ReportFeedback.objects.exists()
    services.incident_resolve(incident=incident, actor=operator)
    page = client.get(track(report)).content.decode()
    assert QUESTION in page and "<legend>¿Quedó resuelto?</legend>" in page


def test_yes_is_recorded_once_and_a_second_answer_is_refused(client, resolved):
    response = client.post(answer(resolved), {"fixed": "si"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Gracias por avisarnos que el problema quedó resuelto." in page
    assert "Usted indicó que el problema quedó resuelto" in page and 'name="fixed"' not in page
    feedback = ReportFeedback.objects.get()
    assert feedback.fixed is True and feedback.report == resolved
    assert Incident.objects.get(pk=resolved.incident_id).status == "resolved"

    response = client.post(answer(resolved), {"fixed": "no", "comment": "Cambié de opinión"})
    assert response.status_code == 409
    assert "Usted ya respondió si el problema quedó resuelto" in response.content.decode()
    assert ReportFeedback.objects.count() == 1
    assert Incident.objects.get(pk=resolved.incident_id).status == "resolved"


def test_no_reopens_through_the_service_with_comment_and_photo(
    client, resolved, capture_events, django_capture_on_commit_callbacks
):
    photo = SimpleUploadedFile("foto.jpg", jpeg_with_gps(), content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            answer(resolved), {"fixed": "no", "comment": "El bache volvió a abrirse.", "photo": photo}, follow=True
        )
    assert response.status_code == 200
    incident = Incident.objects.get(pk=resolved.incident_id)
    assert incident.status == "acknowledged" and incident.closed_at is None and incident.resolution == ""
    change = IncidentChange.objects.filter(incident=incident).latest("id")
    assert (change.action, change.from_status, change.to_status) == ("reopen", "resolved", "acknowledged")
    assert change.note == "El bache volvió a abrirse." and change.actor is None
    # The control centre's stream hears it as any operator change, without naming the citizen.
    updated = [p for kind, p in capture_events if kind == "reports.incident_updated"]
    assert updated and updated[-1]["action"] == "reopen" and updated[-1]["actor"] is None
    assert updated[-1]["incident"]["status"] == "acknowledged"
    # The tracking history and Open311 status follow; the comment (no text moderation here) is public.
    status_change = ReportStatusChange.objects.filter(report=resolved, field="incident").latest("id")
    assert status_change.to_value == "acknowledged" and "El bache volvió a abrirse." in status_change.notes
    resolved.refresh_from_db()
    assert resolved.status == "open"
    feedback = ReportFeedback.objects.get()
    assert feedback.fixed is False and feedback.comment == "El bache volvió a abrirse."
    # The photo is the report's, cleaned, and waits for moderation as every report photo does.
    stored = ReportPhoto.objects.get(report=resolved)
    assert feedback.photo == stored and stored.review == Review.PENDING
    page = response.content.decode()
    assert "Reabrimos el reporte" in page and "Recibido por el organismo" in page
    assert "1 foto en revisión" in page
    assert 'name="fixed"' not in page


def test_a_comment_waiting_for_moderation_is_not_public(client, resolved, pothole):
    type(pothole).objects.filter(pk=pothole.pk).update(moderate_text=True)
    client.post(answer(resolved), {"fixed": "no", "comment": "Mi vecino Juan Pérez 912345678"})
    status_change = ReportStatusChange.objects.filter(report=resolved, field="incident").latest("id")
    assert "Juan" not in status_change.notes and "no quedó resuelto" in status_change.notes
    page = client.get(track(resolved)).content.decode()
    assert "Juan" not in page and "Comentario en revisión" in page
    assert IncidentChange.objects.latest("id").note == "Mi vecino Juan Pérez 912345678"  # operators read it


def test_after_the_window_the_form_is_gone_and_an_answer_refused(client, resolved, settings):
    settings.MUEVE_REOPEN_DAYS = 30
    Incident.objects.filter(pk=resolved.incident_id).update(closed_at=timezone.now() - timedelta(days=31))
    assert QUESTION not in client.get(track(resolved)).content.decode()
    response = client.post(answer(resolved), {"fixed": "no", "comment": "Sigue igual"})
    assert response.status_code == 409
    assert "Pasaron más de 30 días desde que se resolvió" in response.content.decode()
    assert not ReportFeedback.objects.exists()
    assert Incident.objects.get(pk=resolved.incident_id).status == "resolved"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"fixed": "no", "comment": "x" * 1001}, "comment", "Máximo 1000 caracteres (tiene 1001)."),
        ({"fixed": "quizás"}, "fixed", "Elija «Sí» o «No»."),
        ({}, "fixed", "Elija «Sí» o «No»."),
    ],
)
def test_bad_input_is_refused_with_a_field_error_and_nothing_stored(client, resolved, data, field, message):
    response = client.post(answer(resolved), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "No se guardó nada" in page and message in page
    assert not ReportFeedback.objects.exists()
    assert Incident.objects.get(pk=resolved.incident_id).status == "resolved"


def test_a_file_that_is_not_an_image_is_refused_and_nothing_stored(client, resolved):
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = client.post(answer(resolved), {"fixed": "no", "comment": "Sigue", "photo": fake})
    assert response.status_code == 400
    assert "No se guardó nada" in response.content.decode()
    assert not ReportFeedback.objects.exists() and not ReportPhoto.objects.exists()
    assert Incident.objects.get(pk=resolved.incident_id).status == "resolved"


def test_without_the_tracking_token_nobody_can_answer(client, resolved):
    assert client.post(reverse("reports:track_feedback", args=["no-es-un-token"]), {"fixed": "no"}).status_code == 404
    assert client.post(reverse("reports:track_feedback", args=[resolved.public_id]), {"fixed": "no"}).status_code == 404
    assert not ReportFeedback.objects.exists()
    assert Incident.objects.get(pk=resolved.incident_id).status == "resolved"


def test_operators_read_the_answer_in_the_incident_detail(client, resolved, operator):
    client.post(answer(resolved), {"fixed": "no", "comment": "Sigue el hoyo"})
    client.force_login(operator)
    detail = client.get(f"/control/incidentes/{resolved.incident_id}/").json()
    assert detail["incident"]["status"] == "acknowledged"
    answers = detail["reports"][0]["answers"]
    assert {"question": "¿Quedó resuelto? (respuesta de quien reportó)", "answer": "No: Sigue el hoyo"} in answers
    assert detail["history"][-1]["action"] == "reopen" and detail["history"][-1]["note"] == "Sigue el hoyo"


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_operators_decide_on_a_held_comment_in_the_control_centre_queue(client, resolved, pothole, operator, decision):
    type(pothole).objects.filter(pk=pothole.pk).update(moderate_text=True)
    client.post(answer(resolved), {"fixed": "no", "comment": "Sigue el hoyo, ahora más grande"})
    client.force_login(operator)
    queue = client.get("/control/moderacion/").content.decode()
    assert "Comentario al responder que no quedó resuelto" in queue and "Sigue el hoyo, ahora más grande" in queue
    url = f"/control/moderacion/reaperturas/{resolved.public_id}/{decision}/"
    if decision == "reject":
        refused = client.post(url, {"reason": ""})  # a rejection needs its reason
        assert refused.status_code == 400 and "Indique el motivo del rechazo." in refused.content.decode()
        assert ReportFeedback.objects.get(report=resolved).comment_review == Review.PENDING
    response = client.post(url, {"reason": "Sin datos personales" if decision == "approve" else "Ofensivo"})
    assert response.status_code == 302
    feedback = ReportFeedback.objects.get(report=resolved)
    assert feedback.comment_review == (Review.APPROVED if decision == "approve" else Review.REJECTED)
    assert "Sigue el hoyo" not in client.get("/control/moderacion/").content.decode().split("Decisiones recientes")[0]
    client.logout()
    public = client.get(track(resolved)).content.decode()
    assert ("Sigue el hoyo, ahora más grande" in public) is (decision == "approve")
    # Decided once: a second decision is refused, and citizens may not decide at all.
    client.force_login(operator)
    assert client.post(url, {"reason": "otra vez"}).status_code == 400
    client.logout()
    assert client.post(url, {"reason": "x"}).status_code in (302, 403)
    assert ReportFeedback.objects.get(report=resolved).comment_review == feedback.comment_review
