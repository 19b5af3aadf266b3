"""Replication: workshop formats travel with the programs app's methodology JSON.

The programs export stays as it is; this module adds one key, "workshop_formats", and strips it
again before handing the document to `programs.services.template_import`. A format is a workshop
without its content: kind, title, agenda, and the structure (SWOT quadrants, personas, horizons,
hub phases, dots per participant). Planning a program from its template creates those workshops
empty and undated, ready to be scheduled in the new city.
"""

import copy
import json
import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mueve.core.permissions import ensure_perm
from mueve.core.text import fold
from mueve.programs import selectors as program_selectors
from mueve.programs import services as program_services
from mueve.programs.models import MethodologyTemplate, Program
from mueve.territory import selectors as territory_selectors
from mueve.territory.renaming import Renaming
from mueve.workshops import services
from mueve.workshops.models import Kind, Workshop, WorkshopFormat, WorkshopStatus

FORMATS_KEY = "workshop_formats"
STRUCTURE_KEYS = {
    "quadrants",
    "personas",
    "horizons",
    "horizon_year",
    "phases",
    "dots_per_participant",
    "sectors",
    "session",
}


def _format_dict(fmt: WorkshopFormat) -> dict[str, Any]:
    return {
        "key": fmt.key,
        "component": fmt.component_key,
        "kind": fmt.kind,
        "title": fmt.title,
        "agenda": fmt.agenda,
        "structure": fmt.structure,
    }


def methodology_export(*, template: MethodologyTemplate) -> dict[str, Any]:
    data = program_services.template_export(template=template)
    data[FORMATS_KEY] = [_format_dict(f) for f in template.workshop_formats.all()]
    return data


def _parse_formats(raw: Any, component_keys: set[str]) -> list[dict[str, Any]]:
    errors: dict[str, list[str]] = {}
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ValidationError({FORMATS_KEY: [_("Debe ser una lista.")]})
    parsed: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        path = f"{FORMATS_KEY}[{index}]"
        if not isinstance(item, dict):
            errors.setdefault(path, []).append(_("Se esperaba un objeto."))
            continue
        unknown = set(item) - {"key", "component", "kind", "title", "agenda", "structure"}
        for key in sorted(unknown):
            errors.setdefault(f"{path}.{key}", []).append(_("Campo desconocido."))
        key = item.get("key")
        if not isinstance(key, str) or not key.strip() or len(key) > 60:
            errors.setdefault(f"{path}.key", []).append(_("Obligatorio (texto corto)."))
        elif key in seen:
            errors.setdefault(f"{path}.key", []).append(_("Clave repetida."))
        else:
            seen.add(key)
        if item.get("component") not in component_keys:
            errors.setdefault(f"{path}.component", []).append(_("No es un componente de la plantilla."))
        if item.get("kind") not in Kind.values:
            errors.setdefault(f"{path}.kind", []).append(_("Tipo de taller desconocido."))
        title = item.get("title")
        if not isinstance(title, str) or not title.strip() or len(title) > 200:
            errors.setdefault(f"{path}.title", []).append(_("Obligatorio (máximo 200 caracteres)."))
        agenda = item.get("agenda", "")
        if not isinstance(agenda, str):
            errors.setdefault(f"{path}.agenda", []).append(_("Debe ser texto."))
        structure = item.get("structure", {})
        if not isinstance(structure, dict):
            errors.setdefault(f"{path}.structure", []).append(_("Debe ser un objeto."))
        else:
            for skey in sorted(set(structure) - STRUCTURE_KEYS):
                errors.setdefault(f"{path}.structure.{skey}", []).append(_("Campo desconocido."))
            horizons = structure.get("horizons", [])
            if not isinstance(horizons, list) or not all(
                isinstance(h, int) and not isinstance(h, bool) for h in horizons
            ):
                errors.setdefault(f"{path}.structure.horizons", []).append(_("Debe ser una lista de años."))
        parsed.append(item)
    if errors:
        raise ValidationError(errors)
    return parsed


