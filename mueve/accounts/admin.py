from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from mueve.accounts.models import ApiToken, RoleScope, User
from mueve.accounts.services import api_token_create


class RoleScopeInline(admin.TabularInline):
    """Where the person's role holds; none: everywhere (the ministry's national unit)."""

    model = RoleScope
    fk_name = "user"
    extra = 0
    autocomplete_fields = ("jurisdiction", "program")
    readonly_fields = ("granted_by", "created_at")


@admin.register(User)
class MueveUserAdmin(UserAdmin):
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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked")
    list_filter = ("revoked",)
    search_fields = ("name", "user__username")
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked")
    readonly_fields = ("prefix", "created_at", "last_used_at")
    autocomplete_fields = ("user",)

    def get_readonly_fields(self, request, obj=None):
        # The owner and name of an issued token are fixed; it can only be revoked.
        return (*self.readonly_fields, "user", "name") if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        token, key = api_token_create(user=obj.user, name=obj.name)
        obj.pk = token.pk
        obj.refresh_from_db()
        messages.warning(
            request,
            _("Copie ahora la clave del token; no se volverá a mostrar: %(key)s") % {"key": key},
        )
