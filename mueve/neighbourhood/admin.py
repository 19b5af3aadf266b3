from django.contrib import admin

from mueve.accounts.scopes import jurisdiction_filter
from mueve.neighbourhood.models import Reward, RewardGrant
from mueve.reports.admin import JurisdictionScopedAdminMixin


# Staff scoped to some jurisdictions list, open and pick only their jurisdictions' rewards and the grants of those
# (reports.admin.JurisdictionScopedAdminMixin); a national reward (no jurisdiction) is the national level's only.
@admin.register(Reward)
class RewardAdmin(JurisdictionScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "jurisdiction", "active", "created_at"]
    list_filter = ["active"]
    list_select_related = ["jurisdiction"]
    search_fields = ["name"]
    raw_id_fields = ["created_by"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "jurisdiction" and jurisdiction_filter(request.user) is not None:
            # Scoped staff cannot leave it empty: that would make the reward national, outside their reach.
            field.required = True
            field.empty_label = None
        return field


@admin.register(RewardGrant)
class RewardGrantAdmin(JurisdictionScopedAdminMixin, admin.ModelAdmin):
    scope_path = "reward__jurisdiction_id"
    list_display = ["reward", "user", "granted_on"]
    list_select_related = ["reward", "user"]
    raw_id_fields = ["user", "granted_by"]
