"""Abuse and privacy: per-client rate limits, banned contacts (stored hashed), suspected spam kept out of
incidents until a moderator accepts it, and the audit of moderation changes."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from mueve.accounts.models import Role
from mueve.reports import services
from mueve.reports.models import BannedContact, Incident, Report, ReportPhoto, ReportStatusChange
from tests.reports.test_photos import jpeg_with_gps

HERE = (-36.827, -73.050)


def post(client: Client, key: str, fmt: str = "json", remote: str = "10.0.0.1", **fields):
    body = {"api_key": key, "service_code": "bache", "lat": str(HERE[0]), "long": str(HERE[1]), **fields}
    return client.post(
        f"/open311/v2/requests.{fmt}",
        urlencode(body),
        content_type="application/x-www-form-urlencoded",
        REMOTE_ADDR=remote,
    )


@pytest.fixture
def operator(make_user):
    return make_user(Role.OPERATOR)


def test_rate_limit_per_device_answers_429_and_stores_nothing(pothole, api_key, settings):
    settings.MUEVE_REPORTS_RATE = "3/hour"
    client = Client()
    for i in range(3):
        assert post(client, api_key, device_id="tel-1", description=f"hoyo {i}").status_code == 200
    refused = post(client, api_key, device_id="tel-1")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()[0]["code"] == 429 and refused.json()[0]["description"]
    assert Report.objects.count() == 3
    # Another phone on the same IP still gets through (the IP allowance is wider than one device's).
    assert post(client, api_key, device_id="tel-2").status_code == 200


def test_a_phone_past_its_limit_does_not_use_up_its_neighbours_ip_allowance(pothole, api_key, settings):
    settings.MUEVE_REPORTS_RATE = "1/hour"  # the IP gets 5× that
    client = Client()
    codes = [post(client, api_key, remote="10.0.7.1", device_id="tel-insistente").status_code for _i in range(8)]
    assert codes == [200] + [429] * 7
    # Seven refused attempts did not count against the IP: four more phones behind it still get through.
    codes = [post(client, api_key, remote="10.0.7.1", device_id=f"tel-vecino-{i}").status_code for i in range(5)]
    assert codes == [200] * 4 + [429]
    assert Report.objects.count() == 5


def test_rate_limit_per_ip_without_device(pothole, api_key, settings):
    settings.MUEVE_REPORTS_RATE = "1/hour"  # the IP gets 5× that
    client = Client()
    codes = [post(client, api_key, remote="10.0.0.9").status_code for _i in range(6)]
    assert codes == [200] * 5 + [429]
    assert post(client, api_key, remote="10.0.0.10").status_code == 200
    assert Report.objects.count() == 6


def test_retrying_a_stored_report_is_not_rate_limited(pothole, api_key, settings):
    settings.MUEVE_REPORTS_RATE = "1/hour"
    client = Client()
    first = post(client, api_key, device_id="tel-1", idempotency_key="envio-1")
    again = post(client, api_key, device_id="tel-1", idempotency_key="envio-1")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() and Report.objects.count() == 1


def test_a_refused_senders_open311_photo_is_not_decoded_and_a_retry_keeps_its_answer(
    pothole, api_key, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MUEVE_REPORTS_RATE = "1/hour"
    client = Client()
    body = {"api_key": api_key, "service_code": "bache", "lat": str(HERE[0]), "long": str(HERE[1])}
    photo = jpeg_with_gps()
    first = client.post(
        "/open311/v2/requests.json",
        {**body, "device_id": "tel-1", "idempotency_key": "envio-1", "media": SimpleUploadedFile("a.jpg", photo)},
        REMOTE_ADDR="10.0.0.1",
    )
    assert first.status_code == 200
    # Past the limit, not even a broken file is looked at: the answer is the limit, not the photo's error.
    exe = SimpleUploadedFile("b.jpg", b"MZ\x90\x00" + b"\x00" * 4000)
    refused = client.post("/open311/v2/requests.json", {**body, "device_id": "tel-1", "media": exe})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    # The retry of the stored report still gets its answer, with its one photo.
    again = client.post(
        "/open311/v2/requests.json",
        {**body, "device_id": "tel-1", "idempotency_key": "envio-1", "media": SimpleUploadedFile("a.jpg", photo)},
        REMOTE_ADDR="10.0.0.1",
    )
    assert again.status_code == 200 and again.json() == first.json()
    assert Report.objects.count() == 1 and ReportPhoto.objects.count() == 1


def test_a_banned_device_sending_a_photo_is_refused_before_the_photo(pothole, api_key, operator):
    services.banned_contact_add(kind="device", value="tel-malo", actor=operator)
    exe = SimpleUploadedFile("b.jpg", b"MZ\x90\x00" + b"\x00" * 4000)
    body = {"api_key": api_key, "service_code": "bache", "lat": str(HERE[0]), "long": str(HERE[1])}
    refused = Client().post("/open311/v2/requests.json", {**body, "device_id": "tel-malo", "media": exe})
    assert refused.status_code == 403
    assert Report.objects.count() == 0


def test_signed_in_users_have_their_own_higher_limit(pothole, make_user, settings):
    settings.MUEVE_REPORTS_RATE = "1/hour"
    settings.MUEVE_REPORTS_RATE_USER = "3/hour"
    user = make_user(Role.CITIZEN)
    for _i in range(3):
        services.report_check_abuse(client_key="10.0.0.1", user=user)
    with pytest.raises(services.RateLimited):
        services.report_check_abuse(client_key="10.0.0.1", user=user)


def test_rate_setting_off_and_bad_values(settings):
    assert services.parse_rate("off") is None and services.parse_rate("20/minute") == (20, 60)
    with pytest.raises(Exception, match="MUEVE_REPORTS_RATE"):
        services.parse_rate("muchos")


@pytest.mark.parametrize(
    ("kind", "banned", "sent"),
    [
        ("email", "Spam@Example.org", {"email": "spam@example.org "}),
        ("phone", "+56 9 8765 4321", {"phone": "987654321"}),
        ("device", "tel-malo", {"device_id": "tel-malo"}),
    ],
)
def test_banned_contacts_get_403_and_nothing_is_stored(pothole, api_key, operator, kind, banned, sent):
    row = services.banned_contact_add(kind=kind, value=banned, actor=operator, reason="Spam repetido")
    assert banned.strip().lower() not in (row.value_hash + row.hint)  # only a hash and a hint are kept
    response = post(Client(), api_key, **sent)
    assert response.status_code == 403 and response.json()[0]["code"] == 403
    assert not Report.objects.exists()
    services.banned_contact_lift(banned=row, actor=operator)
    assert post(Client(), api_key, **sent).status_code == 200


def test_expired_ban_no_longer_applies(pothole, api_key, operator):
    services.banned_contact_add(
        kind="device", value="tel-x", actor=operator, expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert post(Client(), api_key, device_id="tel-x").status_code == 200


def test_citizens_cannot_ban(make_user):
    with pytest.raises(PermissionDenied):
        services.banned_contact_add(kind="email", value="a@example.org", actor=make_user(Role.CITIZEN))
    assert not BannedContact.objects.exists()


def test_a_burst_from_one_sender_is_suspected_and_kept_out_of_incidents(pothole, operator):
    reports = [
        services.report_submit(service=pothole, lat=HERE[0], lon=HERE[1], device_id="rafaga")
        for _i in range(services.SPAM_BURST_COUNT + 1)
    ]
    last = reports[-1]
    assert last.moderation == "suspected" and last.incident is None
    incident = reports[0].incident
    incident.refresh_from_db()
    assert incident.report_count == services.SPAM_BURST_COUNT
    # A moderator accepts it: it joins the incident, and the change is audited (not public).
    services.report_moderate(report=last, moderation="accepted", actor=operator, note="Vecino real")
    last.refresh_from_db()
    incident.refresh_from_db()
    assert last.incident_id == incident.pk and incident.report_count == services.SPAM_BURST_COUNT + 1
    audit = ReportStatusChange.objects.get(report=last, field="moderation")
    assert (audit.from_value, audit.to_value, audit.public, audit.changed_by) == (
        "suspected",
        "accepted",
        False,
        operator,
    )


def test_links_make_a_report_suspected(pothole):
    report = services.report_submit(
        service=pothole, lat=HERE[0], lon=HERE[1], description="http://a.example http://b.example https://c.example"
    )
    assert report.moderation == "suspected" and not Incident.objects.exists()


def test_rejecting_a_report_takes_it_out_of_its_incident_and_public_lists(pothole, operator, api_key):
    a = services.report_submit(service=pothole, lat=HERE[0], lon=HERE[1], device_id="a")
    b = services.report_submit(service=pothole, lat=HERE[0], lon=HERE[1], device_id="b")
    services.report_moderate(report=b, moderation="rejected", actor=operator)
    incident = Incident.objects.get(pk=a.incident_id)
    assert incident.report_count == 1 and incident.source_count == 1
    ids = [item["service_request_id"] for item in Client().get("/open311/v2/requests.json").json()]
    assert ids == [a.public_id]


def test_citizens_cannot_moderate(pothole, make_user):
    report = services.report_submit(service=pothole, lat=HERE[0], lon=HERE[1])
    with pytest.raises(PermissionDenied):
        services.report_moderate(report=report, moderation="rejected", actor=make_user(Role.CITIZEN))
    report.refresh_from_db()
    assert report.moderation == "accepted"


def test_reporter_key_is_a_hash(pothole):
    report = services.report_submit(service=pothole, lat=HERE[0], lon=HERE[1], email="vecina@example.org")
    assert len(report.reporter_key) == 64 and "vecina" not in report.reporter_key
