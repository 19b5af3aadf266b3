from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.core.models import TimeStampedModel


class Jurisdiction(TimeStampedModel):
    """A governed territory: a metropolitan area, a region, or a municipality inside one."""

    class Kind(models.TextChoices):
        REGION = "region", _("Región")
        METROPOLITAN_AREA = "metropolitan_area", _("Área metropolitana")
        MUNICIPALITY = "municipality", _("Comuna / municipalidad")

    name = models.CharField(_("nombre"), max_length=150)
    slug = models.SlugField(_("identificador"), max_length=80, unique=True)
    kind = models.CharField(_("tipo"), max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("pertenece a"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    center_lat = models.FloatField(_("latitud del centro"), null=True, blank=True)
    center_lon = models.FloatField(_("longitud del centro"), null=True, blank=True)
    default_zoom = models.PositiveSmallIntegerField(_("zoom inicial del mapa"), default=12)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jurisdicción")
        verbose_name_plural = _("jurisdicciones")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Area(TimeStampedModel):
    """A polygon loaded from GeoJSON. The bounding box columns make point lookups cheap."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdicción"), on_delete=models.CASCADE, related_name="areas"
    )
    name = models.CharField(_("nombre"), max_length=150)
    code = models.CharField(_("código"), max_length=40, blank=True)
    geometry = models.JSONField(_("geometría GeoJSON"))
    min_lat = models.FloatField(_("latitud mínima"), editable=False)
    min_lon = models.FloatField(_("longitud mínima"), editable=False)
    max_lat = models.FloatField(_("latitud máxima"), editable=False)
    max_lon = models.FloatField(_("longitud máxima"), editable=False)
    approximate = models.BooleanField(
        _("aproximada"), default=False, help_text=_("Marque si el polígono es ilustrativo y no un límite oficial.")
    )
    source = models.CharField(_("fuente"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("área")
        verbose_name_plural = _("áreas")
        ordering = ["jurisdiction__name", "name"]
        indexes = [models.Index(fields=["min_lat", "max_lat", "min_lon", "max_lon"])]

    def __str__(self) -> str:
        return self.name


class Landmark(TimeStampedModel):
    """A named point people look for on a map: a square, a mall, a hospital, a station, or a street (placed at a
    point along it). The place search finds them by name (mueve/core/places.py)."""

    class Kind(models.TextChoices):
        LANDMARK = "landmark", _("Lugar de referencia")
        STREET = "street", _("Calle o avenida")

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdicción"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="landmarks",
    )
    name = models.CharField(_("nombre"), max_length=150)
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, default=Kind.LANDMARK)
    lat = models.FloatField(_("latitud"))
    lon = models.FloatField(_("longitud"))
    description = models.CharField(_("descripción"), max_length=255, blank=True)
    approximate = models.BooleanField(
        _("ubicación aproximada"), default=False, help_text=_("Marque si el punto es una referencia aproximada.")
    )
    source = models.CharField(_("fuente"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("lugar de referencia")
        verbose_name_plural = _("lugares de referencia")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "kind"], name="territory_landmark_name_kind_uniq")]

    def __str__(self) -> str:
        return self.name
