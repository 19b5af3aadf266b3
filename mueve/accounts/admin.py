from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from mueve.accounts.models import RoleScope, User


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
