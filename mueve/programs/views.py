import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.challenges import selectors as challenge_selectors
from mueve.core.permissions import require_perm
from mueve.programs import charts, selectors, services
from mueve.programs.forms import (
    ComponentForm,
    GovLabForm,
    GovLabProjectForm,
    IndicatorForm,
    IndicatorValueForm,
    PhaseForm,
    ProgramCreateForm,
    ResultForm,
    TemplateImportForm,
)
from mueve.programs.models import GovLabProject, Status

ACTIVITY_PAGE_SIZE = 50


def _status_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Status.choices}


def _managed_program(request, slug: str, perm: str = "programs.change_program"):
    """The programme, for a page that changes it: 403 unless the person manages this one (their scope, or named)."""
    program = selectors.program_get_for_edit(slug)
    if not request.user.has_perm(perm, program):
        raise PermissionDenied
    return program


def program_list(request):
    return render(request, "programs/list.html", {"programs": selectors.program_list_for(request.user)})


def program_detail(request, slug):
    program = selectors.program_get_for(request.user, slug)
    rows = selectors.timeline_rows(program)
    timeline = charts.timeline_chart(
        rows,
        start=program.start_date,
        end=program.end_date,
        today=timezone.localdate(),
        status_labels=_status_labels(),
    )
    indicators = [
        (
            series,
            charts.line_chart(
                [(d, v) for d, v, _note in series.points],
                target=series.indicator.target,
                unit=series.indicator.unit,
            ),
        )
        for series in selectors.indicator_series(program)
    ]
    components = list(program.components.all())
    return render(
        request,
        "programs/detail.html",
        {
            "program": program,
            "components": components,
            "timeline": timeline,
            "timeline_rows": rows,
            "indicators": indicators,
            "challenges": list(challenge_selectors.challenge_public_list(program=program, limit=5)),
            "activity": list(selectors.activity_for(program, limit=8)),
            "can_change": request.user.has_perm("programs.change_program", program),
            "can_record": request.user.has_perm("programs.record_indicator", program),
        },
    )


def program_activity(request, slug):
    program = selectors.program_get_for(request.user, slug, detail=False)
    page = Paginator(selectors.activity_for(program), ACTIVITY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "programs/activity.html", {"program": program, "page": page})


