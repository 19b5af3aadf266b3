"""i-BiciPark: racks, their slots, the bicycles checked into them, the camera's snapshots and the theft alarms.

Smart Data Model: each slot is a `ParkingSpot` (its Device kind, bike_rack_slot, is published as one by the NGSI-LD
API). A slot is one place where one bicycle stands, with its own sensor and its own free/occupied state, which is
exactly ParkingSpot (category "forBicycles"). `BikeHireDockingStation` describes a station of a bicycle-hire scheme,
whose bicycles belong to the operator and are counted for hire (availableBikeNumber); here cyclists leave their
own bicycles, nothing is hired, and the unit that matters (for the alarm and for the free-slot map) is the slot.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mueve.core.models import TimeStampedModel


class Rack(TimeStampedModel):
    """A bicycle rack of a building: its owner organization runs the building's security desk."""

    slug = models.SlugField(_("identificador"), max_length=64, unique=True)
    name = models.CharField(_("nombre"), max_length=150)
    address = models.CharField(_("dirección"), max_length=200, blank=True)
    organization = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("organización dueña (el edificio)"),
        on_delete=models.PROTECT,
        related_name="bike_racks",
    )
    jurisdiction = models.ForeignKey(
        "territory.Jurisdiction", verbose_name=_("jurisdicción"), on_delete=models.PROTECT, related_name="bike_racks"
    )
    lat = models.FloatField(_("latitud"))
    lon = models.FloatField(_("longitud"))
    camera = models.ForeignKey(
        "sensors.Device",
        verbose_name=_("cámara"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="camera_of_racks",
    )

    class Meta:
        verbose_name = _("bicicletero")
        verbose_name_plural = _("bicicleteros")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Slot(models.Model):
    """One place of a rack, with its weight sensor (a Device of kind bike_rack_slot reporting `weight` in kg).
    Its code is the address printed as a QR code on the slot: /bicipark/<code>/."""

    rack = models.ForeignKey(Rack, verbose_name=_("bicicletero"), on_delete=models.CASCADE, related_name="slots")
    number = models.PositiveSmallIntegerField(_("número"))
    code = models.SlugField(_("código del QR"), max_length=64, unique=True)
    device = models.OneToOneField(
        "sensors.Device", verbose_name=_("sensor de peso"), on_delete=models.PROTECT, related_name="bike_slot"
    )

    class Meta:
        verbose_name = _("puesto de bicicletero")
        verbose_name_plural = _("puestos de bicicletero")
        ordering = ["rack", "number"]
        constraints = [models.UniqueConstraint(fields=["rack", "number"], name="bicipark_slot_number_once")]

    def __str__(self) -> str:
        return f"{self.rack} · {self.number}"


class Parking(models.Model):
    """A bicycle checked into a slot by its owner, until the same account unlocks it."""

    slot = models.ForeignKey(Slot, verbose_name=_("puesto"), on_delete=models.CASCADE, related_name="parkings")
    cyclist = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ciclista"), on_delete=models.CASCADE, related_name="bike_parkings"
    )
    checked_in_at = models.DateTimeField(_("estacionada el"))
    unlocked_at = models.DateTimeField(_("retirada el"), null=True, blank=True)

    class Meta:
        verbose_name = _("bicicleta estacionada")
        verbose_name_plural = _("bicicletas estacionadas")
        ordering = ["-checked_in_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"], condition=models.Q(unlocked_at__isnull=True), name="bicipark_one_bicycle_per_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.slot} · {self.checked_in_at:%Y-%m-%d %H:%M}"


class Snapshot(models.Model):
    """A picture the rack's camera posted (JPEG or PNG, checked). Seen only by the building's security staff."""

    rack = models.ForeignKey(Rack, verbose_name=_("bicicletero"), on_delete=models.CASCADE, related_name="snapshots")
    device = models.ForeignKey(
        "sensors.Device", verbose_name=_("cámara"), on_delete=models.CASCADE, related_name="bike_snapshots"
    )
    taken_at = models.DateTimeField(_("tomada el"), db_index=True)
    content_type = models.CharField(_("tipo"), max_length=20)
    image = models.BinaryField(_("imagen"))
    width = models.PositiveIntegerField(_("ancho"))
    height = models.PositiveIntegerField(_("alto"))

    class Meta:
        verbose_name = _("foto de cámara")
        verbose_name_plural = _("fotos de cámara")
        ordering = ["-taken_at"]

    def __str__(self) -> str:
        return f"{self.rack} · {self.taken_at:%Y-%m-%d %H:%M:%S}"


class TheftAlarm(models.Model):
    """The weight of an occupied slot fell with no unlock by its owner. Kept after it is closed, with who closed it,
    when, as what, and why."""

    class Status(models.TextChoices):
        OPEN = "open", _("Abierta")
        THEFT = "theft", _("Robo")
        FALSE_ALARM = "false_alarm", _("Falsa alarma")

    parking = models.ForeignKey(Parking, verbose_name=_("bicicleta"), on_delete=models.CASCADE, related_name="alarms")
    slot = models.ForeignKey(Slot, verbose_name=_("puesto"), on_delete=models.CASCADE, related_name="alarms")
    rack = models.ForeignKey(Rack, verbose_name=_("bicicletero"), on_delete=models.CASCADE, related_name="alarms")
    triggered_at = models.DateTimeField(_("momento de la caída de peso"), db_index=True)
    raised_at = models.DateTimeField(_("alarma levantada el"), auto_now_add=True)
    weight_before = models.FloatField(_("peso antes (kg)"))
    weight_after = models.FloatField(_("peso después (kg)"))
    snapshot = models.ForeignKey(
        Snapshot, verbose_name=_("foto"), on_delete=models.SET_NULL, null=True, blank=True, related_name="alarms"
    )
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices, default=Status.OPEN)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cerrada por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("cerrada el"), null=True, blank=True)
    reason = models.TextField(_("motivo"), blank=True)

    class Meta:
        verbose_name = _("alarma de robo")
        verbose_name_plural = _("alarmas de robo")
        ordering = ["-triggered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["parking"], condition=models.Q(status="open"), name="bicipark_one_open_alarm_per_bicycle"
            )
        ]

    def __str__(self) -> str:
        return f"{self.slot} · {self.triggered_at:%Y-%m-%d %H:%M:%S}"
