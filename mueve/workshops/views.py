from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from mueve.core.errors import error_dict
from mueve.core.permissions import require_perm
from mueve.datasets import services as dataset_services
from mueve.datasets.selectors import quality as dataset_quality
from mueve.programs.models import MethodologyTemplate, Program
from mueve.workshops import charts, forms, ics, methodology, selectors, services
from mueve.workshops.models import Attachment, Kind, RegistrationStatus


def workshop_list(request):
    program = request.GET.get("programa") or None
    kind = request.GET.get("tipo") or None
    if kind not in Kind.values:
        kind = None
    workshops = selectors.workshop_list_for(request.user, program=program, kind=kind)
    programs = Program.objects.filter(pk__in=workshops.values("program")).order_by("name")
    counts = selectors.registration_counts(workshops)
    # Each programme's total is the dossier's "Inscripciones a talleres", whatever the filter shows.
    found = selectors.program_registration_counts(programs)
    totals = {p.pk: found.get(p.pk, 0) for p in programs}
    return render(
        request,
        "workshops/list.html",
        {
            "workshops": [(w, counts.get(w.pk, 0)) for w in workshops],
            "program_registrations": totals,
            "registrations_definition": selectors.REGISTRATIONS_DEFINITION,
            "kinds": Kind.choices,
            "kind": kind,
            "programs": programs,
            "program": program,
            # Per programme: a regional manager runs the workshops of their own programmes only.
            "manageable": {p.pk for p in programs if request.user.has_perm("workshops.manage_workshop", p)},
        },
    )


# Each action: form class, the service call, and the success message.
def _register(user, w, d):
    services.registration_add(actor=user, workshop=w, **d)


def _invite(user, w, d):
    services.invitation_add(actor=user, workshop=w, **d)


def _concept(user, w, d):
    services.concept_create(actor=user, workshop=w, **d)


def _vote(user, w, d):
    services.dot_vote(actor=user, concept=d["concept"], voter=d["voter"], dots=d["dots"])


def _decide(user, w, d):
    services.concept_decide(actor=user, **d)


def _swot(user, w, d):
    services.swot_add(actor=user, workshop=w, **d)


def _merge(user, w, d):
    services.swot_merge(actor=user, target=d["target"], sources=[s for s in d["sources"] if s.pk != d["target"].pk])


def _swot_vote(user, w, d):
    item = services.swot_vote(actor=user, item=d["item"], votes=d["votes"])
    if d["validate"]:
        services.swot_validate(actor=user, item=item)


def _vision(user, w, d):
    services.vision_add(actor=user, workshop=w, **d)


def _roadmap_line(user, w, d):
    services.roadmap_line_add(actor=user, program=w.program, name=d["name"], workshop=w)


def _initiative(user, w, d):
    services.initiative_add(actor=user, **d)


def _assign(user, w, d):
    services.groups_assign(
        actor=user,
        workshop=w,
        group_count=d["group_count"],
        experts=d["experts"].splitlines(),
        facilitators=d["facilitators"].splitlines(),
        seed=d["seed"],
    )


def _action_line(user, w, d):
    services.action_line_add(actor=user, workshop=w, **d)


def _activity(user, w, d):
    services.activity_add(actor=user, **d)


def _commitment(user, w, d):
    services.commitment_add(actor=user, **d)


def _spokesperson(user, w, d):
    services.spokesperson_set(actor=user, group=d["registration"].group, registration=d["registration"])


def _output(user, w, d):
    services.output_add(actor=user, workshop=w, **d)


def _attachment(user, w, d):
    services.attachment_add(actor=user, workshop=w, upload=d["file"], title=d["title"], type=d["type"])


def _prototype(user, w, d):
    services.prototype_add(actor=user, **d)


def _pilot(user, w, d):
    services.pilot_add(actor=user, **d)


def _feedback(user, w, d):
    services.pilot_feedback_add(actor=user, **d)


def _solution(user, w, d):
    services.solution_add(actor=user, workshop=w, **d)


def _dataset(user, w, d):
    dataset_services.dataset_create(actor=user, program=w.program, identified_in=w, **d)


