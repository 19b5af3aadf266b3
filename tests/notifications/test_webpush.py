"""Web Push end to end: a person turns push on for their phone through the real endpoints, an operator acknowledges
their report, and the push service this test runs (an HTTP server on 127.0.0.1) receives what a browser's push
service would. The test decrypts it as the phone would (RFC 8291 / RFC 8188, written out here with `cryptography`,
not with the library that encrypted it) and checks the VAPID signature (RFC 8292) against the key the page got."""

import base64
import hashlib
import hmac
import json
import os
import stat
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.management import CommandError, call_command
from django.test import Client

from mueve.accounts.models import Role
from mueve.notifications.models import Delivery, Notification, PushSubscription
from mueve.notifications.services import deliveries_send
from mueve.reports import services as report_services
from mueve.reports.models import Report
from tests.conftest import PASSWORD
from tests.members.helpers import a_service

pytestmark = pytest.mark.django_db

FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- the push service, played by the test ------------------------------------------------------------------------


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class PushService:
    url: str
    status: int = 201
    received: list[Received] = field(default_factory=list)


@pytest.fixture
def push_service(settings):
    """A push service on 127.0.0.1 (random port) that keeps every message and answers `status`."""
    settings.MUEVE_PUSH_ALLOW_LOCAL = True

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            service.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(service.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service = PushService(url=f"http://127.0.0.1:{server.server_address[1]}")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield service
    server.shutdown()
    server.server_close()


# --- a browser's side of a subscription --------------------------------------------------------------------------


@dataclass
class Browser:
    """What a browser holds for one subscription: its ECDH key pair and the 16-byte auth secret."""

    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @classmethod
    def new(cls) -> "Browser":
        return cls(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))

    @property
    def public_bytes(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )

    def to_json(self, endpoint: str) -> dict:
        """PushSubscription.toJSON()."""
        return {
            "endpoint": endpoint,
            "expirationTime": None,
            "keys": {"p256dh": b64url(self.public_bytes), "auth": b64url(self.auth)},
        }

    def decrypt(self, body: bytes) -> bytes:
        """RFC 8291 section 3.4 keys, RFC 8188 aes128gcm records."""
        salt, record_size, id_length = body[:16], int.from_bytes(body[16:20], "big"), body[20]
        sender_public = body[21 : 21 + id_length]
        assert id_length == 65 and sender_public[0] == 4  # the push message's keyid is the sender's ECDH key
        records = body[21 + id_length :]
        shared = self.private_key.exchange(
            ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender_public)
        )

        def hmac_sha256(key: bytes, data: bytes) -> bytes:
            return hmac.new(key, data, hashlib.sha256).digest()

        prk_key = hmac_sha256(self.auth, shared)
        key_info = b"WebPush: info\x00" + self.public_bytes + sender_public
        ikm = hmac_sha256(prk_key, key_info + b"\x01")
        prk = hmac_sha256(salt, ikm)
        cek = hmac_sha256(prk, b"Content-Encoding: aes128gcm\x00\x01")[:16]
        nonce = hmac_sha256(prk, b"Content-Encoding: nonce\x00\x01")[:12]
        plain = b""
        chunks = [records[i : i + record_size] for i in range(0, len(records), record_size)]
        for sequence, chunk in enumerate(chunks):
            record_nonce = (int.from_bytes(nonce, "big") ^ sequence).to_bytes(12, "big")
            padded = AESGCM(cek).decrypt(record_nonce, chunk, None).rstrip(b"\x00")
            delimiter = 2 if sequence == len(chunks) - 1 else 1
            assert padded[-1] == delimiter
            plain += padded[:-1]
        return plain


def check_vapid(authorization: str, *, audience: str, server_key: str) -> dict:
    """RFC 8292: `vapid t=<JWT>, k=<key>`, the JWT signed with ES256 by the key in k; returns the claims."""
    scheme, _space, params = authorization.partition(" ")
    assert scheme.lower() == "vapid"
    parts = dict(item.strip().split("=", 1) for item in params.split(","))
    token, key = parts["t"], parts["k"]
    assert key == server_key  # the key the preferences page gave the browser
    header_b64, claims_b64, signature_b64 = token.split(".")
    assert json.loads(unb64url(header_b64)) == {"typ": "JWT", "alg": "ES256"}
    signature = unb64url(signature_b64)
    assert len(signature) == 64
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
    try:
        public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        pytest.fail("the VAPID token's signature does not verify with its k")
    claims = json.loads(unb64url(claims_b64))
    assert claims["aud"] == audience
    now = time.time()
    assert now < claims["exp"] <= now + 24 * 3600
    assert claims["sub"].startswith(("mailto:", "https:"))
    return claims


