from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mueve.core import csvio
from mueve.core.permissions import ensure_perm, require_perm
from mueve.stakeholders import selectors, services
from mueve.stakeholders.charts import SECTOR_COLOURS, interest_influence_svg
from mueve.stakeholders.forms import (
    OrganizationFilterForm,
    OrganizationForm,
    OrganizationImportForm,
    ProgramStakeholderForm,
)
from mueve.stakeholders.models import Sector

PAGE_SIZE = 50


def organization_list(request):
    readable = selectors.readable_programs(request.user)
    programs = list(selectors.program_choices(programs=readable))
    form = OrganizationFilterForm(request.GET or None, programs=programs)
    filters = form.cleaned_data if form.is_valid() else {}
    if form.is_bound and not form.is_valid():
        # Apply the filters that are valid; the others show their error next to the field.
        filters = {name: value for name, value in form.cleaned_data.items() if name not in form.errors}
    program_slug = filters.get("program") or None
    organizations = selectors.organization_list(
        sector=filters.get("sector") or None,
        level=filters.get("level") or None,
        q=filters.get("q") or None,
        program=program_slug,
        programs=readable,
    )
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    selected_program = next((p for p in programs if p.slug == program_slug), None)
    with_stakeholders = list(selectors.programs_with_stakeholders(programs=readable))
    institutions = selectors.program_institution_counts(with_stakeholders)
    map_programs = [(program, institutions.get(program.pk, 0)) for program in with_stakeholders]
    return render(
        request,
        "stakeholders/list.html",
        {
            "form": form,
            "page": page,
            "filtered": any(filters.get(name) for name in ("sector", "level", "q", "program")),
            "selected_program": selected_program,
            "selected_institutions": selectors.program_institution_count(selected_program)
            if selected_program
            else None,
            "map_programs": map_programs,
            "institutions_definition": selectors.INSTITUTIONS_DEFINITION,
        },
    )


def organization_detail(request, slug: str):
    organization = selectors.organization_get(slug, programs=selectors.readable_programs(request.user))
    people = [m.person for m in organization.membership_list]
    visible = selectors.contacts_visible_ids(request.user, people)
    for membership in organization.membership_list:
        membership.contacts_visible = visible is None or membership.person_id in visible
    shown = [m for m in organization.membership_list if m.contacts_visible]
    return render(
        request,
        "stakeholders/detail.html",
        {
            "organization": organization,
            # The e-mail and phone columns, when the reader may read some of this page's people's.
            "show_contacts": bool(shown),
            "contacts_hidden": len(shown) < len(organization.membership_list),
        },
    )


def stakeholder_map(request, program_slug: str):
    program = selectors.program_for_map(program_slug, programs=selectors.readable_programs(request.user))
    points = selectors.interest_influence_points(program=program)
    legend = [(code, label, SECTOR_COLOURS[code]) for code, label in Sector.choices]
    return render(
        request,
        "stakeholders/map.html",
        {
            "program": program,
            "matrix": selectors.stakeholder_matrix(program=program),
            "institutions": selectors.program_institution_count(program),
            "institutions_definition": selectors.INSTITUTIONS_DEFINITION,
            "points": points,
            "chart": interest_influence_svg(points),
            "legend": legend,
            "commitments": selectors.commitments_for(program),
            "champions": selectors.champions_for(program),
            "can_manage": request.user.has_perm("stakeholders.manage_program_stakeholders", program),
        },
    )


@require_perm("stakeholders.add_organization")
@require_http_methods(["GET", "POST"])
def organization_create(request):
    form = OrganizationForm(request.POST) if request.method == "POST" else OrganizationForm()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organization = services.organization_create(actor=request.user, **data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Organización creada."))
            return redirect("stakeholders:detail", slug=organization.slug)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "stakeholders/form.html", {"form": form, "organization": None}, status=status)


@require_perm("stakeholders.change_organization")
@require_http_methods(["GET", "POST"])
def organization_edit(request, slug: str):
    organization = selectors.organization_get(slug, programs=selectors.readable_programs(request.user))
    ensure_perm(request.user, "stakeholders.change_organization", organization)
    form = OrganizationForm(request.POST if request.method == "POST" else None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(organization=organization, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Cambios guardados."))
            return redirect("stakeholders:detail", slug=organization.slug)
    status = 400 if form.is_bound and form.errors else 200
    # Reload: a failed update must not show half-applied values in the page heading.
    saved = (
        selectors.organization_get(slug, programs=selectors.readable_programs(request.user))
        if form.errors
        else organization
    )
    return render(request, "stakeholders/form.html", {"form": form, "organization": saved}, status=status)


@require_perm("stakeholders.import_organizations")
@require_http_methods(["GET", "POST"])
def organization_import(request):
    form = OrganizationImportForm(request.POST, request.FILES) if request.method == "POST" else OrganizationImportForm()
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                text = csvio.decode_upload(form.cleaned_data["file"].read())
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                report = services.organizations_import_csv(text=text, actor=request.user)
        if form.errors or (report is not None and not report.ok):
            status = 400
    return render(
        request,
        "stakeholders/import.html",
        {"form": form, "report": report, "columns": services.CSV_COLUMNS, "required": services.CSV_REQUIRED_COLUMNS},
        status=status,
    )


@require_perm("stakeholders.export_organizations")
def organization_export(request):
    # The BOM (added by download) lets spreadsheet programs detect UTF-8; the importer strips it.
    return csvio.download(services.organizations_export_csv(), filename="organizaciones.csv")


@require_perm("stakeholders.export_organizations")
def organization_export_xlsx(request):
    return csvio.download_xlsx(services.organizations_export_xlsx(), filename="organizaciones.xlsx")


@require_perm("stakeholders.manage_program_stakeholders")
@require_http_methods(["GET", "POST"])
def program_link(request, program_slug: str):
    # Another region's programme: 404 when it is not public (as if it did not exist), else 403.
    program = selectors.program_for_map(program_slug, programs=selectors.readable_programs(request.user))
    ensure_perm(request.user, "stakeholders.manage_program_stakeholders", program)
    initial = {}
    org_slug = request.GET.get("organizacion", "")
    if org_slug:
        existing = selectors.program_stakeholder_find(program=program, organization_slug=org_slug)
        initial = {"organization": org_slug}
        if existing is not None:
            initial.update(
                roles=[r.role for r in existing.roles.all()],
                interest=existing.interest,
                influence=existing.influence,
                notes=existing.notes,
            )
    form = ProgramStakeholderForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.program_stakeholder_set(
                program=program,
                organization=data["organization"],
                roles=data["roles"],
                interest=data["interest"],
                influence=data["influence"],
                notes=data["notes"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Actor del programa guardado."))
            return redirect("stakeholders:map", program_slug=program.slug)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "stakeholders/program_link.html", {"form": form, "program": program}, status=status)