@transaction.atomic
def methodology_import(*, data: dict | str | bytes, actor) -> MethodologyTemplate:
    """Imports the programs part with the programs app, then the workshop formats. All or nothing."""
    ensure_perm(actor, "workshops.import_methodology")
    if isinstance(data, bytes):
        data = data.decode("utf-8-sig")
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError:
            return program_services.template_import(data=data, actor=actor)  # its parser words the error
    if not isinstance(data, dict):
        return program_services.template_import(data=data, actor=actor)
    data = copy.deepcopy(data)
    raw_formats = data.pop(FORMATS_KEY, None)
    component_keys = {c.get("key") for c in data.get("components", []) if isinstance(c, dict)}
    formats = _parse_formats(raw_formats, component_keys)
    template = program_services.template_import(data=data, actor=actor)
    template.workshop_formats.all().delete()
    for order, item in enumerate(formats, start=1):
        WorkshopFormat.objects.create(
            template=template,
            component_key=item["component"],
            key=item["key"].strip(),
            order=order,
            kind=item["kind"],
            title=item["title"].strip(),
            agenda=(item.get("agenda") or "").strip(),
            structure=item.get("structure") or {},
        )
    return template


def _structure_of(workshop: Workshop) -> dict[str, Any]:
    structure = {k: v for k, v in workshop.structure.items() if k in STRUCTURE_KEYS}
    if workshop.kind == Kind.CODESIGN:
        structure["dots_per_participant"] = workshop.dots_per_participant
    return structure


@transaction.atomic
def methodology_capture(*, actor, program: Program) -> list[WorkshopFormat]:
    """Writes the program's workshops, without their content, as its template's formats."""
    ensure_perm(actor, "workshops.import_methodology")
    template = program.template
    if template is None:
        raise ValidationError({"template": [_("El programa no tiene plantilla metodológica.")]})
    template.workshop_formats.all().delete()
    formats = []
    seen: set[str] = set()
    for order, workshop in enumerate(
        program.workshops.select_related("component").order_by("component__order", "id"), 1
    ):
        if workshop.component is None:
            continue
        key = workshop.format_key or f"{workshop.component.key}-{workshop.kind}"
        if key in seen:
            key = f"{key}-{order}"
        seen.add(key)
        formats.append(
            WorkshopFormat.objects.create(
                template=template,
                component_key=workshop.component.key,
                key=key,
                order=order,
                kind=workshop.kind,
                title=workshop.title,
                agenda=workshop.agenda,
                structure=_structure_of(workshop),
            )
        )
    return formats


