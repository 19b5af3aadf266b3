from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.core.models import TimeStampedModel


class MethodologyTemplate(TimeStampedModel):
    """A reusable methodology: ordered components, each with ordered phases (exportable as JSON)."""

    name = models.CharField(_("nombre"), max_length=200)
    slug = models.SlugField(_("identificador"), max_length=80, unique=True)
    description = models.TextField(_("descripción"), blank=True)
    source = models.CharField(_("fuente"), max_length=255, blank=True)
    # The Bank published its toolkit: a template is public unless a manager keeps it to the platform's managers.
    is_public = models.BooleanField(
        _("pública"),
        default=True,
        help_text=_("Una plantilla pública se puede descargar y su guía imprimible está abierta a todas las personas."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plantilla metodológica")
        verbose_name_plural = _("plantillas metodológicas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TemplateComponent(models.Model):
    template = models.ForeignKey(
        MethodologyTemplate, verbose_name=_("plantilla"), on_delete=models.CASCADE, related_name="components"
    )
    order = models.PositiveSmallIntegerField(_("orden"))
    key = models.SlugField(_("clave"), max_length=40)
    name = models.CharField(_("nombre"), max_length=200)
    theme = models.CharField(_("eje"), max_length=100, blank=True)
    objective = models.TextField(_("objetivo"), blank=True)
    audience = models.CharField(_("quiénes se suman"), max_length=255, blank=True)

    class Meta:
        ordering = ["template", "order"]
        verbose_name = _("componente de plantilla")
        verbose_name_plural = _("componentes de plantilla")
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="unique_template_component_order"),
            models.UniqueConstraint(fields=["template", "key"], name="unique_template_component_key"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class TemplatePhase(models.Model):
    component = models.ForeignKey(
        TemplateComponent, verbose_name=_("componente"), on_delete=models.CASCADE, related_name="phases"
    )
    order = models.PositiveSmallIntegerField(_("orden"))
    name = models.CharField(_("nombre"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)

    class Meta:
        ordering = ["component", "order"]
        verbose_name = _("fase de plantilla")
        verbose_name_plural = _("fases de plantilla")
        constraints = [models.UniqueConstraint(fields=["component", "order"], name="unique_template_phase_order")]

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    TRANSPORT = "transport", _("Transporte")
    SECURITY = "security", _("Seguridad")
    ENVIRONMENT = "environment", _("Medio ambiente")
    HEALTH = "health", _("Salud")
    EDUCATION = "education", _("Educación")
    URBAN = "urban", _("Desarrollo urbano")
    OTHER = "other", _("Otro")


class Status(models.TextChoices):
    PLANNED = "planned", _("Planificado")
    IN_PROGRESS = "in_progress", _("En curso")
    DONE = "done", _("Terminado")
    CANCELLED = "cancelled", _("Cancelado")


class Program(TimeStampedModel):
    name = models.CharField(_("nombre"), max_length=200)
    slug = models.SlugField(_("identificador"), max_length=80, unique=True)
    template = models.ForeignKey(
        MethodologyTemplate, verbose_name=_("plantilla"), on_delete=models.PROTECT, null=True, blank=True
    )
    jurisdiction = models.ForeignKey(
        "territory.Jurisdiction", verbose_name=_("jurisdicción"), on_delete=models.PROTECT, related_name="programs"
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, default=Sector.TRANSPORT)
    summary = models.TextField(_("resumen"), blank=True)
    start_date = models.DateField(_("inicio"))
    end_date = models.DateField(_("término"))
    status = models.CharField(_("estado"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    is_public = models.BooleanField(_("público"), default=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("gestores"), blank=True, related_name="managed_programs"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programa")
        verbose_name_plural = _("programas")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="program_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Component(models.Model):
    program = models.ForeignKey(
        Program, verbose_name=_("programa"), on_delete=models.CASCADE, related_name="components"
    )
    order = models.PositiveSmallIntegerField(_("orden"))
    key = models.SlugField(_("clave"), max_length=40)
    name = models.CharField(_("nombre"), max_length=200)
    theme = models.CharField(_("eje"), max_length=100, blank=True)
    objective = models.TextField(_("objetivo"), blank=True)
    audience = models.CharField(_("quiénes se suman"), max_length=255, blank=True)
    start_date = models.DateField(_("inicio"), null=True, blank=True)
    end_date = models.DateField(_("término"), null=True, blank=True)
    status = models.CharField(_("estado"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "order"]
        verbose_name = _("componente")
        verbose_name_plural = _("componentes")
        constraints = [
            models.UniqueConstraint(fields=["program", "order"], name="unique_component_order"),
            models.UniqueConstraint(fields=["program", "key"], name="unique_component_key"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Phase(models.Model):
    component = models.ForeignKey(
        Component, verbose_name=_("componente"), on_delete=models.CASCADE, related_name="phases"
    )
    order = models.PositiveSmallIntegerField(_("orden"))
    name = models.CharField(_("nombre"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)
    start_date = models.DateField(_("inicio"), null=True, blank=True)
    end_date = models.DateField(_("término"), null=True, blank=True)
    status = models.CharField(_("estado"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    history = HistoricalRecords()

    class Meta:
        ordering = ["component", "order"]
        verbose_name = _("fase")
        verbose_name_plural = _("fases")
        constraints = [models.UniqueConstraint(fields=["component", "order"], name="unique_phase_order")]

    def __str__(self) -> str:
        return self.name


class Result(TimeStampedModel):
    component = models.ForeignKey(
        Component, verbose_name=_("componente"), on_delete=models.CASCADE, related_name="results"
    )
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    title = models.CharField(_("título"), max_length=255)
    description = models.TextField(_("descripción"), blank=True)

    class Meta:
        ordering = ["component", "order", "id"]
        verbose_name = _("resultado")
        verbose_name_plural = _("resultados")

    def __str__(self) -> str:
        return self.title


class Indicator(TimeStampedModel):
    program = models.ForeignKey(
        Program, verbose_name=_("programa"), on_delete=models.CASCADE, related_name="indicators"
    )
    component = models.ForeignKey(
        Component,
        verbose_name=_("componente"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    name = models.CharField(_("nombre"), max_length=200)
    unit = models.CharField(_("unidad"), max_length=50, blank=True)
    description = models.TextField(_("descripción"), blank=True)
    baseline = models.FloatField(_("línea base"), null=True, blank=True)
    target = models.FloatField(_("meta"), null=True, blank=True)

    class Meta:
        ordering = ["program", "name"]
        verbose_name = _("indicador de impacto")
        verbose_name_plural = _("indicadores de impacto")
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="unique_indicator_name")]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicador"), on_delete=models.CASCADE, related_name="values"
    )
    date = models.DateField(_("fecha"))
    value = models.FloatField(_("valor"))
    note = models.CharField(_("nota"), max_length=255, blank=True)

    class Meta:
        ordering = ["indicator", "date"]
        verbose_name = _("medición")
        verbose_name_plural = _("mediciones")
        constraints = [models.UniqueConstraint(fields=["indicator", "date"], name="unique_indicator_value_date")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.date}: {self.value}"


class ActivityLogEntry(models.Model):
    """What happened in a program, in words a person can read. Written by services, never by views."""

    program = models.ForeignKey(Program, verbose_name=_("programa"), on_delete=models.CASCADE, related_name="activity")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("por"), on_delete=models.SET_NULL, null=True, blank=True
    )
    verb = models.CharField(_("acción"), max_length=50)
    message = models.CharField(_("mensaje"), max_length=500)
    target_url = models.CharField(_("dirección del objeto"), max_length=300, blank=True)
    # What the entry is about ("challenge:12"), so it can be withdrawn when that thing stops being public.
    subject = models.CharField(_("asunto"), max_length=100, blank=True, db_index=True)
    is_public = models.BooleanField(_("público"), default=True)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("registro de actividad")
        verbose_name_plural = _("registro de actividad")

    def __str__(self) -> str:
        return self.message


class GovLab(TimeStampedModel):
    """The roadmap's "GovLab: innovation lab for the public administration" (the seed's Table 5) as an object the
    programme tracks: who hosts it, the roadmap initiative it fulfils, when it was set up and joined the innovation
    hub, and its projects on government challenges."""

    program = models.ForeignKey(Program, verbose_name=_("programa"), on_delete=models.CASCADE, related_name="govlabs")
    name = models.CharField(_("nombre"), max_length=200)
    host = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("institución anfitriona"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    initiative = models.ForeignKey(
        "workshops.Initiative",
        verbose_name=_("iniciativa de la hoja de ruta"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    mission = models.TextField(_("misión"), blank=True)
    established_on = models.DateField(_("creado el"), null=True, blank=True)
    hub_integrated_on = models.DateField(_("integrado al hub de innovación el"), null=True, blank=True)
    is_generated = models.BooleanField(_("dato generado"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("laboratorio de gobierno (GovLab)")
        verbose_name_plural = _("laboratorios de gobierno (GovLab)")
        ordering = ["program", "name"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="unique_govlab_name")]

    def __str__(self) -> str:
        return self.name


class GovLabProject(TimeStampedModel):
    """A project of the GovLab: a government challenge worked on with open innovation."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Propuesto")
        ACTIVE = "active", _("En curso")
        PILOT = "pilot", _("En piloto")
        ADOPTED = "adopted", _("Adoptado")
        STOPPED = "stopped", _("Detenido")

    lab = models.ForeignKey(GovLab, verbose_name=_("laboratorio"), on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("título"), max_length=200)
    summary = models.TextField(_("resumen"), blank=True)
    challenge = models.ForeignKey(
        "challenges.Challenge",
        verbose_name=_("desafío de gobierno"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lead = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("institución a cargo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("estado"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    started_on = models.DateField(_("inicio"), null=True, blank=True)
    is_generated = models.BooleanField(_("dato generado"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proyecto del GovLab")
        verbose_name_plural = _("proyectos del GovLab")
        ordering = ["lab", "title"]
        constraints = [models.UniqueConstraint(fields=["lab", "title"], name="unique_govlab_project")]

    def __str__(self) -> str:
        return self.title