# --- the people and the event ------------------------------------------------------------------------------------


@pytest.fixture
def citizen(make_user):
    return make_user(Role.CITIZEN, email="vecina@example.org", first_name="Vecina")


@pytest.fixture
def operator(make_user):
    return make_user(Role.OPERATOR)


@pytest.fixture
def vapid_file(settings, tmp_path):
    """No key configured: the site generates one into a file of its own, as `make demo` does."""
    settings.MUEVE_VAPID_PRIVATE_KEY = ""
    settings.MUEVE_VAPID_KEY_FILE = tmp_path / "vapid_private.pem"
    return settings.MUEVE_VAPID_KEY_FILE


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Runs what services leave for after the commit (events, deliveries): the test's transaction never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _report(user) -> Report:
    report = report_services.report_submit(
        service=a_service(), lat=-36.8201, lon=-73.0444, description="Poste sin luz", reporter=user
    )
    report.refresh_from_db()
    return report


def _turn_push_on(client, browser: Browser, endpoint: str) -> str:
    """What push.js does on the preferences page: fetch the key, subscribe, post the subscription; then tick push
    for report updates. Returns the key the page got."""
    key = client.get("/avisos/push/clave").json()["key"]
    response = client.post(
        "/avisos/push/suscribir",
        browser.to_json(endpoint),
        content_type="application/json",
        HTTP_USER_AGENT=FIREFOX_ANDROID,
    )
    assert response.status_code == 201, response.content
    client.post("/avisos/preferencias/", {"pref": ["report_update:in_app", "report_update:push"]})
    return key


# --- the tests ---------------------------------------------------------------------------------------------------


def test_an_acknowledged_report_reaches_the_phone_encrypted_and_signed(
    client, citizen, operator, push_service, vapid_file, after_commit, settings
):
    browser = Browser.new()
    client.force_login(citizen)
    page = client.get("/avisos/preferencias/").content.decode()
    assert "Avisos en este teléfono" in page and "Activar avisos en este teléfono" in page
    assert 'value="report_update:push" id="pref-report_update-push">' in page  # the new column, off by default

    server_key = _turn_push_on(client, browser, push_service.url + "/wpush/v2/telefono-de-vecina")
    assert vapid_file.exists() and stat.S_IMODE(vapid_file.stat().st_mode) == 0o600
    page = client.get("/avisos/preferencias/").content.decode()
    assert "Firefox en Android" in page  # her list of browsers that receive notices

    report = _report(citizen)
    with after_commit():
        report_services.incident_acknowledge(
            incident=report.incident, actor=operator, note="interno: cuadrilla 3", public_reply="Iremos el martes."
        )

    [message] = push_service.received
    assert message.path == "/wpush/v2/telefono-de-vecina"
    assert message.headers["content-encoding"] == "aes128gcm"
    assert message.headers["ttl"] == str(settings.MUEVE_PUSH_TTL_SECONDS)
    claims = check_vapid(message.headers["authorization"], audience=push_service.url, server_key=server_key)
    assert claims["sub"] == settings.MUEVE_VAPID_SUBJECT

    notice = json.loads(browser.decrypt(message.body))
    notification = Notification.objects.get(user=citizen)
    assert notice == {
        "title": notification.title,
        "body": notification.body,
        "url": notification.url,
        "tag": f"mueve-aviso-{notification.pk}",
    }
    assert report.public_id in notice["title"] and "Iremos el martes." in notice["body"]
    assert notice["url"].endswith(f"/reportes/seguimiento/{report.token}/")
    assert "cuadrilla 3" not in notice["body"]

    delivery = Delivery.objects.get(channel="push")
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 1
    subscription = PushSubscription.objects.get()
    assert subscription.last_success_at and subscription.failures == 0
    # The same key signs tomorrow's pushes: it was kept, not made again.
    assert client.get("/avisos/push/clave").json()["key"] == server_key