@require_perm("programs.add_program")
def program_create(request):
    form = ProgramCreateForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            program = services.program_create(
                actor=request.user,
                template=data["template"],
                name=data["name"],
                slug=data["slug"] or None,
                jurisdiction=data["jurisdiction"],
                sector=data["sector"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                summary=data["summary"],
                is_public=data["is_public"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Programa creado. Ahora puede fijar las fechas de sus fases."))
            return redirect("programs:detail", slug=program.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "programs/create.html", {"form": form}, status=status)


@require_perm("programs.change_program")
def phase_edit(request, slug, phase_id):
    program = _managed_program(request, slug)
    phase = selectors.phase_get(program=program, phase_id=phase_id)
    initial = {"status": phase.status, "start_date": phase.start_date, "end_date": phase.end_date}
    form = PhaseForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_update(actor=request.user, phase=phase, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Fase «%(phase)s» actualizada.") % {"phase": phase.name})
            return redirect("programs:detail", slug=program.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "programs/phase_edit.html", {"program": program, "phase": phase, "form": form}, status=status
    )


def _detail_at(program, anchor: str) -> str:
    """The program page, scrolled to the part that just changed."""
    return f"{reverse('programs:detail', args=[program.slug])}#{anchor}"


def _form_status(request) -> int:
    # A POST that reaches the template again was refused: say so with 400, like the API.
    return 400 if request.method == "POST" else 200


@require_perm("programs.change_program")
def component_edit(request, slug, component_id):
    program = _managed_program(request, slug)
    component = selectors.component_get(program=program, component_id=component_id)
    initial = {"status": component.status, "start_date": component.start_date, "end_date": component.end_date}
    form = ComponentForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.component_update(actor=request.user, component=component, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Componente «%(component)s» actualizado.") % {"component": component.name})
            return redirect(_detail_at(program, f"componente-{component.key}"))
    return render(
        request,
        "programs/component_edit.html",
        {"program": program, "component": component, "form": form},
        status=_form_status(request),
    )


@require_perm("programs.change_program")
def result_add(request, slug, component_id):
    program = _managed_program(request, slug)
    component = selectors.component_get(program=program, component_id=component_id)
    form = ResultForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.result_add(actor=request.user, component=component, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Resultado agregado a «%(component)s».") % {"component": component.name})
            return redirect(_detail_at(program, f"componente-{component.key}"))
    return render(
        request,
        "programs/result_add.html",
        {"program": program, "component": component, "form": form},
        status=_form_status(request),
    )


@require_perm("programs.change_program")
def indicator_create(request, slug):
    program = _managed_program(request, slug)
    form = IndicatorForm(request.POST if request.method == "POST" else None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(actor=request.user, program=program, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Indicador «%(name)s» creado.") % {"name": indicator.name})
            return redirect(_detail_at(program, f"indicador-{indicator.pk}"))
    return render(
        request, "programs/indicator_create.html", {"program": program, "form": form}, status=_form_status(request)
    )


@require_perm("programs.record_indicator")
def indicator_value(request, slug, indicator_id):
    program = _managed_program(request, slug, "programs.record_indicator")
    indicator = selectors.indicator_get(program=program, indicator_id=indicator_id)
    form = IndicatorValueForm(
        request.POST if request.method == "POST" else None, initial={"date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_record_value(actor=request.user, indicator=indicator, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Medición de «%(name)s» guardada.") % {"name": indicator.name})
            return redirect(_detail_at(program, f"indicador-{indicator.pk}"))
    return render(
        request,
        "programs/indicator_value.html",
        {"program": program, "indicator": indicator, "values": list(indicator.values.all()), "form": form},
        status=_form_status(request),
    )


def template_list(request):
    return render(
        request,
        "programs/template_list.html",
        {
            "templates": selectors.template_list_for(request.user),
            "can_import": request.user.has_perm("programs.import_template"),
        },
    )


@require_perm("programs.export_template")
def template_export(request, slug):
    template = selectors.template_get_for(request.user, slug)
    body = json.dumps(services.template_export(template=template), ensure_ascii=False, indent=2)
    response = HttpResponse(body + "\n", content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{template.slug}.json"'
    return response


@require_perm("programs.import_template")
def template_import(request):
    if request.method == "POST":
        form = TemplateImportForm(request.POST, request.FILES)
    else:
        form = TemplateImportForm()
    import_errors: dict[str, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        try:
            template, created = services.template_import_detailed(data=form.document(), actor=request.user)
        except ValidationError as exc:
            import_errors = exc.message_dict
        else:
            if created:
                messages.success(request, _("Plantilla «%(name)s» importada.") % {"name": template.name})
            else:
                messages.success(request, _("Plantilla «%(name)s» actualizada.") % {"name": template.name})
            return redirect("programs:template_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "programs/template_import.html",
        {"form": form, "import_errors": list(import_errors.items())},
        status=status,
    )


def govlab(request, slug):
    """The programme's GovLab and its projects: public where the programme is; its managers add and update them
    (each form posts back here with `form=lab|project` and, to edit, the object's id)."""
    program = selectors.program_get_for(request.user, slug, detail=False)
    labs = selectors.govlabs_for(program)
    can_change = request.user.has_perm("programs.change_program", program)
    lab_form = GovLabForm(program=program, prefix="lab")
    project_forms = {lab.pk: GovLabProjectForm(program=program, prefix=f"project-{lab.pk}") for lab in labs}
    status = 200
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        which = request.POST.get("form")
        try:
            if which == "lab":
                lab_form = GovLabForm(request.POST, program=program, prefix="lab")
                if lab_form.is_valid():
                    services.govlab_save(actor=request.user, program=program, **lab_form.cleaned_data)
                    messages.success(request, _("Laboratorio guardado."))
                    return redirect("programs:govlab", slug=program.slug)
            elif which == "project":
                lab = next((lab for lab in labs if str(lab.pk) == request.POST.get("lab")), None)
                if lab is None:
                    raise Http404
                form = GovLabProjectForm(request.POST, program=program, prefix=f"project-{lab.pk}")
                project_forms[lab.pk] = form
                if form.is_valid():
                    project = next((p for p in lab.projects.all() if str(p.pk) == request.POST.get("project")), None)
                    services.govlab_project_save(actor=request.user, lab=lab, project=project, **form.cleaned_data)
                    messages.success(request, _("Proyecto guardado."))
                    return redirect(reverse("programs:govlab", args=[program.slug]) + f"#lab-{lab.pk}")
            elif which == "status":
                project = next(
                    (p for lab in labs for p in lab.projects.all() if str(p.pk) == request.POST.get("project")), None
                )
                if project is None:
                    raise Http404
                services.govlab_project_status_set(
                    actor=request.user, project=project, status=request.POST.get("status", "")
                )
                messages.success(request, _("Estado del proyecto actualizado."))
                return redirect(reverse("programs:govlab", args=[program.slug]) + f"#lab-{project.lab_id}")
            else:
                raise Http404
        except ValidationError as exc:
            if which == "status":
                messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
                return redirect("programs:govlab", slug=program.slug)
            (lab_form if which == "lab" else project_forms[lab.pk]).add_service_errors(exc)
        status = 400
    return render(
        request,
        "programs/govlab.html",
        {
            "program": program,
            "labs": [(lab, project_forms[lab.pk]) for lab in labs],
            "can_change": can_change,
            "lab_form": lab_form,
            "statuses": GovLabProject.Status.choices,
        },
        status=status,
    )
