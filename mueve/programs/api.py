"""Programs API: public reads, writes for program managers.

Routes under /templates/ are declared before /{slug} so "templates" is never read as a program.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from mueve.core.api.auth import public, session_or_token
from mueve.core.api.parser import require_json
from mueve.core.api.responses import AUTH, BODY, MALFORMED, NOT_FOUND, responses
from mueve.core.permissions import ensure_perm
from mueve.core.schemas import PageQuery, Text, paginate
from mueve.programs import selectors, services
from mueve.programs.schemas import (
    ActivityPage,
    PhaseOut,
    PhasePatchIn,
    ProgramCreateIn,
    ProgramDetailOut,
    ProgramPage,
    TemplateDocument,
    TemplatePage,
)
from mueve.territory.models import Jurisdiction

router = Router(tags=["programs"])

TEMPLATE_IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["format", "version", "slug", "name", "components"],
                    "properties": {
                        "format": {"type": "string", "enum": [services.TEMPLATE_FORMAT]},
                        "version": {"type": "integer", "enum": [services.TEMPLATE_VERSION]},
                        "slug": {"type": "string"},
                        "name": {"type": "string"},
                        "description": {"type": "string"},
                        "source": {"type": "string"},
                        "components": {"type": "array", "items": {"type": "object"}},
                    },
                }
            }
        },
    }
}


@router.get("/templates/", response=responses(TemplatePage, MALFORMED), auth=public, url_name="program_template_list")
def list_templates(request, paging: Query[PageQuery]):
    """Methodology templates available for new programs (private ones only for program managers)."""
    return paginate(selectors.template_list_for(request.user), paging)


@router.get(
    "/templates/{slug}",
    response=responses(TemplateDocument, AUTH, NOT_FOUND, MALFORMED),
    auth=public,
    url_name="program_template_detail",
)
def get_template(request, slug: Text):
    """The template as its JSON export (format `mueve.methodology`, version 1), ready to import elsewhere."""
    ensure_perm(request.user, "programs.export_template")
    return services.template_export(template=selectors.template_get_for(request.user, slug))


@router.post(
    "/templates/",
    # The body is read by hand (errors keyed by JSON path): never a 422.
    response=responses({200: TemplateDocument, 201: TemplateDocument}, AUTH, (400, 415)),
    auth=session_or_token,
    openapi_extra=TEMPLATE_IMPORT_BODY,
)
def import_template(request):
    """Create a template from its JSON export, or update the template with the same slug (the national unit:
    administrators and managers without a regional scope).

    Errors are keyed by JSON path, e.g. `components[2].phases[0].name`; nothing is written if there is any.
    Answers 201 when created, 200 when an existing template was updated.
    """
    ensure_perm(request.user, "programs.import_template")
    require_json(request)
    template, created = services.template_import_detailed(data=request.body, actor=request.user)
    return Status(201 if created else 200, services.template_export(template=selectors.template_get(template.slug)))


@router.get("", response=responses(ProgramPage, MALFORMED), auth=public)
def list_programs(request, paging: Query[PageQuery]):
    """Public programs (a programme's managers also see it before it is public), newest first."""
    return paginate(selectors.program_list_for(request.user), paging)


@router.post("", response=responses({201: ProgramDetailOut}, AUTH, BODY), auth=session_or_token)
def create_program(request, payload: ProgramCreateIn):
    """Create a program from a methodology template (program managers, in a jurisdiction of their scope)."""
    ensure_perm(request.user, "programs.add_program")
    template = selectors.template_find(payload.template)
    jurisdiction = Jurisdiction.objects.filter(slug=payload.jurisdiction).first()
    errors = {}
    if template is None:
        errors["template"] = [_("No existe la plantilla «%(slug)s».") % {"slug": payload.template}]
    if jurisdiction is None:
        errors["jurisdiction"] = [_("No existe la jurisdicción «%(slug)s».") % {"slug": payload.jurisdiction}]
    if errors:
        raise ValidationError(errors)
    program = services.program_create(
        actor=request.user,
        template=template,
        name=payload.name,
        jurisdiction=jurisdiction,
        sector=payload.sector,
        start_date=payload.start_date,
        end_date=payload.end_date,
        summary=payload.summary,
        slug=payload.slug,
        is_public=payload.is_public,
    )
    return Status(201, selectors.program_get_for(request.user, program.slug))


@router.get("/{slug}", response=responses(ProgramDetailOut, NOT_FOUND, MALFORMED), auth=public)
def get_program(request, slug: Text):
    """A program with its components, phases, results and impact indicators with their values."""
    return selectors.program_get_for(request.user, slug)


@router.get("/{slug}/activity", response=responses(ActivityPage, NOT_FOUND, MALFORMED), auth=public)
def program_activity(request, slug: Text, paging: Query[PageQuery]):
    """The program's activity log, newest first."""
    program = selectors.program_get_for(request.user, slug, detail=False)
    return paginate(selectors.activity_for(program), paging)


@router.patch("/{slug}/phases/{phase_id}", response=responses(PhaseOut, AUTH, NOT_FOUND, BODY), auth=session_or_token)
def update_phase(request, slug: Text, phase_id: int, payload: PhasePatchIn):
    """Change a phase's status and/or dates (the programme's managers). Dates must lie inside the program's."""
    ensure_perm(request.user, "programs.change_program")
    program = selectors.program_get_for(request.user, slug, detail=False)
    ensure_perm(request.user, "programs.change_program", program)
    phase = selectors.phase_get(program=program, phase_id=phase_id)
    return services.phase_update(actor=request.user, phase=phase, **payload.dict(exclude_unset=True))
