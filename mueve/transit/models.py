"""Transit data: GTFS feeds (imported or built), their validation reports, live vehicle positions.

GTFS ids stay as strings scoped by feed (`feed` + `*_id`), so a feed round-trips to the same zip. Times are seconds
after midnight of the service day (GTFS allows past 24:00:00), None when a stop time is untimed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mueve.core.models import TimeStampedModel


class Feed(TimeStampedModel):
    class Source(models.TextChoices):
        UPLOAD = "upload", _("Archivo GTFS subido")
        BUILDER = "builder", _("Constructor de Mueve")
        URL = "url", _("Descargado de una dirección")

    slug = models.SlugField(_("identificador"), max_length=80, unique=True)
    name = models.CharField(_("nombre"), max_length=200)
    agency = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("organismo responsable"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transit_feeds",
    )
    jurisdiction = models.ForeignKey(
        "territory.Jurisdiction",
        verbose_name=_("jurisdicción"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transit_feeds",
    )
    version = models.CharField(_("versión"), max_length=100, blank=True)
    source = models.CharField(_("origen"), max_length=10, choices=Source.choices, default=Source.UPLOAD)
    source_detail = models.CharField(_("detalle del origen"), max_length=300, blank=True)
    licence = models.CharField(_("licencia"), max_length=300, blank=True)
    illustrative = models.BooleanField(
        _("ilustrativo"), default=False, help_text=_("Red de ejemplo: no es un servicio real.")
    )
    imported_at = models.DateTimeField(_("importado el"), null=True, blank=True)
    timezone = models.CharField(_("zona horaria"), max_length=60, default="America/Santiago")
    # The imported feed_info.txt row (GTFS column -> value), written back by the export.
    feed_info = models.JSONField(_("datos del feed (feed_info.txt)"), default=dict, blank=True)

    class Meta:
        verbose_name = _("feed GTFS")
        verbose_name_plural = _("feeds GTFS")
        ordering = ["name"]
        permissions = [("manage_feed", "Can import and build transit feeds")]

    def __str__(self) -> str:
        return self.name


class FeedImport(models.Model):
    """One attempt to import a zip into a feed, with its validation report (kept even when it failed)."""

    class Status(models.TextChoices):
        OK = "ok", _("Importado")
        OK_WITH_WARNINGS = "warnings", _("Importado con advertencias")
        FAILED = "failed", _("Rechazado")

    feed = models.ForeignKey(Feed, verbose_name=_("feed GTFS"), on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(_("archivo"), max_length=255, blank=True)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices)
    counts = models.JSONField(_("filas importadas"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("por"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("importación GTFS")
        verbose_name_plural = _("importaciones GTFS")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.feed} · {self.created_at:%Y-%m-%d %H:%M} · {self.status}"


class FeedValidationIssue(models.Model):
    class Severity(models.TextChoices):
        ERROR = "error", _("Error")
        WARNING = "warning", _("Advertencia")

    feed_import = models.ForeignKey(
        FeedImport, verbose_name=_("importación"), on_delete=models.CASCADE, related_name="issues"
    )
    severity = models.CharField(_("gravedad"), max_length=10, choices=Severity.choices)
    code = models.CharField(_("código"), max_length=50)
    file = models.CharField(_("archivo"), max_length=50, blank=True)
    row = models.PositiveIntegerField(_("fila"), null=True, blank=True)
    field = models.CharField(_("campo"), max_length=50, blank=True)
    message = models.CharField(_("mensaje"), max_length=500)

    class Meta:
        verbose_name = _("problema de validación")
        verbose_name_plural = _("problemas de validación")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.severity} {self.file}:{self.row} {self.field} {self.message}"


class Agency(models.Model):
    feed = models.ForeignKey(Feed, verbose_name=_("feed GTFS"), on_delete=models.CASCADE, related_name="agencies")
    agency_id = models.CharField(_("identificador GTFS"), max_length=100, blank=True)
    name = models.CharField(_("nombre"), max_length=200)
    url = models.CharField(_("sitio web"), max_length=300, blank=True)
    timezone = models.CharField(_("zona horaria"), max_length=60)
    lang = models.CharField(_("idioma"), max_length=10, blank=True)
    phone = models.CharField(_("teléfono"), max_length=50, blank=True)
    fare_url = models.CharField(_("tarifas (sitio web)"), max_length=300, blank=True)
    email = models.CharField(_("correo electrónico"), max_length=254, blank=True)

    class Meta:
        verbose_name = _("empresa de transporte")
        verbose_name_plural = _("empresas de transporte")
        constraints = [models.UniqueConstraint(fields=["feed", "agency_id"], name="transit_agency_uniq")]

    def __str__(self) -> str:
        return self.name


class ContinuousService(models.IntegerChoices):
    # GTFS semantics: 0 = continuous stopping (hail anywhere), 1 = none, 2 = phone agency, 3 = coordinate with driver.
    CONTINUOUS = 0, _("Se detiene en cualquier punto del recorrido")
    NONE = 1, _("Solo en paraderos")
    PHONE = 2, _("Llamar a la empresa")
    DRIVER = 3, _("Coordinar con el conductor")


class Route(models.Model):
    feed = models.ForeignKey(Feed, verbose_name=_("feed GTFS"), on_delete=models.CASCADE, related_name="routes")
    route_id = models.CharField(_("identificador GTFS"), max_length=100)
    agency = models.ForeignKey(
        Agency, verbose_name=_("empresa"), on_delete=models.SET_NULL, null=True, blank=True, related_name="routes"
    )
    short_name = models.CharField(_("número"), max_length=50, blank=True)
    long_name = models.CharField(_("nombre"), max_length=255, blank=True)
    desc = models.TextField(_("descripción"), blank=True)
    route_type = models.IntegerField(_("tipo de transporte"), default=3)
    url = models.CharField(_("sitio web"), max_length=300, blank=True)
    color = models.CharField(_("color"), max_length=6, blank=True)
    text_color = models.CharField(_("color del texto"), max_length=6, blank=True)
    sort_order = models.IntegerField(_("orden"), null=True, blank=True)
    continuous_pickup = models.IntegerField(
        _("subida en cualquier punto"), choices=ContinuousService.choices, null=True, blank=True
    )
    continuous_drop_off = models.IntegerField(
        _("bajada en cualquier punto"), choices=ContinuousService.choices, null=True, blank=True
    )
    network_id = models.CharField(_("red"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("recorrido")
        verbose_name_plural = _("recorridos")
        ordering = ["sort_order", "short_name", "route_id"]
        constraints = [models.UniqueConstraint(fields=["feed", "route_id"], name="transit_route_uniq")]

    def __str__(self) -> str:
        return " · ".join(p for p in (self.short_name, self.long_name) if p) or self.route_id

    @property
    def hail_anywhere(self) -> bool:
        return self.continuous_pickup == 0 or self.continuous_drop_off == 0


class Stop(models.Model):
    feed = models.ForeignKey(Feed, verbose_name=_("feed GTFS"), on_delete=models.CASCADE, related_name="stops")
    stop_id = models.CharField(_("identificador GTFS"), max_length=100)
    code = models.CharField(_("código"), max_length=50, blank=True)
    name = models.CharField(_("nombre"), max_length=255, blank=True)
    tts_stop_name = models.CharField(_("nombre para voz"), max_length=255, blank=True)
    desc = models.TextField(_("descripción"), blank=True)
    lat = models.FloatField(_("latitud"), null=True, blank=True)
    lon = models.FloatField(_("longitud"), null=True, blank=True)
    location_type = models.IntegerField(_("tipo de lugar"), default=0)
    parent_station = models.CharField(_("estación"), max_length=100, blank=True)
    wheelchair_boarding = models.IntegerField(_("acceso en silla de ruedas"), null=True, blank=True)
    zone_id = models.CharField(_("zona tarifaria"), max_length=100, blank=True)
    url = models.CharField(_("sitio web"), max_length=300, blank=True)
    timezone = models.CharField(_("zona horaria"), max_length=60, blank=True)
    level_id = models.CharField(_("nivel"), max_length=100, blank=True)
    platform_code = models.CharField(_("andén"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("paradero")
        verbose_name_plural = _("paraderos")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["feed", "stop_id"], name="transit_stop_uniq")]
        indexes = [models.Index(fields=["feed", "name"], name="transit_stop_name_idx")]

    def __str__(self) -> str:
        return self.name or self.stop_id

    @property
    def spoken_name(self) -> str:
        return self.tts_stop_name or self.name or self.stop_id


class Calendar(models.Model):
    feed = models.ForeignKey(Feed, verbose_name=_("feed GTFS"), on_delete=models.CASCADE, related_name="calendars")
    service_id = models.CharField(_("identificador del servicio"), max_length=100)
    monday = models.BooleanField(
        _("lunes"),
    )
    tuesday = models.BooleanField(
        _("martes"),
    )
    wednesday = models.BooleanField(
        _("miércoles"),
    )
    thursday = models.BooleanField(
        _("jueves"),
    )
    friday = models.BooleanField(
        _("viernes"),
    )
    saturday = models.BooleanField(
        _("sábado"),
    )
    sunday = models.BooleanField(
        _("domingo"),
    )
    start_date = models.DateField(
        _("desde"),
    )
    end_date = models.DateField(
        _("hasta"),
    )

    class Meta:
        verbose_name = _("calendario de servicio")
        verbose_name_plural = _("calendarios de servicio")
        constraints = [models.UniqueConstraint(fields=["feed", "service_id"], name="transit_calendar_uniq")]

    def __str__(self) -> str:
        return self.service_id


class CalendarDate(models.Model):
    feed = models.ForeignKey(Feed, verbose_name=_("feed GTFS"), on_delete=models.CASCADE, related_name="calendar_dates")
    service_id = models.CharField(_("identificador del servicio"), max_length=100)
    date = models.DateField(
        _("fecha"),
    )
    exception_type = models.IntegerField(
        _("tipo de excepción"),
    )  # 1 added, 2 removed

    class Meta:
        verbose_name = _("excepción de calendario")
        verbose_name_plural = _("excepciones de calendario")
        indexes = [models.Index(fields=["feed", "date"], name="transit_caldate_idx")]

    def __str__(self) -> str:
        return f"{self.service_id} {self.date} {self.exception_type}"


class ShapePoint(models.Model):
    feed = models.ForeignKey(Feed, verbose_name=_("feed GTFS"), on_delete=models.CASCADE, related_name="shape_points")
    shape_id = models.CharField(_("identificador del trazado"), max_length=100)
    sequence = models.IntegerField(
        _("secuencia"),
    )
    lat = models.FloatField(
        _("latitud"),
    )
    lon = models.FloatField(
        _("longitud"),
    )
    dist_traveled = models.FloatField(_("distancia recorrida"), null=True, blank=True)

    class Meta:
        verbose_name = _("punto del trazado")
        verbose_name_plural = _("puntos del trazado")
        ordering = ["shape_id", "sequence"]
        indexes = [models.Index(fields=["feed", "shape_id", "sequence"], name="transit_shape_idx")]

    def __str__(self) -> str:
        return f"{self.shape_id}#{self.sequence}"


class Trip(models.Model):
    feed = models.ForeignKey(Feed, verbose_name=_("feed GTFS"), on_delete=models.CASCADE, related_name="trips")
    trip_id = models.CharField(_("identificador GTFS"), max_length=100)
    route = models.ForeignKey(Route, verbose_name=_("recorrido"), on_delete=models.CASCADE, related_name="trips")
    service_id = models.CharField(_("identificador del servicio"), max_length=100)
    headsign = models.CharField(_("letrero"), max_length=255, blank=True)
    short_name = models.CharField(_("nombre corto"), max_length=50, blank=True)
    direction_id = models.IntegerField(_("sentido"), null=True, blank=True)
    block_id = models.CharField(_("bloque"), max_length=100, blank=True)
    shape_id = models.CharField(_("identificador del trazado"), max_length=100, blank=True)
    wheelchair_accessible = models.IntegerField(_("accesible en silla de ruedas"), null=True, blank=True)
    bikes_allowed = models.IntegerField(_("bicicletas permitidas"), null=True, blank=True)

    class Meta:
        verbose_name = _("viaje")
        verbose_name_plural = _("viajes")
        constraints = [models.UniqueConstraint(fields=["feed", "trip_id"], name="transit_trip_uniq")]
        indexes = [models.Index(fields=["feed", "service_id"], name="transit_trip_service_idx")]

    def __str__(self) -> str:
        return self.trip_id


class StopTime(models.Model):
    trip = models.ForeignKey(Trip, verbose_name=_("viaje"), on_delete=models.CASCADE, related_name="stop_times")
    stop = models.ForeignKey(Stop, verbose_name=_("paradero"), on_delete=models.CASCADE, related_name="stop_times")
    stop_sequence = models.IntegerField(
        _("orden en el viaje"),
    )
    arrival_time = models.IntegerField(_("llegada (s desde medianoche)"), null=True, blank=True)
    departure_time = models.IntegerField(_("salida (s desde medianoche)"), null=True, blank=True)
    # True when the feed left the time empty and the importer filled it (GTFS: timepoint=0 or blank).
    interpolated = models.BooleanField(_("hora estimada"), default=False)
    stop_headsign = models.CharField(_("letrero en el paradero"), max_length=255, blank=True)
    # 0 or empty: regular; 1: none (the planner never boards / alights there); 2: phone the agency; 3: coordinate
    # with the driver (the planner allows 2 and 3 and says so on the leg).
    pickup_type = models.IntegerField(_("tipo de subida"), null=True, blank=True)
    drop_off_type = models.IntegerField(_("tipo de bajada"), null=True, blank=True)
    continuous_pickup = models.IntegerField(_("subida en cualquier punto"), null=True, blank=True)
    continuous_drop_off = models.IntegerField(_("bajada en cualquier punto"), null=True, blank=True)
    shape_dist_traveled = models.FloatField(_("distancia recorrida"), null=True, blank=True)
    timepoint = models.IntegerField(_("hora exacta"), null=True, blank=True)

    class Meta:
        verbose_name = _("horario en paradero")
        verbose_name_plural = _("horarios en paraderos")
        ordering = ["trip", "stop_sequence"]
        indexes = [
            models.Index(fields=["trip", "stop_sequence"], name="transit_stoptime_trip_idx"),
            models.Index(fields=["stop", "departure_time"], name="transit_stoptime_stop_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.trip_id}#{self.stop_sequence}"


class Frequency(models.Model):
    trip = models.ForeignKey(Trip, verbose_name=_("viaje"), on_delete=models.CASCADE, related_name="frequencies")
    start_time = models.IntegerField(
        _("desde (s desde medianoche)"),
    )
    end_time = models.IntegerField(
        _("hasta (s desde medianoche)"),
    )
    headway_secs = models.PositiveIntegerField(
        _("intervalo (s)"),
    )
    exact_times = models.IntegerField(_("horarios exactos"), default=0)

    class Meta:
        verbose_name = _("frecuencia")
        verbose_name_plural = _("frecuencias")

    def __str__(self) -> str:
        return f"{self.trip_id} cada {self.headway_secs} s"


class BuilderRoute(TimeStampedModel):
    """A route drawn in Mueve's feed builder; the feed's GTFS rows are generated from these."""

    feed = models.ForeignKey(Feed, verbose_name=_("feed GTFS"), on_delete=models.CASCADE, related_name="builder_routes")
    code = models.SlugField(_("código"), max_length=40)
    short_name = models.CharField(_("número o letra"), max_length=20)
    long_name = models.CharField(_("nombre"), max_length=200)
    color = models.CharField(_("color"), max_length=6, default="1565C0")
    hail_anywhere = models.BooleanField(_("se detiene en cualquier punto"), default=True)
    path = models.JSONField(_("recorrido"), default=list, help_text=_("Lista de [lat, lon]."))
    reference_points = models.JSONField(
        _("puntos de referencia"), default=list, help_text=_("Lista de {name, lat, lon}.")
    )
    bands = models.JSONField(
        _("frecuencias por franja"), default=list, help_text=_("Lista de {start: 'HH:MM', end: 'HH:MM', headway_min}.")
    )
    days = models.JSONField(_("días de servicio"), default=list, help_text=_("Lista de 0 (lunes) a 6 (domingo)."))
    speed_kmh = models.FloatField(_("velocidad comercial (km/h)"), default=18.0)
    both_directions = models.BooleanField(_("ida y vuelta"), default=True)
    explicit_trips = models.BooleanField(_("generar viajes explícitos (sin frequencies.txt)"), default=False)

    class Meta:
        verbose_name = _("ruta dibujada")
        verbose_name_plural = _("rutas dibujadas")
        ordering = ["short_name"]
        constraints = [models.UniqueConstraint(fields=["feed", "code"], name="transit_builder_route_uniq")]

    def __str__(self) -> str:
        return f"{self.short_name} · {self.long_name}"


# Vehicle ids of the demo's simulated buses (mueve/transit/simulator.py): pages say these buses are not real.
SIMULATED_VEHICLE_PREFIX = "sim-"


class VehiclePosition(models.Model):
    """The latest known position of each vehicle (GTFS-Realtime VehiclePositions), one row per vehicle."""

    feed = models.ForeignKey(
        Feed, verbose_name=_("feed GTFS"), on_delete=models.CASCADE, related_name="vehicle_positions"
    )
    vehicle_id = models.CharField(_("identificador del vehículo"), max_length=100)
    label = models.CharField(_("etiqueta"), max_length=100, blank=True)
    trip_id = models.CharField(_("identificador del viaje"), max_length=100, blank=True)
    # The trip instance the vehicle runs (GTFS-RT TripDescriptor start_date/start_time). Frequency-based trips share one
    # trip_id among many buses: only these tell them apart. Set once per trip and kept while the bus stays on it.
    start_date = models.DateField(_("fecha de inicio del viaje"), null=True, blank=True)
    start_time = models.IntegerField(
        _("hora de inicio del viaje"),
        null=True,
        blank=True,
        help_text=_("Segundos desde la medianoche del día de servicio."),
    )
    route = models.ForeignKey(
        Route, verbose_name=_("recorrido"), on_delete=models.SET_NULL, null=True, blank=True, related_name="vehicles"
    )
    lat = models.FloatField(
        _("latitud"),
    )
    lon = models.FloatField(
        _("longitud"),
    )
    bearing = models.FloatField(_("rumbo (°)"), null=True, blank=True)
    speed = models.FloatField(_("velocidad (m/s)"), null=True, blank=True)
    timestamp = models.DateTimeField(
        _("medida el"),
    )
    received_at = models.DateTimeField(_("recibida el"), auto_now=True)

    class Meta:
        verbose_name = _("posición de vehículo")
        verbose_name_plural = _("posiciones de vehículos")
        constraints = [models.UniqueConstraint(fields=["feed", "vehicle_id"], name="transit_vehicle_uniq")]
        indexes = [models.Index(fields=["route", "timestamp"], name="transit_vehicle_route_idx")]

    def __str__(self) -> str:
        return self.vehicle_id

    @property
    def simulated(self) -> bool:
        return self.vehicle_id.startswith(SIMULATED_VEHICLE_PREFIX)