def _attendance(user, w, d):
    services.attendance_set(actor=user, workshop=w, attended_ids={r.pk for r in d["attended"]})


ACTIONS = {
    "prototipo": (forms.PrototypeForm, _prototype, _lazy("Prototipo registrado.")),
    "piloto": (forms.PilotForm, _pilot, _lazy("Piloto registrado.")),
    "prueba": (forms.FeedbackForm, _feedback, _lazy("Prueba ciudadana registrada.")),
    "solucion": (forms.SolutionForm, _solution, _lazy("Solución registrada en el inventario.")),
    "dato": (forms.DatasetForm, _dataset, _lazy("Conjunto de datos registrado en el catálogo.")),
    "asistencia": (forms.AttendanceForm, _attendance, _lazy("Asistencia registrada.")),
    "inscribir": (forms.RegistrationForm, _register, _lazy("Inscripción registrada.")),
    "invitar": (forms.InvitationForm, _invite, _lazy("Invitación registrada.")),
    "concepto": (forms.ConceptForm, _concept, _lazy("Concepto agregado.")),
    "votar": (forms.DotVoteForm, _vote, _lazy("Puntos registrados.")),
    "decidir": (forms.DecisionForm, _decide, _lazy("Decisión registrada.")),
    "foda": (forms.SwotForm, _swot, _lazy("Ítem FODA agregado.")),
    "fusionar": (forms.SwotMergeForm, _merge, _lazy("Duplicados fusionados; su origen queda registrado.")),
    "votar-foda": (forms.SwotVoteForm, _swot_vote, _lazy("Votos registrados.")),
    "vision": (forms.VisionForm, _vision, _lazy("Visión registrada.")),
    "linea-ruta": (forms.RoadmapLineForm, _roadmap_line, _lazy("Línea agregada a la hoja de ruta.")),
    "iniciativa": (forms.InitiativeForm, _initiative, _lazy("Iniciativa agregada.")),
    "asignar": (forms.AssignForm, _assign, _lazy("Grupos asignados.")),
    "linea-accion": (forms.ActionLineForm, _action_line, _lazy("Línea de acción registrada.")),
    "actividad": (forms.ActivityForm, _activity, _lazy("Actividad registrada.")),
    "compromiso": (forms.CommitmentForm, _commitment, _lazy("Compromiso registrado.")),
    "vocero": (forms.SpokespersonForm, _spokesperson, _lazy("Vocero/a designado/a.")),
    "producto": (forms.OutputForm, _output, _lazy("Producto registrado.")),
    "archivo": (forms.AttachmentForm, _attachment, _lazy("Archivo subido.")),
}
# Which forms a manager sees on each kind of workshop (besides registration, invitations, outputs, files).
KIND_FORMS = {
    Kind.CODESIGN: ["concepto", "votar", "decidir", "prototipo", "piloto", "prueba"],
    Kind.DIAGNOSIS: ["solucion", "dato"],
    Kind.SWOT: ["foda", "fusionar", "votar-foda"],
    Kind.VISION: ["vision"],
    Kind.ROADMAP: ["linea-ruta", "iniciativa"],
    Kind.HUB: ["asignar", "vocero", "linea-accion", "actividad", "compromiso"],
}
COMMON_FORMS = ["inscribir", "asistencia", "invitar", "producto", "archivo"]
ACTION_LABELS = {
    "prototipo": _lazy("Registrar prototipo rápido"),
    "piloto": _lazy("Registrar piloto"),
    "prueba": _lazy("Registrar prueba ciudadana"),
    "solucion": _lazy("Registrar solución tecnológica"),
    "dato": _lazy("Registrar conjunto de datos"),
    "asistencia": _lazy("Registrar asistencia"),
    "inscribir": _lazy("Inscribir participante"),
    "invitar": _lazy("Invitar institución"),
    "concepto": _lazy("Agregar concepto"),
    "votar": _lazy("Registrar puntos"),
    "decidir": _lazy("Registrar decisión"),
    "foda": _lazy("Agregar ítem FODA"),
    "fusionar": _lazy("Fusionar duplicados"),
    "votar-foda": _lazy("Registrar votos"),
    "vision": _lazy("Registrar visión"),
    "linea-ruta": _lazy("Agregar línea"),
    "iniciativa": _lazy("Agregar iniciativa"),
    "asignar": _lazy("Asignar grupos"),
    "linea-accion": _lazy("Registrar línea de acción"),
    "actividad": _lazy("Agregar actividad"),
    "compromiso": _lazy("Registrar compromiso"),
    "vocero": _lazy("Designar vocero/a"),
    "producto": _lazy("Registrar producto"),
    "archivo": _lazy("Subir archivo"),
}