def test_a_gone_subscription_is_forgotten_and_a_failing_service_is_retried(
    client, citizen, operator, push_service, vapid_file, after_commit
):
    client.force_login(citizen)
    _turn_push_on(client, Browser.new(), push_service.url + "/gone")
    report = _report(citizen)

    push_service.status = 410
    with after_commit():
        report_services.incident_acknowledge(incident=report.incident, actor=operator)
    assert len(push_service.received) == 1
    assert not PushSubscription.objects.exists()
    gone = Delivery.objects.get(channel="push")
    assert gone.status == Delivery.Status.FAILED and gone.attempts == 1 and "410" in gone.error
    assert deliveries_send() == {"sent": 0, "failed": 0}  # not retried
    assert len(push_service.received) == 1

    browser = Browser.new()
    _turn_push_on(client, browser, push_service.url + "/busy")
    push_service.status = 500
    with after_commit():
        report_services.incident_resolve(
            incident=report.incident, actor=operator, public_reply="Cambiamos la ampolleta."
        )
    pending = Delivery.objects.exclude(pk=gone.pk).get(channel="push")
    assert pending.status == Delivery.Status.PENDING and pending.attempts == 1
    assert pending.error == "El servicio de avisos respondió 500."
    assert PushSubscription.objects.get().failures == 1

    # The service is back: the retry (manage.py send_notifications) delivers it.
    push_service.status = 201
    assert deliveries_send() == {"sent": 1, "failed": 0}
    assert "Cambiamos la ampolleta." in json.loads(browser.decrypt(push_service.received[-1].body))["body"]
    subscription = PushSubscription.objects.get()
    assert subscription.failures == 0 and subscription.last_success_at


def test_push_chosen_without_a_phone_fails_that_delivery_with_a_reason(citizen, operator, vapid_file, after_commit):
    client = Client()
    client.force_login(citizen)
    client.post("/avisos/preferencias/", {"pref": ["report_update:in_app", "report_update:push"]})
    report = _report(citizen)
    with after_commit():
        incident = report_services.incident_acknowledge(incident=report.incident, actor=operator)
    assert incident.status == "acknowledged"
    delivery = Delivery.objects.get(channel="push")
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 1
    assert delivery.error == "La persona no tiene avisos push activados en ningún teléfono."
    assert Notification.objects.get(user=citizen).listed  # her list still has it


GOOD = Browser.new().to_json("https://fcm.googleapis.com/fcm/send/abc:APA91b")


def _with(endpoint=None, **keys):
    body = json.loads(json.dumps(GOOD))
    if endpoint is not None:
        body["endpoint"] = endpoint
    body["keys"].update(keys)
    return body


NOT_ON_CURVE = b64url(b"\x04" + b"\x01" * 64)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (_with("http://fcm.googleapis.com/fcm/send/abc"), "endpoint", "debe usar https"),
        (_with("https://intranet.example.org/push"), "endpoint", "no es un servicio de avisos que este sitio admita"),
        (_with("https://10.0.0.5/push"), "endpoint", "no es un servicio de avisos"),
        (_with("https://evil.example/fcm.googleapis.com"), "endpoint", "no es un servicio de avisos"),
        (_with("https://user@fcm.googleapis.com/x"), "endpoint", "no es una URL válida"),
        (_with("http://127.0.0.1:9/push"), "endpoint", "su propia máquina"),  # MUEVE_PUSH_ALLOW_LOCAL is off
        (_with("javascript:alert(1)"), "endpoint", "no es una URL válida"),
        (_with(p256dh="abc"), "p256dh", "65 bytes"),
        (_with(p256dh=NOT_ON_CURVE), "p256dh", "punto P-256"),
        (_with(p256dh=GOOD["keys"]["p256dh"].replace("-", "+").replace("_", "/") + "+/"), "p256dh", "base64url"),
        (_with(auth=b64url(os.urandom(15))), "auth", "16 bytes"),
        (_with(auth="no es base64!"), "auth", "16 bytes"),
        ({"endpoint": GOOD["endpoint"]}, "p256dh", "Falta la clave p256dh"),
        ({"keys": GOOD["keys"]}, "endpoint", "Falta la dirección"),
        ({"endpoint": 7, "keys": GOOD["keys"]}, "endpoint", "Debe ser texto"),
        ([GOOD], "__all__", "Se esperaba un objeto JSON"),
    ],
)
def test_a_bad_subscription_is_refused_with_the_field_and_nothing_is_stored(client, citizen, body, field, message):
    client.force_login(citizen)
    response = client.post("/avisos/push/suscribir", body, content_type="application/json")
    assert response.status_code == 400
    assert any(message in text for text in response.json()["errors"][field]), response.json()
    assert not PushSubscription.objects.exists()


def test_not_json_is_refused(client, citizen):
    client.force_login(citizen)
    response = client.post("/avisos/push/suscribir", "endpoint=x", content_type="application/json")
    assert response.status_code == 400 and "errors" in response.json()
    assert not PushSubscription.objects.exists()


