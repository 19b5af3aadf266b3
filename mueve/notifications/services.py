"""Writes of the notifications app: `notify` a person (or many), deliver by the channels they chose, and record
their consents."""

import logging
import queue
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import close_old_connections, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core.permissions import ensure_perm
from mueve.notifications import kinds, webpush
from mueve.notifications.models import Delivery, Notification, Preference, PushSubscription
from mueve.notifications.selectors import enabled_channels_for

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
# A person's phones and computers with push on; past this, a new one replaces the one activated longest ago.
MAX_PUSH_SUBSCRIPTIONS = 10


class Undeliverable(Exception):
    """A delivery no retry can fix (nowhere to send it): marked failed at once, with the reason."""


def notify(
    *, user: User, kind: str, context: dict[str, Any], skip_channels: Iterable[str] = (), ref: str = ""
) -> Notification | None:
    """One notice to one person. `context`: `title`, `body` (plain text), `url` (absolute, optional)."""
    created = notify_many(
        users=[user], kind=kind, context=context, skip_channels={user.pk: set(skip_channels)}, ref=ref
    )
    return created[0] if created else None


CHUNK = 500  # people per transaction: a fan-out to thousands never holds the write lock for long


def notify_many(
    *,
    users: Iterable[User],
    kind: str,
    context: dict[str, Any],
    skip_channels: dict[int, set[str]] | None = None,
    contexts: dict[int, dict[str, Any]] | None = None,
    ref: str = "",
) -> list[Notification]:
    """The same notice to many people, each by the channels they chose for `kind` (minus `skip_channels[user.pk]`,
    e.g. a channel another part of the platform already used). `contexts[user.pk]` overrides the context for one
    person (an adopter's own name for their light). With a `ref`, whoever already heard about it is left out, and
    the database refuses a second notice about it to the same person.
    Stored in bulk, CHUNK people per transaction (savepoints inside a caller's transaction); the e-mails and pushes
    of each chunk go out after it commits."""
    if kind not in kinds.KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    users = [u for u in users if u is not None and u.is_active]
    made: list[Notification] = []
    for start in range(0, len(users), CHUNK):
        made.extend(
            _notify_chunk(
                users=users[start : start + CHUNK],
                kind=kind,
                context=context,
                skip_channels=skip_channels or {},
                contexts=contexts or {},
                ref=ref[:80],
            )
        )
    return made


@transaction.atomic
def _notify_chunk(
    *,
    users: list[User],
    kind: str,
    context: dict[str, Any],
    skip_channels: dict[int, set[str]],
    contexts: dict[int, dict[str, Any]],
    ref: str,
) -> list[Notification]:
    if ref:
        told = set(
            Notification.objects.filter(ref=ref, kind=kind, user_id__in=[u.pk for u in users]).values_list(
                "user_id", flat=True
            )
        )
        users = [u for u in users if u.pk not in told]
    if not users:
        return []
    channels = enabled_channels_for(users=users, kind=kind)
    notifications = []
    wanted: list[tuple[int, str]] = []
    for user in users:
        chosen = channels[user.pk] - skip_channels.get(user.pk, set())
        if not chosen:
            continue
        own = contexts.get(user.pk, context)
        notifications.append(
            Notification(
                user=user,
                kind=kind,
                title=str(own.get("title", ""))[:200],
                body=str(own.get("body", "")),
                url=str(own.get("url", ""))[:500],
                listed=kinds.IN_APP in chosen,
                ref=ref,
            )
        )
        wanted.extend((len(notifications) - 1, channel) for channel in sorted(chosen - {kinds.IN_APP}))
    Notification.objects.bulk_create(notifications)
    deliveries = Delivery.objects.bulk_create(
        [Delivery(notification=notifications[index], channel=channel) for index, channel in wanted]
    )
    if deliveries:
        ids = [d.pk for d in deliveries]
        transaction.on_commit(lambda: _hand_off(ids))
    return notifications


# Inline: sent inside the commit's thread (tests, tools). Background: a thread per process sends them, so the request
# that caused the notices does not wait for a mail server.
_queue: "queue.Queue[list[int]]" = queue.Queue()
_worker: threading.Thread | None = None
_worker_lock = threading.Lock()


