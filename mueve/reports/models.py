"""Citizen reports ("Ciudadano te Informa"): the Open311 GeoReport v2 service catalogue, service requests,
the API keys of outside applications, and the incidents that fuse nearby reports of one category.

Open311 vocabulary maps onto these models: a *service* is a `Service` (one per jurisdiction and code), a
*service request* is a `Report`, `jurisdiction_id` is a `territory.Jurisdiction` slug and
`service_request_id` is `Report.public_id`.

Reporter contact fields (names, email, phone, device id) are private: no public output reads them.
"""

import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.core.models import TimeStampedModel


class Severity(models.TextChoices):
    """FIWARE Alert `severity`."""

    INFORMATIONAL = "informational", _("Informativa")
    LOW = "low", _("Baja")
    MEDIUM = "medium", _("Media")
    HIGH = "high", _("Alta")
    CRITICAL = "critical", _("Crítica")


class AlertCategory(models.TextChoices):
    """FIWARE Alert `category` (smart-data-models dataModel.Alert)."""

    TRAFFIC = "traffic", _("Tránsito")
    NATURAL_DISASTER = "naturalDisaster", _("Desastre natural")
    WEATHER = "weather", _("Clima")
    ENVIRONMENT = "environment", _("Medio ambiente")
    HEALTH = "health", _("Salud")
    SECURITY = "security", _("Seguridad")
    AGRICULTURE = "agriculture", _("Agricultura")


class Service(TimeStampedModel):
    """An Open311 service (a report category) offered in one jurisdiction."""

    class Type(models.TextChoices):
        REALTIME = "realtime", _("Tiempo real (devuelve el identificador)")
        BATCH = "batch", _("Por lotes (devuelve un token)")
        BLACKBOX = "blackbox", _("Caja negra (no devuelve identificador)")

    jurisdiction = models.ForeignKey(
        "territory.Jurisdiction", verbose_name=_("jurisdicción"), on_delete=models.PROTECT, related_name="services"
    )
    code = models.SlugField(_("código"), max_length=40)
    name = models.CharField(_("nombre"), max_length=120)
    description = models.TextField(_("descripción"), blank=True)
    group = models.CharField(_("grupo"), max_length=80, blank=True)
    keywords = models.CharField(_("palabras clave"), max_length=255, blank=True, help_text=_("Separadas por comas."))
    metadata = models.BooleanField(
        _("tiene definición"), default=False, help_text=_("Verdadero si el servicio pide atributos adicionales.")
    )
    type = models.CharField(_("tipo"), max_length=10, choices=Type.choices, default=Type.REALTIME)
    default_severity = models.CharField(
        _("gravedad por defecto"), max_length=15, choices=Severity.choices, default=Severity.MEDIUM
    )
    agency = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("organismo responsable"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_services",
    )
    alert_category = models.CharField(_("categoría FIWARE Alert"), max_length=20, choices=AlertCategory.choices)
    alert_subcategory = models.CharField(_("subcategoría FIWARE Alert"), max_length=40, blank=True)
    active = models.BooleanField(_("activo"), default=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("servicio (categoría de reporte)")
        verbose_name_plural = _("servicios (categorías de reporte)")
        ordering = ["jurisdiction__name", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "code"], name="unique_service_code")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]


