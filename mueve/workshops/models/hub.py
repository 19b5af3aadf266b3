"""Component 4's hub cocreation and the accountability of what it promised: hub models, group assignment runs,
action lines and activities, partner commitments, milestones, progress updates."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.workshops.models.codesign import Concept, Tracked, TrackStatus
from mueve.workshops.models.sessions import Workshop, WorkshopGroup
from mueve.workshops.models.vision import Initiative


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