def _detail_context(request, workshop, bound: dict | None = None, registration_errors=()) -> dict:
    user = request.user
    can_manage = user.has_perm("workshops.manage_workshop", workshop)
    can_view_registrations = user.has_perm("workshops.view_registrations", workshop)
    context = {
        "workshop": workshop,
        "can_manage": can_manage,
        "can_view_registrations": can_view_registrations,
        "registrations": list(
            workshop.registrations.exclude(status=RegistrationStatus.WAITLISTED).select_related("organization", "group")
        ),
        "waiting_list": selectors.waiting_list(workshop) if can_view_registrations else [],
        "public_registration": selectors.public_registration_for(workshop, user),
        "registration_errors": list(registration_errors),
        "registration_count": selectors.workshop_registration_count(workshop),
        "registrations_definition": selectors.REGISTRATIONS_DEFINITION,
        "invitations": list(workshop.invitations.select_related("organization")),
        "outputs": list(workshop.outputs.select_related("group")),
        "attachments": list(workshop.attachments.all()),
        "groups": list(workshop.groups.select_related("spokesperson").prefetch_related("members")),
    }
    if workshop.kind == Kind.CODESIGN:
        context["concepts"] = selectors.concepts_with_dots(workshop)
    if workshop.kind == Kind.SWOT:
        context["swot"] = selectors.workshop_swot_board(workshop)
    if workshop.kind == Kind.DIAGNOSIS:
        context["solutions"] = list(workshop.solutions.select_related("organization"))
        context["datasets"] = list(workshop.datasets.select_related("publisher"))
    if workshop.kind == Kind.VISION:
        context["visions"] = list(workshop.visions.all())
    if workshop.kind == Kind.ROADMAP:
        grid = selectors.roadmap_grid(workshop.program)
        context["roadmap_svg"] = charts.roadmap_svg(
            grid, title=_("Hoja de ruta de %(p)s") % {"p": workshop.program.name}
        )
    if workshop.kind == Kind.HUB:
        context["hub"] = selectors.hub_board(workshop)
    if can_manage:
        bound = bound or {}
        names = KIND_FORMS.get(workshop.kind, []) + COMMON_FORMS
        context["action_forms"] = [
            (name, bound.get(name) or ACTIONS[name][0](workshop=workshop), ACTION_LABELS[name]) for name in names
        ]
    return context


def workshop_detail(request, slug: str):
    workshop = selectors.workshop_get_for(request.user, slug)
    return render(request, "workshops/detail.html", _detail_context(request, workshop))


@require_POST
def workshop_register(request, slug: str):
    """A person signs themselves up (or joins the waiting list), or cancels: POST forms that work without JS."""
    return _public_registration(request, slug, cancel=False)


@require_POST
def workshop_unregister(request, slug: str):
    return _public_registration(request, slug, cancel=True)


def _public_registration(request, slug: str, *, cancel: bool):
    workshop = selectors.workshop_get_for(request.user, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("workshops:detail", args=[workshop.slug]))
    try:
        if cancel:
            services.workshop_unregister(workshop=workshop, user=request.user)
        else:
            registration = services.workshop_register(workshop=workshop, user=request.user)
    except ValidationError as exc:
        errors = [message for messages_ in error_dict(exc).values() for message in messages_]
        context = _detail_context(request, workshop, registration_errors=errors)
        return render(request, "workshops/detail.html", context, status=400)
    if cancel:
        messages.success(request, _("Su inscripción quedó cancelada."))
    elif registration.status == RegistrationStatus.CONFIRMED:
        messages.success(request, _("Quedó inscrito/a en el taller."))
    else:
        messages.info(
            request,
            _("Los cupos están llenos: quedó en la lista de espera. Le avisaremos si se libera un cupo para usted."),
        )
    return redirect(reverse("workshops:detail", args=[workshop.slug]) + "#inscripcion")


EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}


def attachment_file(request, slug: str, pk: int):
    """A workshop's photo or document, to whoever may see the workshop; the type is the one detected on upload."""
    workshop = selectors.workshop_get_for(request.user, slug)
    attachment = get_object_or_404(Attachment, pk=pk, workshop=workshop)
    extension = EXTENSIONS.get(attachment.content_type, "")
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=attachment.type != Attachment.Type.PHOTO,
        filename=f"{attachment.title[:80]}{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def workshop_action(request, slug: str, action: str):
    workshop = selectors.workshop_get_for(request.user, slug)
    if action not in ACTIONS:
        raise Http404
    if not request.user.has_perm("workshops.manage_workshop", workshop):
        raise PermissionDenied
    form_class, handler, success = ACTIONS[action]
    form = form_class(request.POST, request.FILES, workshop=workshop)
    if form.is_valid():
        try:
            handler(request.user, workshop, form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, success)
            return redirect(reverse("workshops:detail", args=[workshop.slug]) + f"#form-{action}")
    response = render(request, "workshops/detail.html", _detail_context(request, workshop, {action: form}))
    response.status_code = 400
    return response


def workshop_ics(request, slug: str):
    workshop = selectors.workshop_get_for(request.user, slug)
    if workshop.starts_at is None:
        raise Http404
    body = ics.workshop_ics(workshop, url=request.build_absolute_uri(reverse("workshops:detail", args=[workshop.slug])))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{workshop.slug}.ics"'
    return response


def _program_for_workshop_form(request):
    slug = request.GET.get("programa") or request.POST.get("programa")
    program = Program.objects.filter(slug=slug).first() if slug else None
    if program is None:
        raise Http404
    if not request.user.has_perm("workshops.manage_workshop", program):
        raise PermissionDenied
    return program


def _manageable(request, workshop):
    if not request.user.has_perm("workshops.manage_workshop", workshop):
        raise PermissionDenied
    return workshop


@require_perm("workshops.manage_workshop")
def workshop_create(request):
    program = _program_for_workshop_form(request)
    form = forms.WorkshopForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        minutes = data.pop("minutes")
        status = data.pop("status") or None
        try:
            workshop = services.workshop_create(actor=request.user, program=program, status=status, **data)
            if minutes:
                services.workshop_update(actor=request.user, workshop=workshop, minutes=minutes)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Taller creado."))
            return redirect("workshops:detail", slug=workshop.slug)
    return render(request, "workshops/form.html", {"form": form, "program": program, "workshop": None})


