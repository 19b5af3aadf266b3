"""Top-floor pages: the home page and the programme dossier (HTML, PDF and the form for its texts).

Only those who may see the programme (programs' rule `view_program`) reach its dossier; everyone else gets
404, as on the programme's other pages. Among them, managers and officials read the full dossier, anyone
else the public version (no person's names, only published competition results).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mueve.challenges import selectors as challenge_selectors
from mueve.core.permissions import require_perm
from mueve.portal import dossier
from mueve.portal.forms import NarrativeForm
from mueve.programs import selectors as program_selectors
from mueve.programs.models import Program
from mueve.workshops import services as workshop_services


def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "programs": list(program_selectors.program_public_list()[:6]),
            "challenges": list(challenge_selectors.challenge_public_list(limit=6)),
        },
    )


# --- the programme dossier ---------------------------------------------------------------------


def can_view_full_dossier(user, program: Program) -> bool:
    return user.has_perm("workshops.view_dossier", program)  # managers and officials (workshops/rules.py)


def _program_and_version(request, program_slug: str) -> tuple[Program, bool]:
    """(program, public) for this visitor, or Http404 when they may not read any version."""
    program = program_selectors.program_get_for(request.user, program_slug, detail=False)
    if can_view_full_dossier(request.user, program):
        return program, request.GET.get("version") == "publica"
    return program, True


def dossier_page(request, program_slug: str):
    program, public = _program_and_version(request, program_slug)
    return render(
        request,
        "portal/dossier/page.html",
        {
            "program": program,
            "dossier": dossier.build_dossier(program, public=public),
            "MARK": dossier.MARK,
            "can_edit": request.user.has_perm("workshops.edit_dossier", program),
            "can_view_full": can_view_full_dossier(request.user, program),
        },
    )


def dossier_pdf(request, program_slug: str):
    program, public = _program_and_version(request, program_slug)
    pdf = dossier.render_pdf(dossier.build_dossier(program, public=public))
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = "-publico" if public else ""
    response["Content-Disposition"] = f'attachment; filename="informe-{program.slug}{suffix}.pdf"'
    return response


@require_perm("workshops.edit_dossier")
def dossier_edit(request, program_slug: str):
    program = program_selectors.program_get_for(request.user, program_slug, detail=False)
    narrative = getattr(program, "report_narrative", None)
    initial = {f: getattr(narrative, f, "") for f in workshop_services.NARRATIVE_FIELDS} if narrative else {}
    form = NarrativeForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                workshop_services.narrative_update(actor=request.user, program=program, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Textos del informe guardados."))
                return redirect("portal:dossier", program_slug=program.slug)
        status = 400
    return render(request, "portal/dossier/edit.html", {"program": program, "form": form}, status=status)