def clean_replacements(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(old place, new place) pairs, stripped; a pair needs both names, and the new one may not be the old one."""
    errors: dict[str, list[str]] = {}
    clean = []
    for index, (old, new) in enumerate(pairs):
        old, new = (old or "").strip(), (new or "").strip()
        if not old and not new:
            continue
        if not old or not new:
            errors.setdefault(f"pair{index}", []).append(_("Indique el nombre de origen y el nuevo."))
        elif fold(old) == fold(new):
            errors.setdefault(f"pair{index}", []).append(_("El nombre nuevo es igual al de origen."))
        else:
            clean.append((old, new))
    if errors:
        raise ValidationError(errors)
    return clean


def place_mentions(program: Program, names: Sequence[str]) -> list[tuple[Workshop, list[str]]]:
    """The programme's workshops whose title or agenda still name one of `names` (for review after a copy).
    A multi-word place ("Gran Concepción") is also looked for by its last word ("Concepción")."""
    terms: set[str] = set()
    for name in names:
        name = (name or "").strip()
        if name:
            terms.add(name)
            last = name.split()[-1]
            if len(last) > 3 and last[:1].isupper():
                terms.add(last)
    found = []
    for workshop in program.workshops.order_by("component__order", "id"):
        text = f"{workshop.title}\n{workshop.agenda}"
        hits = sorted(t for t in terms if re.search(rf"(?<!\w){re.escape(t)}(?!\w)", text))
        if hits:
            found.append((workshop, hits))
    return found


def origin_places(program: Program) -> list[str]:
    """Place names a copy probably has to change: the jurisdiction of the programme the template's workshop
    formats were captured from, and the municipalities its formats name."""
    names: list[str] = []
    template = program.template
    if template is None:
        return names
    keys = list(template.workshop_formats.values_list("key", flat=True))
    origin = (
        Program.objects.filter(template=template, workshops__format_key__in=keys)
        .exclude(pk=program.pk)
        .select_related("jurisdiction")
        .order_by("created_at", "id")
        .first()
    )
    if origin is not None and origin.jurisdiction_id:
        names.append(origin.jurisdiction.name)
    for fmt in template.workshop_formats.all():
        for match in MUNICIPALITY.finditer(f"{fmt.title}\n{fmt.agenda}"):
            if match.group(0) not in names:
                names.append(match.group(0))
    return names


MUNICIPALITY = re.compile(r"Municipalidad de (?:[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+)(?: (?:de |del )?[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+)*")


def program_renaming(program: Program, replacements: Sequence[tuple[str, str]] = ()) -> Renaming:
    """How the template's texts read in `program`: the template's origin (programs.selectors.template_origin)
    renamed to the programme's jurisdiction, with the given (old place, new place) pairs on top."""
    template = program.template
    origin = program_selectors.template_origin(template, exclude=program) if template is not None else None
    automatic = territory_selectors.renaming_between(origin, program.jurisdiction)
    return automatic.merged(Renaming.of_pairs(clean_replacements(replacements), target=program.jurisdiction.name))


@transaction.atomic
def program_plan_workshops(
    *,
    actor,
    program: Program,
    replacements: Sequence[tuple[str, str]] = (),
    renaming: Renaming | None = None,
) -> list[Workshop]:
    """Creates the template's workshops in `program`, empty and undated. Skips formats already planned.

    The copied titles, agendas and structures are adapted to the programme's place (`program_renaming`: the
    template's origin city, its communes and region become the new place; agenda lines naming the origin's
    landmarks are dropped), and so are the workshops already planned from the template and not held yet.
    `replacements` are more (old place, new place) pairs, e.g. ("Municipalidad de Concepción", "Municipalidad de
    Padre Las Casas"); `renaming` replaces all of it. `place_mentions` then lists what still names a place, for a
    person to review.
    """
    ensure_perm(actor, "workshops.manage_workshop", program)
    if renaming is None:
        renaming = program_renaming(program, replacements)
    template = program.template
    if template is None:
        return []
    components = {c.key: c for c in program.components.all()}
    format_keys = set(template.workshop_formats.values_list("key", flat=True))
    for workshop in program.workshops.filter(format_key__in=format_keys, status=WorkshopStatus.PLANNED):
        title, agenda = renaming.line(workshop.title), renaming.text(workshop.agenda)
        if (title, agenda) != (workshop.title, workshop.agenda):
            services.workshop_update(actor=actor, workshop=workshop, title=title, agenda=agenda)
    existing = set(program.workshops.values_list("format_key", flat=True))
    created = []
    for fmt in template.workshop_formats.all():
        if fmt.key in existing or fmt.component_key not in components:
            continue
        structure = renaming.value(dict(fmt.structure))
        dots = structure.get("dots_per_participant", 3)
        created.append(
            services.workshop_create(
                actor=actor,
                program=program,
                component=components[fmt.component_key],
                kind=fmt.kind,
                title=renaming.line(fmt.title),
                agenda=renaming.text(fmt.agenda),
                structure=structure,
                format_key=fmt.key,
                dots_per_participant=dots if isinstance(dots, int) and 1 <= dots <= 20 else 3,
            )
        )
    return created
