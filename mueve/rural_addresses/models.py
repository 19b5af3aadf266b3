import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mueve.core.models import TimeStampedModel


class RuralRoad(TimeStampedModel):
    """A rural road as a polyline of [lon, lat] points, from its start at the paved road (km 0) onwards."""

    jurisdiction = models.ForeignKey(
        "territory.Jurisdiction", verbose_name=_("jurisdicción"), on_delete=models.PROTECT, related_name="rural_roads"
    )
    code = models.CharField(_("código"), max_length=30, help_text=_("Rol de la vía, p. ej. «O-60»."))
    name = models.CharField(_("nombre"), max_length=150, help_text=_("P. ej. «Ruta O-60, camino a Santa Juana»."))
    geometry = models.JSONField(_("geometría"), help_text=_("Lista de puntos [longitud, latitud] desde el km 0."))
    length_km = models.FloatField(_("largo (km)"), editable=False, default=0)
    start_label = models.CharField(
        _("inicio (km 0)"),
        max_length=150,
        blank=True,
        help_text=_("Dónde empieza: el cruce con el camino pavimentado."),
    )
    approximate = models.BooleanField(_("trazado aproximado"), default=False)
    # The bounding box keeps "nearest road to this point" to the few roads around it.
    min_lat = models.FloatField(_("latitud mínima"), editable=False, default=0)
    min_lon = models.FloatField(_("longitud mínima"), editable=False, default=0)
    max_lat = models.FloatField(_("latitud máxima"), editable=False, default=0)
    max_lon = models.FloatField(_("longitud máxima"), editable=False, default=0)

    class Meta:
        verbose_name = _("camino rural")
        verbose_name_plural = _("caminos rurales")
        ordering = ["jurisdiction__name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "code"], name="rural_road_code_per_jurisdiction"),
        ]

    def __str__(self) -> str:
        return self.name


def new_photo_token() -> str:
    return secrets.token_urlsafe(24)


class RuralPlace(models.Model):
    """A house or place on a rural road: its position, plus code, road and km, and what a caller can say."""

    class Status(models.TextChoices):
        TAGGED = "tagged", _("Etiquetada (por verificar)")
        VERIFIED = "verified", _("Verificada")
        REJECTED = "rejected", _("Rechazada")

    road = models.ForeignKey(RuralRoad, verbose_name=_("camino"), on_delete=models.PROTECT, related_name="places")
    jurisdiction = models.ForeignKey(
        "territory.Jurisdiction", verbose_name=_("jurisdicción"), on_delete=models.PROTECT, related_name="+"
    )
    lat = models.FloatField(_("latitud"))
    lon = models.FloatField(_("longitud"))
    plus_code = models.CharField(_("código plus"), max_length=16, db_index=True)
    km = models.FloatField(_("km del camino"))
    offset_m = models.FloatField(_("distancia al camino (m)"))
    description = models.CharField(
        _("cómo reconocerla"), max_length=300, help_text=_("Lo que diría quien llama: «casa azul pasado el puente».")
    )
    search_text = models.CharField(_("texto de búsqueda"), max_length=300, editable=False, default="")
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.TAGGED)
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("etiquetada por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    tagged_at = models.DateTimeField(_("etiquetada el"), default=timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revisada por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("revisada el"), null=True, blank=True)
    rejection_reason = models.CharField(_("motivo del rechazo"), max_length=300, blank=True)
    generated = models.BooleanField(
        _("generada"), default=False, help_text=_("Dato de demostración generado, no una vivienda real.")
    )
    # The phone's key for a tag sent from its offline queue: sent twice, it still makes one place.
    client_key = models.CharField(_("clave del envío"), max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("lugar rural")
        verbose_name_plural = _("lugares rurales")
        ordering = ["road", "km"]
        indexes = [
            models.Index(fields=["road", "km"], name="rural_place_road_km"),
            models.Index(fields=["lat", "lon"], name="rural_place_lat_lon"),
            models.Index(fields=["status", "jurisdiction"], name="rural_place_status"),
        ]

    def __str__(self) -> str:
        return f"{self.plus_code} · {self.road.code} km {self.km:.1f}"


class RuralPlacePhoto(models.Model):
    """A photo of the place, checked and stripped of metadata (reports.photos.process_photo)."""

    place = models.ForeignKey(RuralPlace, verbose_name=_("lugar"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("imagen"), upload_to="rural/photos/%Y/%m/")
    token = models.CharField(_("clave de acceso"), max_length=40, unique=True, default=new_photo_token, editable=False)
    width = models.PositiveIntegerField(_("ancho"))
    height = models.PositiveIntegerField(_("alto"))
    content_type = models.CharField(_("tipo"), max_length=40)
    created_at = models.DateTimeField(_("subida el"), default=timezone.now)

    class Meta:
        verbose_name = _("foto del lugar")
        verbose_name_plural = _("fotos de los lugares")
        ordering = ["place", "created_at", "id"]

    def __str__(self) -> str:
        return self.image.name


class EmergencyNote(TimeStampedModel):
    """What emergency services should know before arriving, given with the resident's consent (who gave it, who
    recorded it and when). Shown to emergency roles only."""

    class Access(models.TextChoices):
        UNKNOWN = "unknown", _("Sin información")
        YES = "yes", _("Entra una ambulancia")
        LIMITED = "limited", _("Acceso difícil (camino estrecho, portón, barro en invierno)")
        NO = "no", _("No entra una ambulancia: hay que llegar a pie")

    place = models.OneToOneField(
        RuralPlace, verbose_name=_("lugar"), on_delete=models.CASCADE, related_name="emergency_note"
    )
    oxygen_dependent = models.BooleanField(_("persona oxígeno-dependiente"), default=False)
    ambulance_access = models.CharField(
        _("acceso de ambulancia"), max_length=10, choices=Access.choices, default=Access.UNKNOWN
    )
    text = models.TextField(_("nota para emergencias"), max_length=1000, blank=True)
    consent_given_by = models.CharField(_("consentimiento dado por"), max_length=150)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consentimiento registrado por"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    consent_recorded_at = models.DateTimeField(_("consentimiento registrado el"))

    class Meta:
        verbose_name = _("nota para emergencias")
        verbose_name_plural = _("notas para emergencias")

    def __str__(self) -> str:
        return str(self.place)
