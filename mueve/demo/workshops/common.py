"""Shared helpers of the demo's workshops: the programme, dates, institutions, workshops and registrations."""

from collections import Counter
from datetime import date, datetime, time

from django.utils import timezone

from mueve.programs.models import Program
from mueve.stakeholders.models import Organization
from mueve.workshops import services
from mueve.workshops.models import (
    ParticipantRole,
    Workshop,
)

PROGRAM_SLUG = "smart-city-gran-concepcion"
GENERATED = "(Dato generado para la demostración.)"
ASSIGNMENT_SEED = 20141015


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _org(slug: str) -> Organization:
    return Organization.objects.get(slug=slug)


def _workshop(actor, program: Program, key: str, **fields) -> Workshop:
    existing = program.workshops.filter(format_key=key).first()
    if existing is not None:
        return existing
    components = {c.key: c for c in program.components.all()}
    component = components[fields.pop("component")]
    minutes = fields.pop("minutes", "")
    workshop = services.workshop_create(actor=actor, program=program, component=component, format_key=key, **fields)
    if minutes:
        services.workshop_update(actor=actor, workshop=workshop, minutes=minutes, status="held")
    return workshop


def _register(actor, workshop: Workshop, slugs: list[str], role=ParticipantRole.PARTICIPANT, groups=()) -> list:
    """One participant per institution (names generated), all attended. With `groups`, the institutions are dealt
    sector by sector round the tables, so every table mixes stakeholders (the seed's "four mixed groups")."""
    out = []
    orgs = [_org(slug) for slug in slugs]
    seat = {}
    if groups:
        # Scarcest sectors first, so that each table gets one of them before any table gets a second.
        per_sector = Counter(o.sector for o in orgs)
        for i, org in enumerate(sorted(orgs, key=lambda o: (per_sector[o.sector], o.sector, o.slug))):
            seat[org.pk] = groups[i % len(groups)]
    for n, org in enumerate(orgs, start=1):
        services.invitation_add(actor=actor, workshop=workshop, organization=org, role=role)
        label = org.acronym or org.name
        registration = services.registration_add(
            actor=actor,
            workshop=workshop,
            full_name=f"Participante {n} — {label}",
            organization=org,
            role=role,
            group=seat.get(org.pk),
        )
        out.append(registration)
    services.attendance_set(actor=actor, workshop=workshop, attended_ids={r.pk for r in workshop.registrations.all()})
    return out
