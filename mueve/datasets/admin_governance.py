"""The back office of data-sharing agreements, the open data policy and the access log.

An agreement's status moves only through its services (the agreement's page has the buttons, here the actions):
the admin edits a draft's content and keeps what was signed as signed. The access log is read-only: only the
access checks write it."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from mueve.datasets.models import AccessLogEntry, Agreement, DataPolicy
from mueve.datasets.services import agreements as services
from mueve.programs.admin import ProgramScopedAdmin

CONTENT = ("title", "program", "parties", "grantees", "datasets", "purpose", "terms", "license", "access_level")
DATES = ("start_date", "end_date")


class PdfOnlyForm:
    """Checks an uploaded PDF by its first bytes, as the services do."""

    pdf_fields: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        for name in self.pdf_fields:
            upload = cleaned.get(name)
            if upload and hasattr(upload, "content_type") and (problems := services.check_pdf(upload)):
                self.add_error(name, problems)
        return cleaned


def _form(base, fields: tuple[str, ...]):
    return type(f"{base.__name__}Pdf", (PdfOnlyForm, base), {"pdf_fields": fields})


@admin.register(Agreement)
class AgreementAdmin(ProgramScopedAdmin, SimpleHistoryAdmin):
    list_display = ("title", "status", "access_level", "start_date", "end_date", "program")
    list_filter = ("status", "access_level", ("program", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "purpose")
    filter_horizontal = ("parties", "grantees", "datasets")
    fields = (*CONTENT, *DATES, "signed_document", "signed_on", "status", "status_changed_at", "revoked_reason")
    actions = ("sign", "activate")
    choice_paths = {"program": "", "datasets": "program"}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return _form(form, ("signed_document",))

    def get_readonly_fields(self, request, obj=None):
        always = ("status", "status_changed_at", "signed_on", "revoked_reason")
        if obj is None or obj.status == Agreement.Status.DRAFT:
            return always
        if obj.status == Agreement.Status.SIGNED:
            return (*always, *CONTENT, *DATES)
        return (*always, *CONTENT, *DATES, "signed_document")

    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def _run(self, request, queryset, step, done):
        for agreement in queryset:
            try:
                step(agreement)
            except (ValidationError, PermissionDenied) as exc:
                text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else _("Sin permiso.")
                self.message_user(request, f"{agreement}: {text}", messages.ERROR)
            else:
                self.message_user(request, f"{agreement}: {done}", messages.SUCCESS)

    @admin.action(description=_("Marcar como firmados (hoy)"))
    def sign(self, request, queryset):
        self._run(request, queryset, lambda a: services.agreement_sign(actor=request.user, agreement=a), _("firmado."))

    @admin.action(description=_("Activar"))
    def activate(self, request, queryset):
        self._run(
            request, queryset, lambda a: services.agreement_activate(actor=request.user, agreement=a), _("vigente.")
        )


@admin.register(DataPolicy)
class DataPolicyAdmin(ProgramScopedAdmin, SimpleHistoryAdmin):
    list_display = ("title", "program", "version", "published_at")
    list_filter = (("program", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("title", "body")
    readonly_fields = ("published_by",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return _form(form, ("document",))

    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            obj.published_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "dataset", "surface", "organization", "user", "allowed", "status")
    list_filter = ("allowed", "surface")
    search_fields = ("dataset__title", "organization__name", "user__username")
    date_hierarchy = "at"
    list_select_related = ("dataset", "organization", "user")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
