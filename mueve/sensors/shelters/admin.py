"""Shelters are registered in the admin (by the region's staff, within their jurisdictions). A module's condition
is read-only here: it changes through the shelter's page or its sensors, which keep its history."""

from django.contrib import admin

from mueve.reports.admin import JurisdictionScopedAdminMixin
from mueve.sensors.shelters.models import ModuleConditionChange, ModuleSensor, Shelter, ShelterHit, ShelterModule


class ModuleInline(admin.TabularInline):
    model = ShelterModule
    extra = 1
    fields = ["code", "kind", "name", "condition", "condition_since"]
    readonly_fields = ["condition", "condition_since"]


@admin.register(Shelter)
class ShelterAdmin(JurisdictionScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "jurisdiction", "maintainer", "stop_id", "smart_since"]
    list_filter = ["jurisdiction"]
    search_fields = ["name", "code", "stop_id"]
    inlines = [ModuleInline]
    autocomplete_fields = ["maintainer"]


class SensorInline(admin.TabularInline):
    model = ModuleSensor
    extra = 1
    raw_id_fields = ["device"]


@admin.register(ShelterModule)
class ShelterModuleAdmin(JurisdictionScopedAdminMixin, admin.ModelAdmin):
    scope_path = "shelter__jurisdiction_id"
    list_display = ["name", "shelter", "kind", "condition", "condition_since"]
    list_filter = ["kind", "condition"]
    readonly_fields = ["condition", "condition_since"]
    inlines = [SensorInline]


@admin.register(ShelterHit)
class ShelterHitAdmin(JurisdictionScopedAdminMixin, admin.ModelAdmin):
    scope_path = "shelter__jurisdiction_id"
    list_display = ["time", "shelter", "module", "metric", "value", "incident", "opened_incident"]
    readonly_fields = [f.name for f in ShelterHit._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ModuleConditionChange)
class ModuleConditionChangeAdmin(JurisdictionScopedAdminMixin, admin.ModelAdmin):
    scope_path = "module__shelter__jurisdiction_id"
    list_display = ["at", "module", "from_condition", "to_condition", "note", "actor"]
    readonly_fields = [f.name for f in ModuleConditionChange._meta.fields]

    def has_add_permission(self, request):
        return False
