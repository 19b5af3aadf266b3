"""Participants and their teams: invitations, mentors and their sessions, comments, and the submissions per stage."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.competitions.models.setup import Competition, Skill, StageKind, skill_labels
from mueve.core.models import TimeStampedModel

USER = settings.AUTH_USER_MODEL


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
