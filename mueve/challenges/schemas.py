from datetime import datetime
from typing import Annotated

from django.urls import reverse
from ninja import Schema
from pydantic import Field

from mueve.challenges.models import AddressedVia, Challenge, Comment, Kind, Status
from mueve.challenges.selectors import addressed_by, comment_author_name, support_count
from mueve.challenges.services import COMMENT_MAX
from mueve.core.schemas import Text, choice

TITLE_MAX_LENGTH = Challenge._meta.get_field("title").max_length

StatusValue = choice(Status.values)
KindValue = choice(Kind.values)
# Empty until the challenge is addressed; a transition to «addressing» sends one.
AddressedViaValue = choice(["", *AddressedVia.values])

# Ids as the database stores them (64-bit): anything larger is a 422, not a query that overflows.
InterviewId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class StatusChangeOut(Schema):
    from_status: choice(["", *Status.values]) = Field(..., description="Vacío en el primer registro.")
    to_status: StatusValue
    to_status_label: str
    note: str
    at: datetime

    @staticmethod
    def resolve_to_status_label(obj) -> str:
        return str(obj.get_to_status_display())

    @staticmethod
    def resolve_at(obj) -> datetime:
        return obj.created_at


class AddressedByOut(Schema):
    kind: choice(["competition", "concept"]) = Field(
        ..., description="«competition» (una competencia que lo ofrece) o «concept» (un concepto de taller)."
    )
    kind_label: str
    name: str
    url: str
    workshop: str = Field("", description="Para un concepto, el taller en que se creó.")


class ChallengeOut(Schema):
    slug: str
    title: str
    kind: KindValue
    kind_label: str
    status: StatusValue
    status_label: str
    program: str
    program_name: str
    owner: str
    owner_name: str
    component: str | None
    addressed_via: AddressedViaValue
    addressed_by: list[AddressedByOut] = Field(
        ..., description="Lo que aborda el desafío: las competencias que lo ofrecen y los conceptos creados para él."
    )
    url: str
    support_count: int = Field(..., description="Cuántas personas apoyan el desafío (una vez por cuenta).")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_support_count(obj) -> int:
        return support_count(obj)

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_program(obj) -> str:
        return obj.program.slug

    @staticmethod
    def resolve_program_name(obj) -> str:
        return obj.program.name

    @staticmethod
    def resolve_owner(obj) -> str:
        return obj.owner.slug

    @staticmethod
    def resolve_owner_name(obj) -> str:
        return obj.owner.name

    @staticmethod
    def resolve_component(obj) -> str | None:
        return obj.component.key if obj.component_id else None

    @staticmethod
    def resolve_addressed_by(obj, context) -> list:
        return addressed_by(obj, user=context["request"].user)

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("challenges:detail", kwargs={"slug": obj.slug})


class ChallengeDetailOut(ChallengeOut):
    description: str
    history: list[StatusChangeOut]

    @staticmethod
    def resolve_history(obj) -> list:
        return list(obj.status_changes.all())


class ChallengePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ChallengeOut]


class ChallengeIn(Schema):
    program: Text = Field(..., description="Slug del programa.")
    title: Text = Field(..., max_length=TITLE_MAX_LENGTH, description="El desafío como pregunta: «¿Cómo …?».")
    owner: Text = Field(..., description="Slug de la institución dueña.")
    kind: KindValue = Field(..., description="«concrete» o «abstract».")
    description: Text = ""
    component: Text | None = Field(None, description="Clave del componente del programa, p. ej. «codesign».")
    interviews: list[InterviewId] = Field(default_factory=list, description="Ids de entrevistas de origen.")


class ChallengePatch(Schema):
    title: Text | None = Field(None, max_length=TITLE_MAX_LENGTH)
    description: Text | None = None
    owner: Text | None = Field(None, description="Slug de la institución dueña.")
    kind: KindValue | None = None
    component: Text | None = Field(None, description="Clave del componente; cadena vacía lo quita.")
    interviews: list[InterviewId] | None = None


class TransitionIn(Schema):
    to_status: StatusValue = Field(..., description="El estado al que pasa; solo se avanza de a un paso.")
    note: Text = ""
    addressed_via: AddressedViaValue = Field("", description="«concept» o «competition» (al pasar a «addressing»).")


# --- taking part ---------------------------------------------------------------------------------------------------


class ParticipationOut(Schema):
    """The caller's part in a public challenge after the action."""

    following: bool
    supporting: bool
    support_count: int


class CommentOut(Schema):
    id: int
    author: str = Field(..., description="Nombre e inicial del apellido; «Cuenta eliminada» si la cuenta ya no existe.")
    text: str
    status: choice(Comment.Status.values) = Field(
        ..., description="«published»; «pending» mientras espera moderación (solo lo ve quien lo escribió)."
    )
    status_label: str
    created_at: datetime

    @staticmethod
    def resolve_author(obj) -> str:
        return comment_author_name(obj)

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class CommentPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[CommentOut]


class CommentIn(Schema):
    text: Text = Field(..., max_length=COMMENT_MAX, description="El comentario (no vacío).")
