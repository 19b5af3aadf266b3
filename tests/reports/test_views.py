"""The citizen pages of reports: the reporting form (plain POST and JSON), "¿Ya fue reportado?", tracking, photos,
the PWA files and the Open311 key requests."""

import io
import re
import uuid

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from mueve.accounts.models import Role
from mueve.reports import services
from mueve.reports.models import Incident, Report, ReportPhoto, Review
from tests.conftest import ROLES_AND_ANONYMOUS
from tests.reports.test_photos import jpeg_with_gps

NEW = reverse("reports:new")
HERE = {"lat": "-36.8201", "lon": "-73.0444"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # The rate limiter counts in the cache, which outlives a test: every test starts with a clean count.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalogue(accident, pothole):
    return {"accident": accident, "pothole": pothole}


def post(client, data, *, json=False, files=None):
    payload = dict(data)
    if files:
        payload.update(files)
    headers = {"Accept": "application/json"} if json else {}
    return client.post(NEW, payload, headers=headers)


def errors_of(response) -> str:
    return response.content.decode()


# --- the page --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_everyone_can_open_the_citizen_pages(client, users_by_role, catalogue, role):
    if users_by_role[role]:
        client.force_login(users_by_role[role])
    for name in ("reports:home", "reports:new", "reports:developers"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    page = client.get(NEW).content.decode()
    assert "Accidente de tránsito" in page and "Bache" in page
    assert 'name="lat"' in page and 'name="lon"' in page  # typed coordinates: usable without the map


def test_plain_post_creates_a_web_report_and_goes_to_tracking(client, catalogue):
    response = post(client, {"service": "bache", **HERE, "description": "Hoyo grande frente al 123"})
    report = Report.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:track", args=[report.token])
    assert report.source == Report.Source.WEB
    assert report.service.code == "bache"
    assert (round(report.lat, 4), round(report.lon, 4)) == (-36.8201, -73.0444)
    page = client.get(response.url).content.decode()
    assert report.public_id in page and "Hoyo grande frente al 123" in page


def test_json_post_answers_201_with_the_tracking_url(client, catalogue):
    response = post(client, {"service": "bache", **HERE}, json=True)
    assert response.status_code == 201
    report = Report.objects.get()
    assert response.json() == {"public_id": report.public_id, "tracking_url": f"/reportes/seguimiento/{report.token}/"}


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({**HERE}, "service", "Elija qué quiere reportar."),
        ({"service": "no-existe", **HERE}, "service", "Elija una de las categorías de la lista."),
        ({"service": "bache"}, "lat", "Falta la ubicación"),
        ({"service": "bache", "lat": "200", "lon": "-73"}, "lat", "La latitud debe estar entre -90 y 90."),
        ({"service": "bache", "lat": "abc", "lon": "-73"}, "lat", "Escriba la latitud como número"),
        (
            {"service": "bache", **HERE, "description": "x" * 4001},
            "description",
            "Máximo 4000 caracteres (tiene 4001).",
        ),
        ({"service": "bache", **HERE, "email_updates": "on"}, "email", "Escriba su correo para recibir novedades"),
        ({"service": "bache", **HERE, "email_updates": "on", "email": "no-es-correo"}, "email", "correo válido"),
    ],
)
def test_bad_input_gets_spanish_errors_keeps_values_and_stores_nothing(client, catalogue, data, field, text):
    data = {**data, "description": data.get("description", "Se mantiene este texto")}
    response = post(client, data)
    assert response.status_code == 400
    page = errors_of(response)
    assert "No se guardó nada" in page
    assert text in page
    if len(data["description"]) < 100:
        assert "Se mantiene este texto" in page
    assert Report.objects.count() == 0
    json_response = post(client, data, json=True)
    assert json_response.status_code == 400
    assert text in " ".join(json_response.json()["errors"][field])
    assert Report.objects.count() == 0