def _hand_off(ids: list[int]) -> None:
    if settings.MUEVE_NOTIFICATIONS_DELIVERY == "inline":
        deliveries_send(ids=ids)
        return
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="mueve-notifications", daemon=True)
            _worker.start()
    _queue.put(ids)


def _work() -> None:
    while True:
        ids = _queue.get()
        try:
            deliveries_send(ids=ids)
        except Exception:  # the thread must outlive one bad batch; the rows stay pending for the command
            log.exception("notification delivery failed")
        finally:
            close_old_connections()


def _email_message(notification: Notification) -> EmailMessage:
    if not notification.user.email:
        raise Undeliverable(_("La cuenta no tiene correo."))
    body = notification.body
    if notification.url:
        body = f"{body}\n\n{notification.url}" if body else notification.url
    footer = _("Recibe este correo porque lo eligió en sus avisos. Puede dejar de recibirlo en %(url)s") % {
        "url": settings.MUEVE_SITE_URL.rstrip("/") + "/avisos/preferencias/"
    }
    return EmailMessage(
        settings.EMAIL_SUBJECT_PREFIX + notification.title,
        f"{body}\n\n--\n{footer}\n",
        None,
        [notification.user.email],
    )


def _send_emails(deliveries: list[Delivery]) -> dict[int, str | Exception]:
    """Sends the batch over MUEVE_NOTIFICATIONS_SMTP_CONNECTIONS connections at once (the time goes in waiting
    for the mail server's answers). Returns the error per failed delivery."""
    errors: dict[int, str | Exception] = {}
    messages = []
    for delivery in deliveries:
        try:
            messages.append((delivery.pk, _email_message(delivery.notification)))
        except Undeliverable as exc:
            errors[delivery.pk] = exc
    lanes = max(1, min(settings.MUEVE_NOTIFICATIONS_SMTP_CONNECTIONS, len(messages)))
    if lanes == 1:
        errors.update(_send_over_one_connection(messages))
    else:
        with ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="mueve-smtp") as pool:
            for lane_errors in pool.map(_send_over_one_connection, [messages[n::lanes] for n in range(lanes)]):
                errors.update(lane_errors)
    return errors


def _send_over_one_connection(messages: list[tuple[int, EmailMessage]]) -> dict[int, str]:
    errors: dict[int, str] = {}
    if not messages:
        return errors
    try:
        connection = get_connection()
        connection.open()
    except Exception as exc:  # the server is down: every one of them is retried later
        return {pk: str(exc) for pk, _message in messages}
    try:
        for pk, message in messages:
            try:
                if connection.send_messages([message]) != 1:
                    errors[pk] = "el servidor de correo no aceptó el mensaje"
            except Exception as exc:  # one refused address must not stop the others
                errors[pk] = str(exc)
    finally:
        try:
            connection.close()
        except Exception:
            log.warning("closing the mail connection failed", exc_info=True)
    return errors


def _push_one(job: tuple[int, int, str, str, str, str]) -> tuple[int, int, str, str]:
    """One message to one browser (in a sender thread: no database here). Returns (delivery, subscription,
    outcome, error) with outcome "sent", "gone" or "failed"."""
    delivery_id, subscription_id, endpoint, p256dh, auth, data = job
    try:
        webpush.send(endpoint=endpoint, p256dh=p256dh, auth=auth, data=data)
    except webpush.SubscriptionGone as exc:
        return delivery_id, subscription_id, "gone", str(exc)
    except Exception as exc:  # a push service down must not stop the others
        return delivery_id, subscription_id, "failed", str(exc)
    return delivery_id, subscription_id, "sent", ""