class ServiceAttribute(models.Model):
    """One field of a service definition (Open311 `attribute`)."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Texto corto")
        NUMBER = "number", _("Número")
        DATETIME = "datetime", _("Fecha y hora")
        TEXT = "text", _("Texto largo")
        SINGLEVALUELIST = "singlevaluelist", _("Lista de un valor")
        MULTIVALUELIST = "multivaluelist", _("Lista de varios valores")

    service = models.ForeignKey(
        Service, verbose_name=_("servicio"), on_delete=models.CASCADE, related_name="attributes"
    )
    code = models.SlugField(_("código"), max_length=40)
    variable = models.BooleanField(
        _("variable"), default=True, help_text=_("Falso para un texto informativo que no pide respuesta.")
    )
    datatype = models.CharField(_("tipo de dato"), max_length=20, choices=Datatype.choices)
    required = models.BooleanField(_("obligatorio"), default=False)
    datatype_description = models.CharField(_("descripción del tipo"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=1)
    description = models.TextField(_("pregunta o texto"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("atributo del servicio")
        verbose_name_plural = _("atributos del servicio")
        ordering = ["service", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["service", "code"], name="unique_service_attribute_code")]

    def __str__(self) -> str:
        return f"{self.service.code}/{self.code}"


class AttributeValue(models.Model):
    """An allowed value of a list attribute (Open311 `value` with `key` and `name`)."""

    attribute = models.ForeignKey(
        ServiceAttribute, verbose_name=_("atributo"), on_delete=models.CASCADE, related_name="values"
    )
    key = models.CharField(_("clave"), max_length=60)
    name = models.CharField(_("nombre"), max_length=120)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("valor permitido")
        verbose_name_plural = _("valores permitidos")
        ordering = ["attribute", "order", "key"]
        constraints = [models.UniqueConstraint(fields=["attribute", "key"], name="unique_attribute_value_key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.name}"


class ApiKey(TimeStampedModel):
    """The Open311 `api_key` of one outside application. Only a hash of the key is stored."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Solicitada")
        APPROVED = "approved", _("Aprobada")
        REVOKED = "revoked", _("Revocada")

    application_name = models.CharField(_("aplicación"), max_length=120)
    description = models.TextField(_("uso previsto"), blank=True)
    contact_email = models.EmailField(_("correo de contacto"), help_text=_("Privado: no se publica."))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("solicitada por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    key_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    prefix = models.CharField(_("prefijo"), max_length=12, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aprobada por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("aprobada el"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revocada el"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["key_hash"])

    class Meta:
        verbose_name = _("clave de API Open311")
        verbose_name_plural = _("claves de API Open311")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.application_name} ({self.prefix or self.get_status_display()})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class Incident(TimeStampedModel):
    """Reports of one service close in space and time, fused into one thing to attend (filled by fusion)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Abierto")
        ACKNOWLEDGED = "acknowledged", _("Recibido por el organismo")
        CLOSED = "closed", _("Cerrado")

    jurisdiction = models.ForeignKey(
        "territory.Jurisdiction", verbose_name=_("jurisdicción"), on_delete=models.PROTECT, related_name="incidents"
    )
    service = models.ForeignKey(Service, verbose_name=_("servicio"), on_delete=models.PROTECT, related_name="incidents")
    h3_cell = models.CharField(_("celda H3"), max_length=16, db_index=True)
    lat = models.FloatField(_("latitud del centroide"))
    lon = models.FloatField(_("longitud del centroide"))
    report_count = models.PositiveIntegerField(_("reportes"), default=0)
    confidence = models.FloatField(
        _("confianza"), default=0.0, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )
    severity = models.CharField(_("gravedad"), max_length=15, choices=Severity.choices, default=Severity.MEDIUM)
    status = models.CharField(_("estado"), max_length=15, choices=Status.choices, default=Status.OPEN)
    agency = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("organismo asignado"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
    )
    opened_at = models.DateTimeField(_("abierto el"), default=timezone.now)
    last_report_at = models.DateTimeField(_("último reporte"), default=timezone.now)
    closed_at = models.DateTimeField(_("cerrado el"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incidente")
        verbose_name_plural = _("incidentes")
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["service", "status", "h3_cell"], name="incident_fusion_idx")]

    def __str__(self) -> str:
        return f"{self.service.name} — {self.opened_at:%Y-%m-%d %H:%M}"


class Report(models.Model):
    """A citizen's report: an Open311 service request. Kept even when fused into an incident."""

    class Status(models.TextChoices):
        OPEN = "open", _("Abierto")
        CLOSED = "closed", _("Cerrado")

    class Moderation(models.TextChoices):
        ACCEPTED = "accepted", _("Aceptado")
        SUSPECTED = "suspected", _("Sospecha de spam")
        REJECTED = "rejected", _("Rechazado")

    class Source(models.TextChoices):
        OPEN311 = "open311", _("API Open311")
        WEB = "web", _("Página de reporte")
        GENERATED = "generated", _("Generado (demostración)")

    public_id = models.CharField(_("identificador público"), max_length=20, unique=True, editable=False)
    token = models.CharField(_("token de seguimiento"), max_length=40, unique=True, editable=False)
    jurisdiction = models.ForeignKey(
        "territory.Jurisdiction", verbose_name=_("jurisdicción"), on_delete=models.PROTECT, related_name="reports"
    )
    service = models.ForeignKey(Service, verbose_name=_("servicio"), on_delete=models.PROTECT, related_name="reports")
    lat = models.FloatField(_("latitud"), null=True, blank=True)
    lon = models.FloatField(_("longitud"), null=True, blank=True)
    h3_cell = models.CharField(_("celda H3"), max_length=16, blank=True, db_index=True)
    address_string = models.CharField(_("dirección"), max_length=255, blank=True)
    address_id = models.CharField(_("identificador de dirección"), max_length=80, blank=True)
    zipcode = models.CharField(_("código postal"), max_length=20, blank=True)
    description = models.TextField(_("descripción"), blank=True)
    media_url = models.URLField(_("URL de la foto"), max_length=500, blank=True)
    attributes = models.JSONField(_("atributos"), default=dict, blank=True)
    severity = models.CharField(_("gravedad"), max_length=15, choices=Severity.choices, default=Severity.MEDIUM)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.OPEN)
    status_notes = models.TextField(_("notas del estado"), blank=True)
    moderation = models.CharField(
        _("moderación"), max_length=10, choices=Moderation.choices, default=Moderation.ACCEPTED
    )
    agency_responsible = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("organismo responsable"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    service_notice = models.CharField(_("aviso del servicio"), max_length=255, blank=True)
    requested_datetime = models.DateTimeField(_("reportado el"), default=timezone.now, db_index=True)
    updated_datetime = models.DateTimeField(_("actualizado el"), default=timezone.now)
    expected_datetime = models.DateTimeField(_("atención esperada"), null=True, blank=True)
    # Private: only staff roles that need them may read these (rule reports.view_reporter_contact).
    first_name = models.CharField(_("nombre"), max_length=80, blank=True)
    last_name = models.CharField(_("apellido"), max_length=80, blank=True)
    email = models.EmailField(_("correo"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=30, blank=True)
    device_id = models.CharField(_("identificador del dispositivo"), max_length=100, blank=True)
    account_id = models.CharField(_("cuenta en la aplicación"), max_length=100, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario que reporta"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    api_key = models.ForeignKey(
        ApiKey, verbose_name=_("clave de API"), on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    source = models.CharField(_("origen"), max_length=10, choices=Source.choices, default=Source.OPEN311)
    idempotency_key = models.CharField(_("clave de idempotencia"), max_length=100, unique=True, null=True, blank=True)
    incident = models.ForeignKey(
        Incident, verbose_name=_("incidente"), on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )

    class Meta:
        verbose_name = _("reporte ciudadano")
        verbose_name_plural = _("reportes ciudadanos")
        ordering = ["-requested_datetime", "-id"]
        indexes = [models.Index(fields=["jurisdiction", "requested_datetime"], name="report_jurisdiction_time_idx")]

    def __str__(self) -> str:
        return f"{self.public_id} — {self.service.name}"


class ReportStatusChange(models.Model):
    """The audit trail of a report: every change of status or moderation, who made it and why."""

    report = models.ForeignKey(Report, verbose_name=_("reporte"), on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(_("campo"), max_length=20, default="status")
    from_value = models.CharField(_("valor anterior"), max_length=20, blank=True)
    to_value = models.CharField(_("valor nuevo"), max_length=20)
    notes = models.TextField(_("notas"), blank=True)
    public = models.BooleanField(_("visible en el seguimiento"), default=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cambiado por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("fecha"), default=timezone.now)

    class Meta:
        verbose_name = _("cambio de estado del reporte")
        verbose_name_plural = _("cambios de estado de los reportes")
        ordering = ["report", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.report.public_id}: {self.from_value} → {self.to_value}"
