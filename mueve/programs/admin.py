from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from mueve.accounts import scopes
from mueve.programs import rules, selectors
from mueve.programs.models import (
    ActivityLogEntry,
    Component,
    GovLab,
    GovLabProject,
    Indicator,
    IndicatorValue,
    MethodologyTemplate,
    Phase,
    Program,
    Result,
    TemplateComponent,
    TemplatePhase,
)


class ProgramScopedAdmin:
    """The programme side of the back office for a manager limited to some regions or programmes: the lists hold
    the rows of the programmes they manage (programs.selectors.programs_managed_by), the choices offer only those,
    and another programme's row answers 403 (not "it does not exist"). The national unit sees everything.

    `program_path`: the lookup from the model to its programme ("" for Program itself); `choice_paths`: for each
    foreign key or many-to-many field, the lookup from the related model to its programme."""

    program_path = "program"
    choice_paths: dict[str, str] = {"program": ""}

    @staticmethod
    def _in(path: str) -> str:
        return f"{path}__in" if path else "pk__in"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        managed = selectors.programs_managed_by(request.user)
        if managed is None:
            return queryset
        return queryset.filter(**{self._in(self.program_path): managed.values("pk")})

    def get_object(self, request, object_id, from_field=None):
        found = super().get_object(request, object_id, from_field)
        if found is None and selectors.programs_managed_by(request.user) is not None:
            field = self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
            try:
                elsewhere = self.model._default_manager.filter(**{field.name: field.to_python(object_id)}).exists()
            except (ValidationError, ValueError):
                elsewhere = False
            if elsewhere:
                raise PermissionDenied
        return found

    def _manages(self, request, obj) -> bool:
        # Also for a row read from its history (the history page finds deleted and hidden rows there).
        if obj is None:
            return True
        program = rules.program_of(obj)
        if program is None:
            return selectors.programs_managed_by(request.user) is None
        return rules.manages_program(request.user, program)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._manages(request, obj) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._manages(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._manages(request, obj) and super().has_delete_permission(request, obj)

    def _limit_choices(self, db_field, request, kwargs):
        path = self.choice_paths.get(db_field.name)
        managed = selectors.programs_managed_by(request.user)
        if path is not None and managed is not None:
            queryset = kwargs.get("queryset")
            if queryset is None:
                queryset = db_field.remote_field.model._default_manager.all()
            kwargs["queryset"] = queryset.filter(**{self._in(path): managed.values("pk")})
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **self._limit_choices(db_field, request, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **self._limit_choices(db_field, request, kwargs))


class NationalUnitOnlyAdmin:
    """Methodology templates are the method every region replicates: read by every manager, changed by the national
    unit only (rule programs.import_template)."""

    def has_add_permission(self, request, *args) -> bool:
        return request.user.has_perm("programs.import_template") and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("programs.import_template") and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("programs.import_template") and super().has_delete_permission(request, obj)


class TemplateComponentInline(NationalUnitOnlyAdmin, admin.StackedInline):
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
class MethodologyTemplateAdmin(NationalUnitOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("name", "slug", "source", "is_public")
    list_filter = ("is_public",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [TemplateComponentInline]


class TemplatePhaseInline(NationalUnitOnlyAdmin, admin.TabularInline):
    model = TemplatePhase
    extra = 0


# Django has no nested inlines: phases are edited on their component's page.
@admin.register(TemplateComponent)
class TemplateComponentAdmin(NationalUnitOnlyAdmin, admin.ModelAdmin):
    list_display = ("name", "template", "order", "key")
    list_filter = ("template",)
    inlines = [TemplatePhaseInline]


class ComponentInline(admin.TabularInline):
    model = Component
    extra = 0
    fields = ("order", "key", "name", "status", "start_date", "end_date")
    show_change_link = True


@admin.register(Program)
class ProgramAdmin(ProgramScopedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "jurisdiction", "sector", "status", "start_date", "end_date", "is_public")
    list_filter = ("status", "sector", "is_public", ("jurisdiction", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("managers",)
    inlines = [ComponentInline]
    program_path = ""
    choice_paths = {}

    def get_readonly_fields(self, request, obj=None):
        # Published links use the slug: once a program exists its address does not change. A regional manager
        # neither moves a programme to another region nor names its managers: that is the national unit's.
        fields = ("slug",) if obj else ()
        if not scopes.is_national(request.user):
            fields = (*fields, "managers", *(("jurisdiction",) if obj else ()))
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        allowed = scopes.jurisdiction_filter(request.user)
        if db_field.name == "jurisdiction" and allowed is not None:
            kwargs["queryset"] = db_field.remote_field.model._default_manager.filter(pk__in=allowed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    fields = ("order", "name", "status", "start_date", "end_date")


class ResultInline(admin.TabularInline):
    model = Result
    extra = 0
    fields = ("order", "title", "description")


@admin.register(Component)
class ComponentAdmin(ProgramScopedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "program", "order", "status", "start_date", "end_date")
    list_filter = (("program", admin.RelatedOnlyFieldListFilter), "status")
    inlines = [PhaseInline, ResultInline]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(ProgramScopedAdmin, admin.ModelAdmin):
    list_display = ("name", "program", "component", "unit", "target")
    list_filter = (("program", admin.RelatedOnlyFieldListFilter),)
    choice_paths = {"program": "", "component": "program"}
    search_fields = ("name",)
    inlines = [IndicatorValueInline]


@admin.register(ActivityLogEntry)
class ActivityLogEntryAdmin(ProgramScopedAdmin, admin.ModelAdmin):
    """The log is written by services only: the admin can read it, not change it."""

    list_display = ("created_at", "program", "verb", "message", "actor")
    list_filter = (("program", admin.RelatedOnlyFieldListFilter), "verb")
    search_fields = ("message",)
    list_select_related = ("program", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GovLabProjectInline(admin.TabularInline):
    model = GovLabProject
    extra = 0
    fields = ("title", "status", "challenge", "lead", "started_on", "is_generated")
    raw_id_fields = ("challenge", "lead")


@admin.register(GovLab)
class GovLabAdmin(SimpleHistoryAdmin):
    list_display = ("name", "program", "host", "established_on", "hub_integrated_on")
    list_filter = ("program",)
    raw_id_fields = ("host", "initiative")
    inlines = [GovLabProjectInline]