def _send_pushes(deliveries: list[Delivery]) -> dict[int, str | Exception]:
    """To every browser where each person allowed push, MUEVE_NOTIFICATIONS_PUSH_LANES at once (the time goes in
    waiting for the push services). A delivery is sent once one of the person's browsers took it (a retry would show
    it twice on the others); a browser whose push service says it is gone (404/410) is forgotten. The database is
    written once per batch, not once per message."""
    subscriptions: dict[int, list[PushSubscription]] = {}
    for subscription in PushSubscription.objects.filter(
        user_id__in={d.notification.user_id for d in deliveries}
    ).order_by("pk"):
        subscriptions.setdefault(subscription.user_id, []).append(subscription)
    errors: dict[int, str | Exception] = {}
    jobs = []
    for delivery in deliveries:
        notification = delivery.notification
        mine = subscriptions.get(notification.user_id, [])
        if not mine:
            errors[delivery.pk] = Undeliverable(_("La persona no tiene avisos push activados en ningún teléfono."))
            continue
        data = webpush.payload(
            title=notification.title,
            body=notification.body,
            url=notification.url or settings.MUEVE_SITE_URL.rstrip("/") + "/avisos/",
            tag=f"mueve-aviso-{notification.pk}",
        )
        jobs.extend((delivery.pk, sub.pk, sub.endpoint, sub.p256dh, sub.auth, data) for sub in mine)
    lanes = max(1, min(settings.MUEVE_NOTIFICATIONS_PUSH_LANES, len(jobs)))
    if lanes == 1:
        outcomes = [_push_one(job) for job in jobs]
    else:
        with ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="mueve-push") as pool:
            outcomes = list(pool.map(_push_one, jobs))
    by_delivery: dict[int, list[tuple[str, str]]] = {}
    sent_to, failed_at, gone = set(), [], set()
    for delivery_id, subscription_id, outcome, error in outcomes:
        by_delivery.setdefault(delivery_id, []).append((outcome, error))
        if outcome == "sent":
            sent_to.add(subscription_id)
        elif outcome == "gone":
            gone.add(subscription_id)
        else:
            failed_at.append(subscription_id)
    if sent_to:
        PushSubscription.objects.filter(pk__in=sent_to).update(last_success_at=timezone.now(), failures=0)
    if failed_at:
        PushSubscription.objects.filter(pk__in=set(failed_at)).update(failures=F("failures") + 1)
    if gone:
        PushSubscription.objects.filter(pk__in=gone).delete()
    for delivery_id, results in by_delivery.items():
        if any(outcome == "sent" for outcome, _error in results):
            continue
        problems = [error for outcome, error in results if outcome == "failed"]
        if problems:
            errors[delivery_id] = " ".join(dict.fromkeys(problems))
        else:
            gone_errors = [error for _outcome, error in results]
            errors[delivery_id] = Undeliverable(
                " ".join([*dict.fromkeys(gone_errors), _("No queda ningún teléfono donde enviarlo.")])
            )
    return errors


# A sender takes a batch of one channel's deliveries and returns the error of each one that failed: a text (retried
# later) or an Undeliverable (failed for good: there is nowhere to send it).
SENDERS: dict[str, Callable[[list[Delivery]], dict[int, str | Exception]]] = {
    kinds.EMAIL: _send_emails,
    kinds.PUSH: _send_pushes,
}
SEND_BATCH = 500


def deliveries_send(*, ids: Iterable[int] | None = None) -> dict[str, int]:
    """Sends pending deliveries (those in `ids`, or all), in batches per channel. A failure is recorded on the row
    and retried by the next call, up to MAX_ATTEMPTS. Returns counts by outcome."""
    pending = Delivery.objects.filter(status=Delivery.Status.PENDING).select_related("notification__user")
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    counts = {"sent": 0, "failed": 0}
    # The ids first: SQLite gives no isolation between a query being read and writes on the same connection.
    todo = list(pending.order_by("channel", "pk").values_list("pk", "channel"))
    start = 0
    while start < len(todo):
        channel = todo[start][1]
        end = start
        while end < len(todo) and end - start < SEND_BATCH and todo[end][1] == channel:
            end += 1
        chunk = [pk for pk, _channel in todo[start:end]]
        batch = list(
            Delivery.objects.filter(pk__in=chunk, status=Delivery.Status.PENDING)
            .select_related("notification__user")
            .order_by("pk")
        )
        if batch:
            _send_batch(batch, counts)
        start = end
    return counts


