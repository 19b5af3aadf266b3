from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mueve.competitions.models import (
    Clinic,
    Competition,
    Conflict,
    Criterion,
    MentorProfile,
    Milestone,
    Participant,
    Partner,
    Prize,
    Round,
    Score,
    Selection,
    Stage,
    Submission,
    Team,
)


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0


class PrizeInline(admin.TabularInline):
    model = Prize
    extra = 0


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Competition)
class CompetitionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "program", "is_published", "registration_open", "results_published")
    list_filter = ("kind",)
    inlines = [StageInline, PrizeInline, PartnerInline]
    filter_horizontal = ("challenges",)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Round)
class RoundAdmin(SimpleHistoryAdmin):
    list_display = ("name", "competition", "stage", "status")
    inlines = [CriterionInline]
    readonly_fields = ("result", "tie_break_order", "closed_at")


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ("name", "competition", "category", "status")
    list_filter = ("competition", "status")


@admin.register(Score)
class ScoreAdmin(SimpleHistoryAdmin):
    """Scores are read here; the audit history shows every change."""

    list_display = ("round", "juror", "team", "criterion", "value")
    list_filter = ("round",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register([Participant, Clinic, Conflict, MentorProfile, Milestone, Selection, Submission])
