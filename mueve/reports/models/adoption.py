"""Adoptable assets (Cuida tu Luz, Refugio Inteligente), the points citizens earn (Cuido mi Barrio) and the
notices shown on a citizen's page.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mueve.core.models import TimeStampedModel

from .catalog import Service
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
