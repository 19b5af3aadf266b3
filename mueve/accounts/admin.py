from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from mueve.accounts import scopes
from mueve.accounts.models import Role, RoleScope, User

# Staff scoped to some regions (accounts.scopes) make and keep accounts of those regions only: they never see,
# change or make an account that holds its role anywhere else, or everywhere (an account without scopes), and they
# hand out neither the administrator's role nor superuser status, groups or permissions.
NATIONAL_ONLY_FIELDS = ("is_superuser", "groups", "user_permissions")


def _scoped(request) -> scopes.Scope | None:
    """The staff member's scope when it is limited; None for the national level (and superusers)."""
    scope = scopes.scope_of(request.user)
    return None if scope.platform else scope


def _inside(scope: scopes.Scope) -> Q:
    """RoleScope rows within `scope`: its jurisdictions, its programmes and the programmes of its jurisdictions."""
    return (
        Q(jurisdiction_id__in=scope.jurisdiction_ids)
        | Q(program_id__in=scope.program_ids)
        | Q(program__jurisdiction_id__in=scope.jurisdiction_ids)
    )


class RoleScopeFormSet(BaseInlineFormSet):
    request = None  # set by RoleScopeInline.get_formset

    def clean(self):
        super().clean()
        scope = _scoped(self.request)
        if scope is None or any(self.errors):
            return
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        for form in kept:
            jurisdiction, program = form.cleaned_data.get("jurisdiction"), form.cleaned_data.get("program")
            inside = (jurisdiction is not None and jurisdiction.pk in scope.jurisdiction_ids) or (
                program is not None and scopes.in_program(self.request.user, program)
            )
            if not inside:
                raise ValidationError(_("Solo puede dar ámbitos dentro del suyo: sus jurisdicciones y programas."))
        if not kept and self.instance.pk and RoleScope.objects.filter(user_id=self.instance.pk).exists():
            raise ValidationError(
                _(
                    "Deje al menos un ámbito: una cuenta sin ámbitos tendría su rol en todas las regiones, y solo el "
                    "nivel nacional crea cuentas así."
                )
            )


class RoleScopeInline(admin.TabularInline):
    """Where the person's role holds; none: everywhere (the ministry's national unit)."""

    model = RoleScope
    fk_name = "user"
    formset = RoleScopeFormSet
    extra = 0
    autocomplete_fields = ("jurisdiction", "program")
    readonly_fields = ("granted_by", "created_at")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request
        return formset

    def get_autocomplete_fields(self, request):
        # The search behind an autocomplete offers every place; a scoped staff member picks among theirs.
        return () if _scoped(request) else super().get_autocomplete_fields(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        from mueve.programs.models import Program
        from mueve.territory.models import Jurisdiction

        scope = _scoped(request)
        if scope is not None and db_field.name == "jurisdiction":
            kwargs["queryset"] = Jurisdiction.objects.filter(pk__in=scope.jurisdiction_ids)
        elif scope is not None and db_field.name == "program":
            kwargs["queryset"] = Program.objects.filter(scopes.program_filter(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(User)
class MueveUserAdmin(UserAdmin):
    """A staff member scoped to some regions lists and opens the accounts whose every scope lies within theirs; a
    new account they make gets at most their scope (theirs, when they give it none): never an unscoped one."""

    inlines = [RoleScopeInline]
    list_display = ("username", "full_name", "role", "organization", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("username", "first_name", "last_name", "email")
    autocomplete_fields = ("organization",)
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Mueve"), {"fields": ("role", "organization", "phone")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Mueve"), {"fields": ("role", "organization")}),
    )

    @admin.display(description=_("nombre completo"), ordering="last_name")
    def full_name(self, obj: User) -> str:
        return obj.get_full_name()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = _scoped(request)
        if scope is None:
            return queryset
        inside = RoleScope.objects.filter(_inside(scope)).values("user_id")
        outside = RoleScope.objects.exclude(_inside(scope)).values("user_id")
        return queryset.filter(pk__in=inside).exclude(pk__in=outside).exclude(Q(is_superuser=True) | Q(role=Role.ADMIN))

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, *NATIONAL_ONLY_FIELDS) if _scoped(request) and obj is not None else readonly

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and _scoped(request):
            kwargs["choices"] = [(value, label) for value, label in Role.choices if value != Role.ADMIN]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleScope:
            return super().save_formset(request, form, formset, change)
        for instance in formset.save(commit=False):
            if instance.pk is None:
                instance.granted_by = request.user
            instance.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        return None

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        scope = _scoped(request)
        user = form.instance
        if scope is not None and not RoleScope.objects.filter(user=user).exists():
            # Given no scope by a scoped creator: theirs, never "everywhere".
            RoleScope.objects.bulk_create(
                [RoleScope(user=user, jurisdiction_id=pk, granted_by=request.user) for pk in scope.jurisdiction_ids]
                + [RoleScope(user=user, program_id=pk, granted_by=request.user) for pk in scope.program_ids]
            )
        scopes.forget(user)
