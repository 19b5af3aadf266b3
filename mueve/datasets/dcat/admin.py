"""The harvest sources in the admin, with "Cosechar ahora"."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mueve.datasets.dcat import harvest
from mueve.datasets.models import HarvestSource


@admin.register(HarvestSource)
class HarvestSourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "url", "publisher", "every_hours", "active", "last_run_at", "last_summary")
    list_filter = ("kind", "active")
    search_fields = ("name", "url")
    readonly_fields = ("last_run_at", "last_result")
    actions = ["harvest_now"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "url" in form.base_fields:
            form.base_fields["url"].label = _("Dirección del catálogo")
            form.base_fields["url"].help_text = _(
                "CKAN: la dirección base del portal. DCAT: la del catálogo en Turtle, RDF/XML o JSON-LD."
            )
        return form

    @admin.display(description=_("resultado"))
    def last_summary(self, source: HarvestSource) -> str:
        result = source.last_result or {}
        if not result:
            return "—"
        if not result.get("ok"):
            return str(result.get("error", ""))
        return _("%(created)s nuevos, %(updated)s actualizados, %(withdrawn)s retirados, %(errors)s con errores") % {
            k: result.get(k, 0) for k in ("created", "updated", "withdrawn", "errors")
        }

    @admin.action(description=_("Cosechar ahora"), permissions=["change"])
    def harvest_now(self, request, queryset):
        done = 0
        for source in queryset:
            result = harvest.harvest(source)
            if result["ok"]:
                done += 1
                self.message_user(request, f"{source.name}: {self.last_summary(source)}", messages.SUCCESS)
            else:
                self.message_user(request, f"{source.name}: {result['error']}", messages.ERROR)
        self.message_user(request, ngettext("%(n)s fuente cosechada.", "%(n)s fuentes cosechadas.", done) % {"n": done})
