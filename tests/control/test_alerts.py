"""Public CAP alerts only after an operator confirms an incident; the operators' panel shows the evidence; the
operator's internal note never reaches the public, the public reply does."""

from xml.etree import ElementTree as ET

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mueve.reports import services
from mueve.reports.models import Incident, Report, ServiceAttribute
from tests.reports.test_photos import jpeg_with_gps

CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"
ATOM = "{http://www.w3.org/2005/Atom}"
# CAP 1.2 (OASIS) required elements; no XSD of CAP is in /work/shared/standards, so they are checked one by one.
ALERT_REQUIRED = ["identifier", "sender", "sent", "status", "msgType", "scope"]
INFO_REQUIRED = ["category", "event", "urgency", "severity", "certainty"]
INTERNAL = "Nota interna: el vecino del 3B es conflictivo"
REPLY = "Una cuadrilla irá mañana temprano."


def _cap(client, incident) -> ET.Element:
    cache.clear()
    response = client.get(f"/control/publico/cap/{incident.pk}.xml")
    assert response.status_code == 200
    alert = ET.fromstring(response.content)
    for tag in ALERT_REQUIRED:
        assert alert.find(f"{CAP}{tag}") is not None and alert.find(f"{CAP}{tag}").text, tag
    info = alert.find(f"{CAP}info")
    for tag in INFO_REQUIRED:
        assert info.find(f"{CAP}{tag}").text, tag
    assert info.find(f"{CAP}area/{CAP}areaDesc").text
    return alert


def _text(alert, path):
    return alert.find(path.replace("cap:", CAP)).text


def _feature(client, incident) -> dict:
    cache.clear()
    features = client.get("/control/publico/incidentes.geojson").json()["features"]
    return next(f for f in features if f["id"] == incident.pk)["properties"]


def _cap_links(client) -> list[str]:
    cache.clear()
    feed = ET.fromstring(client.get("/control/publico/atom/").content)
    return [link.get("href") for link in feed.iter(f"{ATOM}link") if link.get("type") == "application/cap+xml"]


def _act(client, incident, action, **data):
    response = client.post(f"/control/incidentes/{incident.pk}/{action}/", data)
    assert response.status_code == 200, response.content
    return response


# --- CAP ---------------------------------------------------------------------------------------------------------


def test_one_anonymous_report_publishes_no_alert(client, accident):
    report = services.report_submit(service=accident, lat=-36.8270, lon=-73.0503, description="Choque")
    incident = report.incident
    assert incident.severity == "high"
    assert client.get(f"/control/publico/cap/{incident.pk}.xml").status_code == 404
    cache.clear()
    index = ET.fromstring(client.get("/control/publico/cap/").content)
    assert index.findall(f"{ATOM}entry") == []
    assert _feature(client, incident)["alert"] is False
    assert _cap_links(client) == []


def test_the_operators_confirmation_issues_an_actual_alert_with_their_choice(client, incident, operator):
    client.force_login(operator)
    _act(client, incident, "acknowledge", alert_severity="Extreme", alert_urgency="Expected")
    alert = _cap(client, incident)
    assert _text(alert, "cap:status") == "Actual"
    assert _text(alert, "cap:msgType") == "Alert"
    assert _text(alert, "cap:info/cap:severity") == "Extreme"
    assert _text(alert, "cap:info/cap:urgency") == "Expected"
    assert _text(alert, "cap:info/cap:certainty") == "Observed"
    assert _feature(client, incident)["alert"] is True
    assert any(link.endswith(f"/control/publico/cap/{incident.pk}.xml") for link in _cap_links(client))
    cache.clear()
    index = ET.fromstring(client.get("/control/publico/cap/").content)
    assert len(index.findall(f"{ATOM}entry")) == 1


def test_without_a_choice_the_alert_takes_the_services_severity(client, incident, operator):
    client.force_login(operator)
    _act(client, incident, "dispatch")
    alert = _cap(client, incident)
    assert _text(alert, "cap:info/cap:severity") == "Severe"  # the accident service's default is "high"
    assert _text(alert, "cap:info/cap:urgency") == "Immediate"


def test_a_bad_choice_gets_a_spanish_error_and_confirms_nothing(client, incident, operator):
    client.force_login(operator)
    response = client.post(f"/control/incidentes/{incident.pk}/acknowledge/", {"alert_severity": "Apocalyptic"})
    assert response.status_code == 400
    assert "gravedad" in response.json()["errors"]["alert_severity"][0]
    incident.refresh_from_db()
    assert incident.status == "open" and incident.alert_sent_at is None


def _original(alert) -> str:
    return ",".join(_text(alert, f"cap:{tag}") for tag in ("sender", "identifier", "sent"))


