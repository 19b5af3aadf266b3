"""The service catalogue: what citizens can report in a jurisdiction, and the questions (attributes) each service
asks. The catalogue, the Open311 keys and the routing rules are the reference data that the Open311 lookups keep
for a few seconds (see `reference_data_changed`)."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.reports import events, selectors
from mueve.reports.models import AttributeValue, Service, ServiceAttribute, Severity
from mueve.stakeholders.models import Organization
from mueve.territory.models import Jurisdiction

Datatype = ServiceAttribute.Datatype


@dataclass
class AttributeSpec:
    """One attribute of a service definition, as `service_upsert` takes it."""

    code: str
    datatype: str
    description: str
    required: bool = False
    variable: bool = True
    datatype_description: str = ""
    order: int = 1
    values: list[tuple[str, str]] = field(default_factory=list)


@transaction.atomic
def service_upsert(
    *,
    jurisdiction: Jurisdiction,
    code: str,
    name: str,
    alert_category: str,
    alert_subcategory: str = "",
    description: str = "",
    group: str = "",
    keywords: list[str] | tuple[str, ...] = (),
    type: str = Service.Type.REALTIME,
    default_severity: str = Severity.MEDIUM,
    agency: Organization | None = None,
    order: int = 0,
    active: bool = True,
    attributes: list[AttributeSpec] | None = None,
    fusion_radius_m: int | None = None,
    fusion_window_minutes: int | None = None,
    moderate_photos: bool | None = None,
    moderate_text: bool | None = None,
    actor: User | None = None,
) -> Service:
    """Creates or updates a service by (jurisdiction, code). Given `attributes` replace the definition;
    fusion and moderation settings left as None keep their current (or default) values: by default a report's
    photos wait for an operator's approval before they are public, its text does not."""
    if actor is not None:
        ensure_perm(actor, "reports.manage_services", jurisdiction)
    service = Service.objects.filter(jurisdiction=jurisdiction, code=code).first() or Service(
        jurisdiction=jurisdiction, code=code
    )
    service.name = (name or "").strip()
    service.description = (description or "").strip()
    service.group = (group or "").strip()
    service.keywords = ", ".join(word.strip() for word in keywords if word.strip())
    service.type = type
    service.default_severity = default_severity
    service.agency = agency
    service.alert_category = alert_category
    service.alert_subcategory = alert_subcategory
    service.order = order
    service.active = active
    if fusion_radius_m is not None:
        service.fusion_radius_m = fusion_radius_m
    if fusion_window_minutes is not None:
        service.fusion_window_minutes = fusion_window_minutes
    if moderate_photos is not None:
        service.moderate_photos = moderate_photos
    if moderate_text is not None:
        service.moderate_text = moderate_text
    if attributes is not None:
        service.metadata = bool(attributes)
    service.full_clean()
    service.save()
    if attributes is not None:
        _replace_attributes(service, attributes)
    reference_data_changed()
    publish(events.SERVICE_SAVED, events.service_payload(jurisdiction=jurisdiction, code=service.code))
    return service


def reference_data_changed() -> None:
    """Services, keys or rules changed (here or in the admin): this process's Open311 lookups (see
    selectors.REFERENCE_TTL_SECONDS) forget the old ones now, and again once the change is committed (a request in
    between may have read the old rows)."""
    selectors.forget_reference_data()
    transaction.on_commit(selectors.forget_reference_data)


def _replace_attributes(service: Service, specs: list[AttributeSpec]) -> None:
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for spec in specs:
        label = f"attribute[{spec.code}]"
        if spec.code in seen:
            errors.setdefault(label, []).append(_("Código de atributo repetido."))
        seen.add(spec.code)
        is_list = spec.datatype in (Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST)
        if is_list and not spec.values:
            errors.setdefault(label, []).append(_("Una lista necesita al menos un valor permitido."))
        if not is_list and spec.values:
            errors.setdefault(label, []).append(_("Solo las listas tienen valores permitidos."))
    if errors:
        raise ValidationError(errors)
    service.attributes.exclude(code__in=seen).delete()
    for spec in specs:
        attribute = service.attributes.filter(code=spec.code).first() or ServiceAttribute(
            service=service, code=spec.code
        )
        attribute.datatype = spec.datatype
        attribute.description = spec.description
        attribute.required = spec.required and spec.variable
        attribute.variable = spec.variable
        attribute.datatype_description = spec.datatype_description
        attribute.order = spec.order
        try:
            attribute.full_clean()
        except ValidationError as exc:
            raise ValidationError({f"attribute[{spec.code}]": sum(exc.message_dict.values(), [])}) from exc
        attribute.save()
        keys = [key for key, _name in spec.values]
        attribute.values.exclude(key__in=keys).delete()
        for position, (key, name) in enumerate(spec.values):
            AttributeValue.objects.update_or_create(
                attribute=attribute, key=key, defaults={"name": name, "order": position}
            )
