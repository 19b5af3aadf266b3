"""Reads for the top-floor pages that compare programmes: the ministry's view of every region.

`ministry_overview()` reads every programme's figures with a fixed number of queries, whatever the number of
regions: each measure is one query grouped by programme (or by jurisdiction, for incidents), never one query per
region. The definitions follow the apps' own pages, so the ministry reads the same numbers a region sees:
- the competition funnel is mueve.competitions.selectors.funnel, summed over the programme's competitions;
- the roadmap's progress is the "Hoja de ruta" branch of mueve.workshops.selectors.progress_tree (same roll-up);
- incidents are those of the programme's jurisdiction (a region's control centre attends its whole territory).
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from mueve.challenges.models import Challenge
from mueve.challenges.models import Status as ChallengeStatus
from mueve.competitions.models import (
    Participant,
    RoundStatus,
    SelectionKind,
    StageKind,
    Team,
    TeamStatus,
)
from mueve.programs.models import Component, Program, Status
from mueve.reports.models import Incident
from mueve.workshops import rollup
from mueve.workshops.models import Initiative, RoadmapLine, Workshop, WorkshopStatus


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class Funnel:
    """Registered participants → teams → teams that delivered at the hackathon → finalists (finished the
    acceleration) → winners. `accelerated`: the concepts selected for the acceleration (the seed's 5 + 2)."""

    registered: int = 0
    teams: int = 0
    submitted: int = 0
    accelerated: int = 0
    finalists: int = 0
    winners: int = 0

    def steps(self) -> list[tuple[str, int]]:
        return [
            (_("Inscritos"), self.registered),
            (_("Equipos"), self.teams),
            (_("Entregaron"), self.submitted),
            (_("Finalistas"), self.finalists),
            (_("Ganadores"), self.winners),
        ]


@dataclass
class RegionRow:
    """One programme, as the ministry compares it with the others."""

    program_id: int
    name: str
    slug: str
    jurisdiction_id: int
    jurisdiction: str
    status: str
    status_label: str
    start_date: date
    end_date: date
    components_total: int = 0
    components_done: int = 0
    reached_order: int = 0  # the furthest component started or finished (0: none yet)
    reached_name: str = ""
    reached_status: str = ""
    workshops: list[StatusCount] = field(default_factory=list)
    challenges: list[StatusCount] = field(default_factory=list)
    funnel: Funnel = field(default_factory=Funnel)
    roadmap_progress: float | None = None  # None: the programme has no roadmap initiatives yet
    incidents_total: int = 0
    incidents_resolved: int = 0
    median_resolution_hours: float | None = None

    @property
    def label(self) -> str:
        """The programme's name, with its region when the name does not say it."""
        if self.jurisdiction.casefold() in self.name.casefold():
            return self.name
        return f"{self.name} ({self.jurisdiction})"

    @property
    def components_percent(self) -> float:
        return round(100 * self.components_done / self.components_total, 1) if self.components_total else 0.0

    @property
    def phase_reached(self) -> str:
        if not self.reached_order:
            return _("Sin iniciar")
        return _("Componente %(n)d de %(total)d: %(name)s (%(status)s)") % {
            "n": self.reached_order,
            "total": self.components_total,
            "name": self.reached_name,
            "status": self.reached_status,
        }

    @property
    def workshops_total(self) -> int:
        return sum(c.count for c in self.workshops)

    @property
    def workshops_held(self) -> int:
        return next((c.count for c in self.workshops if c.status == WorkshopStatus.HELD), 0)

    @property
    def challenges_total(self) -> int:
        return sum(c.count for c in self.challenges)


@dataclass(frozen=True)
class MinistryOverview:
    rows: list[RegionRow]
    workshop_statuses: list[tuple[str, str]]
    challenge_statuses: list[tuple[str, str]]


def _by_status(counts: dict[str, int], choices) -> list[StatusCount]:
    return [StatusCount(value, str(label), counts.get(value, 0)) for value, label in choices]


def _components(program_ids: list[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = defaultdict(list)
    rows = Component.objects.filter(program_id__in=program_ids).order_by("program_id", "order")
    for row in rows.values("program_id", "order", "name", "status"):
        out[row["program_id"]].append(row)
    return out


def _grouped_status(model, program_ids: list[int]) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = defaultdict(dict)
    rows = model.objects.filter(program_id__in=program_ids).values("program_id", "status").annotate(n=Count("id"))
    for row in rows.order_by():
        out[row["program_id"]][row["status"]] = row["n"]
    return out


def _funnels(program_ids: list[int]) -> dict[int, Funnel]:
    """As competitions.selectors.funnel, per programme: two grouped queries however many competitions."""
    registered = {
        row["competition__program_id"]: row["n"]
        for row in Participant.objects.filter(competition__program_id__in=program_ids)
        .values("competition__program_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    first_selection = Q(
        selections__round__stage=StageKind.FIRST_SELECTION, selections__round__status=RoundStatus.CLOSED
    )
    teams = (
        Team.objects.filter(competition__program_id__in=program_ids)
        .values("competition__program_id")
        .annotate(
            teams=Count("id", distinct=True),
            submitted=Count("id", distinct=True, filter=Q(submissions__stage=StageKind.HACKATHON)),
            accelerated=Count("id", distinct=True, filter=first_selection),
            finalists=Count(
                "id",
                distinct=True,
                filter=first_selection & Q(submissions__stage=StageKind.ACCELERATION, status=TeamStatus.ACTIVE),
            ),
            winners=Count(
                "id",
                distinct=True,
                filter=Q(selections__kind=SelectionKind.WINNER, selections__round__status=RoundStatus.CLOSED),
            ),
        )
        .order_by()
    )
    out = {pid: Funnel(registered=n) for pid, n in registered.items()}
    for row in teams:
        pid = row["competition__program_id"]
        out[pid] = Funnel(
            registered=registered.get(pid, 0),
            teams=row["teams"],
            submitted=row["submitted"],
            accelerated=row["accelerated"],
            finalists=row["finalists"],
            winners=row["winners"],
        )
    return out


def _roadmap_progress(program_ids: list[int]) -> dict[int, float]:
    """The "Hoja de ruta" node of workshops' progress tree: lines (weighted) of initiatives (weighted), rolled up
    by the same rules. Programmes whose lines have no initiative yet are left out."""
    lines = {
        row["id"]: row
        for row in RoadmapLine.objects.filter(program_id__in=program_ids).values("id", "program_id", "weight")
    }
    initiatives: dict[int, list[dict]] = defaultdict(list)
    for row in Initiative.objects.filter(line__program_id__in=program_ids).values(
        "id", "line_id", "weight", "progress", "track_status"
    ):
        initiatives[row["line_id"]].append(row)
    nodes: dict[int, list[rollup.Node]] = defaultdict(list)
    for line_id, items in initiatives.items():
        line = lines[line_id]
        tree = nodes[line["program_id"]]
        if not tree:
            tree.append(rollup.Node(id="roadmap", parent=None))
        tree.append(rollup.Node(id=f"rl:{line_id}", parent="roadmap", weight=float(line["weight"])))
        for item in items:
            tree.append(
                rollup.Node(
                    id=f"initiative:{item['id']}",
                    parent=f"rl:{line_id}",
                    weight=float(item["weight"]),
                    progress=float(item["progress"]),
                    status=item["track_status"],
                )
            )
    out = {}
    for program_id, tree in nodes.items():
        try:
            out[program_id] = round(rollup.rollup(tree)["roadmap"].progress, 1)
        except rollup.RollupError:  # a weight or percentage outside the rules: shown as "no data", not a 500
            continue
    return out


def _incidents(jurisdiction_ids: set[int]) -> tuple[dict[int, dict[str, int]], dict[int, float]]:
    """(counts by status, median hours from opening to closing of the resolved ones) per jurisdiction.

    Measured from `opened_at` (when the first report came in), not from the row's `created_at`: an incident
    loaded or re-fused later keeps the time its first report was made."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Incident.objects.filter(jurisdiction_id__in=jurisdiction_ids)
        .values("jurisdiction_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[row["jurisdiction_id"]][row["status"]] = row["n"]
    hours: dict[int, list[float]] = defaultdict(list)
    resolved = Incident.objects.filter(
        jurisdiction_id__in=jurisdiction_ids, status=Incident.Status.RESOLVED, closed_at__isnull=False
    ).values_list("jurisdiction_id", "opened_at", "closed_at")
    for jurisdiction_id, opened, closed in resolved.order_by():
        hours[jurisdiction_id].append(max((closed - opened).total_seconds(), 0.0) / 3600)
    return counts, {j: round(statistics.median(values), 1) for j, values in hours.items() if values}


def ministry_overview() -> MinistryOverview:
    """Every programme of every region, side by side, in a fixed number of queries (see the module docstring)."""
    programs = list(Program.objects.select_related("jurisdiction").order_by("jurisdiction__name", "name", "id"))
    ids = [p.pk for p in programs]
    components = _components(ids)
    workshops = _grouped_status(Workshop, ids)
    challenges = _grouped_status(Challenge, ids)
    funnels = _funnels(ids)
    roadmap = _roadmap_progress(ids)
    incident_counts, medians = _incidents({p.jurisdiction_id for p in programs})
    status_labels = dict(Status.choices)
    rows = []
    for program in programs:
        own = components.get(program.pk, [])
        counted = [c for c in own if c["status"] != Status.CANCELLED]
        reached = [c for c in counted if c["status"] in (Status.IN_PROGRESS, Status.DONE)]
        furthest = reached[-1] if reached else None
        by_status = incident_counts.get(program.jurisdiction_id, {})
        rows.append(
            RegionRow(
                program_id=program.pk,
                name=program.name,
                slug=program.slug,
                jurisdiction_id=program.jurisdiction_id,
                jurisdiction=program.jurisdiction.name,
                status=program.status,
                status_label=str(status_labels.get(program.status, program.status)),
                start_date=program.start_date,
                end_date=program.end_date,
                components_total=len(counted),
                components_done=sum(1 for c in counted if c["status"] == Status.DONE),
                reached_order=counted.index(furthest) + 1 if furthest else 0,
                reached_name=furthest["name"] if furthest else "",
                reached_status=str(status_labels[furthest["status"]]) if furthest else "",
                workshops=_by_status(workshops.get(program.pk, {}), WorkshopStatus.choices),
                challenges=_by_status(challenges.get(program.pk, {}), ChallengeStatus.choices),
                funnel=funnels.get(program.pk, Funnel()),
                roadmap_progress=roadmap.get(program.pk),
                incidents_total=sum(by_status.values()),
                incidents_resolved=by_status.get(Incident.Status.RESOLVED, 0),
                median_resolution_hours=medians.get(program.jurisdiction_id),
            )
        )
    return MinistryOverview(
        rows=rows,
        workshop_statuses=[(v, str(label)) for v, label in WorkshopStatus.choices],
        challenge_statuses=[(v, str(label)) for v, label in ChallengeStatus.choices],
    )
