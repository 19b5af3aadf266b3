from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from mueve.programs.models import (
    ActivityLogEntry,
    Component,
    Indicator,
    IndicatorValue,
    MethodologyTemplate,
    Phase,
    Program,
    Result,
    TemplateComponent,
    TemplatePhase,
)


class TemplateComponentInline(admin.StackedInline):
    model = TemplateComponent
    extra = 0
    fields = ("order", "key", "name", "theme", "objective", "audience", "phases_link")
    readonly_fields = ("phases_link",)
    show_change_link = True

    @admin.display(description=_("fases"))
    def phases_link(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:programs_templatecomponent_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Editar fases"))


@admin.register(MethodologyTemplate)
class MethodologyTemplateAdmin(SimpleHistoryAdmin):
    list_display = ("name", "slug", "source", "is_public")
    list_filter = ("is_public",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [TemplateComponentInline]


class TemplatePhaseInline(admin.TabularInline):
    model = TemplatePhase
    extra = 0


# Django has no nested inlines: phases are edited on their component's page.
@admin.register(TemplateComponent)
class TemplateComponentAdmin(admin.ModelAdmin):
    list_display = ("name", "template", "order", "key")
    list_filter = ("template",)
    inlines = [TemplatePhaseInline]


class ComponentInline(admin.TabularInline):
    model = Component
    extra = 0
    fields = ("order", "key", "name", "status", "start_date", "end_date")
    show_change_link = True


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    list_display = ("name", "jurisdiction", "sector", "status", "start_date", "end_date", "is_public")
    list_filter = ("status", "sector", "is_public", "jurisdiction")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("managers",)
    inlines = [ComponentInline]

    def get_readonly_fields(self, request, obj=None):
        # Published links use the slug: once a program exists its address does not change.
        return ("slug",) if obj else ()

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    fields = ("order", "name", "status", "start_date", "end_date")


class ResultInline(admin.TabularInline):
    model = Result
    extra = 0
    fields = ("order", "title", "description")


@admin.register(Component)
class ComponentAdmin(SimpleHistoryAdmin):
    list_display = ("name", "program", "order", "status", "start_date", "end_date")
    list_filter = ("program", "status")
    inlines = [PhaseInline, ResultInline]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("name", "program", "component", "unit", "target")
    list_filter = ("program",)
    search_fields = ("name",)
    inlines = [IndicatorValueInline]


@admin.register(ActivityLogEntry)
class ActivityLogEntryAdmin(admin.ModelAdmin):
    """The log is written by services only: the admin can read it, not change it."""

    list_display = ("created_at", "program", "verb", "message", "actor")
    list_filter = ("program", "verb")
    search_fields = ("message",)
    list_select_related = ("program", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
