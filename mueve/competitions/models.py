"""Challenge competitions (component 3 of the seed): MueveTT and its replicas.

A competition belongs to a program and offers some of its challenges. It runs through stages
(clinics → hackathon → first selection → acceleration → final). Participants register with skills
and form teams; teams submit per stage (each submission is a new version); jurors score per round
with a weighted rubric, never a team they are conflicted with; organizers close the round, the
aggregate ranking is frozen on the round, and the selection (top N + M social-impact picks) is
recorded with justifications.
"""

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
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


class Competition(TimeStampedModel):
    program = models.ForeignKey(
        "programs.Program", verbose_name=_("programa"), on_delete=models.CASCADE, related_name="competitions"
    )
    name = models.CharField(_("nombre"), max_length=200)
    slug = models.SlugField(_("identificador"), max_length=80, unique=True)
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


class TeamStatus(models.TextChoices):
    ACTIVE = "active", _("Activo")
    WITHDRAWN = "withdrawn", _("Retirado")


class Team(TimeStampedModel):
    competition = models.ForeignKey(
        Competition, verbose_name=_("competencia"), on_delete=models.CASCADE, related_name="teams"
    )
    name = models.CharField(_("nombre del equipo"), max_length=120)
    challenge = models.ForeignKey(
        "challenges.Challenge", verbose_name=_("desafío"), on_delete=models.PROTECT, null=True, blank=True
    )
    category = models.CharField(_("categoría"), max_length=60, blank=True)
    status = models.CharField(_("estado"), max_length=20, choices=TeamStatus.choices, default=TeamStatus.ACTIVE)
    withdrawn_reason = models.TextField(_("motivo del retiro"), blank=True)
    captain = models.ForeignKey(USER, verbose_name=_("capitán/a"), on_delete=models.PROTECT, related_name="+")
    is_generated = models.BooleanField(_("datos generados"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("equipo")
        verbose_name_plural = _("equipos")
        constraints = [models.UniqueConstraint(fields=["competition", "name"], name="competitions_team_unique_name")]

    def __str__(self) -> str:
        return self.name


class Participant(TimeStampedModel):
    """A person registered in a competition, with the skills they bring."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competencia"), on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        USER, verbose_name=_("usuario"), on_delete=models.CASCADE, related_name="competition_registrations"
    )
    skills = models.JSONField(_("habilidades"), default=list)
    other_skill = models.CharField(_("otra habilidad"), max_length=120, blank=True)
    team = models.ForeignKey(
        Team, verbose_name=_("equipo"), on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    is_generated = models.BooleanField(_("datos generados"), default=False)

    class Meta:
        verbose_name = _("participante")
        verbose_name_plural = _("participantes")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["competition", "user"], name="competitions_participant_unique")]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def skill_labels(self) -> list[str]:
        labels = skill_labels(self.skills)
        if self.other_skill:
            labels = [label for label in labels if label != str(Skill.OTHER.label)] + [self.other_skill]
        return labels


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    ACCEPTED = "accepted", _("Aceptada")
    DECLINED = "declined", _("Rechazada")


class Invitation(models.Model):
    team = models.ForeignKey(Team, verbose_name=_("equipo"), on_delete=models.CASCADE, related_name="invitations")
    participant = models.ForeignKey(
        Participant, verbose_name=_("participante"), on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        USER, verbose_name=_("invitado por"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("estado"), max_length=20, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitación a equipo")
        verbose_name_plural = _("invitaciones a equipos")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.team} → {self.participant}"


class MentorProfile(TimeStampedModel):
    user = models.OneToOneField(
        USER, verbose_name=_("usuario"), on_delete=models.CASCADE, related_name="mentor_profile"
    )
    expertise = models.JSONField(_("áreas de experiencia"), default=list)
    bio = models.TextField(_("presentación"), blank=True)
    max_teams = models.PositiveSmallIntegerField(_("máximo de equipos"), default=3)

    class Meta:
        verbose_name = _("perfil de mentor/a")
        verbose_name_plural = _("perfiles de mentores")

    def __str__(self) -> str:
        return str(self.user)


class MentorAssignment(models.Model):
    team = models.ForeignKey(
        Team, verbose_name=_("equipo"), on_delete=models.CASCADE, related_name="mentor_assignments"
    )
    mentor = models.ForeignKey(
        USER, verbose_name=_("mentor/a"), on_delete=models.CASCADE, related_name="mentor_assignments"
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("asignación de mentor/a")
        verbose_name_plural = _("asignaciones de mentores")
        constraints = [models.UniqueConstraint(fields=["team", "mentor"], name="competitions_mentor_unique")]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.team}"


class MentorSession(models.Model):
    """A mentoring session; notes are visible to the team and the organizers."""

    team = models.ForeignKey(Team, verbose_name=_("equipo"), on_delete=models.CASCADE, related_name="mentor_sessions")
    mentor = models.ForeignKey(USER, verbose_name=_("mentor/a"), on_delete=models.SET_NULL, null=True, related_name="+")
    held_on = models.DateField(_("fecha"))
    notes = models.TextField(_("notas"))
    created_at = models.DateTimeField(_("registrada el"), auto_now_add=True)

    class Meta:
        verbose_name = _("sesión de mentoría")
        verbose_name_plural = _("sesiones de mentoría")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.team} {self.held_on}"


class TeamComment(models.Model):
    """Officials of the institution that owns a team's challenge comment on its work."""

    team = models.ForeignKey(Team, verbose_name=_("equipo"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, verbose_name=_("autor/a"), on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("comentario"))
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("comentario al equipo")
        verbose_name_plural = _("comentarios a equipos")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.team}: {self.body[:40]}"


class Submission(models.Model):
    """One version of a team's delivery for a stage. The newest version is the one judged."""

    team = models.ForeignKey(Team, verbose_name=_("equipo"), on_delete=models.CASCADE, related_name="submissions")
    stage = models.CharField(_("etapa"), max_length=20, choices=StageKind.choices)
    version = models.PositiveIntegerField(_("versión"), default=1)
    concept = models.TextField(_("concepto"), blank=True)
    deck = models.FileField(_("presentación (pitch)"), upload_to="competitions/decks/%Y/%m/", blank=True)
    video_url = models.URLField(_("video del pitch"), blank=True)
    prototype_url = models.URLField(_("prototipo mínimo viable"), blank=True)
    repository_url = models.URLField(_("repositorio"), blank=True)
    demo_url = models.URLField(_("demostración"), blank=True)
    business_plan = models.FileField(_("plan de negocios"), upload_to="competitions/plans/%Y/%m/", blank=True)
    submitted_by = models.ForeignKey(
        USER, verbose_name=_("entregada por"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(
        _("entregada el"),
    )
    is_late = models.BooleanField(_("atrasada"), default=False)

    class Meta:
        verbose_name = _("entrega")
        verbose_name_plural = _("entregas")
        ordering = ["team", "stage", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["team", "stage", "version"], name="competitions_submission_version")
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.stage} v{self.version}"


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("En preparación")
    SCORING = "scoring", _("En evaluación")
    CLOSED = "closed", _("Cerrada")


class RoundMode(models.TextChoices):
    RUBRIC = "rubric", _("Rúbrica ponderada")
    PAIRWISE = "pairwise", _("Comparación por pares (Crowd-BT)")


class Round(TimeStampedModel):
    """A jury round: first selection (judges hackathon submissions) or final (judges acceleration)."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competencia"), on_delete=models.CASCADE, related_name="rounds"
    )
    stage = models.CharField(_("etapa"), max_length=20, choices=StageKind.choices)
    submission_stage = models.CharField(_("entregas evaluadas"), max_length=20, choices=StageKind.choices)
    name = models.CharField(_("nombre"), max_length=120)
    status = models.CharField(_("estado"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    mode = models.CharField(_("modo"), max_length=20, choices=RoundMode.choices, default=RoundMode.RUBRIC)
    jurors = models.ManyToManyField(USER, verbose_name=_("panel"), blank=True, related_name="jury_rounds")
    tie_break = models.TextField(
        _("regla de desempate"),
        help_text=_("Se publica antes de evaluar y no cambia después."),
    )
    tie_break_order = models.JSONField(
        _("orden de desempate publicado"),
        default=list,
        blank=True,
        help_text=_("Identificadores de los equipos, fijado al abrir la evaluación."),
    )
    top_n = models.PositiveSmallIntegerField(_("seleccionados por puntaje"), default=5)
    impact_m = models.PositiveSmallIntegerField(_("seleccionados por impacto social"), default=2)
    closed_at = models.DateTimeField(_("cerrada el"), null=True, blank=True)
    result = models.JSONField(_("resultado congelado al cerrar"), default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ronda de evaluación")
        verbose_name_plural = _("rondas de evaluación")
        ordering = ["competition", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["competition", "stage"], name="competitions_round_stage")]

    def __str__(self) -> str:
        return self.name

    @cached_property
    def scores_generated(self) -> bool:
        """Some of the round's scores were invented for the demo: its ranking is labelled so."""
        return self.scores.filter(is_generated=True).exists()


class Criterion(models.Model):
    round = models.ForeignKey(Round, verbose_name=_("ronda"), on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterio"), max_length=120)
    weight = models.PositiveSmallIntegerField(_("peso (%)"))
    scale_min = models.SmallIntegerField(_("mínimo"), default=1)
    scale_max = models.SmallIntegerField(_("máximo"), default=5)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("criterio")
        verbose_name_plural = _("criterios")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class ConflictReason(models.TextChoices):
    SAME_ORGANIZATION = "same_organization", _("Misma organización")
    MENTOR = "mentor", _("Mentor/a del equipo")
    FAMILY = "family", _("Relación familiar")
    FINANCIAL = "financial", _("Relación financiera")
    OTHER = "other", _("Otra")


class Conflict(models.Model):
    """A juror's declared conflict of interest with a team: the juror never sees nor scores it."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competencia"), on_delete=models.CASCADE, related_name="conflicts"
    )
    juror = models.ForeignKey(USER, verbose_name=_("jurado"), on_delete=models.CASCADE, related_name="jury_conflicts")
    team = models.ForeignKey(Team, verbose_name=_("equipo"), on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("motivo"), max_length=20, choices=ConflictReason.choices)
    note = models.CharField(_("detalle"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("declarado el"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflicto de interés")
        verbose_name_plural = _("conflictos de interés")
        constraints = [models.UniqueConstraint(fields=["juror", "team"], name="competitions_conflict_unique")]

    def __str__(self) -> str:
        return f"{self.juror} ✕ {self.team}"


class Score(models.Model):
    round = models.ForeignKey(Round, verbose_name=_("ronda"), on_delete=models.CASCADE, related_name="scores")
    juror = models.ForeignKey(USER, verbose_name=_("jurado"), on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, verbose_name=_("equipo"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterio"), on_delete=models.CASCADE, related_name="scores"
    )
    value = models.SmallIntegerField(_("puntaje"))
    comment = models.TextField(_("comentario"), blank=True)
    is_generated = models.BooleanField(_("datos generados"), default=False)
    updated_at = models.DateTimeField(_("actualizado el"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("puntaje")
        verbose_name_plural = _("puntajes")
        constraints = [
            models.UniqueConstraint(fields=["round", "juror", "team", "criterion"], name="competitions_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.juror} {self.team} {self.criterion}: {self.value}"


class SelectionKind(models.TextChoices):
    RANKING = "ranking", _("Por puntaje")
    SOCIAL_IMPACT = "social_impact", _("Por impacto social")
    WINNER = "winner", _("Ganador")


class Selection(models.Model):
    round = models.ForeignKey(Round, verbose_name=_("ronda"), on_delete=models.CASCADE, related_name="selections")
    team = models.ForeignKey(Team, verbose_name=_("equipo"), on_delete=models.CASCADE, related_name="selections")
    kind = models.CharField(_("tipo"), max_length=20, choices=SelectionKind.choices)
    rank = models.PositiveSmallIntegerField(_("posición"), null=True, blank=True)
    justification = models.TextField(_("justificación"))
    selected_by = models.ForeignKey(
        USER, verbose_name=_("seleccionado por"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("selección")
        verbose_name_plural = _("selecciones")
        ordering = ["round", "kind", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "team"], name="competitions_selection_unique")]

    def __str__(self) -> str:
        return f"{self.round}: {self.team} ({self.kind})"


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    DONE = "done", _("Hecho, falta visto bueno")
    SIGNED_OFF = "signed_off", _("Aprobado por mentor/a")


class Milestone(models.Model):
    team = models.ForeignKey(Team, verbose_name=_("equipo"), on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("hito"), max_length=200)
    due_on = models.DateField(_("fecha comprometida"))
    status = models.CharField(
        _("estado"), max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.PENDING
    )
    evidence_url = models.URLField(_("evidencia"), blank=True)
    signed_off_by = models.ForeignKey(
        USER, verbose_name=_("aprobado por"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(_("aprobado el"), null=True, blank=True)

    class Meta:
        verbose_name = _("hito del equipo")
        verbose_name_plural = _("hitos de los equipos")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class PairwiseVote(models.Model):
    """One comparison in a pairwise round: the log from which Crowd-BT's beliefs are replayed.

    A vote withdrawn for a conflict of interest is deleted; its history keeps it (who, when)."""

    round = models.ForeignKey(Round, verbose_name=_("ronda"), on_delete=models.CASCADE, related_name="pairwise_votes")
    juror = models.ForeignKey(USER, verbose_name=_("jurado"), on_delete=models.CASCADE, related_name="+")
    winner = models.ForeignKey(Team, verbose_name=_("ganador"), on_delete=models.CASCADE, related_name="+")
    loser = models.ForeignKey(Team, verbose_name=_("perdedor"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("voto por pares")
        verbose_name_plural = _("votos por pares")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.juror}: {self.winner} > {self.loser}"


class PairwiseAssignment(models.Model):
    """Where a juror is in a pairwise round: the team seen last and the one to look at now."""

    round = models.ForeignKey(
        Round, verbose_name=_("ronda"), on_delete=models.CASCADE, related_name="pairwise_assignments"
    )
    juror = models.ForeignKey(USER, verbose_name=_("jurado"), on_delete=models.CASCADE, related_name="+")
    previous = models.ForeignKey(
        Team, verbose_name=_("equipo anterior"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    current = models.ForeignKey(
        Team, verbose_name=_("equipo actual"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    seen = models.JSONField(_("equipos vistos"), default=list)

    class Meta:
        verbose_name = _("avance del jurado por pares")
        verbose_name_plural = _("avances del jurado por pares")
        constraints = [models.UniqueConstraint(fields=["round", "juror"], name="competitions_pairwise_unique")]

    def __str__(self) -> str:
        return f"{self.juror} @ {self.round}"


class PublicVote(models.Model):
    """The audience award ("premio del público"): one vote per verified account, apart from the jury."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competencia"), on_delete=models.CASCADE, related_name="public_votes"
    )
    team = models.ForeignKey(Team, verbose_name=_("equipo"), on_delete=models.CASCADE, related_name="public_votes")
    user = models.ForeignKey(USER, verbose_name=_("usuario"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("voto del público")
        verbose_name_plural = _("votos del público")
        constraints = [models.UniqueConstraint(fields=["competition", "user"], name="competitions_public_vote_once")]

    def __str__(self) -> str:
        return f"{self.user} → {self.team}"
