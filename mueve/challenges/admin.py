from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from mueve.challenges import selectors, services
from mueve.challenges.models import (
    Challenge,
    Comment,
    CommentDecision,
    CommentReport,
    Follow,
    Interview,
    StatusChange,
    Support,
)
from mueve.programs.admin import ProgramScopedAdmin


class ChallengeAdminForm(forms.ModelForm):
    class Meta:
        model = Challenge
        fields = ["program", "title", "description", "owner", "kind", "component", "interviews"]

    def clean_title(self) -> str:
        # The same question rule as the pages and the API.
        title = services.normalize_title(self.cleaned_data.get("title", ""))
        program = self.cleaned_data.get("program") or self.instance.program
        if errors := services.title_errors(title, program, exclude_pk=self.instance.pk):
            raise forms.ValidationError(errors)
        return title


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ("created_at", "from_status", "to_status", "actor", "note")
    readonly_fields = fields
    verbose_name = _("cambio de estado")
    verbose_name_plural = _("historial de estados")

    def has_add_permission(self, request, obj=None) -> bool:
        # History is written by the transition service only.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Challenge)
class ChallengeAdmin(ProgramScopedAdmin, SimpleHistoryAdmin):
    form = ChallengeAdminForm
    list_display = ("title", "program", "owner", "kind", "status", "addressed_by", "created_at")
    list_filter = (
        "status",
        "kind",
        ("program", admin.RelatedOnlyFieldListFilter),
        ("component", admin.RelatedOnlyFieldListFilter),
    )
    choice_paths = {"program": "", "component": "program", "interviews": "program"}
    search_fields = ("title", "description", "owner__name", "competitions__name", "concepts__name")
    list_select_related = ("program", "owner")
    filter_horizontal = ("interviews",)
    # The status moves only through the challenge page or the API, which check the allowed
    # transitions and write the history; the slug never changes so links keep working.
    readonly_fields = ("slug", "status", "addressed_via", "addressed_by", "created_by", "created_at", "updated_at")
    inlines = [StatusChangeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("competitions", "concepts__workshop")

    def has_add_permission(self, request) -> bool:
        # New challenges come from the pages or the API, which record their first status.
        return False

    @admin.display(description=_("abordado por"))
    def addressed_by(self, obj: Challenge) -> str:
        return ", ".join(addresser.name for addresser in selectors.addressed_by_unfiltered(obj)) or "—"


@admin.register(Interview)
class InterviewAdmin(ProgramScopedAdmin, SimpleHistoryAdmin):
    list_display = ("date", "institution", "interviewee_name", "program", "component")
    list_filter = (
        ("program", admin.RelatedOnlyFieldListFilter),
        ("component", admin.RelatedOnlyFieldListFilter),
        "institution",
    )
    choice_paths = {"program": "", "component": "program"}
    search_fields = ("institution__name", "interviewee_name", "notes")
    list_select_related = ("program", "institution", "component")
    date_hierarchy = "date"
    readonly_fields = ("interviewer", "created_at", "updated_at")
    raw_id_fields = ("person",)


# --- taking part: read in the back office, decided on the moderation page (/desafios/moderacion/) ------------------


class ReadOnlyAdmin(ProgramScopedAdmin, admin.ModelAdmin):
    """Rows written by the pages and the API only (one per person, moderation recorded with who and when); a
    regional manager reads those of their programmes' challenges."""

    program_path = "challenge__program"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CommentReportInline(admin.TabularInline):
    model = CommentReport
    extra = 0
    can_delete = False
    fields = ("created_at", "reporter", "reason", "resolved")
    readonly_fields = fields
    verbose_name = _("denuncia")
    verbose_name_plural = _("denuncias")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class CommentDecisionInline(admin.TabularInline):
    model = CommentDecision
    extra = 0
    can_delete = False
    fields = ("created_at", "action", "actor")
    readonly_fields = fields
    verbose_name = _("decisión")
    verbose_name_plural = _("decisiones de moderación")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("text_start", "challenge", "author", "status", "hold_reason", "created_at")
    list_filter = ("status", "hold_reason")
    search_fields = ("text", "challenge__title")
    list_select_related = ("challenge", "author")
    fields = ("challenge", "author", "text", "status", "hold_reason", "created_at")
    readonly_fields = fields
    inlines = [CommentReportInline, CommentDecisionInline]

    @admin.display(description=_("comentario"))
    def text_start(self, obj: Comment) -> str:
        return obj.text[:80]


@admin.register(Follow)
class FollowAdmin(ReadOnlyAdmin):
    list_display = ("challenge", "user", "created_at")
    list_select_related = ("challenge", "user")
    search_fields = ("challenge__title",)


@admin.register(Support)
class SupportAdmin(ReadOnlyAdmin):
    list_display = ("challenge", "user", "created_at")
    list_select_related = ("challenge", "user")
    search_fields = ("challenge__title",)
