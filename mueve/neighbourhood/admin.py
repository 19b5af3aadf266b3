from django.contrib import admin

from mueve.neighbourhood.models import Reward, RewardGrant


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "created_at"]


@admin.register(RewardGrant)
class RewardGrantAdmin(admin.ModelAdmin):
    list_display = ["reward", "user", "granted_on"]
    raw_id_fields = ["user", "granted_by"]
