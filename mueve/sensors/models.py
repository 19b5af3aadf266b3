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


def compare(value: float, operator: str, reference) -> bool:
    if reference is None:
        return False
    ops = {"<": value < reference, "<=": value <= reference, ">": value > reference, ">=": value >= reference}
    return ops.get(operator, value == reference if operator == "==" else False)


def states_problem(states) -> str:
    """Why a state machine is not usable (in Spanish), or ""."""
    from mueve.sensors.metrics import METRICS

    if not isinstance(states, dict) or not states.get("initial") or not states.get("alarm"):
        return _("Indique «initial» y «alarm».")
    transitions = states.get("transitions")
    if not isinstance(transitions, list) or not transitions:
        return _("Indique al menos una transición.")
    for t in transitions:
        if not isinstance(t, dict) or not t.get("from") or not t.get("to") or t.get("metric") not in METRICS:
            return _("Cada transición necesita «from», «to» y una métrica conocida.")
        has_drop = isinstance(t.get("drop"), int | float)
        has_compare = t.get("op") in ("<", "<=", ">", ">=", "==") and isinstance(t.get("value"), int | float)
        if has_drop == has_compare:
            return _("Cada transición compara («op» y «value») o mide una caída («drop»).")
    return ""


class Rule(TimeStampedModel):
    """A declarative rule over one metric of a jurisdiction's devices (of a kind, or one device): a threshold held
    for some minutes, or the metric's absence for some minutes. What it does when it fires: record the firing only,
    or also open (or join) an incident of a reports service, through the same intake as citizens' reports."""

    class Kind(models.TextChoices):
        THRESHOLD = "threshold", _("Umbral sostenido")
        ABSENCE = "absence", _("Ausencia de datos")
        STATES = "states", _("Máquina de estados")

    class Operator(models.TextChoices):
        LT = "<", "<"
        LE = "<=", "≤"
        GT = ">", ">"
        GE = ">=", "≥"
        EQ = "==", "="

    class Action(models.TextChoices):
        RECORD = "record", _("Solo registrar")
        OPEN_INCIDENT = "open_incident", _("Abrir incidente")

    jurisdiction = models.ForeignKey(
        "territory.Jurisdiction", verbose_name=_("jurisdicción"), on_delete=models.CASCADE, related_name="sensor_rules"
    )
    name = models.CharField(_("nombre"), max_length=150)
    device_kind = models.CharField(_("tipo de dispositivo"), max_length=20, choices=Device.Kind.choices, blank=True)
    device = models.ForeignKey(
        Device,
        verbose_name=_("dispositivo"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rules",
        help_text=_("Solo este dispositivo; vacío: todos los del tipo en la jurisdicción."),
    )
    metric = models.CharField(_("métrica"), max_length=40, blank=True, help_text=_("Vacía en una máquina de estados."))
    kind = models.CharField(_("tipo de regla"), max_length=10, choices=Kind.choices, default=Kind.THRESHOLD)
    operator = models.CharField(_("operador"), max_length=2, choices=Operator.choices, blank=True)
    value = models.FloatField(_("valor"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("durante (minutos)"), default=10)
    night_only = models.BooleanField(
        _("solo de noche"), default=False, help_text=_("Entre la puesta y la salida del sol.")
    )
    # A state machine: {"initial": "armado", "alarm": "alarma", "transitions": [{"from": "armado", "to": "abierto",
    # "metric": "locked", "op": "==", "value": 0}, {"from": "armado", "to": "alarma", "metric": "weight", "drop": 5},
    # ...]}: "op"/"value" compare the reading, "drop" fires when it fell by more than that since the previous one.
    states = models.JSONField(_("máquina de estados"), default=dict, blank=True)
    action = models.CharField(_("acción"), max_length=14, choices=Action.choices, default=Action.RECORD)
    service = models.ForeignKey(
        "reports.Service",
        verbose_name=_("servicio del incidente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sensor_rules",
    )
    description = models.CharField(_("texto del reporte"), max_length=300, blank=True)
    active = models.BooleanField(_("activa"), default=True)

    class Meta:
        verbose_name = _("regla de sensores")
        verbose_name_plural = _("reglas de sensores")
        ordering = ["jurisdiction", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        from mueve.sensors.metrics import METRICS

        errors = {}
        if self.kind == self.Kind.STATES:
            problem = states_problem(self.states)
            if problem:
                errors["states"] = problem
        elif self.metric not in METRICS:
            errors["metric"] = _("Métrica desconocida.")
        if not self.device_kind and self.device_id is None:
            errors["device_kind"] = _("Indique un tipo de dispositivo o un dispositivo.")
        if self.device_id is not None and self.device.jurisdiction_id != self.jurisdiction_id:
            errors["device"] = _("El dispositivo es de otra jurisdicción.")
        if self.kind == self.Kind.THRESHOLD and (not self.operator or self.value is None):
            errors["value"] = _("Un umbral necesita operador y valor.")
        if self.action == self.Action.OPEN_INCIDENT:
            if self.service_id is None:
                errors["service"] = _("Para abrir incidentes indique el servicio.")
            elif self.service.jurisdiction_id != self.jurisdiction_id:
                errors["service"] = _("El servicio es de otra jurisdicción.")
        if errors:
            raise ValidationError(errors)

    def holds(self, value: float) -> bool:
        return compare(value, self.operator, self.value)

    @property
    def metrics(self) -> set[str]:
        if self.kind == self.Kind.STATES:
            return {t.get("metric") for t in self.states.get("transitions", [])}
        return {self.metric}

    def condition_text(self) -> str:
        if self.kind == self.Kind.STATES:
            return _("pasa al estado «%(state)s»") % {"state": self.states.get("alarm", "")}
        if self.kind == self.Kind.ABSENCE:
            return _("sin datos de %(metric)s durante %(n)s min") % {"metric": self.metric, "n": self.minutes}
        text = f"{self.metric} {self.operator} {self.value:g} " + _("durante %(n)s min") % {"n": self.minutes}
        return text + (" " + _("(de noche)") if self.night_only else "")


class RuleFiring(models.Model):
    """A rule that held for a device: from when it fired until the condition stopped holding (ended_at), with the
    readings that made it fire and the incident it opened or joined."""

    rule = models.ForeignKey(Rule, verbose_name=_("regla"), on_delete=models.CASCADE, related_name="firings")
    device = models.ForeignKey(Device, verbose_name=_("dispositivo"), on_delete=models.CASCADE, related_name="firings")
    started_at = models.DateTimeField(_("inicio"), db_index=True)
    ended_at = models.DateTimeField(_("fin"), null=True, blank=True)
    evidence = models.JSONField(_("evidencia"), default=dict, blank=True)
    incident = models.ForeignKey(
        "reports.Incident",
        verbose_name=_("incidente"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sensor_firings",
    )

    class Meta:
        verbose_name = _("activación de regla")
        verbose_name_plural = _("activaciones de reglas")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "device"], condition=models.Q(ended_at__isnull=True), name="one_open_firing"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} · {self.device.uid}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    def evidence_readings(self, last: int = 5) -> list[dict]:
        """The latest readings of the evidence, with their times as local datetimes (for pages)."""
        from django.utils import timezone
        from django.utils.dateparse import parse_datetime

        rows = []
        for row in (self.evidence.get("readings") or [])[-last:]:
            moment = parse_datetime(row.get("time", ""))
            rows.append({**row, "time": timezone.localtime(moment) if moment else None})
        return rows


class RuleState(models.Model):
    """Where a device stands in a state-machine rule, and up to which reading it was evaluated."""

    rule = models.ForeignKey(Rule, verbose_name=_("regla"), on_delete=models.CASCADE, related_name="+")
    device = models.ForeignKey(Device, verbose_name=_("dispositivo"), on_delete=models.CASCADE, related_name="+")
    state = models.CharField(_("estado"), max_length=40)
    last_time = models.DateTimeField(_("última lectura evaluada"), null=True, blank=True)
    last_values = models.JSONField(_("últimos valores"), default=dict, blank=True)

    class Meta:
        verbose_name = _("estado de regla")
        verbose_name_plural = _("estados de reglas")
        constraints = [models.UniqueConstraint(fields=["rule", "device"], name="one_rule_state")]

    def __str__(self) -> str:
        return f"{self.rule} · {self.device_id}: {self.state}"


from mueve.sensors.shelters.models import ModuleConditionChange, ModuleSensor, Shelter, ShelterHit, ShelterModule  # noqa: E402, F401, I001
from mueve.sensors.bicipark.models import Parking, Rack, Slot, Snapshot, TheftAlarm  # noqa: E402, F401 (i-BiciPark)