def test_resolving_publishes_an_update_that_references_the_alert(client, incident, operator):
    client.force_login(operator)
    _act(client, incident, "acknowledge", alert_severity="Severe")
    original = _original(_cap(client, incident))
    _act(client, incident, "resolve")
    update = _cap(client, incident)
    assert _text(update, "cap:msgType") == "Update"
    assert _text(update, "cap:references") == original
    assert _text(update, "cap:identifier") != original.split(",")[1]
    assert _text(update, "cap:info/cap:urgency") == "Past"
    assert _feature(client, incident)["alert"] is False


@pytest.mark.parametrize("how", ["reject", "merge"])
def test_cancelling_or_merging_publishes_a_cancel(client, accident, incident, operator, submit, how):
    client.force_login(operator)
    _act(client, incident, "acknowledge", alert_severity="Severe")
    original = _original(_cap(client, incident))
    if how == "reject":
        _act(client, incident, "reject", reason="invalid")
    else:
        other = submit(accident, lat=-36.80, lon=-73.00).incident
        assert other.pk != incident.pk
        _act(client, incident, "merge", target=str(other.pk))
    cancel = _cap(client, incident)
    assert _text(cancel, "cap:msgType") == "Cancel"
    assert _text(cancel, "cap:references") == original


def test_the_demos_alerts_are_exercises(client, demo_db):
    alerted = list(Incident.objects.filter(alert_sent_at__isnull=False)[:5])
    assert alerted, "the demo's operator confirms some serious incidents"
    for incident in alerted:
        assert _text(_cap(client, incident), "cap:status") == "Exercise"
    unconfirmed = Incident.objects.filter(status="open", severity__in=["high", "critical"]).first()
    if unconfirmed is not None:
        assert client.get(f"/control/publico/cap/{unconfirmed.pk}.xml").status_code == 404


# --- Notes -------------------------------------------------------------------------------------------------------


def test_the_internal_note_stays_with_operators_the_public_reply_reaches_the_reporter(client, incident, operator):
    client.force_login(operator)
    _act(client, incident, "acknowledge", note=INTERNAL, public_reply=REPLY)
    history = client.get(f"/control/incidentes/{incident.pk}/").json()["history"]
    assert history[-1]["note"] == INTERNAL and history[-1]["public_reply"] == REPLY
    _act(client, incident, "resolve", note=INTERNAL + " (cierre)", public_reply=REPLY)
    report = Report.objects.get(incident=incident)
    client.logout()
    cache.clear()
    tracking = client.get(reverse("reports:track", args=[report.token])).content.decode()
    assert REPLY in tracking
    public = [
        tracking,
        client.get("/control/publico/").content.decode(),
        client.get("/control/publico/incidentes.geojson").content.decode(),
        client.get("/control/publico/atom/").content.decode(),
        client.get("/control/publico/cap/").content.decode(),
        client.get(f"/control/publico/cap/{incident.pk}.xml").content.decode(),
        client.get(f"/open311/v2/requests/{report.public_id}.json").content.decode(),
        client.get("/open311/v2/requests.json").content.decode(),
        client.get(f"/open311/v2/requests/{report.public_id}.xml").content.decode(),
    ]
    for body in public:
        assert "conflictivo" not in body


# --- Evidence ----------------------------------------------------------------------------------------------------


@pytest.fixture
def lights(metro, organization):
    return services.service_upsert(
        jurisdiction=metro,
        code="luminaria",
        name="Luminaria",
        agency=organization,
        alert_category="security",
        attributes=[
            services.AttributeSpec(
                code="estado",
                datatype=ServiceAttribute.Datatype.SINGLEVALUELIST,
                description="¿Cómo está la luminaria?",
                values=[("apagado", "Apagado"), ("parpadea", "Parpadea")],
            )
        ],
    )


LONG = ("Poste de luz apagado frente al número 1234, " * 6)[:200]


@pytest.fixture
def evidence(lights, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = SimpleUploadedFile("foto.jpg", jpeg_with_gps(), content_type="image/jpeg")
    return services.report_submit(
        service=lights,
        lat=-36.8270,
        lon=-73.0503,
        description=LONG,
        attributes={"estado": "apagado"},
        photo=photo,
    )


def test_the_incident_detail_carries_photo_answers_and_the_whole_text(client, operator, evidence):
    client.force_login(operator)
    data = client.get(f"/control/incidentes/{evidence.incident_id}/").json()
    (report,) = data["reports"]
    assert len(LONG) == 200 and report["description"] == LONG
    assert report["answers"] == [{"question": "¿Cómo está la luminaria?", "answer": "Apagado"}]
    (photo,) = report["photos"]
    assert photo["url"] == reverse("reports:photo", args=[evidence.photos.get().token])
    assert client.get(photo["url"]).status_code == 200
    assert "email" not in report and "phone" not in report
