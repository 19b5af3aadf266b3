from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.core.models import TimeStampedModel


class Interview(TimeStampedModel):
    """A context interview with an official: where challenges come from (component 1)."""

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("programa"), on_delete=models.CASCADE, related_name="interviews"
    )
    component = models.ForeignKey(
        "programs.Component", verbose_name=_("componente"), on_delete=models.SET_NULL, null=True, blank=True
    )
    institution = models.ForeignKey(
        "stakeholders.Organization", verbose_name=_("institución"), on_delete=models.PROTECT, related_name="interviews"
    )
    person = models.ForeignKey(
        "stakeholders.Person", verbose_name=_("persona entrevistada"), on_delete=models.SET_NULL, null=True, blank=True
    )
    interviewee_name = models.CharField(_("nombre de la persona entrevistada"), max_length=200, blank=True)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entrevistador/a"), on_delete=models.SET_NULL, null=True, blank=True
    )
    date = models.DateField(_("fecha"))
    notes = models.TextField(_("notas"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("entrevista")
        verbose_name_plural = _("entrevistas")
        ordering = ["-date", "institution__name"]

    def __str__(self) -> str:
        return f"{self.institution} — {self.date:%Y-%m-%d}"


class Kind(models.TextChoices):
    CONCRETE = "concrete", _("Concreto (solución tecnológica rápida)")
    ABSTRACT = "abstract", _("Abstracto (requiere una competencia)")


KIND_SHORT_LABELS = {Kind.CONCRETE: _("Concreto"), Kind.ABSTRACT: _("Abstracto")}


class Status(models.TextChoices):
    IDENTIFIED = "identified", _("Identificado")
    VALIDATED = "validated", _("Validado")
    PUBLISHED = "published", _("Publicado")
    ADDRESSING = "addressing", _("En abordaje")
    SOLVED = "solved", _("Resuelto")


PUBLIC_STATUSES = (Status.PUBLISHED, Status.ADDRESSING, Status.SOLVED)


class AddressedVia(models.TextChoices):
    CONCEPT = "concept", _("Un concepto (taller de codiseño)")
    COMPETITION = "competition", _("Una competencia")


ADDRESSED_VIA_SHORT_LABELS = {AddressedVia.CONCEPT: _("Concepto"), AddressedVia.COMPETITION: _("Competencia")}


class Challenge(TimeStampedModel):
    program = models.ForeignKey(
        "programs.Program", verbose_name=_("programa"), on_delete=models.CASCADE, related_name="challenges"
    )
    title = models.CharField(
        _("desafío (como pregunta)"),
        max_length=255,
        help_text=_("Por ejemplo: ¿Cómo reducir el vandalismo en paraderos?"),
    )
    slug = models.SlugField(_("identificador"), max_length=120, unique=True)
    description = models.TextField(_("descripción"), blank=True)
    owner = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("institución dueña"),
        on_delete=models.PROTECT,
        related_name="owned_challenges",
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("estado"), max_length=20, choices=Status.choices, default=Status.IDENTIFIED)
    # How the programme chose to address it. *What* addresses it is not stored here: it is the
    # competitions that offer it and the workshop concepts made for it (selectors.addressed_by).
    addressed_via = models.CharField(_("abordado mediante"), max_length=20, choices=AddressedVia.choices, blank=True)
    component = models.ForeignKey(
        "programs.Component", verbose_name=_("componente"), on_delete=models.SET_NULL, null=True, blank=True
    )
    interviews = models.ManyToManyField(
        Interview, verbose_name=_("entrevistas de origen"), blank=True, related_name="challenges"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("creado por"), on_delete=models.SET_NULL, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("desafío")
        verbose_name_plural = _("desafíos")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_kind_short_display(self) -> str:
        """The kind in one word, for badges ("Concreto", "Abstracto")."""
        return KIND_SHORT_LABELS.get(self.kind, self.kind)

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES


class StatusChange(models.Model):
    challenge = models.ForeignKey(
        Challenge, verbose_name=_("desafío"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("desde"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("hacia"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("por"), on_delete=models.SET_NULL, null=True, blank=True
    )
    note = models.TextField(_("nota"), blank=True)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("cambio de estado")
        verbose_name_plural = _("cambios de estado")

    def __str__(self) -> str:
        return f"{self.challenge}: {self.from_status or '—'} → {self.to_status}"


# --- citizens' participation: follow, support, comment, report abuse ------------------------------------------------


class Follow(models.Model):
    """A person who wants to hear when a public challenge changes (notifications kind "challenge_update")."""

    challenge = models.ForeignKey(
        Challenge, verbose_name=_("desafío"), on_delete=models.CASCADE, related_name="follows"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="challenge_follows"
    )
    created_at = models.DateTimeField(_("desde"), auto_now_add=True)

    class Meta:
        verbose_name = _("seguimiento de desafío")
        verbose_name_plural = _("seguimientos de desafíos")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["challenge", "user"], name="challenges_follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.challenge_id}"


class Support(models.Model):
    """One person's support for a public challenge: one per account, so the count is a count of people."""

    challenge = models.ForeignKey(
        Challenge, verbose_name=_("desafío"), on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="challenge_supports"
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("apoyo a un desafío")
        verbose_name_plural = _("apoyos a desafíos")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["challenge", "user"], name="challenges_support_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.challenge_id}"


class Comment(models.Model):
    """A person's comment on a public challenge. Held ones ("pendiente") are shown to their author only until a
    moderator publishes them; published ones with enough abuse reports are hidden until a moderator decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        PUBLISHED = "published", _("Publicado")
        HIDDEN = "hidden", _("Oculto")

    class HoldReason(models.TextChoices):
        NONE = "", _("Ninguno")
        UNVERIFIED = "unverified", _("Cuenta sin correo confirmado")
        LINKS = "links", _("Contiene enlaces")
        REPEATED = "repeated", _("Repite un comentario anterior")
        REPORTS = "reports", _("Denunciado por varias personas")

    challenge = models.ForeignKey(
        Challenge, verbose_name=_("desafío"), on_delete=models.CASCADE, related_name="comments"
    )
    # None once the author deleted their account: the comment stays, shown as "Cuenta eliminada".
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autor/a"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="challenge_comments",
    )
    text = models.TextField(_("texto"))
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices, default=Status.PENDING)
    hold_reason = models.CharField(
        _("motivo de revisión"), max_length=12, choices=HoldReason.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("comentario de desafío")
        verbose_name_plural = _("comentarios de desafíos")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["challenge", "status"], name="challenges_comment_status_idx")]

    def __str__(self) -> str:
        return self.text[:60]


class CommentReport(models.Model):
    """A signed-in person's report that a published comment is abusive: one per person and comment. Open until a
    moderator decides on the comment."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("comentario"), on_delete=models.CASCADE, related_name="abuse_reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("denunciante"),
        on_delete=models.CASCADE,
        related_name="challenge_comment_reports",
    )
    reason = models.CharField(_("motivo"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)
    resolved = models.BooleanField(_("resuelta"), default=False)

    class Meta:
        verbose_name = _("denuncia de comentario")
        verbose_name_plural = _("denuncias de comentarios")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["comment", "reporter"], name="challenges_comment_report_once")]

    def __str__(self) -> str:
        return f"{self.reporter_id} → {self.comment_id}"


class CommentDecision(models.Model):
    """Who published or hid a comment, and when. No actor: hidden automatically by abuse reports."""

    class Action(models.TextChoices):
        PUBLISH = "publish", _("Publicado")
        HIDE = "hide", _("Ocultado")

    comment = models.ForeignKey(
        Comment, verbose_name=_("comentario"), on_delete=models.CASCADE, related_name="decisions"
    )
    action = models.CharField(_("acción"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("por"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("decisión de moderación")
        verbose_name_plural = _("decisiones de moderación")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.comment_id}: {self.action}"
