"""NGSI-LD subscriptions: matched against readings as they are stored, notified through an outbox.

After a batch of readings commits (ingest.on_stored), every subscription whose entities, watchedAttributes and q
match a touched device gets a Notification (id, type "Notification", subscriptionId, notifiedAt, data) written to
the outbox (NgsiNotification), and a delivery thread is woken. `deliver_pending` POSTs what is due; a refused or
failed POST is tried again with a growing delay (BACKOFF), so a receiver that is away gets everything once it is
back. A row is claimed before it is sent (a conditional update), so two workers never send it twice. Rows older
than the realtime retention (MUEVE_REALTIME_RETENTION_HOURS) are pruned, delivered or not. `manage.py
deliver_ngsild` catches up (e.g. after a restart).
"""

import ipaddress
import logging
import threading
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.api.models import ApiKey
from mueve.realtime import conf as realtime_conf
from mueve.sensors.metrics import METRICS
from mueve.sensors.models import NgsiNotification, NgsiSubscription
from mueve.sensors.ngsild import representation as rep
from mueve.sensors.ngsild.query import BadQuery, matches, parse_q

log = logging.getLogger(__name__)
BACKOFF = (5, 15, 60, 300, 900)  # seconds before the 1st, 2nd... retry; the last one repeats
LEASE = timedelta(seconds=60)  # a claimed row is not taken by another worker for this long
TIMEOUT = 10
MAX_SUBSCRIPTIONS_PER_KEY = 50
LOCAL_NAMES = ("localhost", ".localhost", ".local", ".internal", ".lan", ".home.arpa")
_wake_lock = threading.Lock()


class Invalid(ValueError):
    pass


def _endpoint_error(uri: str) -> str | None:
    try:
        parts = urlsplit(uri)
        host = (parts.hostname or "").lower().rstrip(".")
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        return _("notification.endpoint.uri no es una URL válida.")
    if parts.scheme not in ("http", "https") or not host or parts.username or parts.password or len(uri) > 1000:
        return _("notification.endpoint.uri debe ser una URL http o https.")
    if getattr(settings, "MUEVE_NGSILD_ALLOW_LOCAL", False):
        return None
    try:
        private = not ipaddress.ip_address(host).is_global
    except ValueError:
        private = host == "localhost" or host.endswith(LOCAL_NAMES) or "." not in host
    if private:
        return _("Este sitio no envía notificaciones a direcciones privadas o locales.")
    return None


