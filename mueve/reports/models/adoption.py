"""Adoptable assets (Cuida tu Luz, Refugio Inteligente), the points citizens earn (Cuido mi Barrio) and the
notices shown on a citizen's page.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mueve.core.models import TimeStampedModel

from .catalog import Service
from .incidents import Incident
from .requests import Report


class Asset(TimeStampedModel):
    """A street light or a bus stop that citizens can adopt (Cuida tu Luz, Refugio Inteligente)."""

    class Kind(models.TextChoices):
        STREET_LIGHT = "street_light", _("Luminaria")
        BUS_STOP = "bus_stop", _("Paradero")

    kind = models.CharField(_("tipo"), max_length=15, choices=Kind.choices)
    code = models.SlugField(_("código"), max_length=40)
    name = models.CharField(_("nombre"), max_length=150)
    lat = models.FloatField(_("latitud"))
    lon = models.FloatField(_("longitud"))
    h3_cell = models.CharField(_("celda H3"), max_length=16, db_index=True, editable=False)
    jurisdiction = models.ForeignKey(
        "territory.Jurisdiction", verbose_name=_("jurisdicción"), on_delete=models.PROTECT, related_name="assets"
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("servicio de sus reportes"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets",
    )
    active = models.BooleanField(_("activo"), default=True)

    class Meta:
        verbose_name = _("activo adoptable")
        verbose_name_plural = _("activos adoptables")
        ordering = ["jurisdiction", "kind", "code"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "code"], name="unique_asset_code")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Adoption(models.Model):
    """A citizen looks after an asset: told about reports on it, may confirm its repair."""

    asset = models.ForeignKey(Asset, verbose_name=_("activo"), on_delete=models.CASCADE, related_name="adoptions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("vecino/a"), on_delete=models.CASCADE, related_name="adoptions"
    )
    created_at = models.DateTimeField(_("adoptado el"), default=timezone.now)

    class Meta:
        verbose_name = _("adopción")
        verbose_name_plural = _("adopciones")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["asset", "user"], name="unique_adoption")]

    def __str__(self) -> str:
        return f"{self.user} ♥ {self.asset}"


class RewardPoint(models.Model):
    """Points a citizen earns when an operator confirms one of their reports (Cuido mi Barrio). One per reason."""

    class Reason(models.TextChoices):
        CONFIRMED = "confirmed", _("Reporte confirmado por un operador")
        REPAIR_CONFIRMED = "repair", _("Reparación confirmada por quien adoptó")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("vecino/a"), on_delete=models.CASCADE, related_name="reward_points"
    )
    report = models.ForeignKey(Report, verbose_name=_("reporte"), on_delete=models.CASCADE, related_name="rewards")
    points = models.PositiveSmallIntegerField(_("puntos"))
    reason = models.CharField(_("motivo"), max_length=10, choices=Reason.choices, default=Reason.CONFIRMED)
    # The neighbourhood (territory area) the points count for in the ranking, fixed when they are earned.
    area = models.ForeignKey(
        "territory.Area", verbose_name=_("barrio"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)

    class Meta:
        verbose_name = _("puntos")
        verbose_name_plural = _("puntos")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["report", "reason"], name="unique_reward_per_reason")]

    def __str__(self) -> str:
        return f"{self.user}: {self.points}"


class Notification(models.Model):
    """A message for a citizen shown on their page (e.g. a report on an asset they adopted)."""

    class Kind(models.TextChoices):
        ASSET_REPORT = "asset_report", _("Reporte en un activo adoptado")
        ASSET_REPAIRED = "asset_repaired", _("Activo adoptado reparado")
        REPORT_STATUS = "report_status", _("Cambio de estado de su reporte")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("destinatario"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("tipo"), max_length=15, choices=Kind.choices)
    message = models.CharField(_("mensaje"), max_length=255)
    asset = models.ForeignKey(
        Asset, verbose_name=_("activo"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    report = models.ForeignKey(
        Report, verbose_name=_("reporte"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    incident = models.ForeignKey(
        Incident, verbose_name=_("incidente"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)
    read_at = models.DateTimeField(_("leída el"), null=True, blank=True)

    class Meta:
        verbose_name = _("aviso")
        verbose_name_plural = _("avisos")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.message