def test_the_category_questions_are_asked_and_answers_kept(client, catalogue):
    # accidente-transito requires "carriles" (number); heridos is a list.
    data = {"service": "accidente-transito", **HERE, "attr-accidente-transito-heridos": "si"}
    response = post(client, data)
    assert response.status_code == 400
    page = errors_of(response)
    assert "Este atributo es obligatorio." in page
    assert 'value="si" checked' in page
    assert Report.objects.count() == 0
    response = post(client, {**data, "attr-accidente-transito-carriles": "2"}, json=True)
    assert response.status_code == 201
    assert Report.objects.get().attributes == {"carriles": 2, "heridos": "si"}


def test_a_retry_with_the_same_idempotency_key_makes_one_report(client, catalogue):
    key = str(uuid.uuid4())
    first = post(client, {"service": "bache", **HERE, "idempotency_key": key}, json=True)
    second = post(client, {"service": "bache", **HERE, "idempotency_key": key}, json=True)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Report.objects.count() == 1


def test_a_key_another_sender_used_gets_an_error_not_their_report(client, catalogue):
    """An Open311 application's report is never handed to the page (its tracking page and token) because the page
    sent the same idempotency key."""
    other = services.report_submit(
        service=catalogue["pothole"],
        lat=-36.8201,
        lon=-73.0444,
        idempotency_key="clave-1",
        source=Report.Source.OPEN311,
    )
    response = post(client, {"service": "bache", **HERE, "idempotency_key": "clave-1"}, json=True)
    assert response.status_code == 400
    assert "otro remitente" in response.json()["errors"]["__all__"][0]
    assert other.token not in response.content.decode()
    assert Report.objects.count() == 1


def test_a_yo_tambien_re_sent_after_its_incident_was_removed_gets_its_report(client, catalogue):
    first = services.report_submit(service=catalogue["pothole"], lat=-36.8201, lon=-73.0444)
    me_too = {"service": "bache", **HERE, "confirms": first.incident_id, "idempotency_key": str(uuid.uuid4())}
    stored = post(client, me_too, json=True)
    assert stored.status_code == 201
    Incident.objects.filter(pk=first.incident_id).delete()  # e.g. an operator removed it as spam
    again = post(client, me_too, json=True)
    assert again.status_code == 201 and again.json() == stored.json()
    fresh = post(client, {**me_too, "idempotency_key": str(uuid.uuid4())}, json=True)
    assert fresh.status_code == 400 and "ya no está disponible" in fresh.json()["errors"]["__all__"][0]


def test_email_is_stored_for_updates_but_never_shown(client, catalogue):
    response = post(client, {"service": "bache", **HERE, "email_updates": "on", "email": "ana@example.org"})
    report = Report.objects.get()
    assert report.email == "ana@example.org"
    assert "ana@example.org" not in client.get(response.url).content.decode()
    post(client, {"service": "bache", **HERE, "email": "sin-casilla@example.org"})
    assert Report.objects.filter(email="sin-casilla@example.org").count() == 0


def test_a_logged_in_citizen_sees_their_reports_on_the_landing(client, make_user, catalogue):
    citizen = make_user(Role.CITIZEN)
    client.force_login(citizen)
    post(client, {"service": "bache", **HERE})
    report = Report.objects.get()
    assert report.reporter == citizen
    assert report.public_id in client.get(reverse("reports:home")).content.decode()


def test_too_many_reports_get_429_in_spanish_and_a_queued_retry_still_answers(client, catalogue, settings):
    settings.MUEVE_REPORTS_RATE = "2/hour"
    keys = [str(uuid.uuid4()) for _ in range(3)]
    for key in keys[:2]:
        assert (
            post(client, {"service": "bache", **HERE, "device_id": "tel-1", "idempotency_key": key}).status_code == 302
        )
    refused = post(client, {"service": "bache", **HERE, "device_id": "tel-1", "idempotency_key": keys[2]})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Demasiados reportes seguidos" in refused.content.decode()
    as_json = post(client, {"service": "bache", **HERE, "device_id": "tel-1", "idempotency_key": keys[2]}, json=True)
    assert as_json.status_code == 429 and "Demasiados" in as_json.json()["errors"]["__all__"][0]
    assert Report.objects.count() == 2
    # A phone re-sending a report that did arrive is answered, not limited.
    retry = post(client, {"service": "bache", **HERE, "device_id": "tel-1", "idempotency_key": keys[0]}, json=True)
    assert retry.status_code == 201
    assert Report.objects.count() == 2


