from datetime import datetime

from ninja import Schema

from mueve.competitions.models import SelectionKind, StageKind
from mueve.core.schemas import choice


class StageOut(Schema):
    kind: choice(StageKind.values)
    starts_at: datetime
    ends_at: datetime


class CompetitionOut(Schema):
    slug: str
    name: str
    program: str
    summary: str
    required_skills: list[str]
    registration_open: bool
    results_published: bool
    stages: list[StageOut]

    @staticmethod
    def resolve_program(obj) -> str:
        return obj.program.slug

    @staticmethod
    def resolve_stages(obj) -> list:
        return list(obj.stages.all())


class CompetitionPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[CompetitionOut]


class RankingRowOut(Schema):
    position: int
    team: str
    category: str
    main_score: float | None
    selection: choice(["", *SelectionKind.values])
    justification: str


class RoundResultOut(Schema):
    round: str
    stage: choice(StageKind.values)
    tie_break: str
    method: str
    ranking: list[RankingRowOut]


class ResultsOut(Schema):
    competition: str
    winners: list[str]
    rounds: list[RoundResultOut]
    funnel: dict[str, int]
