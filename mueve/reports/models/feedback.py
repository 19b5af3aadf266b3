"""The reporter's answer to «¿Quedó resuelto?» once their report's incident is resolved (as FixMyStreet's
questionnaire): «sí» is recorded; «no» reopens the incident with the citizen's comment and photo."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Review
from .requests import Report, ReportPhoto


class ReportFeedback(models.Model):
    """One answer per report (whoever holds the tracking link is the reporter). The comment is public only once
    approved, as a report's description (`comment_review`); the photo is a `ReportPhoto` of the report, moderated as
    the others."""

    report = models.OneToOneField(Report, verbose_name=_("reporte"), on_delete=models.CASCADE, related_name="feedback")
    incident = models.ForeignKey(
        "Incident",
        verbose_name=_("incidente"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
    )
    fixed = models.BooleanField(_("¿quedó resuelto?"))
    comment = models.TextField(_("comentario"), blank=True)
    comment_review = models.CharField(
        _("moderación del comentario"), max_length=10, choices=Review.choices, default=Review.APPROVED
    )
    photo = models.ForeignKey(
        ReportPhoto,
        verbose_name=_("foto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("respondido el"), default=timezone.now)

    class Meta:
        verbose_name = _("respuesta «¿quedó resuelto?»")
        verbose_name_plural = _("respuestas «¿quedó resuelto?»")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.report.public_id}: {'sí' if self.fixed else 'no'}"
