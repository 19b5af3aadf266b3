"""Citizen reports (Open311 service requests), their photos and audit trail, and the contacts whose reports are
refused.

Reporter contact fields (names, email, phone, device id) are private: no public output reads them.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.core.models import TimeStampedModel

from .catalog import Service
from .choices import Review, Severity
from .incidents import Incident


def new_photo_token() -> str:
    # 16 random bytes, 22 URL-safe characters: a photo's address cannot be guessed from another one's.
    return secrets.token_urlsafe(16)


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
        SENSOR = "sensor", _("Sensor de la ciudad")

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
        "api.ApiKey",
        verbose_name=_("clave de API"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
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
    reporter_key = models.CharField(_("huella de quien reporta"), max_length=64, blank=True, editable=False)
    # Accepted but not yet processed (status history, spam burst check, fusion, routing, events): the intake
    # worker's queue. See services.report_accept and services.reports_process_pending.
    intake_pending = models.BooleanField(_("por procesar"), default=False, editable=False)
    # Failed processing attempts of this report alone; past services.INTAKE_MAX_ATTEMPTS it leaves the queue.
    intake_attempts = models.PositiveSmallIntegerField(_("intentos de proceso"), default=0, editable=False)

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
    token = models.CharField(_("clave de acceso"), max_length=32, unique=True, default=new_photo_token, editable=False)
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


class BannedContact(TimeStampedModel):
    """A contact whose reports are refused. Only a hash of the (normalised) value is stored."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("Correo")
        PHONE = "phone", _("Teléfono")
        DEVICE = "device", _("Dispositivo")
        CLIENT = "client", _("Cliente (IP)")

    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices)
    value_hash = models.CharField(_("huella del contacto"), max_length=64, editable=False)
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