def test_a_banned_contact_is_refused(client, catalogue, make_user):
    services.banned_contact_add(kind="email", value="spam@example.org", actor=make_user(Role.OPERATOR))
    response = post(client, {"service": "bache", **HERE, "email_updates": "on", "email": "spam@example.org"})
    assert response.status_code == 403
    assert "No se aceptan reportes de este remitente." in response.content.decode()
    assert Report.objects.count() == 0


# --- photos ----------------------------------------------------------------------------------------------------


def test_a_photo_is_stored_without_exif_and_served(client, catalogue):
    photo = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = post(client, {"service": "bache", **HERE}, files={"photo": photo})
    assert response.status_code == 302
    stored = ReportPhoto.objects.get()
    assert max(stored.width, stored.height) <= 1600
    ReportPhoto.objects.update(review=Review.APPROVED)  # photos wait for an operator by default
    served = client.get(reverse("reports:photo", args=[stored.token]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    data = b"".join(served.streaming_content)
    with Image.open(io.BytesIO(data)) as image:
        assert len(image.getexif()) == 0
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert reverse("reports:photo", args=[stored.token]) in client.get(response.url).content.decode()


def test_photos_of_rejected_reports_are_not_served(client, catalogue):
    photo = SimpleUploadedFile("a.jpg", jpeg_with_gps((400, 300)), content_type="image/jpeg")
    post(client, {"service": "bache", **HERE}, files={"photo": photo})
    stored = ReportPhoto.objects.get()
    ReportPhoto.objects.update(review=Review.APPROVED)
    Report.objects.update(moderation=Report.Moderation.REJECTED)
    assert client.get(reverse("reports:photo", args=[stored.token])).status_code == 404


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"MZ\x90\x00" + b"\x00" * 4000, "no es una foto JPEG, PNG o WebP"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * (10 * 1024 * 1024), "10 MB"),
    ],
    ids=["exe-named-jpg", "too-big"],
)
def test_a_bad_photo_gets_a_message_and_the_rest_is_kept(client, catalogue, data, text):
    photo = SimpleUploadedFile("foto.jpg", data, content_type="image/jpeg")
    response = post(
        client, {"service": "bache", **HERE, "description": "Texto que no se pierde"}, files={"photo": photo}
    )
    assert response.status_code == 400
    page = errors_of(response)
    assert text in page
    assert "Texto que no se pierde" in page
    assert re.search(r'value="bache" id="id_service_\d+" checked', page)
    assert Report.objects.count() == 0 and ReportPhoto.objects.count() == 0


def test_a_phone_past_its_limit_is_told_so_before_its_photo_is_looked_at(client, catalogue, settings):
    # The limit comes first: a refused sender costs the server no photo decoding (and learns the real reason).
    settings.MUEVE_REPORTS_RATE = "1/hour"
    assert post(client, {"service": "bache", **HERE, "device_id": "tel-9"}).status_code == 302
    photo = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00" + b"\x00" * 4000, content_type="image/jpeg")
    refused = post(client, {"service": "bache", **HERE, "device_id": "tel-9"}, files={"photo": photo})
    assert refused.status_code == 429
    assert "Demasiados reportes seguidos" in refused.content.decode()
    assert Report.objects.count() == 1 and ReportPhoto.objects.count() == 0


# --- "¿Ya fue reportado?" and "Yo también" ----------------------------------------------------------------------


