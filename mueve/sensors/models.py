"""Devices and their readings.

Readings are a narrow time series (device, metric, time, value, unit), one row per value; a reading repeated
(the same device, metric and time, as a QoS 1 redelivery brings) is stored once. What cannot be stored is kept
apart with its reason (RejectedReading), never dropped silently.
"""

import hashlib

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mueve.core.models import TimeStampedModel


class Device(TimeStampedModel):
    class Kind(models.TextChoices):
        STREET_LIGHT = "street_light", _("Luminaria")
        TRAFFIC_COUNTER = "traffic_counter", _("Contador de tránsito")
        BIKE_RACK_SLOT = "bike_rack_slot", _("Puesto de bicicletero")
        SHELTER_MODULE = "shelter_module", _("Módulo de refugio")
        CAMERA = "camera", _("Cámara")
        OTHER = "other", _("Otro")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Activo")
        QUARANTINED = "quarantined", _("En cuarentena")
        REVOKED = "revoked", _("Revocado")

    # The Smart Data Model each kind is published as (NGSI-LD entity type).
    SMART_DATA_MODELS = {
        Kind.STREET_LIGHT: "Streetlight",
        Kind.TRAFFIC_COUNTER: "TrafficFlowObserved",
        Kind.BIKE_RACK_SLOT: "ParkingSpot",
        Kind.SHELTER_MODULE: "Device",
        Kind.CAMERA: "Device",
        Kind.OTHER: "Device",
    }

    uid = models.SlugField(_("identificador del dispositivo"), max_length=64, unique=True)
    name = models.CharField(_("nombre"), max_length=150)
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    owner = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("organización dueña"),
        on_delete=models.PROTECT,
        related_name="devices",
    )
    jurisdiction = models.ForeignKey(
        "territory.Jurisdiction", verbose_name=_("jurisdicción"), on_delete=models.PROTECT, related_name="devices"
    )
    lat = models.FloatField(_("latitud"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    lon = models.FloatField(_("longitud"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    asset = models.ForeignKey(
        "reports.Asset",
        verbose_name=_("activo al que pertenece"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="devices",
    )
    # Only hashes of the device's secret: SHA-256 for HTTP ingest, and the broker's own PBKDF2 line for MQTT.
    key_hash = models.CharField(_("huella de la clave"), max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("prefijo de la clave"), max_length=12, editable=False)
    broker_hash = models.CharField(_("huella para el broker MQTT"), max_length=200, editable=False)
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.CharField(_("motivo del estado"), max_length=200, blank=True)
    last_seen_at = models.DateTimeField(_("último dato"), null=True, blank=True)

    class Meta:
        verbose_name = _("dispositivo")
        verbose_name_plural = _("dispositivos")
        ordering = ["jurisdiction", "uid"]
        permissions = [("manage_devices", _("Puede dar de alta y revocar dispositivos"))]

    def __str__(self) -> str:
        return f"{self.name} ({self.uid})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def smart_data_model(self) -> str:
        return self.SMART_DATA_MODELS.get(self.kind, "Device")

    @property
    def topic(self) -> str:
        return f"mueve/{self.jurisdiction.slug}/{self.uid}/attrs"


class Reading(models.Model):
    device = models.ForeignKey(Device, verbose_name=_("dispositivo"), on_delete=models.CASCADE, related_name="+")
    metric = models.CharField(_("métrica"), max_length=40)
    time = models.DateTimeField(_("momento de la medición"))
    value = models.FloatField(_("valor"))
    unit = models.CharField(_("unidad"), max_length=12)

    class Meta:
        verbose_name = _("lectura")
        verbose_name_plural = _("lecturas")
        constraints = [models.UniqueConstraint(fields=["device", "metric", "time"], name="reading_once")]

    def __str__(self) -> str:
        return f"{self.metric}={self.value:g} {self.unit} @ {self.time:%Y-%m-%d %H:%M:%S}"


class Rollup(models.Model):
    class Grain(models.TextChoices):
        MINUTE = "minute", _("Minuto")
        HOUR = "hour", _("Hora")

    device = models.ForeignKey(Device, verbose_name=_("dispositivo"), on_delete=models.CASCADE, related_name="+")
    metric = models.CharField(_("métrica"), max_length=40)
    grain = models.CharField(_("resolución"), max_length=6, choices=Grain.choices)
    start = models.DateTimeField(_("inicio del intervalo"))
    count = models.PositiveIntegerField(_("lecturas"))
    minimum = models.FloatField(_("mínimo"))
    maximum = models.FloatField(_("máximo"))
    total = models.FloatField(_("suma"))

    class Meta:
        verbose_name = _("resumen de lecturas")
        verbose_name_plural = _("resúmenes de lecturas")
        constraints = [models.UniqueConstraint(fields=["device", "metric", "grain", "start"], name="rollup_once")]

    def __str__(self) -> str:
        return f"{self.metric} {self.grain} {self.start:%Y-%m-%d %H:%M}"

    @property
    def mean(self) -> float:
        return self.total / self.count if self.count else 0.0


class RejectedReading(models.Model):
    """Input that could not be stored, with why: counted per device and reason, shown to the device's owner."""

    class Reason(models.TextChoices):
        MALFORMED = "malformed", _("Formato inválido")
        NOT_FINITE = "not_finite", _("Valor no finito (NaN o infinito)")
        UNIT = "unit", _("Unidad que no corresponde a la métrica")
        RANGE = "range", _("Valor fuera de rango")
        UNKNOWN_METRIC = "unknown_metric", _("Métrica desconocida")
        TIME = "time", _("Momento fuera de la ventana aceptada")
        UNKNOWN_DEVICE = "unknown_device", _("Dispositivo desconocido")
        NOT_ACTIVE = "not_active", _("Dispositivo revocado o en cuarentena")
        RATE = "rate", _("Exceso de envíos")

    device = models.ForeignKey(
        Device, verbose_name=_("dispositivo"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    device_uid = models.CharField(_("identificador recibido"), max_length=200, blank=True)
    via = models.CharField(_("vía"), max_length=8)
    reason = models.CharField(_("motivo"), max_length=16, choices=Reason.choices)
    detail = models.CharField(_("detalle"), max_length=300, blank=True)
    payload = models.TextField(_("contenido recibido"), blank=True)
    received_at = models.DateTimeField(_("recibido el"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("lectura rechazada")
        verbose_name_plural = _("lecturas rechazadas")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.device_uid}: {self.reason}"


class NgsiSubscription(models.Model):
    """An NGSI-LD subscription (mueve.sensors.ngsild): notify `endpoint` when matching readings are stored."""

    sub_id = models.CharField(_("identificador NGSI-LD"), max_length=200, unique=True)
    api_key = models.ForeignKey(
        "api.ApiKey", verbose_name=_("clave de API"), on_delete=models.CASCADE, related_name="ngsi_subscriptions"
    )
    entities = models.JSONField(_("entidades"), default=list)
    watched = models.JSONField(_("atributos observados"), default=list)
    q = models.CharField(_("consulta q"), max_length=1000, blank=True)
    attributes = models.JSONField(_("atributos notificados"), default=list)
    endpoint = models.URLField(_("dirección de notificación"), max_length=1000)
    accept = models.CharField(_("tipo de contenido aceptado"), max_length=40, default="application/json")
    created_at = models.DateTimeField(_("creada el"), auto_now_add=True)

    class Meta:
        verbose_name = _("suscripción NGSI-LD")
        verbose_name_plural = _("suscripciones NGSI-LD")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.sub_id


class NgsiNotification(models.Model):
    """The outbox: a notification is kept until its endpoint takes it, or until it is older than the retention."""

    notification_id = models.CharField(_("identificador"), max_length=200, unique=True)
    subscription = models.ForeignKey(
        NgsiSubscription, verbose_name=_("suscripción"), on_delete=models.CASCADE, related_name="outbox"
    )
    body = models.JSONField(_("contenido"))
    created_at = models.DateTimeField(_("creada el"), auto_now_add=True, db_index=True)
    attempts = models.PositiveIntegerField(_("intentos"), default=0)
    next_attempt_at = models.DateTimeField(_("próximo intento"))
    delivered_at = models.DateTimeField(_("entregada el"), null=True, blank=True)
    last_error = models.CharField(_("último error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("notificación NGSI-LD")
        verbose_name_plural = _("notificaciones NGSI-LD")
        indexes = [models.Index(fields=["delivered_at", "next_attempt_at"], name="ngsi_outbox_due")]

    def __str__(self) -> str:
        return self.notification_id
