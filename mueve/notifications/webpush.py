"""Web Push: the site's VAPID key (RFC 8292), what a browser's subscription must be for the site to send to it, and one
message encrypted for one subscription (RFC 8291, aes128gcm) and handed to its push service (RFC 8030).

pywebpush does the encryption and the signing; this module decides the key, the claims, the limits and what an answer
of the push service means."""

import base64
import binascii
import ipaddress
import json
import os
import re
import secrets
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

ENDPOINT_MAX_LENGTH = 1024
P256DH_BYTES = 65  # an uncompressed P-256 point: 0x04, x, y
AUTH_BYTES = 16
# Push services accept about 4 KB of encrypted payload; the text is cut well before that.
PAYLOAD_MAX_BYTES = 3000
LOCAL_HOSTS = {"127.0.0.1", "::1", "localhost"}
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]*={0,2}$")


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(value: str) -> bytes:
    """Strict base64url (the browser's PushSubscription.toJSON() form): no other alphabet, padding optional."""
    value = value.strip()
    if not _BASE64URL.match(value):
        raise ValueError("not base64url")
    value = value.rstrip("=")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64url") from exc


# --- the site's key ----------------------------------------------------------------------------------------------


def _private_key_from_text(text: str) -> ec.EllipticCurvePrivateKey:
    text = text.strip().replace("\\n", "\n")  # a PEM squeezed onto one line of an environment file
    if "-----BEGIN" in text:
        key = serialization.load_pem_private_key(text.encode(), password=None)
    else:
        raw = b64url_decode(text)
        if len(raw) == 32:
            key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
        else:
            key = serialization.load_der_private_key(raw, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ValueError("not a P-256 (prime256v1) key")
    return key


def _private_key_from_file(path: Path) -> ec.EllipticCurvePrivateKey:
    """Generated on first use and kept, so that the phones' subscriptions outlive restarts. Processes starting
    together race to create it: each writes its own file and links it into place, and whoever loses reads the
    winner's."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(descriptor, pem)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    return _private_key_from_text(path.read_text())


_keys: dict[tuple[str, str], ec.EllipticCurvePrivateKey] = {}
_keys_lock = threading.Lock()


def private_key() -> ec.EllipticCurvePrivateKey:
    """The VAPID key: MUEVE_VAPID_PRIVATE_KEY, or else the one kept in MUEVE_VAPID_KEY_FILE (created if missing)."""
    configured = settings.MUEVE_VAPID_PRIVATE_KEY or ""
    where = ("setting", configured) if configured.strip() else ("file", str(settings.MUEVE_VAPID_KEY_FILE))
    with _keys_lock:
        if where not in _keys:
            try:
                if where[0] == "setting":
                    _keys[where] = _private_key_from_text(configured)
                else:
                    _keys[where] = _private_key_from_file(Path(where[1]))
            except (ValueError, TypeError, OSError) as exc:
                source = "MUEVE_VAPID_PRIVATE_KEY" if where[0] == "setting" else f"MUEVE_VAPID_KEY_FILE ({where[1]})"
                raise ImproperlyConfigured(f"{source}: not a usable P-256 private key ({exc})") from exc
        return _keys[where]


def check_key(app_configs=None, **kwargs) -> list:
    """A system check (apps.py): a MUEVE_VAPID_PRIVATE_KEY that is not a P-256 key stops `manage.py check` and the
    server's start, instead of failing every push later."""
    from django.core.checks import Error

    if not (settings.MUEVE_VAPID_PRIVATE_KEY or "").strip():
        return []
    try:
        _private_key_from_text(settings.MUEVE_VAPID_PRIVATE_KEY)
    except (ValueError, TypeError) as exc:
        return [
            Error(
                f"MUEVE_VAPID_PRIVATE_KEY is not a usable P-256 private key ({exc}).",
                hint="Give a PEM key or the base64url raw 32-byte key, or leave it empty to use a generated one.",
                id="notifications.E001",
            )
        ]
    return []


def application_server_key() -> str:
    """The public half, as browsers take it in PushManager.subscribe({applicationServerKey}): base64url of the
    uncompressed point."""
    point = (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return b64url_encode(point)


# --- subscriptions -----------------------------------------------------------------------------------------------


def _is_push_service(host: str) -> bool:
    services = [s.strip().lower().rstrip(".") for s in settings.MUEVE_PUSH_SERVICES if s.strip()]
    if "*" in services:
        try:
            return ipaddress.ip_address(host).is_global
        except ValueError:  # a name: public if it looks like one
            return "." in host and not host.endswith((".localhost", ".local", ".internal", ".lan", ".home.arpa"))
    return any(host == service or host.endswith("." + service) for service in services)


def endpoint_errors(endpoint: str) -> list[str]:
    """Why the site will not send to this address (empty: it will)."""
    if not endpoint:
        return [_("Falta la dirección del servicio de avisos (endpoint).")]
    if len(endpoint) > ENDPOINT_MAX_LENGTH:
        return [_("La dirección del servicio de avisos es demasiado larga.")]
    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").lower().rstrip(".")
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        return [_("La dirección del servicio de avisos no es una URL válida.")]
    if parts.scheme not in {"https", "http"} or not host or parts.username or parts.password:
        return [_("La dirección del servicio de avisos no es una URL válida.")]
    if host in LOCAL_HOSTS:
        if settings.MUEVE_PUSH_ALLOW_LOCAL:
            return []
        return [_("Este sitio no envía avisos a servicios en su propia máquina.")]
    if parts.scheme != "https":
        return [_("La dirección del servicio de avisos debe usar https.")]
    if not _is_push_service(host):
        return [
            _("«%(host)s» no es un servicio de avisos que este sitio admita. Pida a la administración que lo agregue.")
            % {"host": host}
        ]
    return []


def p256dh_errors(value: str) -> list[str]:
    if not value:
        return [_("Falta la clave p256dh del navegador.")]
    try:
        raw = b64url_decode(value)
        if len(raw) != P256DH_BYTES or raw[0] != 4:
            raise ValueError("length")
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return [_("La clave p256dh no es válida: debe ser un punto P-256 sin comprimir (65 bytes) en base64url.")]
    return []


def auth_errors(value: str) -> list[str]:
    if not value:
        return [_("Falta el secreto auth del navegador.")]
    try:
        raw = b64url_decode(value)
    except ValueError:
        raw = b""
    if len(raw) != AUTH_BYTES:
        return [_("El secreto auth no es válido: deben ser 16 bytes en base64url.")]
    return []


def normalized(value: str) -> str:
    """A key as stored: base64url without padding."""
    return b64url_encode(b64url_decode(value))


_BROWSERS = (
    ("Edg", "Edge"),
    ("SamsungBrowser", "Samsung Internet"),
    ("OPR", "Opera"),
    ("Firefox", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chrome", "Chrome"),
    ("Chromium", "Chromium"),
    ("Safari", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device_label(user_agent: str) -> str:
    """A name the person recognises in their list of phones ("Firefox en Android"), not the whole User-Agent."""
    browser = next((name for token, name in _BROWSERS if token in user_agent), "")
    system = next((name for token, name in _SYSTEMS if token in user_agent), "")
    if browser and system:
        return _("%(browser)s en %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Navegador")


# --- sending -----------------------------------------------------------------------------------------------------


class PushFailed(Exception):
    """The push service did not take the message; a later attempt may succeed."""


class SubscriptionGone(PushFailed):
    """The push service says the subscription no longer exists (404 or 410): it will never work again."""


def payload(*, title: str, body: str, url: str, tag: str) -> str:
    """What the service worker receives (mueve/reports/templates/reports/sw.js, "push"), cut to fit a push message."""
    message = {"title": title, "body": body, "url": url, "tag": tag}
    text = json.dumps(message, ensure_ascii=False)
    while len(text.encode()) > PAYLOAD_MAX_BYTES and message["body"]:
        message["body"] = message["body"][: len(message["body"]) * 3 // 4].rstrip()
        text = json.dumps({**message, "body": message["body"] + "…"}, ensure_ascii=False)
    return text


# A fan-out sends thousands of messages to the same few push services: one keep-alive session per thread, and one
# signed VAPID header per push service (audience), valid VAPID_HOURS and renewed an hour before it expires.
VAPID_HOURS = 12
_local = threading.local()
_vapid_headers: dict[tuple, tuple[dict[str, str], float]] = {}
_vapid_lock = threading.Lock()


def _session():
    import requests

    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
    return session


def _signed_headers(endpoint: str) -> dict[str, str]:
    from py_vapid import Vapid02

    parts = urlsplit(endpoint)
    audience = f"{parts.scheme}://{parts.netloc}"
    key = private_key()
    # The key object itself (private_key() keeps one per configured source) and the subject: a new key or subject
    # signs anew.
    cache_key = (audience, id(key), settings.MUEVE_VAPID_SUBJECT)
    now = time.time()
    with _vapid_lock:
        cached = _vapid_headers.get(cache_key)
        if cached is None or cached[1] - now < 3600:
            claims = {"sub": settings.MUEVE_VAPID_SUBJECT, "aud": audience, "exp": int(now) + VAPID_HOURS * 3600}
            cached = (Vapid02(key).sign(claims), now + VAPID_HOURS * 3600)
            _vapid_headers[cache_key] = cached
        return dict(cached[0])


def send(*, endpoint: str, p256dh: str, auth: str, data: str) -> None:
    """Encrypts `data` for one subscription and POSTs it to its push service, signed with the site's VAPID key.
    Raises SubscriptionGone or PushFailed."""
    import requests
    from pywebpush import WebPushException, webpush

    try:
        webpush(
            subscription_info={"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
            data=data,
            headers=_signed_headers(endpoint),
            vapid_claims=None,  # the headers above carry the signature
            content_encoding="aes128gcm",
            ttl=settings.MUEVE_PUSH_TTL_SECONDS,
            timeout=settings.MUEVE_PUSH_TIMEOUT_SECONDS,
            requests_session=_session(),
        )
    except WebPushException as exc:
        status = exc.status_code
        if status in (404, 410):
            raise SubscriptionGone(
                _("El servicio de avisos dio la suscripción por terminada (%(status)s).") % {"status": status}
            ) from exc
        if status is None:
            raise PushFailed(_("No se pudo enviar al servicio de avisos: %(error)s") % {"error": exc.message}) from exc
        raise PushFailed(_("El servicio de avisos respondió %(status)s.") % {"status": status}) from exc
    except requests.RequestException as exc:
        raise PushFailed(
            _("No se pudo conectar con el servicio de avisos (%(error)s).") % {"error": type(exc).__name__}
        ) from exc