def _strings(value, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise Invalid(_("%(field)s debe ser una lista de textos.") % {"field": field})
    return value


def subscription_create(*, api_key, data) -> NgsiSubscription:
    if not isinstance(data, dict):
        raise Invalid(_("El cuerpo debe ser un objeto JSON."))
    if data.get("type") != "Subscription":
        raise Invalid(_('type debe ser "Subscription".'))
    entities = data.get("entities") or []
    if not isinstance(entities, list) or not all(isinstance(e, dict) for e in entities):
        raise Invalid(_("entities debe ser una lista de objetos."))
    clean = []
    for item in entities:
        entity_type = item.get("type")
        if entity_type not in rep.TYPES:
            raise Invalid(_("Tipo de entidad desconocido: %(type)s.") % {"type": str(entity_type)[:60]})
        if "id" in item and (not isinstance(item["id"], str) or rep.uid_from_id(item["id"]) is None):
            raise Invalid(_("entities.id no es un identificador de entidad de este sitio."))
        clean.append({k: item[k] for k in ("type", "id") if k in item})
    watched = _strings(data.get("watchedAttributes"), "watchedAttributes")
    unknown = [w for w in watched if w not in METRICS]
    if unknown:
        raise Invalid(_("Atributos observados desconocidos: %(names)s.") % {"names": ", ".join(unknown)[:200]})
    if not clean and not watched:
        raise Invalid(_("Indique entities o watchedAttributes."))
    q = data.get("q") or ""
    if not isinstance(q, str):
        raise Invalid(_("q debe ser un texto."))
    if q:
        try:
            parse_q(q)
        except BadQuery as exc:
            raise Invalid(str(exc)) from None
    notification = data.get("notification")
    if not isinstance(notification, dict) or not isinstance(notification.get("endpoint"), dict):
        raise Invalid(_("Falta notification.endpoint."))
    endpoint = notification["endpoint"]
    uri = endpoint.get("uri")
    if not isinstance(uri, str):
        raise Invalid(_("Falta notification.endpoint.uri."))
    error = _endpoint_error(uri)
    if error:
        raise Invalid(error)
    accept = endpoint.get("accept", "application/json")
    if accept not in ("application/json", "application/ld+json"):
        raise Invalid(_("notification.endpoint.accept debe ser application/json o application/ld+json."))
    attributes = _strings(notification.get("attributes"), "notification.attributes")
    sub_id = data.get("id") or f"urn:ngsi-ld:Subscription:{uuid.uuid4()}"
    if not isinstance(sub_id, str) or not sub_id.startswith("urn:") or len(sub_id) > 200:
        raise Invalid(_("id debe ser un URI urn: de hasta 200 caracteres."))
    if NgsiSubscription.objects.filter(sub_id=sub_id).exists():
        raise Invalid(_("Ya existe una suscripción con ese id."))
    if NgsiSubscription.objects.filter(api_key=api_key).count() >= MAX_SUBSCRIPTIONS_PER_KEY:
        raise Invalid(_("Esta clave ya tiene el máximo de suscripciones (%(n)d).") % {"n": MAX_SUBSCRIPTIONS_PER_KEY})
    return NgsiSubscription.objects.create(
        sub_id=sub_id,
        api_key=api_key,
        entities=clean,
        watched=watched,
        q=q,
        attributes=attributes,
        endpoint=uri,
        accept=accept,
    )


def subscription_body(sub: NgsiSubscription) -> dict:
    body = {"id": sub.sub_id, "type": "Subscription", "status": "active", "isActive": True}
    if sub.entities:
        body["entities"] = sub.entities
    if sub.watched:
        body["watchedAttributes"] = sub.watched
    if sub.q:
        body["q"] = sub.q
    notification = {"format": "normalized", "endpoint": {"uri": sub.endpoint, "accept": sub.accept}}
    if sub.attributes:
        notification["attributes"] = sub.attributes
    body["notification"] = notification
    return body


def _entity_matches(sub: NgsiSubscription, body: dict) -> bool:
    if not sub.entities:
        return True
    return any(e["type"] == body["type"] and e.get("id", body["id"]) == body["id"] for e in sub.entities)


def record(stored: set[tuple[int, str]]) -> int:
    """Writes a notification per subscription that the stored readings match; returns how many."""
    subscriptions = list(NgsiSubscription.objects.filter(api_key__status=ApiKey.Status.APPROVED))
    if not subscriptions:
        return 0
    metrics_by_device: dict[int, set[str]] = {}
    for device_id, metric in stored:
        metrics_by_device.setdefault(device_id, set()).add(metric)
    devices = list(rep.public_devices().filter(pk__in=list(metrics_by_device)))
    latest = rep.latest_readings(d.pk for d in devices)
    now = timezone.now()
    rows = []
    for sub in subscriptions:
        terms = parse_q(sub.q) if sub.q else []
        data = []
        for device in devices:
            if sub.watched and not set(sub.watched) & metrics_by_device[device.pk]:
                continue
            full = rep.entity(device, latest.get(device.pk, {}))
            if not _entity_matches(sub, full) or not matches(full, terms):
                continue
            data.append(rep.entity(device, latest.get(device.pk, {}), set(sub.attributes) or None))
        if data:
            notification_id = f"urn:ngsi-ld:Notification:{uuid.uuid4()}"
            body = {
                "id": notification_id,
                "type": "Notification",
                "subscriptionId": sub.sub_id,
                "notifiedAt": rep.timestamp(now),
                "data": data,
            }
            rows.append(
                NgsiNotification(notification_id=notification_id, subscription=sub, body=body, next_attempt_at=now)
            )
    if rows:
        with transaction.atomic():
            NgsiNotification.objects.bulk_create(rows)
            transaction.on_commit(wake)
    return len(rows)


def wake() -> None:
    """Delivers what is due in a background thread (off in tests that drive delivery themselves)."""
    if not getattr(settings, "MUEVE_NGSILD_DELIVER_IN_THREAD", True):
        return
    threading.Thread(target=_deliver_in_thread, name="ngsild-delivery", daemon=True).start()


def _deliver_in_thread() -> None:
    from django.db import connection

    try:
        with _wake_lock:
            deliver_pending()
    except Exception:
        log.exception("NGSI-LD delivery failed")
    finally:
        connection.close()


def _post(row: NgsiNotification) -> str | None:
    """None when the endpoint took it; else why not."""
    sub = row.subscription
    body = dict(row.body)
    headers = {"Content-Type": sub.accept}
    if sub.accept == "application/ld+json":
        body["@context"] = rep.CONTEXT
    else:
        headers["Link"] = rep.LINK
    try:
        response = requests.post(sub.endpoint, json=body, headers=headers, timeout=TIMEOUT, allow_redirects=False)
    except requests.RequestException as exc:
        return f"{type(exc).__name__}: {exc}"[:300]
    if 200 <= response.status_code < 300:
        return None
    return f"HTTP {response.status_code}"


def deliver_pending(*, now=None, limit: int = 500) -> dict[str, int]:
    """Sends the notifications that are due; returns {"delivered", "failed", "pruned"}."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=realtime_conf.retention_hours())
    pruned, _kinds = NgsiNotification.objects.filter(created_at__lt=cutoff).delete()
    counts = {"delivered": 0, "failed": 0, "pruned": pruned}
    due = list(
        NgsiNotification.objects.filter(delivered_at__isnull=True, next_attempt_at__lte=now)
        .order_by("created_at")
        .values_list("pk", "next_attempt_at")[:limit]
    )
    for pk, seen in due:
        claimed = NgsiNotification.objects.filter(pk=pk, delivered_at__isnull=True, next_attempt_at=seen).update(
            next_attempt_at=now + LEASE
        )
        if not claimed:
            continue  # another worker has it
        row = NgsiNotification.objects.select_related("subscription").get(pk=pk)
        error = _post(row)
        row.attempts += 1
        if error is None:
            row.delivered_at = timezone.now()
            row.last_error = ""
            counts["delivered"] += 1
        else:
            row.last_error = error
            row.next_attempt_at = now + timedelta(seconds=BACKOFF[min(row.attempts, len(BACKOFF)) - 1])
            counts["failed"] += 1
        row.save(update_fields=["attempts", "delivered_at", "last_error", "next_attempt_at"])
    return counts