def _send_batch(batch: list[Delivery], counts: dict[str, int]) -> None:
    sender = SENDERS.get(batch[0].channel)
    errors = sender(batch) if sender else {d.pk: f"canal sin remitente: {d.channel}" for d in batch}
    now = timezone.now()
    for delivery in batch:
        delivery.attempts += 1
        error = errors.get(delivery.pk)
        if error is None:
            delivery.status, delivery.sent_at, delivery.error = Delivery.Status.SENT, now, ""
            counts["sent"] += 1
            continue
        delivery.error = str(error)[:300]
        if isinstance(error, Undeliverable):
            delivery.status = Delivery.Status.FAILED
            counts["failed"] += 1
        else:
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = Delivery.Status.FAILED
            counts["failed"] += 1
    Delivery.objects.bulk_update(batch, ["status", "attempts", "error", "sent_at"], batch_size=SEND_BATCH)


@transaction.atomic
def preference_set(*, user: User, kind: str, channel: str, enabled: bool) -> Preference:
    if kind not in kinds.KINDS:
        raise ValidationError({"kind": [_("Tipo de aviso desconocido.")]})
    if channel not in kinds.CHANNELS:
        raise ValidationError({"channel": [_("Canal desconocido.")]})
    preference, _created = Preference.objects.update_or_create(
        user=user, kind=kind, channel=channel, defaults={"enabled": bool(enabled), "updated_at": timezone.now()}
    )
    return preference


@transaction.atomic
def preferences_save(*, user: User, chosen: set[tuple[str, str]]) -> int:
    """Records the person's whole choice (`chosen`: the (kind, channel) pairs they want). Only actual changes are
    written, so each consent keeps the date it was given or withdrawn. Returns how many changed."""
    from mueve.notifications.selectors import preferences_for

    changed = 0
    for row in preferences_for(user=user):
        wanted = (row.kind, row.channel) in chosen
        if wanted != row.enabled or not row.explicit:
            preference_set(user=user, kind=row.kind, channel=row.channel, enabled=wanted)
            changed += wanted != row.enabled
    return changed


@transaction.atomic
def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def user_notifications_erase(*, user: User) -> int:
    """Everything this app holds about a person (their account is being deleted)."""
    count, _details = Notification.objects.filter(user=user).delete()
    Preference.objects.filter(user=user).delete()
    PushSubscription.objects.filter(user=user).delete()
    return count


@transaction.atomic
def push_subscription_save(
    *, user: User, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> tuple[PushSubscription, bool]:
    """Records the browser where the person just allowed push (PushSubscription.toJSON()'s endpoint and keys). A
    browser already known, even under another account, is updated and becomes this person's: it is one browser, and
    notices go to whoever last turned them on there. Returns (subscription, created)."""
    ensure_perm(user, "notifications.manage_own_push")
    endpoint, p256dh, auth = (str(v or "").strip() for v in (endpoint, p256dh, auth))
    errors = {
        field: messages
        for field, messages in (
            ("endpoint", webpush.endpoint_errors(endpoint)),
            ("p256dh", webpush.p256dh_errors(p256dh)),
            ("auth", webpush.auth_errors(auth)),
        )
        if messages
    }
    if errors:
        raise ValidationError(errors)
    subscription, created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "user": user,
            "p256dh": webpush.normalized(p256dh),
            "auth": webpush.normalized(auth),
            "user_agent": webpush.device_label(user_agent or "")[:100],
            "failures": 0,
        },
    )
    if created:
        newest = PushSubscription.objects.filter(user=user).order_by("-created_at", "-id").values_list("pk", flat=True)
        PushSubscription.objects.filter(user=user).exclude(pk__in=list(newest[:MAX_PUSH_SUBSCRIPTIONS])).delete()
    return subscription, created


@transaction.atomic
def push_subscription_delete(*, user: User, endpoint: str = "", subscription_id: int | None = None) -> int:
    """Forgets one of the person's browsers (by its endpoint, from that browser; or by id, from the list on the
    preferences page). Only their own. Returns how many went (0 or 1)."""
    ensure_perm(user, "notifications.manage_own_push")
    mine = PushSubscription.objects.filter(user=user)
    if subscription_id is not None:
        mine = mine.filter(pk=subscription_id)
    elif endpoint:
        mine = mine.filter(endpoint=str(endpoint).strip())
    else:
        return 0
    count, _details = mine.delete()
    return count
