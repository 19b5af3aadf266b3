"""Top-floor pages: the home page, the programme dossier (HTML, PDF and the form for its texts), the ministry's
view of every region (HTML, CSV, PDF) and a methodology template's printable guide (HTML, PDF).

Only those who may see the programme (programs' rule `view_program`) reach its dossier; everyone else gets
404, as on the programme's other pages. Among them, managers and officials read the full dossier, anyone
else the public version (no person's names, only published competition results).
"""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mueve.challenges import selectors as challenge_selectors
from mueve.core import csvio, ratelimit
from mueve.core.permissions import require_perm
from mueve.portal import basemap, documents, ministry, selectors, toolkit
from mueve.portal.forms import NarrativeForm
from mueve.programs import selectors as program_selectors
from mueve.programs.models import Program
from mueve.workshops import services as workshop_services


@require_GET
def base_map(request):
    """The vector base layer of every map (mueve/static/maps/basemap.js), public and cacheable."""
    body, version = basemap.base_map_document()
    etag = '"' + hashlib.sha1(version.encode()).hexdigest()[:20] + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/geo+json; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300"
    return response


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

DOCUMENT_RATE_PREFIX = "mueve:documents:"


def can_view_full_dossier(user, program: Program) -> bool:
    return user.has_perm("workshops.view_dossier", program)  # managers and officials (workshops/rules.py)


def _program_and_version(request, program_slug: str) -> tuple[Program, bool]:
    """(program, public) for this visitor, or Http404 when they may not read any version."""
    program = program_selectors.program_get_for(request.user, program_slug, detail=False)
    if can_view_full_dossier(request.user, program):
        return program, request.GET.get("version") == "publica"
    return program, True


def _document_limit(request) -> None:
    """Anonymous visitors fetch the expensive documents a limited number of times per address (RateLimited)."""
    if not request.user.is_authenticated:
        rate = ratelimit.parse_rate(settings.MUEVE_DOCUMENTS_RATE, setting="MUEVE_DOCUMENTS_RATE")
        ratelimit.hit((f"ip:{request.META.get('REMOTE_ADDR', '')}", rate), prefix=DOCUMENT_RATE_PREFIX)


def _not_now(request, status: int, retry_after: int) -> HttpResponse:
    response = render(
        request, "portal/dossier/not_now.html", {"busy": status == 503, "retry_after": retry_after}, status=status
    )
    response["Retry-After"] = str(retry_after)
    return response


def _stale_header(response: HttpResponse, fresh: bool) -> HttpResponse:
    if not fresh:
        # An earlier version while the current one is built; a cache must not keep it.
        response["Cache-Control"] = "no-store"
        response["X-Mueve-Document"] = "stale"
    return response


def dossier_page(request, program_slug: str):
    try:
        _document_limit(request)  # first: a refused request costs no query
        program, public = _program_and_version(request, program_slug)
        built, fresh = documents.program_dossier_page(program, public=public)
    except ratelimit.RateLimited as limited:
        return _not_now(request, 429, limited.retry_after)
    except documents.NotReady as busy:
        return _not_now(request, 503, busy.retry_after)
    response = render(
        request,
        "portal/dossier/page.html",
        {
            "program": program,
            "dossier": built,
            # Rendered from the data by the autoescaping _body.html when the copy was built, not text from outside.
            "body": mark_safe(built.body),  # noqa: S308
            "can_edit": request.user.has_perm("workshops.edit_dossier", program),
            "can_view_full": can_view_full_dossier(request.user, program),
            "stale": not fresh,
        },
    )
    return _stale_header(response, fresh)


def dossier_pdf(request, program_slug: str):
    try:
        _document_limit(request)
        program, public = _program_and_version(request, program_slug)
        pdf, fresh = documents.program_dossier_pdf(program, public=public)
    except ratelimit.RateLimited as limited:
        return _not_now(request, 429, limited.retry_after)
    except documents.NotReady as busy:
        return _not_now(request, 503, busy.retry_after)
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = "-publico" if public else ""
    response["Content-Disposition"] = f'attachment; filename="informe-{program.slug}{suffix}.pdf"'
    return _stale_header(response, fresh)


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
                documents.forget_data_version()  # the dossier they are sent to is rebuilt with the new texts
                return redirect("portal:dossier", program_slug=program.slug)
        status = 400
    return render(request, "portal/dossier/edit.html", {"program": program, "form": form}, status=status)


# --- the ministry's view -----------------------------------------------------------------------------


@require_perm("portal.view_ministry")
def ministry_page(request):
    overview = selectors.ministry_overview()
    return render(request, "portal/ministry.html", {"overview": overview, "charts": ministry.charts(overview)})


@require_perm("portal.view_ministry")
def ministry_csv(request):
    return csvio.download(ministry.csv_text(selectors.ministry_overview()), filename="ministerio-programas.csv")


@require_perm("portal.view_ministry")
def ministry_pdf(request):
    response = HttpResponse(ministry.render_pdf(selectors.ministry_overview()), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="ministerio-programas.pdf"'
    return response


# --- the toolkit: a methodology template as a printable guide ------------------------------------------


def toolkit_page(request, slug: str):
    template = program_selectors.template_get_for(request.user, slug)
    guide = toolkit.build_guide(template)
    return render(request, "portal/toolkit.html", {"guide": guide, "template": template})


def toolkit_pdf(request, slug: str):
    try:
        _document_limit(request)  # a PDF costs more than a page: anonymous visitors fetch a limited number
    except ratelimit.RateLimited as limited:
        return _not_now(request, 429, limited.retry_after)
    template = program_selectors.template_get_for(request.user, slug)
    response = HttpResponse(toolkit.render_pdf(toolkit.build_guide(template)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="guia-{template.slug}.pdf"'
    return response
