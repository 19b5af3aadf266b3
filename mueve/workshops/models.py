"""Workshops of the methodology (codesign, diagnosis, SWOT, vision, roadmap, hub) and what they produce.

Outputs that are followed up afterwards (selected concepts, roadmap initiatives, hub action lines and
their activities) carry the accountability fields of `Tracked`: status, progress, weight, responsible
organization. Parents' progress is never stored: selectors roll it up from the children on read.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.core.models import TimeStampedModel


class Kind(models.TextChoices):
    CODESIGN = "codesign", _("Codiseño")
    DIAGNOSIS = "diagnosis", _("Diagnóstico")
    SWOT = "swot", _("FODA")
    VISION = "vision", _("Visión")
    ROADMAP = "roadmap", _("Hoja de ruta")
    HUB = "hub", _("Cocreación del hub")
    ACCOUNTABILITY = "accountability", _("Rendición de cuentas")
    OTHER = "other", _("Otro")


class WorkshopStatus(models.TextChoices):
    PLANNED = "planned", _("Por planificar")
    SCHEDULED = "scheduled", _("Convocado")
    HELD = "held", _("Realizado")
    CANCELLED = "cancelled", _("Cancelado")


class Workshop(TimeStampedModel):
    program = models.ForeignKey(
        "programs.Program", verbose_name=_("programa"), on_delete=models.CASCADE, related_name="workshops"
    )
    component = models.ForeignKey(
        "programs.Component",
        verbose_name=_("componente"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshops",
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("título"), max_length=200)
    slug = models.SlugField(_("identificador"), max_length=120, unique=True)
    status = models.CharField(
        _("estado"), max_length=20, choices=WorkshopStatus.choices, default=WorkshopStatus.PLANNED
    )
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("Un punto por línea, p. ej. «09:00 Bienvenida»."))
    venue_organization = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("institución anfitriona"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_workshops",
    )
    venue_address = models.CharField(_("dirección"), max_length=255, blank=True)
    starts_at = models.DateTimeField(_("inicio"), null=True, blank=True)
    ends_at = models.DateTimeField(_("término"), null=True, blank=True)
    minutes = models.TextField(_("acta"), blank=True)
    # Component 1: how many dots each participant may place on the concepts.
    dots_per_participant = models.PositiveSmallIntegerField(
        _("puntos por participante"), default=3, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    # Structure carried from the methodology template (personas, horizons, hub phases...).
    structure = models.JSONField(_("estructura"), default=dict, blank=True)
    format_key = models.SlugField(_("formato"), max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("taller")
        verbose_name_plural = _("talleres")
        ordering = ["program", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(starts_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="workshop_times_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]

    @property
    def is_common_swot_session(self) -> bool:
        """The session where the institutions' SWOT items are merged, voted and validated together."""
        return self.kind == Kind.SWOT and (self.structure or {}).get("session") == "validation"


class ParticipantRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participante")
    FACILITATOR = "facilitator", _("Facilitador/a")
    EXPERT = "expert", _("Experto/a")
    OBSERVER = "observer", _("Observador/a")
    HOST = "host", _("Anfitrión")


class Invitation(models.Model):
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("taller"), on_delete=models.CASCADE, related_name="invitations"
    )
    organization = models.ForeignKey(
        "stakeholders.Organization", verbose_name=_("institución"), on_delete=models.CASCADE
    )
    role = models.CharField(_("rol"), max_length=20, choices=ParticipantRole.choices)
    seats = models.PositiveSmallIntegerField(_("cupos"), default=1)
    created_at = models.DateTimeField(_("creada el"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitación a taller")
        verbose_name_plural = _("invitaciones a talleres")
        ordering = ["workshop", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "organization", "role"], name="unique_workshop_invitation")
        ]

    def __str__(self) -> str:
        return str(f"{self.organization} → {self.workshop}")


