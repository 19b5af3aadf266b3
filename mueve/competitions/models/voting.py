"""Pairwise comparisons by the jury and the public vote."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.competitions.models.judging import Round
from mueve.competitions.models.setup import Competition
from mueve.competitions.models.teams import Team

USER = settings.AUTH_USER_MODEL


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
