"""Citizen reports ("Ciudadano te Informa"): the Open311 GeoReport v2 service catalogue, service requests,
the API keys of outside applications, and the incidents that fuse nearby reports of one category.

Open311 vocabulary maps onto these models: a *service* is a `Service` (one per jurisdiction and code), a
*service request* is a `Report`, `jurisdiction_id` is a `territory.Jurisdiction` slug and
`service_request_id` is `Report.public_id`.

Reporter contact fields (names, email, phone, device id) are private: no public output reads them.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.core.models import TimeStampedModel

DEFAULT_FUSION_RADIUS_M = 100
DEFAULT_FUSION_WINDOW_MINUTES = 24 * 60
# Fusion looks up candidate incidents in an h3 grid_disk; the ring count grows with the radius, so keep it bounded.
MAX_FUSION_RADIUS_M = 2000


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


def new_photo_token() -> str:
    # 16 random bytes, 22 URL-safe characters: a photo's address cannot be guessed from another one's.
    return secrets.token_urlsafe(16)


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
    # Fusion: reports of this service within the radius and the window of an open incident join it.
    fusion_radius_m = models.PositiveIntegerField(
        _("radio de fusión (m)"),
        default=DEFAULT_FUSION_RADIUS_M,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_FUSION_RADIUS_M)],
        help_text=_("Reportes a esta distancia de un incidente abierto se suman a él."),
    )
    fusion_window_minutes = models.PositiveIntegerField(
        _("ventana de fusión (minutos)"),
        default=DEFAULT_FUSION_WINDOW_MINUTES,
        validators=[MinValueValidator(1), MaxValueValidator(60 * 24 * 60)],
        help_text=_("Tiempo desde el último reporte del incidente en que un reporte nuevo todavía se suma a él."),
    )
    # A citizen's photo may show faces, plates or the inside of a home; their text, a name or a phone number.
    moderate_photos = models.BooleanField(
        _("las fotos esperan moderación"),
        default=True,
        help_text=_("Las fotos de los reportes se publican solo cuando un operador las aprueba."),
    )
    moderate_text = models.BooleanField(
        _("el texto espera moderación"),
        default=False,
        help_text=_("La descripción de los reportes se publica solo cuando un operador la aprueba."),
    )
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

    # The demo's key is published (README, `mueve demo`): it is marked by this prefix, and selectors.api_key_for
    # refuses such keys unless the server runs in demo mode (MUEVE_DEMO). Only a fixed key (the demo's) carries it.
    DEMO_PREFIX = "o311_demo_"

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
    # Set on submission from the service's `moderate_text`; the original of an edited text stays in the audit trail.
    description_review = models.CharField(
        _("moderación de la descripción"), max_length=10, choices=Review.choices, default=Review.APPROVED
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
    is_confirmation = models.BooleanField(
        _("confirmación («a mí también»)"), default=False, help_text=_("El vecino confirmó un incidente ya reportado.")
    )
    asset = models.ForeignKey(
        "Asset", verbose_name=_("activo"), on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    # Private: a hash of who sent it (account, device, contact or client), to count independent confirmations.
    reporter_key = models.CharField(max_length=64, blank=True, editable=False)
    # Accepted but not yet processed (status history, spam burst check, fusion, routing, events): the intake
    # worker's queue. See services.report_accept and services.reports_process_pending.
    intake_pending = models.BooleanField(default=False, editable=False)
    # Failed processing attempts of this report alone; past services.INTAKE_MAX_ATTEMPTS it leaves the queue.
    intake_attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("reporte ciudadano")
        verbose_name_plural = _("reportes ciudadanos")
        ordering = ["-requested_datetime", "-id"]
        indexes = [
            models.Index(fields=["jurisdiction", "requested_datetime"], name="report_jurisdiction_time_idx"),
            models.Index(fields=["incident", "reporter_key"], name="report_incident_source_idx"),
            models.Index(fields=["reporter_key", "requested_datetime"], name="report_source_time_idx"),
            # Only the few pending rows are indexed: the worker finds its queue without a scan.
            models.Index(fields=["id"], condition=models.Q(intake_pending=True), name="report_intake_pending_idx"),
        ]

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
    # Moderation decisions keep what they changed: the text before and after an edit, the photo they concern.
    data = models.JSONField(_("datos"), default=dict, blank=True)

    class Meta:
        verbose_name = _("cambio de estado del reporte")
        verbose_name_plural = _("cambios de estado de los reportes")
        ordering = ["report", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.report.public_id}: {self.from_value} → {self.to_value}"


class ReportPhoto(models.Model):
    """A photo attached to a report, already checked, stripped of EXIF and resized (reports.photos)."""

    report = models.ForeignKey(Report, verbose_name=_("reporte"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("imagen"), upload_to="reports/photos/%Y/%m/")
    # The photo's address: a sequential id would let anyone walk through every citizen's photos.
    token = models.CharField(_("token"), max_length=32, unique=True, default=new_photo_token, editable=False)
    review = models.CharField(_("moderación"), max_length=10, choices=Review.choices, default=Review.PENDING)
    width = models.PositiveIntegerField(_("ancho"))
    height = models.PositiveIntegerField(_("alto"))
    content_type = models.CharField(_("tipo"), max_length=40)
    size_bytes = models.PositiveIntegerField(_("tamaño (bytes)"))
    created_at = models.DateTimeField(_("subida el"), default=timezone.now)

    class Meta:
        verbose_name = _("foto del reporte")
        verbose_name_plural = _("fotos de los reportes")
        ordering = ["report", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report.public_id}: {self.image.name}"


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


class BannedContact(TimeStampedModel):
    """A contact whose reports are refused. Only a hash of the (normalised) value is stored."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("Correo")
        PHONE = "phone", _("Teléfono")
        DEVICE = "device", _("Dispositivo")
        CLIENT = "client", _("Cliente (IP)")

    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices)
    value_hash = models.CharField(max_length=64, editable=False)
    hint = models.CharField(_("pista"), max_length=20, blank=True, help_text=_("Unos caracteres para reconocerlo."))
    reason = models.CharField(_("motivo"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bloqueado por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("vence el"), null=True, blank=True)
    active = models.BooleanField(_("activo"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contacto bloqueado")
        verbose_name_plural = _("contactos bloqueados")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "value_hash"], name="unique_banned_contact")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.hint}…"

    @staticmethod
    def normalise(kind: str, value: str) -> str:
        value = (value or "").strip().lower()
        if kind == BannedContact.Kind.PHONE:
            value = "".join(ch for ch in value if ch.isdigit())[-9:]  # Chilean numbers: the last 9 digits
        return value

    @classmethod
    def hash_value(cls, kind: str, value: str) -> str:
        return hashlib.sha256(f"{kind}:{cls.normalise(kind, value)}".encode()).hexdigest()


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
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)
    read_at = models.DateTimeField(_("leída el"), null=True, blank=True)

    class Meta:
        verbose_name = _("aviso")
        verbose_name_plural = _("avisos")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.message
