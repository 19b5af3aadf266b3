from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Value, When
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from mueve.core.forms import ServiceErrorsMixin
from mueve.programs.admin import ProgramScopedAdmin
from mueve.stakeholders import selectors, services
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


class OrganizationAdminForm(ServiceErrorsMixin, forms.ModelForm):
    """The back office saves the model directly, so it applies the same checks as the services."""

    class Meta:
        model = Organization
        fields = (
            "name",
            "acronym",
            "slug",
            "sector",
            "level",
            "is_international",
            "parent",
            "jurisdiction",
            "description",
            "website",
            "lat",
            "lon",
        )

    def clean(self):
        cleaned = super().clean()
        if "slug" in self.fields and cleaned.get("slug") in services.RESERVED_SLUGS:
            self.add_error("slug", _("Ese identificador está reservado."))
        for check in (self._check_name, self._check_parent):
            try:
                check(cleaned)
            except ValidationError as exc:
                self.add_service_errors(exc)
        return cleaned

    def _check_name(self, cleaned: dict) -> None:
        if cleaned.get("name"):
            services.check_name_free(cleaned["name"], exclude_pk=self.instance.pk)

    def _check_parent(self, cleaned: dict) -> None:
        services.check_parent(self.instance, cleaned.get("parent"))


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    """The registry is shared: a manager scoped to some regions reads every organization and changes those within
    their reach (rule stakeholders.change_organization)."""

    form = OrganizationAdminForm
    list_display = ("name", "acronym", "sector", "level", "is_international", "parent")
    list_filter = ("sector", "level", "is_international")
    search_fields = ("name", "acronym", "slug", "description")
    autocomplete_fields = ("parent", "jurisdiction")
    list_select_related = ("parent",)
    inlines = (UnitInline,)

    def get_readonly_fields(self, request, obj=None):
        # The slug is the organization's address (pages, API, links elsewhere): it never changes.
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "slug") if obj is not None else readonly

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ("name",)} if obj is None else {}

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = obj is None or request.user.has_perm("stakeholders.change_organization", obj)
        return allowed and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = obj is None or request.user.has_perm("stakeholders.change_organization", obj)
        return allowed and super().has_delete_permission(request, obj)


# A person's e-mail and phone are read only by those whose scope covers the person's organization or programme
# (stakeholders.selectors.people_with_visible_contacts): for the others the list shows «Reservado», the person's
# page leaves both fields out, the search does not look into e-mails and the history (which holds them) is 403.
CONTACT_FIELDS = ("email", "phone")


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "contact_email", "contact_phone")
    search_fields = ("full_name", "email")
    raw_id_fields = ("user",)
    inlines = (MembershipInline,)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        visible = selectors.people_with_visible_contacts(request.user)
        if visible is None:
            return queryset.annotate(contacts_visible=Value(True))
        return queryset.annotate(
            contacts_visible=Case(When(pk__in=visible.values("pk"), then=Value(True)), default=Value(False))
        )

    def _contacts_visible(self, request, obj) -> bool:
        return obj is None or request.user.has_perm("stakeholders.view_people_contacts", obj)

    @admin.display(description=_("correo"))
    def contact_email(self, obj) -> str:
        return (obj.email or "—") if obj.contacts_visible else _("Reservado")

    @admin.display(description=_("teléfono"))
    def contact_phone(self, obj) -> str:
        return (obj.phone or "—") if obj.contacts_visible else _("Reservado")

    def get_search_fields(self, request):
        if selectors.people_with_visible_contacts(request.user) is None:
            return self.search_fields
        return ("full_name",)  # a search by e-mail would tell whose address it is

    def get_exclude(self, request, obj=None):
        excluded = tuple(super().get_exclude(request, obj) or ())
        return excluded if self._contacts_visible(request, obj) else (*excluded, *CONTACT_FIELDS)

    def has_change_permission(self, request, obj=None) -> bool:
        # Another region's person: their page is read-only (name, notes and organizations), without the contacts.
        return self._contacts_visible(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._contacts_visible(request, obj) and super().has_delete_permission(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        self._ensure_contacts_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._ensure_contacts_visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _ensure_contacts_visible(self, request, object_id) -> None:
        # The history holds every e-mail and phone the person ever had (also once deleted).
        visible = selectors.people_with_visible_contacts(request.user)
        if visible is None:
            return
        try:
            allowed = visible.filter(pk=int(object_id)).exists()
        except (TypeError, ValueError):
            allowed = False
        if not allowed:
            raise PermissionDenied


class ProgramStakeholderRoleInline(admin.TabularInline):
    model = ProgramStakeholderRole
    extra = 1


class EngagementInline(ProgramScopedAdmin, admin.TabularInline):
    model = Engagement
    extra = 0
    program_path = "stakeholder__program"
    choice_paths = {"component": "program"}


# An organization's place in a programme, its commitments and the programme's champions are the programme's: a
# manager scoped to some regions lists, opens and picks only those of the programmes they manage
# (programs.admin.ProgramScopedAdmin); the list filters offer only the programmes listed.
@admin.register(ProgramStakeholder)
class ProgramStakeholderAdmin(ProgramScopedAdmin, SimpleHistoryAdmin):
    list_display = ("organization", "program", "interest", "influence")
    list_filter = (("program", admin.RelatedOnlyFieldListFilter), "organization__sector")
    search_fields = ("organization__name", "organization__acronym")
    autocomplete_fields = ("organization",)
    list_select_related = ("organization", "program")
    inlines = (ProgramStakeholderRoleInline, EngagementInline)


@admin.register(Commitment)
class CommitmentAdmin(ProgramScopedAdmin, SimpleHistoryAdmin):
    choice_paths = {"program": "", "component": "program"}
    list_display = ("organization", "program", "kind", "status", "component", "due_date")
    list_filter = (("program", admin.RelatedOnlyFieldListFilter), "kind", "status")
    search_fields = ("organization__name", "description")
    autocomplete_fields = ("organization",)
    list_select_related = ("organization", "program", "component")


@admin.register(Champion)
class ChampionAdmin(ProgramScopedAdmin, admin.ModelAdmin):
    choice_paths = {"program": "", "component": "program"}
    list_display = ("person", "kind", "organization", "program", "component")
    list_filter = (("program", admin.RelatedOnlyFieldListFilter), "kind")
    search_fields = ("person__full_name", "organization__name")
    autocomplete_fields = ("person", "organization")
    list_select_related = ("person", "organization", "program", "component")


@admin.register(Engagement)
class EngagementAdmin(ProgramScopedAdmin, admin.ModelAdmin):
    program_path = "stakeholder__program"
    choice_paths = {"stakeholder": "program", "component": "program"}
    list_display = ("stakeholder", "component", "level")
    list_filter = ("level", ("stakeholder__program", admin.RelatedOnlyFieldListFilter))
    search_fields = ("stakeholder__organization__name",)
    list_select_related = ("stakeholder__organization", "stakeholder__program", "component")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("person", "organization", "position", "start_date", "end_date")
    search_fields = ("person__full_name", "organization__name", "position")
    autocomplete_fields = ("person", "organization")
    list_select_related = ("person", "organization")
