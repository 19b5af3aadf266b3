"""Tu Colectivo: lines (transit routes with fares), cars, their drivers' live state, and riders' seat requests.

A rider's position is kept only while the trip lasts: it is cleared when the request ends (boarded, cancelled,
expired); what stays is the distance along the line, which is what the matcher and the statistics need.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mueve.core.models import TimeStampedModel

MAX_CAPACITY = 8


class Line(TimeStampedModel):
    """A colectivo line: a GTFS route of the transit app (so the trip planner already uses it) and the shape its
    cars follow, from the terminal (0 m) to the end."""

    slug = models.SlugField(_("identificador"), max_length=80, unique=True)
    name = models.CharField(_("nombre"), max_length=200)
    route = models.ForeignKey(
        "transit.Route", verbose_name=_("recorrido GTFS"), on_delete=models.PROTECT, related_name="colectivo_lines"
    )
    shape_id = models.CharField(
        _("trazado"), max_length=100, blank=True, help_text=_("Vacío: el trazado más usado del recorrido.")
    )
    terminal_name = models.CharField(_("terminal"), max_length=200)
    fare_clp = models.PositiveIntegerField(_("tarifa (CLP)"))
    fare_night_clp = models.PositiveIntegerField(_("tarifa nocturna (CLP)"), null=True, blank=True)
    active = models.BooleanField(_("en servicio"), default=True)

    class Meta:
        verbose_name = _("línea de colectivos")
        verbose_name_plural = _("líneas de colectivos")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Car(TimeStampedModel):
    line = models.ForeignKey(Line, verbose_name=_("línea"), on_delete=models.CASCADE, related_name="cars")
    plate = models.CharField(_("patente"), max_length=10, unique=True)
    capacity = models.PositiveSmallIntegerField(
        _("asientos para pasajeros"), default=4, validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("conductor/a"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="colectivos",
    )
    active = models.BooleanField(_("activo"), default=True)

    class Meta:
        verbose_name = _("auto colectivo")
        verbose_name_plural = _("autos colectivos")
        ordering = ["plate"]

    def __str__(self) -> str:
        return self.plate


class CarState(models.Model):
    """Where a car is and how many seats it has free, as its driver shares it."""

    class Status(models.TextChoices):
        OFF = "off", _("fuera de servicio")
        QUEUED = "queued", _("en fila en el terminal")
        RUNNING = "running", _("en recorrido")

    car = models.OneToOneField(Car, verbose_name=_("auto"), on_delete=models.CASCADE, related_name="state")
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.OFF)
    along_m = models.FloatField(_("distancia desde el terminal (m)"), default=0)
    lat = models.FloatField(_("latitud"), null=True, blank=True)
    lon = models.FloatField(_("longitud"), null=True, blank=True)
    free_seats = models.PositiveSmallIntegerField(_("asientos libres"), default=0)
    queued_since = models.DateTimeField(_("en fila desde"), null=True, blank=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        verbose_name = _("estado del auto")
        verbose_name_plural = _("estados de los autos")

    def __str__(self) -> str:
        return f"{self.car} · {self.get_status_display()}"


class SeatRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("solicitado")
        ASSIGNED = "assigned", _("asignado")
        BOARDED = "boarded", _("a bordo")
        CANCELLED = "cancelled", _("cancelado")
        EXPIRED = "expired", _("vencido")

    OPEN = (Status.REQUESTED, Status.ASSIGNED)

    line = models.ForeignKey(Line, verbose_name=_("línea"), on_delete=models.CASCADE, related_name="seat_requests")
    along_m = models.FloatField(_("distancia desde el terminal (m)"))
    # The rider's own point, for the driver to find them; cleared when the request ends.
    lat = models.FloatField(_("latitud"), null=True, blank=True)
    lon = models.FloatField(_("longitud"), null=True, blank=True)
    party_size = models.PositiveSmallIntegerField(
        _("asientos"), validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    car = models.ForeignKey(
        Car, verbose_name=_("auto"), on_delete=models.SET_NULL, null=True, blank=True, related_name="seat_requests"
    )
    eta_s = models.PositiveIntegerField(_("llegada estimada (s)"), null=True, blank=True)
    # Who may follow and cancel it: a secret kept in the rider's session (riders need no account).
    token = models.CharField(_("clave de seguimiento"), max_length=64, unique=True)
    requested_at = models.DateTimeField(_("solicitado el"), auto_now_add=True)
    assigned_at = models.DateTimeField(_("asignado el"), null=True, blank=True)
    ended_at = models.DateTimeField(_("terminado el"), null=True, blank=True)

    class Meta:
        verbose_name = _("solicitud de asiento")
        verbose_name_plural = _("solicitudes de asiento")
        ordering = ["requested_at", "id"]
        indexes = [models.Index(fields=["line", "status"])]

    def __str__(self) -> str:
        return f"{self.line} · {self.party_size} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN
