"""Incidents (nearby reports of one category fused into one thing to attend), the rules that route them to an
agency, and their assignments and audit trail.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.core.models import TimeStampedModel

from .catalog import Service
from .choices import CapSeverity, CapUrgency, Severity


class Incident(TimeStampedModel):
    """Reports of one service close in space and time, fused into one thing to attend (filled by fusion).

    `lat`/`lon` are the mean of the located reports; `source_count` counts independent reporters (distinct
    accounts, devices, contacts or clients) and `confidence` = 1 - 0.5 ** source_count (see services).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Abierto")
        ACKNOWLEDGED = "acknowledged", _("Recibido por el organismo")
        DISPATCHED = "dispatched", _("En atención (equipo despachado)")
        RESOLVED = "resolved", _("Resuelto")
        REJECTED = "rejected", _("Descartado")

    class Resolution(models.TextChoices):
        NONE = "", _("Sin cierre")
        FIXED = "fixed", _("Resuelto")
        INVALID = "invalid", _("No válido")
        DUPLICATE = "duplicate", _("Duplicado")
        MERGED = "merged", _("Fusionado en otro incidente")

    # New reports only join incidents in these states; the others are closed for good.
    ACTIVE_STATUSES = (Status.OPEN, Status.ACKNOWLEDGED, Status.DISPATCHED)

    jurisdiction = models.ForeignKey(
        "territory.Jurisdiction", verbose_name=_("jurisdicción"), on_delete=models.PROTECT, related_name="incidents"
    )
    service = models.ForeignKey(Service, verbose_name=_("servicio"), on_delete=models.PROTECT, related_name="incidents")
    area = models.ForeignKey(
        "territory.Area",
        verbose_name=_("área (barrio o comuna)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
    )
    h3_cell = models.CharField(_("celda H3"), max_length=16)
    lat = models.FloatField(_("latitud del centroide"))
    lon = models.FloatField(_("longitud del centroide"))
    address_string = models.CharField(_("dirección"), max_length=255, blank=True)
    report_count = models.PositiveIntegerField(_("reportes"), default=0)
    source_count = models.PositiveIntegerField(_("fuentes independientes"), default=0)
    confidence = models.FloatField(
        _("confianza"), default=0.0, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )
    severity = models.CharField(_("gravedad"), max_length=15, choices=Severity.choices, default=Severity.MEDIUM)
    priority = models.FloatField(_("prioridad"), default=0.0, db_index=True)
    status = models.CharField(_("estado"), max_length=15, choices=Status.choices, default=Status.OPEN)
    resolution = models.CharField(
        _("cierre"), max_length=10, choices=Resolution.choices, default=Resolution.NONE, blank=True
    )
    resolution_note = models.TextField(_("nota de cierre"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicado de"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    agency = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("organismo asignado"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
    )
    routing_rule = models.ForeignKey(
        "RoutingRule",
        verbose_name=_("regla de derivación"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("abierto el"), default=timezone.now)
    last_report_at = models.DateTimeField(_("último reporte"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("recibido el"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("despachado el"), null=True, blank=True)
    closed_at = models.DateTimeField(_("cerrado el"), null=True, blank=True)
    # The public CAP alert: only an operator's confirmation issues it (a lone anonymous report never does);
    # `alert_sent_at` is its CAP `sent`, which later Update/Cancel messages reference.
    alert_severity = models.CharField(
        _("gravedad de la alerta"), max_length=10, choices=CapSeverity.choices, blank=True
    )
    alert_urgency = models.CharField(_("urgencia de la alerta"), max_length=10, choices=CapUrgency.choices, blank=True)
    alert_status = models.CharField(
        _("tipo de alerta"), max_length=10, blank=True, help_text=_("CAP «Actual», o «Exercise» para la demostración.")
    )
    alert_sent_at = models.DateTimeField(_("alerta emitida el"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incidente")
        verbose_name_plural = _("incidentes")
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["service", "status", "h3_cell"], name="incident_fusion_idx"),
            # The map's viewport: the cells under the box, then the state (active only), then recency.
            models.Index(fields=["h3_cell", "status", "last_report_at"], name="incident_viewport_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.service.name} — {timezone.localtime(self.opened_at):%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class RoutingRule(TimeStampedModel):
    """Which agency attends an incident: category × area (× an attribute value) → agency, plus who else is told.

    The first active rule that matches (lowest `order`, then the most specific) decides. A rule with no service
    and no area matches everything: it is the jurisdiction's fallback. Without any match the service's default
    agency is used.
    """

    jurisdiction = models.ForeignKey(
        "territory.Jurisdiction", verbose_name=_("jurisdicción"), on_delete=models.CASCADE, related_name="routing_rules"
    )
    name = models.CharField(_("nombre"), max_length=120, blank=True)
    service = models.ForeignKey(
        Service,
        verbose_name=_("servicio"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="routing_rules",
        help_text=_("Vacío: cualquier servicio."),
    )
    area = models.ForeignKey(
        "territory.Area",
        verbose_name=_("área"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="routing_rules",
        help_text=_("Vacío: cualquier lugar de la jurisdicción."),
    )
    attribute_code = models.CharField(
        _("atributo"), max_length=40, blank=True, help_text=_("Opcional: la regla vale solo si el reporte responde…")
    )
    attribute_value = models.CharField(_("valor del atributo"), max_length=60, blank=True, help_text=_("…este valor."))
    agency = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("organismo responsable"),
        on_delete=models.PROTECT,
        related_name="routing_rules",
    )
    also_notify = models.ManyToManyField(
        "stakeholders.Organization", verbose_name=_("avisar también a"), blank=True, related_name="notified_by_rules"
    )
    order = models.PositiveSmallIntegerField(_("orden"), default=100, help_text=_("Menor número, se evalúa antes."))
    active = models.BooleanField(_("activa"), default=True)
    history = HistoricalRecords(m2m_fields=[also_notify])

    class Meta:
        verbose_name = _("regla de derivación")
        verbose_name_plural = _("reglas de derivación")
        ordering = ["jurisdiction", "order", "id"]

    def __str__(self) -> str:
        return self.name or f"{self.service or _('cualquier servicio')} / {self.area or _('cualquier área')}"

    @property
    def is_fallback(self) -> bool:
        return self.service_id is None and self.area_id is None and not self.attribute_code

    @property
    def specificity(self) -> int:
        return (self.service_id is not None) + (self.area_id is not None) + bool(self.attribute_code)


class IncidentAssignment(models.Model):
    """Every assignment of an incident to an agency (and every agency told about it), with the reason."""

    class Role(models.TextChoices):
        RESPONSIBLE = "responsible", _("Responsable")
        NOTIFIED = "notified", _("Informado")

    incident = models.ForeignKey(
        Incident, verbose_name=_("incidente"), on_delete=models.CASCADE, related_name="assignments"
    )
    agency = models.ForeignKey(
        "stakeholders.Organization", verbose_name=_("organismo"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("papel"), max_length=12, choices=Role.choices, default=Role.RESPONSIBLE)
    rule = models.ForeignKey(
        RoutingRule, verbose_name=_("regla"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("motivo"), max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)

    class Meta:
        verbose_name = _("asignación de incidente")
        verbose_name_plural = _("asignaciones de incidentes")
        ordering = ["incident", "created_at", "id"]

    def __str__(self) -> str:
        return f"#{self.incident_id} → {self.agency}"


class IncidentChange(models.Model):
    """The audit trail of an incident: every operator action, who made it, and the status before and after."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incidente"), on_delete=models.CASCADE, related_name="changes"
    )
    action = models.CharField(_("acción"), max_length=20)
    from_status = models.CharField(_("estado anterior"), max_length=15, blank=True)
    to_status = models.CharField(_("estado nuevo"), max_length=15, blank=True)
    note = models.TextField(_("nota interna"), blank=True, help_text=_("Solo la ven los operadores."))
    public_reply = models.TextField(
        _("respuesta pública"), blank=True, help_text=_("La ve quien reportó, en su seguimiento.")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)
    data = models.JSONField(_("datos"), default=dict, blank=True)

    class Meta:
        verbose_name = _("cambio de incidente")
        verbose_name_plural = _("cambios de incidentes")
        ordering = ["incident", "created_at", "id"]

    def __str__(self) -> str:
        return f"#{self.incident_id} {self.action}: {self.from_status} → {self.to_status}"
