"""Top-floor pages: the home page, the programme dossier (HTML, PDF and the form for its texts), the ministry's
view of every region (HTML, CSV, PDF), a methodology template's printable guide (HTML, PDF), and the national
unit's wizard that opens a region (its steps keep a draft in the session, mueve/portal/wizard.py; the last one calls
mueve/portal/services.py).

Only those who may see the programme (programs' rule `view_program`) reach its dossier; everyone else gets
404, as on the programme's other pages. Among them, the programme's managers and the officials acting in it (their
scope, or their institution takes part) read the full dossier, anyone else the public version (no person's names,
only published competition results).
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from mueve.accounts import services as account_services
from mueve.accounts.models import Role
from mueve.challenges import selectors as challenge_selectors
from mueve.core import csvio, ratelimit
from mueve.core.permissions import require_perm
from mueve.portal import basemap, documents, ministry, selectors, toolkit, wizard
from mueve.portal import services as region_services
from mueve.portal.forms import (
    MAX_INVITE_ROWS,
    AgencyMapForm,
    CatalogueSourceForm,
    InviteFormSet,
    NarrativeForm,
    ProgramStepForm,
    TerritoryStepForm,
)
from mueve.programs import selectors as program_selectors
from mueve.programs.models import MethodologyTemplate, Program
from mueve.reports import services as report_services
from mueve.stakeholders.models import Organization
from mueve.territory.models import Jurisdiction
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
    return user.has_perm("workshops.view_dossier", program)  # its managers and officials (workshops/rules.py)


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
    if not request.user.has_perm("workshops.edit_dossier", program):
        raise PermissionDenied  # another region's programme
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


# --- opening a region: the national unit's wizard ----------------------------------------------------------------

STEP_LABELS = {
    "territorio": _lazy("Territorio"),
    "programa": _lazy("Programa"),
    "reportes": _lazy("Catálogo de reportes"),
    "equipo": _lazy("Equipo"),
    "revision": _lazy("Revisión"),
}
STEP_URLS = {
    "territorio": "region_wizard:territory",
    "programa": "region_wizard:program",
    "reportes": "region_wizard:catalogue",
    "equipo": "region_wizard:team",
    "revision": "region_wizard:review",
}


def _wizard_page(request, draft: wizard.Draft, step: str, template: str, context: dict, status: int = 200):
    steps = [
        {"key": key, "label": label, "url": reverse(STEP_URLS[key]), "done": draft.done(key), "current": key == step}
        for key, label in STEP_LABELS.items()
    ]
    context = {"steps": steps, "step": step, "region_name": draft.region_name(), **context}
    return render(request, f"portal/region/{template}", context, status=status)


def _next(step: str):
    order = [*region_services.STEPS, "revision"]
    return redirect(STEP_URLS[order[order.index(step) + 1]])


@require_perm("accounts.manage_scopes")
def region_territory(request):
    draft = wizard.Draft(request.session)
    saved = draft.get("territorio")
    form = TerritoryStepForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=saved,
        loaded_areas=saved.get("area_names"),
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            areas = data["areas"] or {
                "text": saved["areas_geojson"],
                "names": saved["area_names"],
                "file_name": saved.get("file_name", ""),
            }
            values = {k: data[k] for k in ("name", "slug", "kind", "center_lat", "center_lon")}
            values.update(areas_geojson=areas["text"], area_names=areas["names"], file_name=areas["file_name"])
            draft.put("territorio", values)
            return _next("territorio")
        return _wizard_page(request, draft, "territorio", "territory.html", {"form": form}, status=400)
    return _wizard_page(request, draft, "territorio", "territory.html", {"form": form})


@require_perm("accounts.manage_scopes")
def region_program(request):
    draft = wizard.Draft(request.session)
    if not draft.done("territorio"):
        return redirect(STEP_URLS["territorio"])
    saved = draft.get("programa")
    today = timezone.localdate()
    initial = saved or {
        "name": _("MueveTT %(region)s") % {"region": draft.region_name()},
        "template": program_selectors.template_most_used(),
        "start_date": today,
        "end_date": today + timedelta(days=364),
    }
    form = ProgramStepForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            draft.put(
                "programa",
                {
                    "template": data["template"].slug,
                    "name": data["name"],
                    "sector": data["sector"],
                    "start_date": data["start_date"].isoformat(),
                    "end_date": data["end_date"].isoformat(),
                    "summary": data["summary"],
                    "is_public": data["is_public"],
                },
            )
            return _next("programa")
        return _wizard_page(request, draft, "programa", "program.html", {"form": form}, status=400)
    return _wizard_page(request, draft, "programa", "program.html", {"form": form})


def _catalogue_source(request, draft: wizard.Draft):
    """The jurisdiction whose catalogue is copied: as asked (?origen=, or the form), else as saved, else where the
    chosen template was first applied. None: no catalogue. The form comes back bound (with its error) when asked."""
    asked = request.POST if request.method == "POST" else request.GET
    if "origen" in asked:
        source_form = CatalogueSourceForm(asked)
        return source_form, source_form.cleaned_data["origen"] if source_form.is_valid() else None
    saved = draft.get("reportes")
    offered = CatalogueSourceForm.base_fields["origen"].queryset
    if saved:
        source = offered.filter(slug=saved.get("source") or "").first()
    else:
        template = MethodologyTemplate.objects.filter(slug=draft.get("programa").get("template", "")).first()
        origin = program_selectors.template_origin(template) if template is not None else None
        source = offered.filter(pk=origin.pk).first() if origin is not None else None
    return CatalogueSourceForm(initial={"origen": source.slug if source else ""}), source


@require_perm("accounts.manage_scopes")
def region_catalogue(request):
    draft = wizard.Draft(request.session)
    if not draft.done("programa"):
        return redirect(STEP_URLS[draft.first_missing() or "programa"])
    source_form, source = _catalogue_source(request, draft)
    plan = report_services.catalogue_plan(source) if source is not None else None
    form = None
    if plan is not None:
        saved = draft.get("reportes")
        initial = {}
        if saved.get("source") == source.slug:
            for origin, choice in saved.get("agencies", {}).items():
                initial[f"agency_{origin}"] = str(choice["organization"] or "")
                initial[f"agency_{origin}_name"] = choice.get("new_name", "")
        form = AgencyMapForm(
            request.POST if request.method == "POST" else None,
            plan=plan,
            suggestions=region_services.agency_suggestions(plan, draft.region_name()),
            initial=initial,
        )
    context = {"source_form": source_form, "source": source, "plan": plan, "form": form}
    if request.method == "POST":
        if source_form.is_valid() and (form is None or form.is_valid()):
            agencies = form.cleaned_data["agencies"] if form is not None else {}
            draft.put(
                "reportes",
                {"source": source.slug if source else "", "agencies": {str(k): v for k, v in agencies.items()}},
            )
            return _next("reportes")
        return _wizard_page(request, draft, "reportes", "catalogue.html", context, status=400)
    return _wizard_page(request, draft, "reportes", "catalogue.html", context)


def _organization_choices(draft: wizard.Draft) -> list[tuple[str, str]]:
    """For an official's organization: the agencies this opening creates, then the registry's (not the origin's)."""
    catalogue = draft.get("reportes")
    new, seen = [], set()
    for origin, choice in catalogue.get("agencies", {}).items():
        if not choice.get("organization") and choice.get("new_name") not in seen:
            seen.add(choice["new_name"])
            new.append((f"new:{origin}", _("%(name)s (nuevo)") % {"name": choice["new_name"]}))
    source = Jurisdiction.objects.filter(slug=catalogue.get("source") or "").first()
    excluded = report_services.catalogue_plan(source).local_agency_ids if source is not None else frozenset()
    existing = [(f"org:{o.pk}", o.name) for o in Organization.objects.exclude(pk__in=excluded).order_by("name")]
    return new + existing


@require_perm("accounts.manage_scopes")
def region_team(request):
    draft = wizard.Draft(request.session)
    if not draft.done("reportes"):
        return redirect(STEP_URLS[draft.first_missing() or "reportes"])
    saved = draft.get("equipo").get("invites", [])
    try:
        rows = int(request.GET.get("filas", 0))
    except ValueError:
        rows = 0
    rows = min(max(rows, len(saved) + 2, 3), MAX_INVITE_ROWS)
    choices = _organization_choices(draft)
    formset = InviteFormSet(
        request.POST if request.method == "POST" else None,
        initial=saved + [{}] * (rows - len(saved)),
        prefix="equipo",
        form_kwargs={"organization_choices": choices},
    )
    context = {"formset": formset, "more_rows": min(rows + 5, MAX_INVITE_ROWS), "max_rows": MAX_INVITE_ROWS}
    if request.method == "POST":
        if formset.is_valid() and _team_checked(formset):
            invites = [
                {
                    "email": f.cleaned_data["email"],
                    "role": f.cleaned_data["role"],
                    "organization": f.cleaned_data["organization"],
                }
                for f in formset.forms
                if f.cleaned_data.get("email")
            ]
            draft.put("equipo", {"invites": invites})
            return _next("equipo")
        return _wizard_page(request, draft, "equipo", "team.html", context, status=400)
    return _wizard_page(request, draft, "equipo", "team.html", context)


def _team_checked(formset) -> bool:
    """The accounts app's word on each row (an address that already works across the country, ...)."""
    ok = True
    for form in formset.forms:
        data = form.cleaned_data
        if not data.get("email"):
            continue
        choice = data["organization"]
        if choice.startswith("org:"):
            organization = Organization.objects.filter(pk=int(choice[4:])).first()
        else:  # one this opening creates (it has no id yet), or none
            organization = Organization() if choice else None
        try:
            account_services.check_invitation(email=data["email"], role=data["role"], organization=organization)
        except ValidationError as exc:
            form.add_service_errors(exc)
            ok = False
    return ok


@require_perm("accounts.manage_scopes")
def region_review(request):
    draft = wizard.Draft(request.session)
    missing = draft.first_missing()
    if missing is not None:
        return redirect(STEP_URLS[missing])
    try:
        plan = draft.plan()
    except wizard.StepMissing as gone:
        messages.error(request, gone.message)
        return redirect(STEP_URLS[gone.step])
    context = {"plan": plan, "territory": draft.get("territorio"), "errors": None}
    if plan.catalogue_source is not None:
        catalogue = report_services.catalogue_plan(plan.catalogue_source)
        context["catalogue"] = catalogue
        context["agency_rows"] = [(agency, plan.agencies.get(agency.pk)) for agency in catalogue.agencies]
    roles = dict(Role.choices)
    new_names = {origin: choice.new_name for origin, choice in plan.agencies.items()}
    context["invite_rows"] = [
        (
            invite.email,
            roles.get(invite.role, invite.role),
            invite.organization.name if invite.organization else new_names.get(invite.new_agency_of, ""),
        )
        for invite in plan.invites
    ]
    if request.method == "POST":
        try:
            opened = region_services.region_open(actor=request.user, plan=plan)
        except region_services.RegionNotOpened as failed:
            context["errors"] = {
                "step": failed.step,
                "label": STEP_LABELS[failed.step],
                "messages": failed.error.messages,
            }
            return _wizard_page(request, draft, "revision", "review.html", context, status=400)
        draft.clear()
        messages.success(request, _region_opened_message(opened))
        return redirect("programs:detail", slug=opened.program.slug)
    return _wizard_page(request, draft, "revision", "review.html", context)


def _region_opened_message(opened: region_services.RegionOpened) -> str:
    parts = [
        _("Región «%(region)s» abierta con %(areas)d áreas y el programa «%(program)s» (%(workshops)d talleres).")
        % {
            "region": opened.jurisdiction.name,
            "areas": opened.jurisdiction.areas.count(),
            "program": opened.program.name,
            "workshops": opened.workshops,
        }
    ]
    if opened.catalogue is not None:
        parts.append(
            _(
                "Catálogo copiado: %(services)d servicios y %(rules)d reglas de derivación (%(skipped)d reglas "
                "por área no se copian)."
            )
            % {
                "services": len(opened.catalogue.services),
                "rules": len(opened.catalogue.rules),
                "skipped": opened.catalogue.skipped_rules,
            }
        )
    if opened.invitations:
        parts.append(
            ngettext("Se envió %(n)d invitación.", "Se enviaron %(n)d invitaciones.", len(opened.invitations))
            % {"n": len(opened.invitations)}
        )
    return " ".join(parts)


@require_POST
@require_perm("accounts.manage_scopes")
def region_discard(request):
    wizard.Draft(request.session).clear()
    messages.info(request, _("Se descartó el borrador de la región."))
    return redirect(STEP_URLS["territorio"])


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
