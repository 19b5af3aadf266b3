from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from mueve.stakeholders.models import (
    Champion,
    Commitment,
    Engagement,
    Membership,
    Organization,
    Person,
    ProgramStakeholder,
    ProgramStakeholderRole,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("organization",)


class UnitInline(admin.TabularInline):
    model = Organization
    fk_name = "parent"
    fields = ("name", "acronym", "slug", "sector", "level")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("unidad")
    verbose_name_plural = _("unidades")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "acronym", "sector", "level", "is_international", "parent")
    list_filter = ("sector", "level", "is_international")
    search_fields = ("name", "acronym", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent", "jurisdiction")
    list_select_related = ("parent",)
    inlines = (UnitInline,)


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "email", "phone")
    search_fields = ("full_name", "email")
    raw_id_fields = ("user",)
    inlines = (MembershipInline,)


class ProgramStakeholderRoleInline(admin.TabularInline):
    model = ProgramStakeholderRole
    extra = 1


class EngagementInline(admin.TabularInline):
    model = Engagement
    extra = 0


@admin.register(ProgramStakeholder)
class ProgramStakeholderAdmin(SimpleHistoryAdmin):
    list_display = ("organization", "program", "interest", "influence")
    list_filter = ("program", "organization__sector")
    search_fields = ("organization__name", "organization__acronym")
    autocomplete_fields = ("organization",)
    list_select_related = ("organization", "program")
    inlines = (ProgramStakeholderRoleInline, EngagementInline)


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ("organization", "program", "kind", "status", "component", "due_date")
    list_filter = ("program", "kind", "status")
    search_fields = ("organization__name", "description")
    autocomplete_fields = ("organization",)
    list_select_related = ("organization", "program", "component")


@admin.register(Champion)
class ChampionAdmin(admin.ModelAdmin):
    list_display = ("person", "kind", "organization", "program", "component")
    list_filter = ("program", "kind")
    search_fields = ("person__full_name", "organization__name")
    autocomplete_fields = ("person", "organization")
    list_select_related = ("person", "organization", "program", "component")


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ("stakeholder", "component", "level")
    list_filter = ("level", "stakeholder__program")
    search_fields = ("stakeholder__organization__name",)
    list_select_related = ("stakeholder__organization", "stakeholder__program", "component")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("person", "organization", "position", "start_date", "end_date")
    search_fields = ("person__full_name", "organization__name", "position")
    autocomplete_fields = ("person", "organization")
    list_select_related = ("person", "organization")