@require_perm("workshops.manage_workshop")
def workshop_edit(request, slug: str):
    workshop = _manageable(request, selectors.workshop_get_for(request.user, slug))
    initial = {f: getattr(workshop, f) for f in services.WORKSHOP_EDITABLE}
    initial["kind"] = workshop.kind
    form = forms.WorkshopForm(request.POST or None, program=workshop.program, initial=initial)
    form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in services.WORKSHOP_EDITABLE}
        if not data.get("status"):
            data.pop("status", None)
        try:
            services.workshop_update(actor=request.user, workshop=workshop, **data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Taller actualizado."))
            return redirect("workshops:detail", slug=workshop.slug)
    return render(request, "workshops/form.html", {"form": form, "program": workshop.program, "workshop": workshop})


# --- program pages ------------------------------------------------------------------------------------


def program_swot(request, program_slug: str):
    program = selectors.program_get_for(request.user, program_slug)
    return render(
        request,
        "workshops/swot.html",
        {
            "program": program,
            "swot": selectors.swot_board(program, validated_only=True),
            "sessions": selectors.swot_sessions(program),
        },
    )


def program_roadmap(request, program_slug: str):
    program = selectors.program_get_for(request.user, program_slug)
    grid = selectors.roadmap_grid(program)
    svg = charts.roadmap_svg(grid, title=_("Hoja de ruta de %(p)s") % {"p": program.name})
    return render(request, "workshops/roadmap.html", {"program": program, "grid": grid, "svg": svg})


def program_progress(request, program_slug: str):
    program = selectors.program_get_for(request.user, program_slug)
    tree = selectors.progress_tree(program)
    return render(
        request,
        "workshops/progress.html",
        {
            "program": program,
            "tree": tree,
            "svg": charts.progress_svg(tree, depth=1),
            "group_svgs": [(group, charts.progress_svg(group, depth=1)) for group in tree.children],
            "updates": selectors.progress_updates(program),
            "can_update": request.user.has_perm("workshops.update_progress", program),
            "can_edit_dossier": request.user.has_perm("workshops.edit_dossier", program),
            "data_quality": dataset_quality.for_program(program),
        },
    )


@require_perm("workshops.update_progress")
def progress_edit(request, program_slug: str, ref: str):
    program = selectors.program_get_for(request.user, program_slug)
    if not request.user.has_perm("workshops.update_progress", program):
        raise PermissionDenied
    item = selectors.tracked_get(ref)
    if selectors.tracked_program(item).pk != program.pk:
        raise Http404
    form = forms.ProgressForm(request.POST or None, initial={"progress": item.progress, "status": item.track_status})
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_update(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Avance actualizado."))
            return redirect("workshops:progress", program_slug=program.slug)
    return render(request, "workshops/progress_edit.html", {"program": program, "item": item, "form": form})


# --- replication ---------------------------------------------------------------------------------------


@require_perm("workshops.manage_workshop")
def program_plan(request, program_slug: str):
    """Copies the template's workshops to this programme, renaming the origin city and municipality, and lists
    what still names them for review."""
    program = selectors.program_get_for(request.user, program_slug)
    if not request.user.has_perm("workshops.manage_workshop", program):
        raise PermissionDenied
    origin = methodology.origin_places(program)
    new_place = program.jurisdiction.name if program.jurisdiction_id else ""
    initial = {
        "old_place": origin[0] if origin else "",
        "new_place": new_place,
        "old_municipality": origin[1] if len(origin) > 1 else "",
        "new_municipality": _("Municipalidad de %(place)s") % {"place": new_place} if new_place else "",
    }
    form = forms.PlanWorkshopsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = methodology.program_plan_workshops(
                    actor=request.user, program=program, replacements=form.pairs()
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
                status = 400
            else:
                messages.success(
                    request,
                    _("Talleres copiados: %(n)d nuevos; los nombres de lugar se reemplazaron.") % {"n": len(created)},
                )
                return redirect("workshops:plan", program_slug=program.slug)
        else:
            status = 400
    names = [form.data.get(f) if form.is_bound else initial[f] for f in ("old_place", "old_municipality")]
    context = {"program": program, "form": form, "mentions": methodology.place_mentions(program, names)}
    return render(request, "workshops/plan.html", context, status=status)


def methodology_export(request, slug: str):
    template = MethodologyTemplate.objects.filter(slug=slug).prefetch_related("components__phases").first()
    if template is None or not request.user.has_perm("programs.view_template", template):
        raise Http404
    response = JsonResponse(
        methodology.methodology_export(template=template), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="{template.slug}.json"'
    return response


@require_perm("workshops.import_methodology")
def methodology_import(request):
    form = forms.MethodologyImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > 2 * 1024 * 1024:
                raise ValidationError({"file": [_("El archivo pesa más de 2 MB.")]})
            template = methodology.methodology_import(data=upload.read(), actor=request.user)
        except ValidationError as exc:
            form.add_service_errors(exc)
            return render(request, "workshops/methodology_import.html", {"form": form}, status=400)
        messages.success(
            request, _("Metodología «%(name)s» importada con sus formatos de taller.") % {"name": template.name}
        )
        return redirect("programs:template_list")
    return render(request, "workshops/methodology_import.html", {"form": form})
