"""Reads for competitions: what each person may see, the jury's aggregate, the funnel.

The aggregation itself is helper G's pure code (mueve.competitions.scoring); this module only turns
rows into its plain inputs and its results into something templates and the CSV can show.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from mueve.competitions import rules as crules
from mueve.competitions.models import (
    CORE_SKILLS,
    Clinic,
    ClinicRegistration,
    Competition,
    MentorAssignment,
    MilestoneStatus,
    Participant,
    Round,
    RoundStatus,
    Score,
    Selection,
    SelectionKind,
    StageKind,
    Submission,
    Team,
    TeamStatus,
)
from mueve.programs import selectors as program_selectors

# Main ranking: exact Kemeny up to this many teams (the seed had 14), Copeland beyond.
KEMENY_LIMIT = 20


def competition_list_for(*, user) -> QuerySet[Competition]:
    """Published competitions of public programmes, and every competition of the programmes `user` manages."""
    qs = Competition.objects.select_related("program").order_by("-created_at", "-id")
    managed = program_selectors.programs_managed_by(user)
    if managed is None:
        return qs
    visible = Q(is_published=True, program__is_public=True)
    if user is not None and user.is_authenticated:
        visible |= Q(program__in=managed.values("pk"))
    return qs.filter(visible)


def competition_get_for(*, user, slug: str) -> Competition:
    competition = Competition.objects.select_related("program").filter(slug=slug).first()
    if competition is None or not (user or _anon()).has_perm("competitions.view_competition", competition):
        raise Http404
    return competition


def _anon():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def participant_of(*, user, competition: Competition) -> Participant | None:
    if user is None or not user.is_authenticated:
        return None
    return Participant.objects.filter(competition=competition, user=user).select_related("team").first()


def team_get_for(*, user, competition: Competition, team_id: int) -> Team:
    """A team page: anyone may see the public part (name, challenge, members' first names)."""
    team = competition.teams.select_related("challenge", "challenge__owner", "captain").filter(pk=team_id).first()
    if team is None:
        raise Http404
    return team


def can_view_private(user, team: Team) -> bool:
    return bool(user is not None and user.has_perm("competitions.view_team_private", team))


def submissions_for(*, user, team: Team) -> QuerySet[Submission]:
    if not can_view_private(user, team):
        return Submission.objects.none()
    return team.submissions.order_by("stage", "-version")


def team_skill_matrix(competition: Competition, team: Team) -> list[tuple[str, bool]]:
    covered = {s for m in team.members.all() for s in m.skills}
    return [(str(label), value in covered) for value, label in _skill_labels() if value in competition.required_skills]


def _skill_labels():
    from mueve.competitions.models import Skill

    return Skill.choices


# What each stage's submission must contain: (field, label). Video is optional for the hackathon.
REQUIRED_ITEMS = {
    StageKind.HACKATHON: (
        ("concept", gettext_lazy("Concepto")),
        ("deck", gettext_lazy("Presentación del pitch (3 minutos)")),
    ),
    StageKind.ACCELERATION: (
        ("prototype_url", gettext_lazy("Prototipo mínimo viable (enlace)")),
        ("repository_url", gettext_lazy("Repositorio")),
        ("demo_url", gettext_lazy("Demostración")),
        ("business_plan", gettext_lazy("Plan de negocios básico")),
        ("deck", gettext_lazy("Pitch final")),
    ),
}


def missing_skills(competition: Competition, members: Iterable[Participant]) -> list[str]:
    covered = {s for m in members for s in m.skills}
    return [s for s in competition.required_skills if s not in covered]


def latest_submission(team: Team, stage: str) -> Submission | None:
    return team.submissions.filter(stage=stage).order_by("-version").first()


def checklist(stage: str, submission: Submission | None) -> list[tuple[str, bool]]:
    items = REQUIRED_ITEMS.get(stage, ())
    return [(str(label), bool(submission is not None and getattr(submission, field))) for field, label in items]


def selected_in_first_round(team: Team) -> bool:
    return Selection.objects.filter(
        team=team, round__stage=StageKind.FIRST_SELECTION, round__status=RoundStatus.CLOSED
    ).exists()


# --- matching ------------------------------------------------------------------------------------


@dataclass
class Proposal:
    groups: list[list[Participant]]
    leftover: list[Participant] = field(default_factory=list)


def team_proposals(*, competition: Competition) -> Proposal:
    """Teams for people without one: each covers design, business and technology, sizes differ by
    at most one. Greedy: the scarcest skill seeds the groups (one per holder, as many groups as the
    scarcest skill allows), then each other person joins the smallest group that lacks a skill they
    have, else the smallest group. Deterministic (ordered by registration)."""
    free = list(competition.participants.filter(team__isnull=True).select_related("user").order_by("created_at", "pk"))
    required = [s for s in CORE_SKILLS if s in competition.required_skills] or list(CORE_SKILLS)
    holders = {s: [p for p in free if s in p.skills] for s in required}
    n_groups = min(
        min(len(h) for h in holders.values()),
        len(free) // max(competition.min_team_size, 1),
    )
    if n_groups <= 0:
        return Proposal(groups=[], leftover=free)
    scarcest = min(required, key=lambda s: len(holders[s]))
    groups: list[list[Participant]] = [[p] for p in holders[scarcest][:n_groups]]
    placed = {p.pk for g in groups for p in g}
    rest = [p for p in free if p.pk not in placed]
    # People with fewer skills are placed first: they are the hardest to fit.
    rest.sort(key=lambda p: (len([s for s in p.skills if s in required]), p.created_at, p.pk))
    leftover = []
    for person in rest:
        room = [g for g in groups if len(g) < competition.max_team_size]
        if not room:
            leftover.append(person)
            continue

        useful = [g for g in room if _adds_missing_skill(person, g, required)]
        target = min(useful or room, key=len)
        target.append(person)
    return Proposal(groups=groups, leftover=leftover)


def _adds_missing_skill(person: Participant, group: list[Participant], required: list[str]) -> bool:
    covered = {s for m in group for s in m.skills}
    return any(s in person.skills and s not in covered for s in required)


# --- jury ----------------------------------------------------------------------------------------


def eligible_teams(round_: Round) -> QuerySet[Team]:
    """Active teams with a submission for the round's stage (and, for the final, selected before)."""
    teams = round_.competition.teams.filter(status=TeamStatus.ACTIVE, submissions__stage=round_.submission_stage)
    if round_.stage == StageKind.FINAL:
        teams = teams.filter(
            selections__round__stage=StageKind.FIRST_SELECTION, selections__round__status=RoundStatus.CLOSED
        )
    return teams.distinct().order_by("pk")


def conflicts_by_juror(competition: Competition, jurors) -> dict[int, set[int]]:
    """juror id → ids of the teams they are conflicted with, in three queries; the same definition
    as rules.conflicted (declared, mentor of the team, same organization as a member)."""
    from mueve.competitions.models import Conflict

    jurors = list(jurors)
    out: dict[int, set[int]] = {j.pk: set() for j in jurors}
    ids = list(out)
    for juror_id, team_id in Conflict.objects.filter(team__competition=competition, juror_id__in=ids).values_list(
        "juror_id", "team_id"
    ):
        out[juror_id].add(team_id)
    for mentor_id, team_id in MentorAssignment.objects.filter(
        team__competition=competition, mentor_id__in=ids
    ).values_list("mentor_id", "team_id"):
        out[mentor_id].add(team_id)
    orgs: dict[int, set[int]] = {}
    for org_id, team_id in competition.participants.filter(
        team__isnull=False, user__organization__isnull=False
    ).values_list("user__organization_id", "team_id"):
        orgs.setdefault(org_id, set()).add(team_id)
    for juror in jurors:
        if juror.organization_id in orgs:
            out[juror.pk] |= orgs[juror.organization_id]
    return out


def teams_for_juror(*, round_: Round, user) -> list[Team]:
    """The teams a juror evaluates: eligible ones minus every conflict (declared or implicit)."""
    if user is None or not user.is_authenticated:
        return []
    blocked = conflicts_by_juror(round_.competition, [user])[user.pk]
    return [t for t in eligible_teams(round_).select_related("challenge") if t.pk not in blocked]


def conflicted_teams(*, round_: Round, user) -> list[Team]:
    if user is None or not user.is_authenticated:
        return []
    blocked = conflicts_by_juror(round_.competition, [user])[user.pk]
    return [t for t in eligible_teams(round_) if t.pk in blocked]


def scores_visible_to(*, round_: Round, user) -> QuerySet[Score]:
    """Organizers see every score; a juror sees only their own until the round closes."""
    qs = round_.scores.select_related("criterion", "team", "juror")
    if user is not None and user.has_perm("competitions.view_all_scores", round_):
        return qs
    if user is not None and crules.on_panel(user, round_):
        if round_.status == RoundStatus.CLOSED:
            return qs
        return qs.filter(juror=user)
    return Score.objects.none()


def my_scores(*, round_: Round, user) -> dict[int, dict]:
    """team id → {"values": {criterion id: value}, "comment": str} for the juror's own rubric."""
    out: dict[int, dict] = {}
    for score in round_.scores.filter(juror=user):
        entry = out.setdefault(score.team_id, {"values": {}, "comment": score.comment})
        entry["values"][score.criterion_id] = score.value
    return out


def round_progress(*, round_: Round) -> list[dict]:
    """Per juror: teams scored of teams to score (organizers; no values)."""
    teams = list(eligible_teams(round_))
    n_criteria = round_.criteria.count()
    rows = []
    jurors = list(round_.jurors.order_by("username"))
    blocked = conflicts_by_juror(round_.competition, jurors)
    for juror in jurors:
        expected = [t for t in teams if t.pk not in blocked[juror.pk]]
        done = round_.scores.filter(juror=juror).values("team").annotate(n=Count("pk")).filter(n=n_criteria).count()
        rows.append({"juror": juror, "expected": len(expected), "done": done, "recused": len(teams) - len(expected)})
    return rows


@dataclass
class Aggregate:
    method: str
    order: list[int]
    kemeny: dict | None
    copeland: dict
    zscore: dict
    totals: dict[int, dict[int, float]]
    kendall_w: float | None
    alpha: float | None
    disagreement: dict
    juror_count: int
    tie_break_order: list[int]

    def as_json(self) -> dict:
        return {
            "method": self.method,
            "order": self.order,
            "kemeny": self.kemeny,
            "copeland": self.copeland,
            "zscore": self.zscore,
            "totals": {str(j): {str(t): v for t, v in row.items()} for j, row in self.totals.items()},
            "kendall_w": self.kendall_w,
            "alpha": self.alpha,
            "disagreement": self.disagreement,
            "juror_count": self.juror_count,
            "tie_break_order": self.tie_break_order,
        }


def _result_dict(result) -> dict:
    return {
        "order": [int(e) for e in result.order],
        "scores": {str(e): float(v) for e, v in result.scores.items()},
        "ties": [[int(e) for e in group] for group in result.ties],
    }


def round_aggregate(round_: Round) -> Aggregate:
    """Weighted rubric per juror → totals (0–100) → Kemeny (or Copeland) main ranking, with the
    mean of per-juror z-scores beside it, and agreement figures for organizers."""
    from mueve.competitions import scoring

    criteria = list(round_.criteria.all())
    weights = {str(c.pk): float(c.weight) for c in criteria}
    scale = {str(c.pk): (c.scale_min, c.scale_max) for c in criteria}
    raw: dict[int, dict[int, dict[str, int]]] = {}
    for score in round_.scores.all():
        raw.setdefault(score.juror_id, {}).setdefault(score.team_id, {})[str(score.criterion_id)] = score.value
    # Only complete rubrics count: a juror halfway through a team has not scored it yet.
    complete = {j: {t: s for t, s in row.items() if len(s) == len(criteria)} for j, row in raw.items()}
    complete = {j: row for j, row in complete.items() if row}
    totals = scoring.juror_totals(complete, weights, scale) if complete else {}
    tie_break = list(round_.tie_break_order)
    for row in totals.values():
        for team_id in row:
            if team_id not in tie_break:
                tie_break.append(team_id)
    copeland = scoring.copeland(totals, tie_break=tie_break)
    zscore = scoring.zscore_mean(totals, tie_break=tie_break)
    kemeny = None
    results = [copeland, zscore]
    if len(tie_break) <= KEMENY_LIMIT:
        kemeny = scoring.kemeny(totals, tie_break=tie_break, max_entries=KEMENY_LIMIT)
        results.insert(0, kemeny)
    main = kemeny or copeland
    entries = {t for row in totals.values() for t in row}
    is_complete = len(totals) >= 2 and all(set(row) == entries for row in totals.values())
    kendall = scoring.kendall_w(totals).w if is_complete and len(entries) >= 2 else None
    try:
        alpha = scoring.krippendorff_alpha(totals, level="interval") if len(totals) >= 2 else None
    except (ValueError, ZeroDivisionError):
        alpha = None
    dis = scoring.top_set_disagreement(results, top_n=min(round_.top_n, len(tie_break)))
    return Aggregate(
        method=main.method,
        order=[int(e) for e in main.order],
        kemeny=_result_dict(kemeny) if kemeny else None,
        copeland=_result_dict(copeland),
        zscore=_result_dict(zscore),
        totals={int(j): {int(t): float(v) for t, v in row.items()} for j, row in totals.items()},
        kendall_w=None if kendall is None else float(kendall),
        alpha=None if alpha is None else float(alpha),
        disagreement={
            "agree": bool(dis.agree),
            "differing": [int(e) for e in dis.differing],
            "top_sets": {str(k): [int(e) for e in v] for k, v in dis.top_sets.items()},
        },
        juror_count=len(totals),
        tie_break_order=[int(t) for t in tie_break],
    )


@dataclass
class RankingRow:
    position: int
    team: Team
    main_score: float | None
    copeland: float | None
    zscore: float | None
    selection: Selection | None


def ranking_rows(round_: Round, result: dict | None = None) -> list[RankingRow]:
    """The frozen (closed round) or live (organizers) ranking as rows for the page and the CSV."""
    result = result if result is not None else round_.result
    if not result:
        return []
    teams = {t.pk: t for t in round_.competition.teams.select_related("challenge")}
    selections = {s.team_id: s for s in round_.selections.all()}
    main = result.get("crowdbt") or result.get("kemeny") or result.get("copeland") or {}
    rows = []
    for position, team_id in enumerate(result.get("order", []), start=1):
        key = str(team_id)
        rows.append(
            RankingRow(
                position=position,
                team=teams[int(team_id)],
                main_score=main.get("scores", {}).get(key),
                copeland=result.get("copeland", {}).get("scores", {}).get(key),
                zscore=result.get("zscore", {}).get("scores", {}).get(key),
                selection=selections.get(int(team_id)),
            )
        )
    return rows


# --- results and funnel --------------------------------------------------------------------------


def winners(competition: Competition) -> list[Selection]:
    return list(
        Selection.objects.filter(
            round__competition=competition, kind=SelectionKind.WINNER, round__status=RoundStatus.CLOSED
        ).select_related("team", "team__challenge")
    )


def selected_first_round(competition: Competition) -> list[Selection]:
    return list(
        Selection.objects.filter(
            round__competition=competition,
            round__stage=StageKind.FIRST_SELECTION,
            round__status=RoundStatus.CLOSED,
        ).select_related("team", "team__challenge")
    )


def funnel(competition: Competition) -> list[tuple[str, int]]:
    from django.utils.translation import gettext as _

    teams = competition.teams.all()
    selected = teams.filter(
        selections__round__stage=StageKind.FIRST_SELECTION, selections__round__status=RoundStatus.CLOSED
    ).distinct()
    finished = selected.filter(submissions__stage=StageKind.ACCELERATION, status=TeamStatus.ACTIVE).distinct()
    return [
        (_("Inscritos"), competition.participants.count()),
        (_("Equipos"), teams.count()),
        (_("Entregaron"), teams.filter(submissions__stage=StageKind.HACKATHON).distinct().count()),
        (_("Seleccionados"), selected.count()),
        (_("Terminaron la aceleración"), finished.count()),
        (_("Ganadores"), len(winners(competition))),
    ]


def milestone_summary(competition: Competition) -> list[dict]:
    rows = []
    for selection in selected_first_round(competition):
        team = selection.team
        ms = list(team.milestones.all())
        rows.append(
            {
                "team": team,
                "total": len(ms),
                "signed": sum(1 for m in ms if m.status == MilestoneStatus.SIGNED_OFF),
                "mentors": [a.mentor for a in MentorAssignment.objects.filter(team=team).select_related("mentor")],
            }
        )
    return rows


def public_vote_tally(competition: Competition) -> list[tuple[Team, int]]:
    """Audience votes per team, most first (ties by name); teams without votes are left out."""
    rows = competition.teams.annotate(votes=Count("public_votes")).filter(votes__gt=0).order_by("-votes", "name")
    return [(team, team.votes) for team in rows]


def public_vote_candidates(competition: Competition) -> QuerySet[Team]:
    return competition.teams.filter(status=TeamStatus.ACTIVE, submissions__isnull=False).distinct().order_by("name")


def program_clinics_with_counts(program) -> QuerySet[Clinic]:
    """The preparatory clinics of a programme's competitions (the seed's component 3 "preparatory workshops"),
    with `registered` and `attended` counts. Clinics are not workshops.Workshop rows, so a report that lists a
    component's workshops must add these to component 3's."""
    return (
        Clinic.objects.filter(competition__program=program)
        .select_related("competition", "challenge")
        .annotate(
            registered=Count("registrations", distinct=True),
            attended=Count("registrations", filter=Q(registrations__attended=True), distinct=True),
        )
        .order_by("starts_at", "id")
    )


def competition_clinics_for(*, user, competition: Competition) -> list[Clinic]:
    """The competition's clinics for its page, each with `registered` (seats taken), `seats_left` and `mine`
    (the visitor holds a seat)."""
    clinics = list(
        competition.clinics.select_related("challenge", "presenter")
        .prefetch_related("questions")
        .annotate(registered=Count("registrations", distinct=True))
        .order_by("starts_at", "id")
    )
    mine: set[int] = set()
    if user is not None and user.is_authenticated:
        mine = set(
            ClinicRegistration.objects.filter(clinic__competition=competition, user=user).values_list(
                "clinic_id", flat=True
            )
        )
    for clinic in clinics:
        clinic.seats_left = max(0, clinic.capacity - clinic.registered)
        clinic.mine = clinic.pk in mine
    return clinics
