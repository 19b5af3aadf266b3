"""The acceleration stage's milestones."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mueve.competitions.models.teams import Team

USER = settings.AUTH_USER_MODEL


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
