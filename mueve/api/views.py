"""The developer portal's pages (/desarrolladores/): thin, over mueve.api.services and selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mueve.api import selectors, services
from mueve.api.forms import ApplicationForm
from mueve.api.models import ApiKey, KeyUsage
from mueve.control.charts import hourly_chart
from mueve.core.errors import error_dict
from mueve.core.permissions import require_perm

USAGE_HOURS = 24  # at 360 px, 24 columns leave room for a label every six hours


def index(request):
    """The entry to the documentation: the platform API, Open311, CKAN and DCAT, and how to present a key."""
    context = {
        "base": request.build_absolute_uri("/").rstrip("/"),
        "can_manage": request.user.has_perm("api.manage_keys"),
        "per_minute": ApiKey._meta.get_field("requests_per_minute").get_default(),
        "per_day": ApiKey._meta.get_field("requests_per_day").get_default(),
    }
    return render(request, "api/index.html", context)


@login_required
def register(request):
    form = ApplicationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            application, api_key, key = services.application_register(owner=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            # Rendered, not redirected: the key is shown this once and never stored in clear.
            context = {"application": application, "api_key": api_key, "new_key": key}
            return render(request, "api/created.html", context, status=201)
    status = 400 if form.errors else 200
    return render(request, "api/register.html", {"form": form}, status=status)


@login_required
def applications(request):
    return render(request, "api/applications.html", {"applications": selectors.applications_of(user=request.user)})


@require_POST
@login_required
def revoke(request, pk: int):
    api_key = selectors.own_key(user=request.user, pk=pk)
    if api_key is None:
        raise Http404
    services.key_revoke(api_key=api_key, actor=request.user)
    messages.success(request, _("Clave %(prefix)s… revocada: ya no funciona.") % {"prefix": api_key.prefix})
    return redirect("api:applications")


def _usage_context(api_key: ApiKey) -> dict:
    summary = selectors.key_usage(api_key=api_key, hours=USAGE_HOURS)
    title = _("Solicitudes por hora con la clave %(prefix)s…, últimas %(hours)d horas") % {
        "prefix": api_key.prefix,
        "hours": USAGE_HOURS,
    }
    return {
        "api_key": api_key,
        "summary": summary,
        "chart": hourly_chart(
            [(hour.hour, hour.total) for hour in summary.hours],
            title=title,
            chart_id="uso-clave",
            width=360,
            height=180,
        ),
        "chart_title": title,
        "surfaces": KeyUsage.Surface.choices,
        "surface_totals": [(code, label, summary.totals[code]) for code, label in KeyUsage.Surface.choices],
        "rows": [
            (hour.hour, [hour.counts[code] for code, _label in KeyUsage.Surface.choices], hour.total)
            for hour in summary.hours
            if hour.total
        ],
    }


@login_required
def usage(request, pk: int):
    """Someone else's key is a 404, whether it exists or not."""
    api_key = selectors.own_key(user=request.user, pk=pk)
    if api_key is None:
        raise Http404
    return render(request, "api/usage.html", _usage_context(api_key))


# --- managers ------------------------------------------------------------------------------------------------------


def _manage_page(request, *, new_key: str = "", approved: ApiKey | None = None, error: str = "", status: int = 200):
    context = {"keys": selectors.keys_for_review(), "new_key": new_key, "approved": approved, "error": error}
    return render(request, "api/manage.html", context, status=status)


@require_perm("api.manage_keys")
def manage(request):
    return _manage_page(request)


@require_perm("api.manage_keys")
def manage_usage(request, pk: int):
    return render(request, "api/usage.html", {**_usage_context(get_object_or_404(ApiKey, pk=pk)), "managing": True})


@require_POST
@require_perm("api.manage_keys")
def manage_action(request, pk: int, action: str):
    api_key = get_object_or_404(ApiKey.objects.select_related("application"), pk=pk)
    try:
        if action == "aprobar":
            api_key, key = services.key_approve(api_key=api_key, actor=request.user)
            if key:  # a request from before the portal, which had no key yet: shown this once
                return _manage_page(request, new_key=key, approved=api_key)
            messages.success(request, _("Clave de «%(app)s» aprobada.") % {"app": api_key.application.name})
            return redirect("api:manage")
        if action == "revocar":
            services.key_revoke(api_key=api_key, actor=request.user)
            messages.success(request, _("Clave de «%(app)s» revocada.") % {"app": api_key.application.name})
            return redirect("api:manage")
    except ValidationError as exc:
        return _manage_page(request, error=" ".join(sum(error_dict(exc).values(), [])), status=400)
    raise Http404
