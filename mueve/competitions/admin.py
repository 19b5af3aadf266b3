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
from mueve.programs.admin import ProgramScopedAdmin


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


# A regional manager keeps the competitions of their programmes only (programs.admin.ProgramScopedAdmin).
IN_COMPETITION = "competition__program"


@admin.register(Competition)
class CompetitionAdmin(ProgramScopedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "kind", "program", "is_published", "registration_open", "results_published")
    list_filter = ("kind",)
    choice_paths = {"program": "", "challenges": "program"}
    inlines = [StageInline, PrizeInline, PartnerInline]
    filter_horizontal = ("challenges",)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Round)
class RoundAdmin(ProgramScopedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "competition", "stage", "status")
    program_path = IN_COMPETITION
    choice_paths = {"competition": "program"}
    inlines = [CriterionInline]
    readonly_fields = ("result", "tie_break_order", "closed_at")


@admin.register(Team)
class TeamAdmin(ProgramScopedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "competition", "category", "status")
    list_filter = (("competition", admin.RelatedOnlyFieldListFilter), "status")
    program_path = IN_COMPETITION
    choice_paths = {"competition": "program", "challenge": "program"}


@admin.register(Score)
class ScoreAdmin(ProgramScopedAdmin, SimpleHistoryAdmin):
    """Scores are read here; the audit history shows every change."""

    list_display = ("round", "juror", "team", "criterion", "value")
    list_filter = (("round", admin.RelatedOnlyFieldListFilter),)
    program_path = "round__competition__program"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CompetitionPartAdmin(ProgramScopedAdmin, admin.ModelAdmin):
    program_path = IN_COMPETITION
    choice_paths = {"competition": "program", "team": IN_COMPETITION, "round": IN_COMPETITION, "challenge": "program"}


class TeamPartAdmin(CompetitionPartAdmin):
    program_path = "team__competition__program"


class RoundPartAdmin(CompetitionPartAdmin):
    program_path = "round__competition__program"


admin.site.register([Participant, Clinic, Conflict], CompetitionPartAdmin)
admin.site.register([Milestone, Submission], TeamPartAdmin)
admin.site.register(Selection, RoundPartAdmin)
# A mentor's profile (expertise, how many teams) is theirs across programmes.
admin.site.register(MentorProfile)