class WorkshopGroup(models.Model):
    """A table of the workshop. Vision groups take a transport user's role (`persona`)."""

    workshop = models.ForeignKey(Workshop, verbose_name=_("taller"), on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField(_("número"))
    name = models.CharField(_("nombre"), max_length=120, blank=True)
    persona = models.CharField(_("rol de usuario"), max_length=60, blank=True)
    facilitator = models.CharField(_("facilitador/a"), max_length=200, blank=True)
    expert = models.CharField(_("experto/a"), max_length=200, blank=True)
    expert_organization = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("institución del experto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    spokesperson = models.ForeignKey(
        "Registration", verbose_name=_("vocero/a"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("grupo de taller")
        verbose_name_plural = _("grupos de taller")
        ordering = ["workshop", "number"]
        constraints = [models.UniqueConstraint(fields=["workshop", "number"], name="unique_workshop_group")]

    def __str__(self) -> str:
        return self.name or _("Grupo %(n)d") % {"n": self.number}


class Registration(models.Model):
    """A person signed up for a workshop. Names are shown to managers only."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("taller"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    full_name = models.CharField(_("nombre"), max_length=200)
    organization = models.ForeignKey(
        "stakeholders.Organization", verbose_name=_("institución"), on_delete=models.SET_NULL, null=True, blank=True
    )
    sector = models.CharField(_("sector"), max_length=20, blank=True)
    role = models.CharField(
        _("rol"), max_length=20, choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT
    )
    attended = models.BooleanField(_("asistió"), default=False)
    group = models.ForeignKey(
        WorkshopGroup, verbose_name=_("grupo"), on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    created_at = models.DateTimeField(_("inscrito el"), auto_now_add=True)

    class Meta:
        verbose_name = _("inscripción a taller")
        verbose_name_plural = _("inscripciones a talleres")
        ordering = ["workshop", "full_name", "id"]
        constraints = [models.UniqueConstraint(fields=["workshop", "full_name"], name="unique_workshop_registration")]

    def __str__(self) -> str:
        return self.full_name


class Attachment(TimeStampedModel):
    class Type(models.TextChoices):
        PHOTO = "photo", _("Foto")
        DOCUMENT = "document", _("Documento")

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("taller"), on_delete=models.CASCADE, related_name="attachments"
    )
    type = models.CharField(_("tipo"), max_length=20, choices=Type.choices)
    title = models.CharField(_("título"), max_length=200)
    file = models.FileField(_("archivo"), upload_to="workshops/%Y/%m/")
    content_type = models.CharField(_("tipo de archivo"), max_length=100)
    size_bytes = models.PositiveIntegerField(
        _("tamaño (bytes)"),
    )

    class Meta:
        verbose_name = _("adjunto de taller")
        verbose_name_plural = _("adjuntos de talleres")
        ordering = ["workshop", "id"]


class Output(models.Model):
    """A workshop product written by a group: a phase output of the hub, a finding, a conclusion."""

    workshop = models.ForeignKey(Workshop, verbose_name=_("taller"), on_delete=models.CASCADE, related_name="outputs")
    group = models.ForeignKey(
        WorkshopGroup, verbose_name=_("grupo"), on_delete=models.SET_NULL, null=True, blank=True, related_name="outputs"
    )
    phase = models.CharField(_("fase"), max_length=60, blank=True)
    title = models.CharField(_("título"), max_length=200)
    text = models.TextField(_("texto"), blank=True)
    is_generated = models.BooleanField(
        _("dato generado"), default=False, help_text=_("Inventado para la demostración.")
    )

    class Meta:
        verbose_name = _("producto de taller")
        verbose_name_plural = _("productos de talleres")
        ordering = ["workshop", "phase", "id"]

    def __str__(self) -> str:
        return str(self.title)


# --- accountability ---------------------------------------------------------------------------------


class TrackStatus(models.TextChoices):
    # The statuses G's rollup understands.
    PLANNED = "planned", _("Sin iniciar")
    IN_PROGRESS = "in_progress", _("En curso")
    DONE = "done", _("Cumplido")
    BLOCKED = "blocked", _("Detenido")
    CANCELLED = "cancelled", _("Descartado")


class Tracked(models.Model):
    """Accountability fields shared by everything followed after the workshops."""

    track_status = models.CharField(
        _("estado de avance"), max_length=20, choices=TrackStatus.choices, default=TrackStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("avance %"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    weight = models.FloatField(_("peso"), default=1.0, validators=[MinValueValidator(0.0)])
    responsible = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("responsable"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


# --- component 1: codesign --------------------------------------------------------------------------


class ConceptStatus(models.TextChoices):
    PROPOSED = "proposed", _("Propuesto")
    SELECTED = "selected", _("Seleccionado")
    NOT_SELECTED = "not_selected", _("No seleccionado")


class Concept(Tracked, TimeStampedModel):
    workshop = models.ForeignKey(Workshop, verbose_name=_("taller"), on_delete=models.CASCADE, related_name="concepts")
    group = models.ForeignKey(
        WorkshopGroup, verbose_name=_("grupo"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("nombre"), max_length=200)
    challenge = models.ForeignKey(
        "challenges.Challenge",
        verbose_name=_("desafío que aborda"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="concepts",
    )
    users = models.CharField(_("usuarios"), max_length=255, blank=True)
    description = models.TextField(_("descripción"))
    technology = models.CharField(_("tecnología"), max_length=255, blank=True)
    expected_value = models.TextField(_("valor esperado"), blank=True)
    status = models.CharField(
        _("decisión"), max_length=20, choices=ConceptStatus.choices, default=ConceptStatus.PROPOSED
    )
    decision_reason = models.TextField(_("razón de la decisión"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("concepto")
        verbose_name_plural = _("conceptos")
        ordering = ["workshop", "id"]
        constraints = [models.UniqueConstraint(fields=["workshop", "name"], name="unique_concept_name")]

    def __str__(self) -> str:
        return self.name


class DotVote(models.Model):
    concept = models.ForeignKey(Concept, verbose_name=_("concepto"), on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        Registration, verbose_name=_("votante"), on_delete=models.CASCADE, related_name="dot_votes"
    )
    dots = models.PositiveSmallIntegerField(_("puntos"), default=1)
    is_generated = models.BooleanField(
        _("dato generado"), default=False, help_text=_("Inventado para la demostración.")
    )

    class Meta:
        verbose_name = _("voto con puntos")
        verbose_name_plural = _("votos con puntos")
        constraints = [models.UniqueConstraint(fields=["concept", "voter"], name="unique_dot_vote")]

    def __str__(self) -> str:
        return str(f"{self.voter} · {self.concept}: {self.dots}")


class Prototype(TimeStampedModel):
    concept = models.ForeignKey(
        Concept, verbose_name=_("concepto"), on_delete=models.CASCADE, related_name="prototypes"
    )
    title = models.CharField(_("título"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)
    built_by = models.ForeignKey(
        "stakeholders.Organization", verbose_name=_("construido por"), on_delete=models.SET_NULL, null=True, blank=True
    )
    built_on = models.DateField(_("fecha"), null=True, blank=True)
    effort = models.CharField(_("esfuerzo"), max_length=120, blank=True)
    demonstrated_to = models.CharField(_("demostrado a"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("prototipo")
        verbose_name_plural = _("prototipos")


class Pilot(TimeStampedModel):
    concept = models.ForeignKey(Concept, verbose_name=_("concepto"), on_delete=models.CASCADE, related_name="pilots")
    description = models.TextField(_("descripción"))
    start_date = models.DateField(_("inicio"), null=True, blank=True)
    end_date = models.DateField(_("término"), null=True, blank=True)

    class Meta:
        verbose_name = _("piloto")
        verbose_name_plural = _("pilotos")


class PilotFeedback(models.Model):
    pilot = models.ForeignKey(Pilot, verbose_name=_("piloto"), on_delete=models.CASCADE, related_name="feedback")
    tester = models.CharField(_("persona que prueba (seudónimo)"), max_length=100)
    rating = models.PositiveSmallIntegerField(
        _("valoración (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comentario"), blank=True)
    date = models.DateField(_("fecha"))
    is_generated = models.BooleanField(
        _("dato generado"), default=False, help_text=_("Inventado para la demostración.")
    )

    class Meta:
        verbose_name = _("opinión sobre el piloto")
        verbose_name_plural = _("opiniones sobre pilotos")

    def __str__(self) -> str:
        return str(f"{self.tester}: {self.rating}/5")


# --- component 2: diagnosis, SWOT, vision, roadmap ---------------------------------------------------


class TechnologySolution(models.Model):
    workshop = models.ForeignKey(Workshop, verbose_name=_("taller"), on_delete=models.CASCADE, related_name="solutions")
    organization = models.ForeignKey(
        "stakeholders.Organization", verbose_name=_("institución"), on_delete=models.SET_NULL, null=True, blank=True
    )
    name = models.CharField(_("nombre"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)
    in_use = models.BooleanField(_("en uso"), default=True)

    class Meta:
        verbose_name = _("solución tecnológica")
        verbose_name_plural = _("soluciones tecnológicas")
        ordering = ["workshop", "name"]

    def __str__(self) -> str:
        return str(self.name)


class Quadrant(models.TextChoices):
    STRENGTH = "S", _("Fortalezas")
    WEAKNESS = "W", _("Debilidades")
    OPPORTUNITY = "O", _("Oportunidades")
    THREAT = "T", _("Amenazas")


class SwotItem(TimeStampedModel):
    """Gathered in one institution's workshop; merged, voted and validated in the common session."""

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("programa"), on_delete=models.CASCADE, related_name="swot_items"
    )
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("taller de origen"), on_delete=models.CASCADE, related_name="swot_items"
    )
    institution = models.ForeignKey(
        "stakeholders.Organization", verbose_name=_("institución"), on_delete=models.SET_NULL, null=True, blank=True
    )
    quadrant = models.CharField(_("cuadrante"), max_length=1, choices=Quadrant.choices)
    text = models.CharField(_("texto"), max_length=300)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("fusionado en"), on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    votes = models.PositiveIntegerField(_("votos"), default=0)
    validated = models.BooleanField(_("validado"), default=False)
    is_generated = models.BooleanField(
        _("dato generado"), default=False, help_text=_("Inventado para la demostración.")
    )

    class Meta:
        verbose_name = _("elemento FODA")
        verbose_name_plural = _("elementos FODA")
        ordering = ["program", "quadrant", "-votes", "id"]

    def __str__(self) -> str:
        return self.text


class Vision(models.Model):
    workshop = models.ForeignKey(Workshop, verbose_name=_("taller"), on_delete=models.CASCADE, related_name="visions")
    group = models.ForeignKey(
        WorkshopGroup, verbose_name=_("grupo"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    persona = models.CharField(_("rol de usuario"), max_length=60)
    horizon_year = models.PositiveSmallIntegerField(_("año horizonte"))
    text = models.TextField(_("visión"))
    is_generated = models.BooleanField(
        _("dato generado"), default=False, help_text=_("Inventado para la demostración.")
    )

    class Meta:
        verbose_name = _("visión")
        verbose_name_plural = _("visiones")
        ordering = ["workshop", "id"]

    def __str__(self) -> str:
        return str(f"{self.persona} {self.horizon_year}")


class RoadmapLine(models.Model):
    program = models.ForeignKey(
        "programs.Program", verbose_name=_("programa"), on_delete=models.CASCADE, related_name="roadmap_lines"
    )
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("taller"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("orden"))
    name = models.CharField(_("línea"), max_length=200)
    weight = models.FloatField(_("peso"), default=1.0, validators=[MinValueValidator(0.0)])

    class Meta:
        verbose_name = _("línea de la hoja de ruta")
        verbose_name_plural = _("líneas de la hoja de ruta")
        ordering = ["program", "order"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="unique_roadmap_line")]

    def __str__(self) -> str:
        return self.name


class Initiative(Tracked):
    line = models.ForeignKey(RoadmapLine, verbose_name=_("línea"), on_delete=models.CASCADE, related_name="initiatives")
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    name = models.CharField(_("iniciativa"), max_length=255)
    horizon = models.PositiveSmallIntegerField(_("horizonte (año)"))
    objectives = models.TextField(_("objetivos"), blank=True)
    resources = models.TextField(_("recursos"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("iniciativa")
        verbose_name_plural = _("iniciativas")
        ordering = ["line", "horizon", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["line", "name"], name="unique_initiative")]

    def __str__(self) -> str:
        return self.name


# --- component 4: innovation hub ------------------------------------------------------------------


class HubModel(models.Model):
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("taller"), on_delete=models.CASCADE, related_name="hub_models"
    )
    organization = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("institución"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("nombre"), max_length=120)
    location = models.CharField(_("lugar"), max_length=120, blank=True)
    description = models.TextField(_("descripción"), blank=True)
    expert = models.CharField(_("experto/a que lo presenta"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("modelo de hub")
        verbose_name_plural = _("modelos de hub")
        ordering = ["workshop", "name"]
        constraints = [models.UniqueConstraint(fields=["workshop", "name"], name="unique_hub_model")]

    def __str__(self) -> str:
        return str(self.name)


class AssignmentRun(models.Model):
    """One run of the balanced group assignment: the seed makes it reproducible."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("taller"), on_delete=models.CASCADE, related_name="assignment_runs"
    )
    seed = models.BigIntegerField(_("semilla"))
    group_count = models.PositiveSmallIntegerField(_("número de grupos"))
    feasible = models.BooleanField(_("factible"), default=True)
    explanation = models.TextField(_("explicación"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("por"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("asignación de grupos")
        verbose_name_plural = _("asignaciones de grupos")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(f"{self.workshop} · {self.seed}")


class ActionLine(Tracked):
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("taller"), on_delete=models.CASCADE, related_name="action_lines"
    )
    group = models.ForeignKey(
        WorkshopGroup, verbose_name=_("grupo"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("línea de acción"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)
    business_plan = models.TextField(_("plan de negocio"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("línea de acción")
        verbose_name_plural = _("líneas de acción")
        ordering = ["workshop", "id"]
        constraints = [models.UniqueConstraint(fields=["workshop", "name"], name="unique_action_line")]

    def __str__(self) -> str:
        return self.name


class HubActivity(Tracked):
    action_line = models.ForeignKey(
        ActionLine, verbose_name=_("línea de acción"), on_delete=models.CASCADE, related_name="activities"
    )
    name = models.CharField(_("actividad"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)

    class Meta:
        verbose_name = _("actividad del hub")
        verbose_name_plural = _("actividades del hub")
        ordering = ["action_line", "id"]
        constraints = [models.UniqueConstraint(fields=["action_line", "name"], name="unique_hub_activity")]

    def __str__(self) -> str:
        return self.name


class PartnerCommitment(models.Model):
    activity = models.ForeignKey(
        HubActivity, verbose_name=_("actividad"), on_delete=models.CASCADE, related_name="commitments"
    )
    organization = models.ForeignKey(
        "stakeholders.Organization", verbose_name=_("institución"), on_delete=models.CASCADE, related_name="+"
    )
    contribution = models.CharField(_("aporte"), max_length=255)

    class Meta:
        verbose_name = _("compromiso de socio")
        verbose_name_plural = _("compromisos de socios")
        ordering = ["activity", "organization__name"]
        constraints = [models.UniqueConstraint(fields=["activity", "organization"], name="unique_partner_commitment")]

    def __str__(self) -> str:
        return str(f"{self.organization}: {self.contribution}")


class Milestone(models.Model):
    """A dated step of something followed up (exactly one of the three targets is set)."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("iniciativa"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="milestones",
    )
    action_line = models.ForeignKey(
        ActionLine,
        verbose_name=_("línea de acción"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="milestones",
    )
    concept = models.ForeignKey(
        Concept, verbose_name=_("concepto"), on_delete=models.CASCADE, null=True, blank=True, related_name="milestones"
    )
    title = models.CharField(_("hito"), max_length=200)
    due_date = models.DateField(_("fecha"))
    done = models.BooleanField(_("cumplido"), default=False)

    class Meta:
        verbose_name = _("hito")
        verbose_name_plural = _("hitos")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return str(self.title)


class ProgressUpdate(models.Model):
    """The log of progress changes shown on the public page ("who moved what, when")."""

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("programa"), on_delete=models.CASCADE, related_name="progress_updates"
    )
    item_label = models.CharField(_("elemento"), max_length=255)
    item_ref = models.CharField(_("referencia del elemento"), max_length=60)
    from_progress = models.PositiveSmallIntegerField(
        _("avance anterior"),
    )
    to_progress = models.PositiveSmallIntegerField(
        _("avance nuevo"),
    )
    status = models.CharField(_("estado"), max_length=20, choices=TrackStatus.choices)
    note = models.CharField(_("nota"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("por"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("cambio de avance")
        verbose_name_plural = _("cambios de avance")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(f"{self.item_label}: {self.to_progress}%")


# --- the program report and replication ------------------------------------------------------------


class ReportNarrative(TimeStampedModel):
    """The report's words a manager writes; the tables come from the database."""

    program = models.OneToOneField(
        "programs.Program", verbose_name=_("programa"), on_delete=models.CASCADE, related_name="report_narrative"
    )
    executive_summary = models.TextField(_("resumen ejecutivo"), blank=True)
    background = models.TextField(_("antecedentes"), blank=True)
    impact = models.TextField(_("impacto"), blank=True)
    replication = models.TextField(_("replicación"), blank=True)
    lessons = models.TextField(_("lecciones aprendidas"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("texto del informe")
        verbose_name_plural = _("textos del informe")


class WorkshopFormat(models.Model):
    """A workshop format of a methodology template: what a replicating city plans from."""

    template = models.ForeignKey(
        "programs.MethodologyTemplate",
        verbose_name=_("plantilla"),
        on_delete=models.CASCADE,
        related_name="workshop_formats",
    )
    component_key = models.SlugField(_("componente"), max_length=40)
    key = models.SlugField(_("clave"), max_length=60)
    order = models.PositiveSmallIntegerField(
        _("orden"),
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("título"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    structure = models.JSONField(_("estructura"), default=dict, blank=True)

    class Meta:
        verbose_name = _("formato de taller")
        verbose_name_plural = _("formatos de taller")
        ordering = ["template", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="unique_workshop_format")]

    def __str__(self) -> str:
        return str(self.title)
