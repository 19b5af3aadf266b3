from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mueve.notifications.kinds import channel_choices, kind_choices


class Notification(models.Model):
    """One notice for one person: listed on their page, and sent by the channels they chose (see Delivery)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("destinatario"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("tipo"), max_length=30, choices=kind_choices())
    title = models.CharField(_("título"), max_length=200)
    body = models.TextField(_("texto"), blank=True)
    url = models.CharField(_("enlace"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)
    read_at = models.DateTimeField(_("leído el"), null=True, blank=True)
    # Shown in the person's list only when they keep the in-app channel; otherwise it exists for its deliveries.
    listed = models.BooleanField(_("en la lista"), default=True)
    # What the notice is about (e.g. "report:ABC123"): a person hears about one thing once, even when two events
    # (a report submitted, then accepted by a moderator) could each have told them.
    ref = models.CharField(_("referencia"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("aviso")
        verbose_name_plural = _("avisos")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "listed", "read_at"], name="notif_user_unread_idx"),
            models.Index(fields=["ref", "kind"], condition=~models.Q(ref=""), name="notif_ref_idx"),
        ]
        constraints = [
            # Two readers of one event (see consumer.py) can never tell a person twice about the same thing.
            models.UniqueConstraint(
                fields=["user", "kind", "ref"], condition=~models.Q(ref=""), name="notif_once_per_ref"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """A person's yes or no to one kind of notice by one channel: a consent, with when it was last given or
    withdrawn. No row: the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("tipo"), max_length=30, choices=kind_choices())
    channel = models.CharField(_("canal"), max_length=20, choices=channel_choices())
    enabled = models.BooleanField(_("activo"))
    updated_at = models.DateTimeField(_("actualizado el"), default=timezone.now)

    class Meta:
        verbose_name = _("preferencia de aviso")
        verbose_name_plural = _("preferencias de aviso")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "channel"], name="notifications_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}/{self.channel}: {self.enabled}"


class Delivery(models.Model):
    """One notice sent (or to send) by one channel outside the platform."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        SENT = "sent", _("Enviado")
        FAILED = "failed", _("Falló")

    notification = models.ForeignKey(
        Notification, verbose_name=_("aviso"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("canal"), max_length=20, choices=channel_choices())
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    error = models.CharField(_("mensaje de error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("enviado el"), null=True, blank=True)

    class Meta:
        verbose_name = _("envío de aviso")
        verbose_name_plural = _("envíos de avisos")
        indexes = [models.Index(fields=["id"], condition=models.Q(status="pending"), name="notif_delivery_pending_idx")]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel}: {self.status}"


class EventCursor(models.Model):
    """How far this app has read the platform's event log (realtime.Event): every event up to
    `last_event_id` has been turned into notices. One row per reader."""

    name = models.CharField(_("nombre"), max_length=40, unique=True)
    last_event_id = models.BigIntegerField(_("último evento leído"), default=0)
    # The event a reader is telling people about, across several short transactions, and until when the claim
    # holds: another reader leaves it alone meanwhile, and takes it over if the claimer died.
    claimed_event_id = models.BigIntegerField(_("evento en curso"), null=True, blank=True)
    claimed_until = models.DateTimeField(_("reservado hasta"), null=True, blank=True)
    updated_at = models.DateTimeField(_("actualizado el"), default=timezone.now)

    class Meta:
        verbose_name = _("cursor de eventos")
        verbose_name_plural = _("cursores de eventos")

    def __str__(self) -> str:
        return f"{self.name}: {self.last_event_id}"


class PushSubscription(models.Model):
    """One browser (a phone, a computer) where a person allowed Web Push: the address of its push service and the keys
    that only that browser can decrypt with. The address belongs to one browser, so it is one row whoever signs in."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="+"
    )
    endpoint = models.URLField(_("dirección del servicio de avisos"), max_length=1024, unique=True)
    p256dh = models.CharField(_("clave pública del navegador (p256dh)"), max_length=100)
    auth = models.CharField(_("secreto de autenticación (auth)"), max_length=30)
    user_agent = models.CharField(_("navegador"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("activado el"), default=timezone.now)
    last_success_at = models.DateTimeField(_("último envío logrado"), null=True, blank=True)
    # Failures in a row (reset by a success): a push service answering 404 or 410 removes the row instead.
    failures = models.PositiveSmallIntegerField(_("fallos seguidos"), default=0)

    class Meta:
        verbose_name = _("suscripción push")
        verbose_name_plural = _("suscripciones push")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.user_agent or self.endpoint_host}"

    @property
    def endpoint_host(self) -> str:
        return urlsplit(self.endpoint).hostname or ""
