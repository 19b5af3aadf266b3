"""The program report pages: HTML, PDF and the manager's form for its narrative.

Managers and officials read the full report of any program. Anyone else reads the public version
(no person's names, only published competition results) of a public program; other programs 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mueve.core.permissions import require_perm
from mueve.programs.models import Program
from mueve.workshops import forms, report, services


def can_view_full_report(user, program: Program) -> bool:
    return user.has_perm("workshops.view_report", program)  # managers and officials (workshops/rules.py)


def _program_and_version(request, program_slug: str) -> tuple[Program, bool]:
    """(program, public) for this visitor, or Http404 when they may not read any version."""
    program = Program.objects.select_related("jurisdiction", "template").filter(slug=program_slug).first()
    if program is None:
        raise Http404
    if can_view_full_report(request.user, program):
        return program, request.GET.get("version") == "publica"
    if program.is_public:
        return program, True
    raise Http404


def program_report(request, program_slug: str):
    program, public = _program_and_version(request, program_slug)
    built = report.build_report(program, public=public)
    return render(
        request,
        "workshops/report/page.html",
        {
            "program": program,
            "report": built,
            "MARK": report.MARK,
            "can_edit": request.user.has_perm("workshops.edit_report", program),
            "can_view_full": can_view_full_report(request.user, program),
        },
    )


def program_report_pdf(request, program_slug: str):
    program, public = _program_and_version(request, program_slug)
    pdf = report.render_pdf(report.build_report(program, public=public))
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = "-publico" if public else ""
    response["Content-Disposition"] = f'attachment; filename="informe-{program.slug}{suffix}.pdf"'
    return response


@require_perm("workshops.edit_report")
def program_report_edit(request, program_slug: str):
    program = Program.objects.filter(slug=program_slug).first()
    if program is None:
        raise Http404
    narrative = getattr(program, "report_narrative", None)
    initial = {f: getattr(narrative, f, "") for f in services.NARRATIVE_FIELDS} if narrative else {}
    form = forms.NarrativeForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.narrative_update(actor=request.user, program=program, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Textos del informe guardados."))
                return redirect("workshops:program_report", program_slug=program.slug)
        status = 400
    return render(request, "workshops/report/edit.html", {"program": program, "form": form}, status=status)
