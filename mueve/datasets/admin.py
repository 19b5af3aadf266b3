"""The catalog in the back office. A manager limited to some programmes sees and changes only their programmes'
datasets and their distributions (programs.admin.ProgramScopedAdmin); harvest sources are the harvesting part's
(datasets.dcat.admin), agreements and policies the governance part's (datasets.admin_governance)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mueve.datasets.models import Dataset, Distribution
from mueve.datasets.services.inventory import search_text
from mueve.programs.admin import ProgramScopedAdmin


class DistributionInline(admin.TabularInline):
    model = Distribution
    extra = 0
    fields = ("position", "title", "kind", "format", "media_type", "access_url", "file", "byte_size")
    readonly_fields = ("byte_size",)
    show_change_link = True


@admin.register(Dataset)
class DatasetAdmin(ProgramScopedAdmin, SimpleHistoryAdmin):
    list_display = ("title", "publisher", "status", "access_rights", "license", "program", "data_modified")
    list_filter = ("status", "access_rights", "license", ("publisher", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "slug", "keyword")
    list_select_related = ("publisher", "program")
    raw_id_fields = ("steward", "identified_in", "harvest_source")
    readonly_fields = ("uuid", "generator", "harvest_source", "harvest_identifier")
    inlines = [DistributionInline]

    def save_model(self, request, obj, form, change):
        # Full-text search reads search_text (datasets.fulltext): keep it in step with what was edited here.
        obj.search_text = search_text(obj)
        super().save_model(request, obj, form, change)


@admin.register(Distribution)
class DistributionAdmin(ProgramScopedAdmin, SimpleHistoryAdmin):
    list_display = ("title", "dataset", "kind", "format", "byte_size", "datastore_rows")
    list_filter = ("kind", "format")
    search_fields = ("title", "dataset__title")
    list_select_related = ("dataset",)
    raw_id_fields = ("dataset",)
    readonly_fields = ("uuid", "datastore_table", "datastore_rows", "checksum_sha256")
    program_path = "dataset__program"
    choice_paths = {"dataset": "program"}

    def _manages(self, request, obj) -> bool:
        # A distribution reaches its programme through its dataset.
        return super()._manages(request, obj.dataset if obj is not None else None)


# The other parts of the catalog register their own models' admin in modules of their own.
from mueve.datasets import admin_governance  # noqa: E402, F401
from mueve.datasets.dcat import admin as dcat_admin  # noqa: E402, F401
