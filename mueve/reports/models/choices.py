"""Choices shared by reports and incidents: FIWARE Alert and CAP vocabularies, moderation states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    """FIWARE Alert `severity`."""

    INFORMATIONAL = "informational", _("Informativa")
    LOW = "low", _("Baja")
    MEDIUM = "medium", _("Media")
    HIGH = "high", _("Alta")
    CRITICAL = "critical", _("Crítica")


class CapSeverity(models.TextChoices):
    """CAP 1.2 `severity`, as an operator chooses it when confirming an incident."""

    EXTREME = "Extreme", _("Extrema (amenaza extraordinaria a la vida o los bienes)")
    SEVERE = "Severe", _("Grave (amenaza importante a la vida o los bienes)")
    MODERATE = "Moderate", _("Moderada (amenaza posible)")
    MINOR = "Minor", _("Menor (amenaza mínima o nula)")


class CapUrgency(models.TextChoices):
    """CAP 1.2 `urgency`: how soon the public should act."""

    IMMEDIATE = "Immediate", _("Inmediata (actuar ya)")
    EXPECTED = "Expected", _("Esperada (actuar en la próxima hora)")
    FUTURE = "Future", _("Futura (actuar en un futuro cercano)")


class AlertCategory(models.TextChoices):
    """FIWARE Alert `category` (smart-data-models dataModel.Alert)."""

    TRAFFIC = "traffic", _("Tránsito")
    NATURAL_DISASTER = "naturalDisaster", _("Desastre natural")
    WEATHER = "weather", _("Clima")
    ENVIRONMENT = "environment", _("Medio ambiente")
    HEALTH = "health", _("Salud")
    SECURITY = "security", _("Seguridad")
    AGRICULTURE = "agriculture", _("Agricultura")


class Review(models.TextChoices):
    """Where a report's text or a photo stands in moderation before the public may see it."""

    PENDING = "pending", _("En revisión")
    APPROVED = "approved", _("Aprobado")
    REJECTED = "rejected", _("Rechazado")
