"""Methodology templates: the replicable JSON export, its validation and its import.

Importing a file whose slug already exists UPDATES that template in place (atomically: its
components and phases are replaced by the file's). Programs already created from it keep their own
copies, so they are not affected. Nothing is written if the file has any error.
"""

import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator, validate_slug
from django.db import transaction
from django.utils.translation import gettext as _

from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.core.text import has_lone_surrogates
from mueve.programs import events
from mueve.programs.models import MethodologyTemplate, TemplateComponent, TemplatePhase

TEMPLATE_FORMAT = "mueve.methodology"
TEMPLATE_VERSION = 1
MAX_COMPONENTS = 30
MAX_PHASES = 30
# Program slugs that would collide with the fixed pages under /programas/.


def template_export(*, template: MethodologyTemplate) -> dict[str, Any]:
    """The replicable form of a template. Uses prefetched components/phases when present."""
    return {
        "format": TEMPLATE_FORMAT,
        "version": TEMPLATE_VERSION,
        "slug": template.slug,
        "name": template.name,
        "description": template.description,
        "source": template.source,
        "components": [
            {
                "key": component.key,
                "name": component.name,
                "theme": component.theme,
                "objective": component.objective,
                "audience": component.audience,
                "phases": [{"name": phase.name, "description": phase.description} for phase in component.phases.all()],
            }
            for component in template.components.all()
        ],
    }


@dataclass
class _ParsedPhase:
    name: str
    description: str


@dataclass
class _ParsedComponent:
    key: str
    name: str
    theme: str
    objective: str
    audience: str
    phases: list[_ParsedPhase]


@dataclass
class _ParsedTemplate:
    slug: str
    name: str
    description: str
    source: str
    components: list[_ParsedComponent]


def _max_length(model, field: str) -> int | None:
    return model._meta.get_field(field).max_length


class _TemplateReader:
    """Validates an import document, collecting every error under its JSON path."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def error(self, path: str, message: str) -> None:
        self.errors.setdefault(path or "__all__", []).append(message)

    def unknown_keys(self, obj: dict, allowed: set[str], prefix: str) -> None:
        for key in obj:
            if key not in allowed:
                self.error(f"{prefix}{key}", _("Campo desconocido."))

    def text(self, obj: dict, key: str, path: str, *, required: bool, max_length: int | None) -> str:
        if key not in obj or obj[key] is None:
            if required:
                self.error(path, _("Obligatorio."))
            return ""
        value = obj[key]
        if not isinstance(value, str):
            self.error(path, _("Debe ser texto."))
            return ""
        value = value.strip()
        if "\x00" in value:
            self.error(path, str(ProhibitNullCharactersValidator.message))
        elif required and not value:
            self.error(path, _("Obligatorio."))
        elif max_length and len(value) > max_length:
            self.error(path, _("Máximo %(n)d caracteres.") % {"n": max_length})
        return value

    def slug(self, obj: dict, key: str, path: str, *, max_length: int | None) -> str:
        value = self.text(obj, key, path, required=True, max_length=max_length)
        if value:
            try:
                validate_slug(value)
            except ValidationError:
                self.error(path, _("Use solo letras sin tilde, números, guiones y guiones bajos."))
        return value

    def read(self, data: Any) -> _ParsedTemplate | None:
        if not isinstance(data, dict):
            self.error("__all__", _("Se esperaba un objeto JSON."))
            return None
        self.unknown_keys(data, {"format", "version", "slug", "name", "description", "source", "components"}, "")
        if data.get("format") != TEMPLATE_FORMAT:
            self.error("format", _("Debe ser «%(format)s».") % {"format": TEMPLATE_FORMAT})
        version = data.get("version")
        if isinstance(version, bool) or version != TEMPLATE_VERSION:
            self.error("version", _("Versión no soportada: se admite %(v)d.") % {"v": TEMPLATE_VERSION})
        slug = self.slug(data, "slug", "slug", max_length=_max_length(MethodologyTemplate, "slug"))
        name = self.text(data, "name", "name", required=True, max_length=_max_length(MethodologyTemplate, "name"))
        description = self.text(data, "description", "description", required=False, max_length=None)
        source = self.text(
            data, "source", "source", required=False, max_length=_max_length(MethodologyTemplate, "source")
        )
        components = self.components(data.get("components"))
        if self.errors:
            return None
        return _ParsedTemplate(slug, name, description, source, components)

    def components(self, raw: Any) -> list[_ParsedComponent]:
        if raw is None:
            self.error("components", _("Obligatorio."))
            return []
        if not isinstance(raw, list):
            self.error("components", _("Debe ser una lista."))
            return []
        if not raw:
            self.error("components", _("Debe tener al menos un componente."))
        if len(raw) > MAX_COMPONENTS:
            self.error("components", _("Máximo %(n)d componentes.") % {"n": MAX_COMPONENTS})
            return []
        parsed: list[_ParsedComponent] = []
        seen_keys: dict[str, int] = {}
        for i, item in enumerate(raw):
            path = f"components[{i}]"
            if not isinstance(item, dict):
                self.error(path, _("Debe ser un objeto."))
                continue
            self.unknown_keys(item, {"key", "name", "theme", "objective", "audience", "phases"}, f"{path}.")
            key = self.slug(item, "key", f"{path}.key", max_length=_max_length(TemplateComponent, "key"))
            if key and key in seen_keys:
                self.error(f"{path}.key", _("Clave repetida: ya la usa components[%(i)d].") % {"i": seen_keys[key]})
            elif key:
                seen_keys[key] = i
            name = self.text(
                item, "name", f"{path}.name", required=True, max_length=_max_length(TemplateComponent, "name")
            )
            theme = self.text(
                item, "theme", f"{path}.theme", required=False, max_length=_max_length(TemplateComponent, "theme")
            )
            objective = self.text(item, "objective", f"{path}.objective", required=False, max_length=None)
            audience = self.text(
                item,
                "audience",
                f"{path}.audience",
                required=False,
                max_length=_max_length(TemplateComponent, "audience"),
            )
            phases = self.phases(item.get("phases"), f"{path}.phases")
            parsed.append(_ParsedComponent(key, name, theme, objective, audience, phases))
        return parsed

    def phases(self, raw: Any, path: str) -> list[_ParsedPhase]:
        if raw is None:
            self.error(path, _("Obligatorio."))
            return []
        if not isinstance(raw, list):
            self.error(path, _("Debe ser una lista."))
            return []
        if not raw:
            self.error(path, _("Debe tener al menos una fase."))
        if len(raw) > MAX_PHASES:
            self.error(path, _("Máximo %(n)d fases.") % {"n": MAX_PHASES})
            return []
        parsed: list[_ParsedPhase] = []
        for j, item in enumerate(raw):
            phase_path = f"{path}[{j}]"
            if not isinstance(item, dict):
                self.error(phase_path, _("Debe ser un objeto."))
                continue
            self.unknown_keys(item, {"name", "description"}, f"{phase_path}.")
            name = self.text(
                item, "name", f"{phase_path}.name", required=True, max_length=_max_length(TemplatePhase, "name")
            )
            description = self.text(item, "description", f"{phase_path}.description", required=False, max_length=None)
            parsed.append(_ParsedPhase(name, description))
        return parsed


def template_parse(data: dict | str | bytes) -> _ParsedTemplate:
    """Validate an import document without writing anything. Errors are keyed by JSON path."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError({"__all__": [_("El archivo no está en UTF-8.")]}) from exc
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                {
                    "__all__": [
                        _("No es JSON válido (línea %(line)d, columna %(col)d).")
                        % {"line": exc.lineno, "col": exc.colno}
                    ]
                }
            ) from exc
        except RecursionError as exc:  # arrays or objects nested thousands deep
            raise ValidationError({"__all__": [_("El JSON tiene demasiados niveles de anidamiento.")]}) from exc
    if has_lone_surrogates(data):
        raise ValidationError({"__all__": [_("El JSON contiene caracteres Unicode inválidos.")]})
    reader = _TemplateReader()
    parsed = reader.read(data)
    if parsed is None:
        raise ValidationError(reader.errors)
    return parsed


