"""The Open311 service catalogue: services, their attributes and allowed values. (The keys of outside
applications are the api app's: mueve.api.models.ApiKey.)"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.core.models import TimeStampedModel

from .choices import AlertCategory, Severity

DEFAULT_FUSION_RADIUS_M = 100
DEFAULT_FUSION_WINDOW_MINUTES = 24 * 60
# Fusion looks up candidate incidents in an h3 grid_disk; the ring count grows with the radius, so keep it bounded.
MAX_FUSION_RADIUS_M = 2000


class Service(TimeStampedModel):
    """An Open311 service (a report category) offered in one jurisdiction."""

    class Type(models.TextChoices):
        REALTIME = "realtime", _("Tiempo real (devuelve el identificador)")
        BATCH = "batch", _("Por lotes (devuelve un token)")
        BLACKBOX = "blackbox", _("Caja negra (no devuelve identificador)")

    jurisdiction = models.ForeignKey(
        "territory.Jurisdiction", verbose_name=_("jurisdicción"), on_delete=models.PROTECT, related_name="services"
    )
    code = models.SlugField(_("código"), max_length=40)
    name = models.CharField(_("nombre"), max_length=120)
    description = models.TextField(_("descripción"), blank=True)
    group = models.CharField(_("grupo"), max_length=80, blank=True)
    keywords = models.CharField(_("palabras clave"), max_length=255, blank=True, help_text=_("Separadas por comas."))
    metadata = models.BooleanField(
        _("tiene definición"), default=False, help_text=_("Verdadero si el servicio pide atributos adicionales.")
    )
    type = models.CharField(_("tipo"), max_length=10, choices=Type.choices, default=Type.REALTIME)
    default_severity = models.CharField(
        _("gravedad por defecto"), max_length=15, choices=Severity.choices, default=Severity.MEDIUM
    )
    agency = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("organismo responsable"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_services",
    )
    alert_category = models.CharField(_("categoría FIWARE Alert"), max_length=20, choices=AlertCategory.choices)
    alert_subcategory = models.CharField(_("subcategoría FIWARE Alert"), max_length=40, blank=True)
    active = models.BooleanField(_("activo"), default=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    # Fusion: reports of this service within the radius and the window of an open incident join it.
    fusion_radius_m = models.PositiveIntegerField(
        _("radio de fusión (m)"),
        default=DEFAULT_FUSION_RADIUS_M,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_FUSION_RADIUS_M)],
        help_text=_("Reportes a esta distancia de un incidente abierto se suman a él."),
    )
    fusion_window_minutes = models.PositiveIntegerField(
        _("ventana de fusión (minutos)"),
        default=DEFAULT_FUSION_WINDOW_MINUTES,
        validators=[MinValueValidator(1), MaxValueValidator(60 * 24 * 60)],
        help_text=_("Tiempo desde el último reporte del incidente en que un reporte nuevo todavía se suma a él."),
    )
    # A citizen's photo may show faces, plates or the inside of a home; their text, a name or a phone number.
    moderate_photos = models.BooleanField(
        _("las fotos esperan moderación"),
        default=True,
        help_text=_("Las fotos de los reportes se publican solo cuando un operador las aprueba."),
    )
    moderate_text = models.BooleanField(
        _("el texto espera moderación"),
        default=False,
        help_text=_("La descripción de los reportes se publica solo cuando un operador la aprueba."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("servicio (categoría de reporte)")
        verbose_name_plural = _("servicios (categorías de reporte)")
        ordering = ["jurisdiction__name", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "code"], name="unique_service_code")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]


class ServiceAttribute(models.Model):
    """One field of a service definition (Open311 `attribute`)."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Texto corto")
        NUMBER = "number", _("Número")
        DATETIME = "datetime", _("Fecha y hora")
        TEXT = "text", _("Texto largo")
        SINGLEVALUELIST = "singlevaluelist", _("Lista de un valor")
        MULTIVALUELIST = "multivaluelist", _("Lista de varios valores")

    service = models.ForeignKey(
        Service, verbose_name=_("servicio"), on_delete=models.CASCADE, related_name="attributes"
    )
    code = models.SlugField(_("código"), max_length=40)
    variable = models.BooleanField(
        _("variable"), default=True, help_text=_("Falso para un texto informativo que no pide respuesta.")
    )
    datatype = models.CharField(_("tipo de dato"), max_length=20, choices=Datatype.choices)
    required = models.BooleanField(_("obligatorio"), default=False)
    datatype_description = models.CharField(_("descripción del tipo"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=1)
    description = models.TextField(_("pregunta o texto"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("atributo del servicio")
        verbose_name_plural = _("atributos del servicio")
        ordering = ["service", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["service", "code"], name="unique_service_attribute_code")]

    def __str__(self) -> str:
        return f"{self.service.code}/{self.code}"


class AttributeValue(models.Model):
    """An allowed value of a list attribute (Open311 `value` with `key` and `name`)."""

    attribute = models.ForeignKey(
        ServiceAttribute, verbose_name=_("atributo"), on_delete=models.CASCADE, related_name="values"
    )
    key = models.CharField(_("clave"), max_length=60)
    name = models.CharField(_("nombre"), max_length=120)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("valor permitido")
        verbose_name_plural = _("valores permitidos")
        ordering = ["attribute", "order", "key"]
        constraints = [models.UniqueConstraint(fields=["attribute", "key"], name="unique_attribute_value_key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.name}"
