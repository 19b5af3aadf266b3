from datetime import datetime

from ninja import Schema

from mueve.core.schemas import choice
from mueve.workshops.models import Kind, RegistrationStatus, WorkshopStatus


class WorkshopOut(Schema):
    slug: str
    title: str
    kind: choice(Kind.values)
    status: choice(WorkshopStatus.values)
    program: str
    component: str | None
    starts_at: datetime | None
    ends_at: datetime | None
    venue: str
    agenda: list[str]
    public_registration: bool
    capacity: int | None
    registration_closes_at: datetime | None

    @staticmethod
    def resolve_program(obj) -> str:
        return obj.program.slug

    @staticmethod
    def resolve_component(obj) -> str | None:
        return obj.component.key if obj.component else None

    @staticmethod
    def resolve_venue(obj) -> str:
        parts = [obj.venue_organization.name if obj.venue_organization else "", obj.venue_address]
        return ", ".join(p for p in parts if p)

    @staticmethod
    def resolve_agenda(obj) -> list[str]:
        return obj.agenda_items


class WorkshopPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[WorkshopOut]


class ProgressNodeOut(Schema):
    ref: str
    label: str
    kind: str
    progress: float
    status: str
    responsible: str
    children: list["ProgressNodeOut"]


ProgressNodeOut.model_rebuild()


class WorkshopRegistrationOut(Schema):
    """The caller's own registration: no other registrant is ever named or counted by person."""

    workshop: str
    status: choice(RegistrationStatus.values)
    position: int | None = None  # in the waiting list, 1 = next to get a seat
    seats_left: int | None = None  # None: no limit
    waitlisted: int
