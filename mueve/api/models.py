"""The developer portal's records: an outside application, its keys, and how much each key is used.

One key works on every surface of the platform (Open311, the platform API, the CKAN API, downloads); see
mueve.api.keys for how it is presented and checked. Only a SHA-256 hash of a key is stored.
"""

import hashlib

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mueve.core.models import TimeStampedModel


def default_per_minute() -> int:
    return settings.MUEVE_API_KEY_PER_MINUTE


def default_per_day() -> int:
    return settings.MUEVE_API_KEY_PER_DAY


class Application(TimeStampedModel):
    """An outside application (a phone app, a script, a data portal) that uses the platform's APIs."""

    name = models.CharField(_("nombre"), max_length=120)
    description = models.TextField(_("uso previsto"), blank=True)
    website = models.URLField(_("sitio web"), blank=True)
    contact_email = models.EmailField(_("correo de contacto"), help_text=_("Privado: no se publica."))
    # Applications moved from the old Open311 key requests may have no account behind them.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsable"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="applications",
    )
    # The organization the application acts for: data-sharing agreements are signed with organizations.
    organization = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("organización"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )

    class Meta:
        verbose_name = _("aplicación")
        verbose_name_plural = _("aplicaciones")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """One key of an application. It works once a manager approves it, until it is revoked."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Solicitada")
        APPROVED = "approved", _("Aprobada")
        REVOKED = "revoked", _("Revocada")

    # The demo's key is published (README, `mueve demo`): it carries this prefix, and mueve.api.keys refuses such
    # keys unless the server runs in demo mode (MUEVE_DEMO). Only a fixed key (the demo's) carries it.
    DEMO_PREFIX = "o311_demo_"

    application = models.ForeignKey(
        Application, verbose_name=_("aplicación"), on_delete=models.CASCADE, related_name="keys"
    )
    name = models.CharField(_("nombre"), max_length=100, blank=True, help_text=_("Para distinguir varias claves."))
    prefix = models.CharField(_("prefijo"), max_length=12, blank=True, editable=False)
    # Null until a key exists: requests moved from the old Open311 flow get theirs when approved.
    key_hash = models.CharField(
        _("huella de la clave"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    created_at = models.DateTimeField(_("creada el"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("solicitada por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("aprobada el"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aprobada por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revocada el"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revocada por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requests_per_minute = models.PositiveIntegerField(
        _("solicitudes por minuto"), default=default_per_minute, validators=[MinValueValidator(1)]
    )
    requests_per_day = models.PositiveIntegerField(
        _("solicitudes por día"), default=default_per_day, validators=[MinValueValidator(1)]
    )
    last_used_at = models.DateTimeField(_("último uso"), null=True, blank=True)

    class Meta:
        verbose_name = _("clave de API")
        verbose_name_plural = _("claves de API")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        label = self.name or self.application.name
        return f"{label} ({self.prefix + '…' if self.prefix else self.get_status_display()})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class KeyUsage(models.Model):
    """Requests made with one key in one hour on one surface (flushed from cache counters, mueve.api.usage)."""

    class Surface(models.TextChoices):
        OPEN311 = "open311", _("Open311")
        API = "api", _("API de la plataforma")
        CKAN = "ckan", _("API CKAN")
        DOWNLOAD = "download", _("Descargas")

    api_key = models.ForeignKey(ApiKey, verbose_name=_("clave"), on_delete=models.CASCADE, related_name="usage")
    hour = models.DateTimeField(_("hora"))
    surface = models.CharField(_("superficie"), max_length=10, choices=Surface.choices)
    count = models.PositiveIntegerField(_("solicitudes"), default=0)

    class Meta:
        verbose_name = _("uso de una clave")
        verbose_name_plural = _("uso de las claves")
        ordering = ["api_key", "hour", "surface"]
        constraints = [models.UniqueConstraint(fields=["api_key", "hour", "surface"], name="api_key_usage_unique_hour")]

    def __str__(self) -> str:
        return f"{self.api_key_id} {self.hour:%Y-%m-%d %H}:00 {self.surface}: {self.count}"