@transaction.atomic
def template_import_detailed(*, data: dict | str | bytes, actor) -> tuple[MethodologyTemplate, bool]:
    """Like `template_import`, and also says whether the template was created (True) or updated."""
    ensure_perm(actor, "programs.import_template")
    parsed = template_parse(data)
    template = MethodologyTemplate.objects.select_for_update().filter(slug=parsed.slug).first()
    created = template is None
    if template is None:
        template = MethodologyTemplate(slug=parsed.slug)
    else:
        current = template_export(template=template)
        if current == _parsed_as_export(parsed):
            return template, False
    template.name = parsed.name
    template.description = parsed.description
    template.source = parsed.source
    template.full_clean()
    template.save()
    # Programs copy components and phases when they are created, so replacing them is safe.
    template.components.all().delete()
    for order, comp in enumerate(parsed.components, start=1):
        component = TemplateComponent.objects.create(
            template=template,
            order=order,
            key=comp.key,
            name=comp.name,
            theme=comp.theme,
            objective=comp.objective,
            audience=comp.audience,
        )
        TemplatePhase.objects.bulk_create(
            TemplatePhase(component=component, order=j, name=phase.name, description=phase.description)
            for j, phase in enumerate(comp.phases, start=1)
        )
    publish(events.TEMPLATE_IMPORTED, events.template_imported_payload(template, created=created))
    return template, created


def template_import(*, data: dict | str | bytes, actor) -> MethodologyTemplate:
    """Create or update (by slug) a methodology template from its JSON export. All or nothing."""
    return template_import_detailed(data=data, actor=actor)[0]


def _parsed_as_export(parsed: _ParsedTemplate) -> dict[str, Any]:
    return {
        "format": TEMPLATE_FORMAT,
        "version": TEMPLATE_VERSION,
        "slug": parsed.slug,
        "name": parsed.name,
        "description": parsed.description,
        "source": parsed.source,
        "components": [
            {
                "key": c.key,
                "name": c.name,
                "theme": c.theme,
                "objective": c.objective,
                "audience": c.audience,
                "phases": [{"name": p.name, "description": p.description} for p in c.phases],
            }
            for c in parsed.components
        ],
    }