def test_the_push_endpoints_need_a_session_and_a_csrf_token(client, citizen):
    assert client.get("/avisos/push/clave").status_code == 403
    assert client.post("/avisos/push/suscribir", GOOD, content_type="application/json").status_code == 403
    assert client.post("/avisos/push/anular", {"endpoint": "x"}, content_type="application/json").status_code == 403
    form = client.post("/avisos/push/anular", {"subscription": "1"})
    assert form.status_code == 302 and form["Location"].startswith("/cuentas/entrar/")

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(citizen)
    assert strict.get("/avisos/push/clave").status_code == 200
    assert strict.post("/avisos/push/suscribir", GOOD, content_type="application/json").status_code == 403
    assert not PushSubscription.objects.exists()
    assert client.get("/avisos/push/suscribir").status_code == 405


def test_a_person_removes_only_their_own_browsers(client, citizen, make_user):
    other = make_user(Role.CITIZEN)
    client.force_login(other)
    client.post("/avisos/push/suscribir", GOOD, content_type="application/json")
    theirs = PushSubscription.objects.get(user=other)

    client.force_login(citizen)
    assert client.post(
        "/avisos/push/anular", {"endpoint": GOOD["endpoint"]}, content_type="application/json"
    ).json() == {"deleted": 0}
    client.post("/avisos/push/anular", {"subscription": str(theirs.pk)})
    assert PushSubscription.objects.filter(pk=theirs.pk).exists()
    for bad in ("uno", "²", "9" * 40, ""):
        assert client.post("/avisos/push/anular", {"subscription": bad}).status_code == 400

    # Turning push on in the same browser under her account makes it hers: one browser, one owner.
    assert client.post("/avisos/push/suscribir", GOOD, content_type="application/json").status_code == 200
    mine = PushSubscription.objects.get()
    assert mine.user == citizen

    page = client.get("/avisos/preferencias/").content.decode()
    assert "Navegadores que reciben sus avisos" in page
    response = client.post("/avisos/push/anular", {"subscription": str(mine.pk)}, follow=True)
    assert "Ese navegador ya no recibirá avisos." in response.content.decode()
    assert not PushSubscription.objects.exists()

    client.post("/avisos/push/suscribir", GOOD, content_type="application/json")
    answer = client.post("/avisos/push/anular", {"endpoint": GOOD["endpoint"]}, content_type="application/json")
    assert answer.json() == {"deleted": 1} and not PushSubscription.objects.exists()


def test_the_subscriptions_are_in_the_data_download_and_go_with_the_account(client, citizen):
    client.force_login(citizen)
    client.post("/avisos/push/suscribir", GOOD, content_type="application/json", HTTP_USER_AGENT=FIREFOX_ANDROID)
    data = json.loads(client.get("/cuentas/mis-datos/descargar.json").content)
    [entry] = data["push_subscriptions"]
    assert entry["endpoint"] == GOOD["endpoint"] and entry["browser"] == "Firefox en Android"
    assert entry["keys"] == GOOD["keys"] and entry["push_service"] == "fcm.googleapis.com"
    readable = client.get("/cuentas/mis-datos/descargar.html").content.decode()
    assert "Navegadores con avisos push" in readable and "fcm.googleapis.com" in readable

    client.post("/cuentas/eliminar/", {"password": PASSWORD, "confirm": "on"})
    assert not PushSubscription.objects.exists()


def test_a_configured_key_is_used_and_a_bad_one_stops_the_checks(client, citizen, settings):
    private = ec.generate_private_key(ec.SECP256R1())
    public = b64url(
        private.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    client.force_login(citizen)
    settings.MUEVE_VAPID_PRIVATE_KEY = b64url(private.private_numbers().private_value.to_bytes(32, "big"))
    assert client.get("/avisos/push/clave").json() == {"key": public}
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode()
    settings.MUEVE_VAPID_PRIVATE_KEY = pem.replace("\n", "\\n")  # as one line of an environment file
    assert client.get("/avisos/push/clave").json() == {"key": public}

    settings.MUEVE_VAPID_PRIVATE_KEY = "no-es-una-clave"
    with pytest.raises(CommandError, match="MUEVE_VAPID_PRIVATE_KEY"):
        call_command("check")
    response = client.get("/avisos/push/clave")
    assert response.status_code == 503 and "no están disponibles" in response.json()["detail"]