def test_nearby_lists_open_incidents_of_the_category_and_yo_tambien_confirms(client, catalogue):
    first = services.report_submit(service=catalogue["pothole"], lat=-36.8201, lon=-73.0444, source=Report.Source.WEB)
    incident = first.incident
    assert incident is not None
    url = reverse("reports:nearby")
    body = client.get(url, {"service": "bache", "lat": "-36.8205", "lon": "-73.0444"}).json()
    assert [item["id"] for item in body["incidents"]] == [incident.pk]
    assert 40 <= body["incidents"][0]["distance_m"] <= 50
    assert body["incidents"][0]["report_count"] == 1
    far = client.get(url, {"service": "bache", "lat": "-36.8300", "lon": "-73.0444"}).json()
    assert far["incidents"] == []
    other = client.get(url, {"service": "accidente-transito", "lat": "-36.8205", "lon": "-73.0444"}).json()
    assert other["incidents"] == []

    response = post(
        client, {"service": "bache", "lat": "-36.8205", "lon": "-73.0444", "confirms": incident.pk}, json=True
    )
    assert response.status_code == 201
    confirmation = Report.objects.get(public_id=response.json()["public_id"])
    assert confirmation.is_confirmation
    assert confirmation.incident_id == incident.pk
    incident.refresh_from_db()
    assert incident.report_count == 2


def test_yo_tambien_on_another_category_is_refused(client, catalogue):
    first = services.report_submit(service=catalogue["pothole"], lat=-36.8201, lon=-73.0444)
    response = post(
        client,
        {
            "service": "accidente-transito",
            **HERE,
            "attr-accidente-transito-carriles": "1",
            "confirms": first.incident_id,
        },
    )
    assert response.status_code == 400
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    "query",
    [
        {"service": "bache", "lat": "x", "lon": "1"},
        {"service": "bache", "lat": "95", "lon": "1"},
        {"service": "nada", **HERE},
    ],
)
def test_nearby_refuses_bad_queries(client, catalogue, query):
    assert client.get(reverse("reports:nearby"), query).status_code == 400


# --- tracking --------------------------------------------------------------------------------------------------


def test_tracking_shows_history_and_count_but_no_personal_data(client, catalogue):
    report = services.report_submit(
        service=catalogue["pothole"],
        lat=-36.8201,
        lon=-73.0444,
        first_name="Ana",
        last_name="Pérez",
        email="ana@example.org",
        phone="+56911112222",
        device_id="dispositivo-secreto",
        source=Report.Source.WEB,
    )
    page = client.get(reverse("reports:track", args=[report.token])).content.decode()
    assert report.public_id in page and "Recibido" in page
    assert "1 reporte" in page
    for private in ("Ana", "Pérez", "ana@example.org", "+56911112222", "dispositivo-secreto"):
        assert private not in page
    assert client.get(reverse("reports:track", args=["no-existe"])).status_code == 404


def test_lookup_by_public_id_or_token(client, catalogue):
    report = services.report_submit(service=catalogue["pothole"], lat=-36.8201, lon=-73.0444)
    home = reverse("reports:home")
    target = reverse("reports:track", args=[report.token])
    assert client.get(home, {"code": report.public_id.lower()}).url == target
    assert client.get(home, {"code": report.token}).url == target
    missing = client.get(home, {"code": "ZZZZZZZZZZ"})
    assert missing.status_code == 200
    assert "No encontramos un reporte" in missing.content.decode()


# --- PWA -------------------------------------------------------------------------------------------------------


def test_manifest_makes_the_page_installable(client, catalogue, settings):
    manifest = client.get(reverse("reports:manifest"))
    assert manifest["Content-Type"].startswith("application/manifest+json")
    body = manifest.json()
    assert body["display"] == "standalone" and body["start_url"].startswith(NEW)
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in body["icons"]}
    for icon in body["icons"]:
        assert finders.find(icon["src"].removeprefix(settings.STATIC_URL)), icon["src"]
    assert reverse("reports:manifest") in client.get(NEW).content.decode()


def test_service_worker_covers_the_reports_pages(client, catalogue):
    response = client.get(reverse("reports:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/reportes/"
    script = response.content.decode()
    assert "importScripts" in script and NEW in script


# --- Open311 for developers -------------------------------------------------------------------------------------


def test_the_open311_developers_page_sends_to_the_developer_portal_for_a_key(client, db):
    page = client.get(reverse("reports:developers")).content.decode()
    assert reverse("api:register") in page and "/open311/v2/" in page
