"""Refugio Inteligente: a bus shelter made of modules (roof, glass panels, bench, Wi-Fi, USB charger, screen), each
with its condition and the history of it, at a transit stop, looked after by a maintainer organization.

The stop is named by its feed and GTFS stop_id (not a foreign key to transit.Stop): importing a feed again
replaces its stop rows, and a shelter must survive that. Impact and glass-break sensors on a module leave a
ShelterHit each (the evidence); the first hit while no vandalism incident of the shelter is open opens one.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mueve.core.models import TimeStampedModel


class Shelter(TimeStampedModel):
    code = models.SlugField(_("código"), max_length=40)
    name = models.CharField(_("nombre"), max_length=150)
    jurisdiction = models.ForeignKey(
        "territory.Jurisdiction", verbose_name=_("jurisdicción"), on_delete=models.PROTECT, related_name="shelters"
    )
    feed = models.ForeignKey(
        "transit.Feed",
        verbose_name=_("feed GTFS de la parada"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shelters",
    )
    stop_id = models.CharField(_("parada (stop_id GTFS)"), max_length=100, blank=True)
    lat = models.FloatField(_("latitud"))
    lon = models.FloatField(_("longitud"))
    maintainer = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("organización mantenedora"),
        on_delete=models.PROTECT,
        related_name="maintained_shelters",
    )
    service = models.ForeignKey(
        "reports.Service",
        verbose_name=_("servicio de los incidentes de vandalismo"),
        on_delete=models.PROTECT,
        related_name="shelters",
    )
    asset = models.ForeignKey(
        "reports.Asset",
        verbose_name=_("paradero adoptable"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shelters",
    )
    smart_since = models.DateField(_("inteligente desde"))

    class Meta:
        verbose_name = _("refugio inteligente")
        verbose_name_plural = _("refugios inteligentes")
        ordering = ["jurisdiction", "name"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "code"], name="unique_shelter_code")]
        permissions = [("manage_shelters", _("Puede registrar el estado de los módulos de refugios"))]

    def __str__(self) -> str:
        return self.name


class ShelterModule(TimeStampedModel):
    class Kind(models.TextChoices):
        ROOF = "roof", _("Techo")
        GLASS = "glass", _("Panel de vidrio")
        BENCH = "bench", _("Banca")
        WIFI = "wifi", _("Wi-Fi")
        USB = "usb", _("Cargador USB")
        SCREEN = "screen", _("Pantalla")
        LIGHT = "light", _("Iluminación")

    class Condition(models.TextChoices):
        OK = "ok", _("En buen estado")
        DAMAGED = "damaged", _("Dañado")
        OUT_OF_SERVICE = "out_of_service", _("Fuera de servicio")

    shelter = models.ForeignKey(Shelter, verbose_name=_("refugio"), on_delete=models.CASCADE, related_name="modules")
    code = models.SlugField(_("código"), max_length=40)
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("nombre"), max_length=150)
    condition = models.CharField(_("estado"), max_length=16, choices=Condition.choices, default=Condition.OK)
    condition_since = models.DateTimeField(_("en este estado desde"), default=timezone.now)

    class Meta:
        verbose_name = _("módulo de refugio")
        verbose_name_plural = _("módulos de refugio")
        ordering = ["shelter", "code"]
        constraints = [models.UniqueConstraint(fields=["shelter", "code"], name="unique_module_code")]

    def __str__(self) -> str:
        return f"{self.shelter.name}: {self.name}"


class ModuleSensor(models.Model):
    """A device mounted on a module (one module per device): its impact or glass-break readings name the module."""

    module = models.ForeignKey(
        ShelterModule, verbose_name=_("módulo"), on_delete=models.CASCADE, related_name="sensors"
    )
    device = models.OneToOneField(
        "sensors.Device", verbose_name=_("dispositivo"), on_delete=models.CASCADE, related_name="shelter_mount"
    )

    class Meta:
        verbose_name = _("sensor de módulo")
        verbose_name_plural = _("sensores de módulos")

    def __str__(self) -> str:
        return f"{self.device_id} → {self.module}"


class ShelterHit(models.Model):
    """An impact or a glass break a module's sensor measured: the evidence of the incident it opened or joined."""

    shelter = models.ForeignKey(Shelter, verbose_name=_("refugio"), on_delete=models.CASCADE, related_name="hits")
    module = models.ForeignKey(ShelterModule, verbose_name=_("módulo"), on_delete=models.CASCADE, related_name="hits")
    device = models.ForeignKey(
        "sensors.Device", verbose_name=_("dispositivo"), on_delete=models.CASCADE, related_name="+"
    )
    metric = models.CharField(_("métrica"), max_length=40)
    value = models.FloatField(_("valor"))
    unit = models.CharField(_("unidad"), max_length=12)
    time = models.DateTimeField(_("momento"), db_index=True)
    incident = models.ForeignKey(
        "reports.Incident",
        verbose_name=_("incidente"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shelter_hits",
    )
    opened_incident = models.BooleanField(_("abrió el incidente"), default=False)

    class Meta:
        verbose_name = _("golpe en un refugio")
        verbose_name_plural = _("golpes en refugios")
        ordering = ["-time", "-id"]
        constraints = [models.UniqueConstraint(fields=["device", "metric", "time"], name="shelter_hit_once")]

    def __str__(self) -> str:
        return f"{self.module} · {self.metric}={self.value:g} @ {self.time:%Y-%m-%d %H:%M:%S}"


class ModuleConditionChange(models.Model):
    """A module's condition history: from a sensor's hit, or set by its maintainer."""

    module = models.ForeignKey(
        ShelterModule, verbose_name=_("módulo"), on_delete=models.CASCADE, related_name="condition_changes"
    )
    from_condition = models.CharField(_("estado anterior"), max_length=16, choices=ShelterModule.Condition.choices)
    to_condition = models.CharField(_("estado nuevo"), max_length=16, choices=ShelterModule.Condition.choices)
    at = models.DateTimeField(_("fecha"), default=timezone.now)
    note = models.CharField(_("motivo"), max_length=300, blank=True)
    hit = models.ForeignKey(
        ShelterHit, verbose_name=_("golpe"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("registrado por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("cambio de estado de módulo")
        verbose_name_plural = _("cambios de estado de módulos")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.module}: {self.from_condition} → {self.to_condition}"
