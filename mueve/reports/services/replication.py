"""A new region's report catalogue, copied from a jurisdiction that already has one: its services (with their
questions and allowed answers) and its routing rules, each agency of the origin replaced by one of the new region.

What is copied: every service of the origin, and every rule that does not depend on one of the origin's areas (the
new region has its own areas, drawn from its own GeoJSON: a rule "luminarias en Talcahuano" means nothing there; its
manager adds rules by area later). The texts are adapted to the new place (territory.renaming). No service and no
rule of the copy points at an agency of the origin: the copy refuses to run until every one has its replacement.
Agencies of national level (ONEMI) serve every region and may stay.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core.permissions import ensure_perm
from mueve.reports.models import RoutingRule, Service
from mueve.reports.services.catalogue import AttributeSpec, service_upsert
from mueve.reports.services.routing import routing_rule_save
from mueve.stakeholders.models import Level, Organization
from mueve.territory.models import Jurisdiction
from mueve.territory.renaming import Renaming


@dataclass(frozen=True)
class CataloguePlan:
    """What copying `source`'s catalogue involves, for the form that maps its agencies and for the copy itself."""

    source: Jurisdiction
    services: list[Service]
    rules: list[RoutingRule]
    skipped_rules: list[RoutingRule]
    # The agencies the copied services and rules name, in order of first use: each needs its replacement.
    agencies: list[Organization]
    # Agencies that belong to the origin (everything its catalogue names, but national ones): no replacement may be
    # one of these.
    local_agency_ids: frozenset[int] = field(default_factory=frozenset)

    def may_stay(self, agency: Organization) -> bool:
        return agency.pk not in self.local_agency_ids


def catalogue_plan(source: Jurisdiction) -> CataloguePlan:
    services = list(
        Service.objects.filter(jurisdiction=source)
        .select_related("agency")
        .prefetch_related("attributes__values")
        .order_by("order", "code")
    )
    all_rules = list(
        RoutingRule.objects.filter(jurisdiction=source)
        .select_related("agency", "service")
        .prefetch_related("also_notify")
        .order_by("order", "id")
    )
    rules = [rule for rule in all_rules if rule.area_id is None]
    skipped = [rule for rule in all_rules if rule.area_id is not None]
    named: dict[int, Organization] = {}
    for service in services:
        if service.agency_id:
            named.setdefault(service.agency_id, service.agency)
    for rule in rules:
        named.setdefault(rule.agency_id, rule.agency)
        for other in rule.also_notify.all():
            named.setdefault(other.pk, other)
    everything = dict(named)
    for rule in skipped:
        everything.setdefault(rule.agency_id, rule.agency)
        for other in rule.also_notify.all():
            everything.setdefault(other.pk, other)
    local = frozenset(pk for pk, agency in everything.items() if agency.level != Level.NATIONAL)
    return CataloguePlan(
        source=source,
        services=services,
        rules=rules,
        skipped_rules=skipped,
        agencies=list(named.values()),
        local_agency_ids=local,
    )


@dataclass(frozen=True)
class CatalogueCopy:
    services: list[Service]
    rules: list[RoutingRule]
    skipped_rules: int


def agency_field(agency: Organization) -> str:
    """The error key (and form field) of the replacement for `agency`."""
    return f"agency_{agency.pk}"


def check_agency_map(plan: CataloguePlan, agencies: dict[int, Organization]) -> None:
    """Every agency of the plan has a replacement, and none is an agency of the origin."""
    errors: dict[str, list[str]] = {}
    for agency in plan.agencies:
        replacement = agencies.get(agency.pk)
        if replacement is None:
            errors[agency_field(agency)] = [
                _("Elija el organismo de la nueva región que reemplaza a «%(agency)s».") % {"agency": agency.name}
            ]
        elif replacement.pk in plan.local_agency_ids:
            errors[agency_field(agency)] = [
                _("«%(agency)s» es un organismo de %(place)s: elija uno de la nueva región o cree uno.")
                % {"agency": replacement.name, "place": plan.source.name}
            ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def catalogue_copy(
    *,
    source: Jurisdiction,
    target: Jurisdiction,
    agencies: dict[int, Organization],
    actor: User | None,
    renaming: Renaming | None = None,
) -> CatalogueCopy:
    """Copies `source`'s services and rules (not those by area) to `target`, with `agencies` (origin agency id →
    new agency) in place of the origin's agencies. Running it again updates the same services and rules."""
    if actor is not None:
        ensure_perm(actor, "reports.manage_services")
        ensure_perm(actor, "reports.manage_routing")
    if source.pk == target.pk:
        raise ValidationError({"source": [_("Elija otra jurisdicción de origen: es la misma región.")]})
    plan = catalogue_plan(source)
    if not plan.services:
        raise ValidationError({"source": [_("%(place)s no tiene servicios que copiar.") % {"place": source.name}]})
    check_agency_map(plan, agencies)
    renaming = renaming or Renaming(target=target.name)
    copied: dict[int, Service] = {}
    for service in plan.services:
        copied[service.pk] = service_upsert(
            jurisdiction=target,
            code=service.code,
            name=renaming.line(service.name),
            description=renaming.text(service.description),
            group=renaming.line(service.group),
            keywords=[renaming.line(word) for word in service.keyword_list],
            type=service.type,
            default_severity=service.default_severity,
            agency=agencies[service.agency_id] if service.agency_id else None,
            alert_category=service.alert_category,
            alert_subcategory=service.alert_subcategory,
            order=service.order,
            active=service.active,
            attributes=[
                AttributeSpec(
                    code=attribute.code,
                    datatype=attribute.datatype,
                    description=renaming.text(attribute.description),
                    required=attribute.required,
                    variable=attribute.variable,
                    datatype_description=renaming.line(attribute.datatype_description),
                    order=attribute.order,
                    values=[(value.key, renaming.line(value.name)) for value in attribute.values.all()],
                )
                for attribute in service.attributes.all()
            ],
            fusion_radius_m=service.fusion_radius_m,
            fusion_window_minutes=service.fusion_window_minutes,
            moderate_photos=service.moderate_photos,
            moderate_text=service.moderate_text,
            actor=actor,
        )
    rules = [
        routing_rule_save(
            jurisdiction=target,
            agency=agencies[rule.agency_id],
            service=copied[rule.service_id] if rule.service_id else None,
            attribute_code=rule.attribute_code,
            attribute_value=rule.attribute_value,
            also_notify=[agencies[other.pk] for other in rule.also_notify.all()],
            order=rule.order,
            name=renaming.line(rule.name),
            active=rule.active,
            actor=actor,
        )
        for rule in plan.rules
    ]
    return CatalogueCopy(services=list(copied.values()), rules=rules, skipped_rules=len(plan.skipped_rules))
