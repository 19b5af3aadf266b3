"""Pages of Refugio Inteligente. The display (`pantalla`) is public: a shelter's screen shows it without a login."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mueve.core import csvio
from mueve.core.permissions import require_perm
from mueve.sensors.shelters import selectors
from mueve.sensors.shelters.forms import ConditionForm, ReportForm
from mueve.sensors.shelters.models import Shelter, ShelterModule
from mueve.sensors.shelters.services import module_set_condition


def _shelter_for(request, pk: int) -> Shelter:
    shelter = get_object_or_404(selectors.shelters_for(request.user), pk=pk)
    return shelter


@require_perm("sensors.view_shelters")
def shelter_list(request):
    shelters = list(selectors.shelters_for(request.user).prefetch_related("modules"))
    for shelter in shelters:
        shelter.damaged = [m for m in shelter.modules.all() if m.condition != ShelterModule.Condition.OK]
    return render(request, "sensors/shelters/list.html", {"shelters": shelters})


def _detail(request, shelter: Shelter, *, form=None, form_module=None, status=200):
    return render(
        request,
        "sensors/shelters/detail.html",
        {
            "shelter": shelter,
            "stop": selectors.shelter_stop(shelter),
            "modules": selectors.modules_of(shelter),
            "usage": selectors.usage_by_day(shelter),
            "history": selectors.condition_history(shelter),
            "hits": selectors.hits_of(shelter),
            "can_manage": request.user.has_perm("sensors.manage_shelters", shelter),
            "conditions": ShelterModule.Condition.choices,
            "form": form,
            "form_module": form_module,
        },
        status=status,
    )


@require_perm("sensors.view_shelters")
def shelter_detail(request, pk: int):
    return _detail(request, _shelter_for(request, pk))


@require_POST
@require_perm("sensors.view_shelters")
def module_condition(request, pk: int, module_pk: int):
    shelter = _shelter_for(request, pk)
    module = get_object_or_404(ShelterModule, pk=module_pk, shelter=shelter)
    if not request.user.has_perm("sensors.manage_shelters", shelter):
        raise PermissionDenied
    form = ConditionForm(request.POST)
    if form.is_valid():
        try:
            module_set_condition(module=module, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Estado de «%(module)s» registrado.") % {"module": module.name})
            return redirect("shelters:detail", pk=shelter.pk)
    return _detail(request, shelter, form=form, form_module=module, status=400)


def display(request, pk: int):
    shelter = get_object_or_404(Shelter, pk=pk)
    data = selectors.display_data(shelter)
    return render(request, "sensors/shelters/display.html", {"shelter": shelter, "data": data})


@never_cache
def display_data(request, pk: int):
    shelter = get_object_or_404(Shelter, pk=pk)
    return JsonResponse(selectors.display_data(shelter))


def _figures(request):
    form = ReportForm(request.GET or None)
    until, months_before = None, 12
    if form.is_bound and form.is_valid():
        until = form.cleaned_data["until"]
        months_before = form.cleaned_data["months_before"] or 12
    figures = selectors.vandalism_figures(
        selectors.shelters_for(request.user), until=until, months_before=months_before
    )
    return form, figures


@require_perm("sensors.view_shelters")
def vandalism_report(request):
    form, figures = _figures(request)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "sensors/shelters/report.html", {"form": form, "figures": figures}, status=status)


@require_perm("sensors.view_shelters")
def vandalism_csv(request):
    form, figures = _figures(request)
    if form.is_bound and form.errors:
        return JsonResponse({"errors": form.errors}, status=400)
    columns = ["refugio", "nombre", "inteligente_desde", "mes", "periodo", "incidentes"]
    return csvio.download(
        csvio.export_rows(columns, selectors.vandalism_rows(figures)), filename="vandalismo-refugios.csv"
    )
