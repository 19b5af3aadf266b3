"""Alerta Drone: fixed cameras and drones as resources for looking at an incident before sending someone.

Positions are WGS84; areas (a camera's coverage polygon, a no-fly zone) are GeoJSON-like rings of [lon, lat]
pairs, which `planning` reads with shapely.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Camera(models.Model):
    """A fixed CCTV camera. Its coverage is a polygon when one was drawn; otherwise a sector: `range_m` from the
    camera around `bearing_deg` ± `fov_deg`/2 (a full circle when `fov_deg` is 360)."""

    jurisdiction = models.ForeignKey(
        "territory.Jurisdiction", verbose_name=_("jurisdicción"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("nombre"), max_length=120)
    lat = models.FloatField(_("latitud"))
    lon = models.FloatField(_("longitud"))
    coverage = models.JSONField(_("área cubierta (polígono [lon, lat])"), default=list, blank=True)
    range_m = models.PositiveIntegerField(_("alcance (m)"), default=150)
    bearing_deg = models.FloatField(_("orientación (grados)"), default=0)
    fov_deg = models.FloatField(_("ángulo de visión (grados)"), default=360)
    stream_url = models.URLField(_("URL del video (HLS)"), max_length=500, blank=True)
    active = models.BooleanField(_("activa"), default=True)

    class Meta:
        verbose_name = _("cámara")
        verbose_name_plural = _("cámaras")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Drone(models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "available", _("Disponible")
        BUSY = "busy", _("En misión")
        MAINTENANCE = "maintenance", _("En mantención")

    jurisdiction = models.ForeignKey(
        "territory.Jurisdiction", verbose_name=_("jurisdicción"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("nombre"), max_length=120)
    base_lat = models.FloatField(_("latitud de la base"))
    base_lon = models.FloatField(_("longitud de la base"))
    speed_mps = models.FloatField(_("velocidad (m/s)"))
    endurance_min = models.FloatField(_("autonomía (minutos)"))
    pilot = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("piloto"), on_delete=models.PROTECT, related_name="drones"
    )
    status = models.CharField(_("estado"), max_length=15, choices=Status.choices, default=Status.AVAILABLE)

    class Meta:
        verbose_name = _("dron")
        verbose_name_plural = _("drones")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NoFlyZone(models.Model):
    jurisdiction = models.ForeignKey(
        "territory.Jurisdiction",
        verbose_name=_("jurisdicción"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Vacía: rige en todas (p. ej. la zona protegida de un aeródromo)."),
    )
    name = models.CharField(_("nombre"), max_length=160)
    polygon = models.JSONField(_("polígono [lon, lat]"))

    class Meta:
        verbose_name = _("zona de exclusión de vuelo")
        verbose_name_plural = _("zonas de exclusión de vuelo")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RetentionPolicy(models.Model):
    """How long a jurisdiction keeps the footage of its incidents (without a row: MUEVE_FOOTAGE_RETENTION_DAYS)."""

    jurisdiction = models.OneToOneField(
        "territory.Jurisdiction", verbose_name=_("jurisdicción"), on_delete=models.CASCADE, related_name="+"
    )
    footage_days = models.PositiveIntegerField(_("días de retención del material"))

    class Meta:
        verbose_name = _("retención de material")
        verbose_name_plural = _("retenciones de material")

    def __str__(self) -> str:
        return f"{self.jurisdiction}: {self.footage_days}"


class Mission(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Solicitada")
        ACCEPTED = "accepted", _("Aceptada por el piloto")
        IN_FLIGHT = "in_flight", _("En vuelo")
        ON_SCENE = "on_scene", _("En el lugar")
        RETURNED = "returned", _("De regreso en la base")

    ACTIVE_STATUSES = (Status.REQUESTED, Status.ACCEPTED, Status.IN_FLIGHT, Status.ON_SCENE)

    incident = models.ForeignKey(
        "reports.Incident", verbose_name=_("incidente"), on_delete=models.CASCADE, related_name="visual_missions"
    )
    camera = models.ForeignKey(
        Camera, verbose_name=_("cámara"), on_delete=models.PROTECT, null=True, blank=True, related_name="missions"
    )
    drone = models.ForeignKey(
        Drone, verbose_name=_("dron"), on_delete=models.PROTECT, null=True, blank=True, related_name="missions"
    )
    status = models.CharField(_("estado"), max_length=15, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("solicitada por"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("solicitada el"), default=timezone.now)
    accepted_at = models.DateTimeField(_("aceptada el"), null=True, blank=True)
    in_flight_at = models.DateTimeField(_("despegue"), null=True, blank=True)
    on_scene_at = models.DateTimeField(_("en el lugar desde"), null=True, blank=True)
    returned_at = models.DateTimeField(_("regreso"), null=True, blank=True)
    first_image_at = models.DateTimeField(_("primera imagen"), null=True, blank=True)
    flight_minutes = models.FloatField(_("minutos de vuelo estimados (ida y vuelta)"), null=True, blank=True)
    pilot_lat = models.FloatField(_("latitud del piloto"), null=True, blank=True)
    pilot_lon = models.FloatField(_("longitud del piloto"), null=True, blank=True)
    pilot_position_at = models.DateTimeField(_("posición del piloto al"), null=True, blank=True)
    stream_url = models.URLField(_("URL del video en vivo (HLS)"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("misión de verificación visual")
        verbose_name_plural = _("misiones de verificación visual")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(camera__isnull=True, drone__isnull=False)
                | models.Q(camera__isnull=False, drone__isnull=True),
                name="visual_mission_one_resource",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.camera or self.drone} → #{self.incident_id}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


def new_footage_token() -> str:
    return uuid.uuid4().hex


class Footage(models.Model):
    """Evidence of an incident: a snapshot the pilot uploaded, or the live stream's address. Never public: served
    only to the control centre in the incident's jurisdiction and to the mission's pilot, and pruned after the
    jurisdiction's retention period."""

    class Kind(models.TextChoices):
        SNAPSHOT = "snapshot", _("Imagen")
        STREAM = "stream", _("Video en vivo (HLS)")

    mission = models.ForeignKey(Mission, verbose_name=_("misión"), on_delete=models.CASCADE, related_name="footage")
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices)
    image = models.FileField(_("imagen"), upload_to="visual_checks/footage/%Y/%m/", blank=True)
    stream_url = models.URLField(_("URL HLS"), max_length=500, blank=True)
    token = models.CharField(_("clave de acceso"), max_length=32, unique=True, default=new_footage_token)
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)

    class Meta:
        verbose_name = _("material de la verificación")
        verbose_name_plural = _("material de las verificaciones")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
