"""A competition's definition: its stages, prizes and partners, and the preparatory clinics with their
registrations and questions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.core.models import TimeStampedModel

USER = settings.AUTH_USER_MODEL


class Skill(models.TextChoices):
    DESIGN = "design", _("Diseño")
    BUSINESS = "business", _("Negocios")
    TECHNOLOGY = "technology", _("Tecnología")
    OTHER = "other", _("Otra")


CORE_SKILLS = [Skill.DESIGN, Skill.BUSINESS, Skill.TECHNOLOGY]


def skill_labels(values) -> list[str]:
    return [str(Skill(v).label) for v in values if v in Skill.values]


class CompetitionKind(models.TextChoices):
    OPEN = "open", _("Competencia abierta")
    # The roadmap's "Creating the Government Innovation Award" (the seed's Table 5): public servants compete.
    GOVERNMENT_AWARD = "government_award", _("Premio a la Innovación en Gobierno")


class Competition(TimeStampedModel):
    program = models.ForeignKey(
        "programs.Program", verbose_name=_("programa"), on_delete=models.CASCADE, related_name="competitions"
    )
    name = models.CharField(_("nombre"), max_length=200)
    slug = models.SlugField(_("identificador"), max_length=80, unique=True)
    kind = models.CharField(
        _("tipo"),
        max_length=20,
        choices=CompetitionKind.choices,
        default=CompetitionKind.OPEN,
        help_text=_("En el Premio a la Innovación en Gobierno participan funcionarios públicos."),
    )
    summary = models.TextField(_("resumen"), blank=True)
    rules_text = models.TextField(_("bases y reglas"), blank=True)
    challenges = models.ManyToManyField(
        "challenges.Challenge", verbose_name=_("desafíos"), blank=True, related_name="competitions"
    )
    required_skills = models.JSONField(
        _("habilidades requeridas por equipo"),
        default=list,
        blank=True,
        help_text=_("Un equipo no puede entregar hasta cubrirlas todas."),
    )
    min_team_size = models.PositiveSmallIntegerField(_("tamaño mínimo de equipo"), default=2)
    max_team_size = models.PositiveSmallIntegerField(_("tamaño máximo de equipo"), default=5)
    team_changes_until = models.DateTimeField(
        _("cambios de equipo hasta"),
        null=True,
        blank=True,
        help_text=_("Después de esta fecha solo la organización puede cambiar los equipos."),
    )
    is_published = models.BooleanField(_("publicada"), default=False)
    registration_open = models.BooleanField(_("inscripciones abiertas"), default=False)
    results_published = models.BooleanField(_("resultados publicados"), default=False)
    public_vote_open = models.BooleanField(_("votación del público abierta"), default=False)
    is_generated = models.BooleanField(_("datos generados"), default=False)
    created_by = models.ForeignKey(
        USER, verbose_name=_("creada por"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("competencia")
        verbose_name_plural = _("competencias")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def required_skill_labels(self) -> list[str]:
        return skill_labels(self.required_skills)


class StageKind(models.TextChoices):
    CLINICS = "clinics", _("Clínicas preparatorias")
    HACKATHON = "hackathon", _("Hackatón")
    FIRST_SELECTION = "first_selection", _("Primera selección")
    ACCELERATION = "acceleration", _("Aceleración")
    FINAL = "final", _("Final")


STAGE_ORDER = list(StageKind.values)


class Stage(models.Model):
    competition = models.ForeignKey(
        Competition, verbose_name=_("competencia"), on_delete=models.CASCADE, related_name="stages"
    )
    kind = models.CharField(_("etapa"), max_length=20, choices=StageKind.choices)
    starts_at = models.DateTimeField(_("inicio"))
    ends_at = models.DateTimeField(_("término"), help_text=_("Para etapas con entregas, es el plazo de entrega."))
    late_until = models.DateTimeField(
        _("se aceptan entregas atrasadas hasta"),
        null=True,
        blank=True,
        help_text=_("Entre el plazo y esta fecha las entregas se aceptan marcadas como atrasadas."),
    )
    description = models.TextField(_("descripción"), blank=True)

    class Meta:
        verbose_name = _("etapa")
        verbose_name_plural = _("etapas")
        ordering = ["starts_at", "id"]
        constraints = [models.UniqueConstraint(fields=["competition", "kind"], name="competitions_stage_unique_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()


class Prize(models.Model):
    competition = models.ForeignKey(
        Competition, verbose_name=_("competencia"), on_delete=models.CASCADE, related_name="prizes"
    )
    title = models.CharField(_("premio"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("premio")
        verbose_name_plural = _("premios")

    def __str__(self) -> str:
        return self.title


class Contribution(models.TextChoices):
    SPONSORSHIP = "sponsorship", _("Patrocinio")
    IN_KIND = "in_kind", _("Aporte en especie")
    MENTORSHIP = "mentorship", _("Mentoría")
    JURY = "jury", _("Jurado")
    INCUBATION = "incubation", _("Incubación")


class Partner(models.Model):
    """A sponsor or partner and what it contributes (Table 6)."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competencia"), on_delete=models.CASCADE, related_name="partners"
    )
    organization = models.ForeignKey(
        "stakeholders.Organization", verbose_name=_("organización"), on_delete=models.PROTECT, related_name="+"
    )
    contribution = models.CharField(_("aporte"), max_length=20, choices=Contribution.choices)
    detail = models.CharField(_("detalle"), max_length=255, blank=True)

    class Meta:
        ordering = ["organization__sector", "organization__name"]
        verbose_name = _("socio")
        verbose_name_plural = _("socios")
        constraints = [
            models.UniqueConstraint(fields=["competition", "organization"], name="competitions_partner_unique")
        ]

    def __str__(self) -> str:
        return str(self.organization)


class Clinic(models.Model):
    """A preparatory clinic: an official presents a challenge to the community."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competencia"), on_delete=models.CASCADE, related_name="clinics"
    )
    challenge = models.ForeignKey("challenges.Challenge", verbose_name=_("desafío"), on_delete=models.PROTECT)
    presenter = models.ForeignKey(
        USER, verbose_name=_("presenta"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("título"), max_length=200)
    starts_at = models.DateTimeField(_("fecha y hora"))
    place = models.CharField(_("lugar"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("cupos"), default=60)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("clínica")
        verbose_name_plural = _("clínicas")

    def __str__(self) -> str:
        return self.title


class ClinicRegistration(models.Model):
    clinic = models.ForeignKey(
        Clinic, verbose_name=_("clínica"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(USER, verbose_name=_("usuario"), on_delete=models.CASCADE, related_name="+")
    attended = models.BooleanField(_("asistió"), default=False)
    created_at = models.DateTimeField(_("inscrito el"), auto_now_add=True)

    class Meta:
        verbose_name = _("inscripción a clínica")
        verbose_name_plural = _("inscripciones a clínicas")
        constraints = [models.UniqueConstraint(fields=["clinic", "user"], name="competitions_clinic_reg_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.clinic}"


class ClinicQuestion(models.Model):
    clinic = models.ForeignKey(Clinic, verbose_name=_("clínica"), on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        USER, verbose_name=_("preguntada por"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    question = models.TextField(_("pregunta"))
    answer = models.TextField(_("respuesta"), blank=True)
    answered_by = models.ForeignKey(
        USER, verbose_name=_("respondida por"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_published = models.BooleanField(_("publicada"), default=False)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("pregunta de clínica")
        verbose_name_plural = _("preguntas de clínicas")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.question[:60]
