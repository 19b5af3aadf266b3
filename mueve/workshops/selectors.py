"""Reads for workshops: boards, the roadmap grid and the progress tree (rolled up with G's rollup)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mueve.programs import selectors as program_selectors
from mueve.programs.models import Program
from mueve.workshops import rollup
from mueve.workshops.models import (
    ActionLine,
    Concept,
    ConceptStatus,
    HubActivity,
    Initiative,
    Kind,
    Quadrant,
    Registration,
    RegistrationStatus,
    RoadmapLine,
    SwotItem,
    TrackStatus,
    Workshop,
    WorkshopStatus,
)


def workshop_list_for(user, *, program: str | None = None, kind: str | None = None) -> QuerySet[Workshop]:
    """Workshops of public programmes, and of the programmes `user` manages (public or not)."""
    qs = Workshop.objects.select_related("program", "component", "venue_organization")
    managed = program_selectors.programs_managed_by(user)
    if managed is not None:
        qs = qs.filter(Q(program__is_public=True) | Q(program__in=managed.values("pk")))
    if program:
        qs = qs.filter(program__slug=program)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("program__name", "starts_at", "id")


def workshop_get_for(user, slug: str) -> Workshop:
    workshop = Workshop.objects.select_related("program", "component", "venue_organization").filter(slug=slug).first()
    if workshop is None or not user.has_perm("workshops.view_workshop", workshop):
        raise Http404
    return workshop


def program_get_for(user, slug: str) -> Program:
    program = Program.objects.filter(slug=slug).first()
    if program is None or not user.has_perm("workshops.view_workshop", program):
        raise Http404
    return program


def concepts_with_dots(workshop: Workshop) -> list[Concept]:
    return list(
        workshop.concepts.select_related("challenge", "responsible", "group")
        .annotate(
            dot_total=Sum("votes__dots"),
            voter_count=Count("votes"),
            generated_dots=Count("votes", filter=Q(votes__is_generated=True)),
        )
        .prefetch_related("prototypes", "pilots__feedback")
        .order_by("id")
    )


def dots_left(workshop: Workshop) -> dict[int, int]:
    """Registration id -> dots still available."""
    used = {
        row["pk"]: row["n"] or 0 for row in workshop.registrations.annotate(n=Sum("dot_votes__dots")).values("pk", "n")
    }
    return {pk: workshop.dots_per_participant - n for pk, n in used.items()}


@dataclass
class SwotQuadrant:
    key: str
    label: str
    items: list[SwotItem]


def swot_board(program: Program, *, validated_only: bool = False) -> list[SwotQuadrant]:
    """The programme's consolidated 2×2, each item with its merged duplicates (`item.merged_list`) for provenance."""
    qs = SwotItem.objects.filter(program=program, merged_into__isnull=True).select_related("institution", "workshop")
    if validated_only:
        qs = qs.filter(validated=True)
    qs = qs.prefetch_related(
        Prefetch("merged", queryset=SwotItem.objects.select_related("institution", "workshop"), to_attr="merged_list")
    ).order_by("-votes", "id")
    return _by_quadrant(qs)


def workshop_swot_board(workshop: Workshop) -> list[SwotQuadrant]:
    """What one SWOT workshop produced. The common session shows the programme's board (it merged, voted and
    validated there); an institution's session shows only its own items, those merged into another one included
    (`item.merged_into`), never other workshops' items nor the votes cast elsewhere."""
    if workshop.is_common_swot_session:
        return swot_board(workshop.program)
    qs = (
        SwotItem.objects.filter(workshop=workshop)
        .select_related("institution", "workshop", "merged_into")
        .prefetch_related(Prefetch("merged", queryset=SwotItem.objects.none(), to_attr="merged_list"))
        .order_by("quadrant", "id")
    )
    return _by_quadrant(qs)


def _by_quadrant(items) -> list[SwotQuadrant]:
    by_quadrant: dict[str, list[SwotItem]] = {q: [] for q in Quadrant.values}
    for item in items:
        by_quadrant[item.quadrant].append(item)
    return [SwotQuadrant(q.value, str(q.label), by_quadrant[q.value]) for q in Quadrant]


def swot_sessions(program: Program) -> QuerySet[Workshop]:
    return Workshop.objects.filter(program=program, kind=Kind.SWOT).order_by("starts_at", "id")


# --- roadmap -------------------------------------------------------------------------------------


@dataclass
class RoadmapGrid:
    horizons: list[int]
    lines: list[tuple[RoadmapLine, dict[int, list[Initiative]]]]


def roadmap_grid(program: Program) -> RoadmapGrid:
    lines = list(
        RoadmapLine.objects.filter(program=program).prefetch_related(
            Prefetch("initiatives", queryset=Initiative.objects.select_related("responsible"))
        )
    )
    roadmap = Workshop.objects.filter(program=program, kind=Kind.ROADMAP).exclude(structure={}).first()
    horizons = sorted(
        set(roadmap.structure.get("horizons", []) if roadmap else [])
        | {i.horizon for line in lines for i in line.initiatives.all()}
    )
    rows = []
    for line in lines:
        cells: dict[int, list[Initiative]] = {h: [] for h in horizons}
        for initiative in line.initiatives.all():
            cells[initiative.horizon].append(initiative)
        rows.append((line, cells))
    return RoadmapGrid(horizons, rows)


# --- accountability ---------------------------------------------------------------------------------


@dataclass
class ProgressNode:
    ref: str
    label: str
    kind: str
    progress: float
    status: str
    own_progress: int | None = None
    weight: float = 1.0
    responsible: str = ""
    milestones: list = field(default_factory=list)
    children: list["ProgressNode"] = field(default_factory=list)
    item: object = None

    @property
    def status_label(self) -> str:
        return str(TrackStatus(self.status).label) if self.status in TrackStatus.values else self.status


def progress_tree(program: Program) -> ProgressNode:
    """Program → (roadmap lines → initiatives, hub action lines → activities, selected concepts).

    Own progress lives on the leaves; every parent is the weighted mean of its children (G's rollup).
    """
    nodes: list[rollup.Node] = [rollup.Node(id="program", parent=None)]
    meta: dict[str, dict] = {"program": {"label": program.name, "kind": "program"}}

    def add(ref, parent, label, kind, *, weight=1.0, item=None, leaf=False):
        nodes.append(
            rollup.Node(
                id=ref,
                parent=parent,
                weight=float(weight),
                progress=float(item.progress) if leaf and item is not None else None,
                status=item.track_status if leaf and item is not None else "planned",
            )
        )
        meta[ref] = {"label": label, "kind": kind, "item": item, "weight": weight}

    lines = list(
        RoadmapLine.objects.filter(program=program).prefetch_related(
            Prefetch(
                "initiatives", queryset=Initiative.objects.select_related("responsible").prefetch_related("milestones")
            )
        )
    )
    if any(line.initiatives.all() for line in lines):
        add("roadmap", "program", _("Hoja de ruta"), "group")
        for line in lines:
            initiatives = list(line.initiatives.all())
            if not initiatives:
                continue
            add(f"rl:{line.pk}", "roadmap", line.name, "roadmap_line", weight=line.weight)
            for i in initiatives:
                add(f"initiative:{i.pk}", f"rl:{line.pk}", i.name, "initiative", weight=i.weight, item=i, leaf=True)
    hub_lines = list(
        ActionLine.objects.filter(workshop__program=program)
        .select_related("responsible")
        .prefetch_related(
            "milestones", Prefetch("activities", queryset=HubActivity.objects.select_related("responsible"))
        )
    )
    if hub_lines:
        add("hub", "program", _("Hub de innovación"), "group")
        for line in hub_lines:
            activities = list(line.activities.all())
            add(f"line:{line.pk}", "hub", line.name, "action_line", weight=line.weight, item=line, leaf=not activities)
            for a in activities:
                add(f"activity:{a.pk}", f"line:{line.pk}", a.name, "activity", weight=a.weight, item=a, leaf=True)
    concepts = list(
        Concept.objects.filter(workshop__program=program, status=ConceptStatus.SELECTED)
        .select_related("responsible")
        .prefetch_related("milestones")
    )
    if concepts:
        add("codesign", "program", _("Conceptos seleccionados"), "group")
        for c in concepts:
            add(f"concept:{c.pk}", "codesign", c.name, "concept", weight=c.weight, item=c, leaf=True)
    if len(nodes) == 1:
        return ProgressNode("program", program.name, "program", 0.0, "planned")
    result = rollup.rollup(nodes)

    def build(ref: str) -> ProgressNode:
        info = meta[ref]
        item = info.get("item")
        rolled = result[ref]
        node = ProgressNode(
            ref=ref,
            label=info["label"],
            kind=info["kind"],
            progress=round(rolled.progress, 1),
            status=rolled.status,
            own_progress=item.progress if item is not None else None,
            weight=info.get("weight", 1.0),
            responsible=str(item.responsible) if item is not None and getattr(item, "responsible", None) else "",
            milestones=list(item.milestones.all()) if item is not None and hasattr(item, "milestones") else [],
            item=item,
        )
        node.children = [build(child) for child in rolled.children]
        return node

    return build("program")


def progress_updates(program: Program, limit: int = 20):
    return program.progress_updates.all()[:limit]


# What a progress reference ("initiative:12") may point at: the items whose progress is followed.
TRACKED_TYPES = {"concept": Concept, "initiative": Initiative, "line": ActionLine, "activity": HubActivity}


def tracked_ref(item) -> str:
    for key, model in TRACKED_TYPES.items():
        if isinstance(item, model):
            return f"{key}:{item.pk}"
    raise TypeError(type(item))


def tracked_program(item):
    if isinstance(item, Initiative):
        return item.line.program
    if isinstance(item, HubActivity):
        return item.action_line.workshop.program
    return item.workshop.program


def tracked_get(ref: str):
    """'initiative:12' -> the Initiative (or Http404)."""
    kind, _sep, pk = ref.partition(":")
    model = TRACKED_TYPES.get(kind)
    if model is None or not (pk.isascii() and pk.isdigit()):
        raise Http404
    item = model.objects.filter(pk=int(pk)).first()
    if item is None:
        raise Http404
    return item


def hub_board(workshop: Workshop) -> dict:
    return {
        "models": list(workshop.hub_models.select_related("organization")),
        "groups": list(
            workshop.groups.select_related("spokesperson", "expert_organization").prefetch_related(
                Prefetch("members", to_attr="member_list")
            )
        ),
        "runs": list(workshop.assignment_runs.all()[:5]),
        "lines": list(
            workshop.action_lines.select_related("group", "responsible").prefetch_related(
                "activities__commitments__organization"
            )
        ),
        "outputs": list(workshop.outputs.select_related("group")),
    }


# --- for the program report (helper H) -------------------------------------------------------------


def program_concepts(program: Program) -> list[Concept]:
    """Every concept of the program's workshops, with `dot_total`, `responsible` (implementation owner),
    `status` (selected / not_selected / proposed), `decision_reason`, prefetched `prototypes` and `pilots`."""
    return list(
        Concept.objects.filter(workshop__program=program)
        .select_related("workshop", "challenge", "responsible")
        .annotate(dot_total=Sum("votes__dots"))
        .prefetch_related("prototypes__built_by", "pilots__feedback")
        .order_by("workshop__starts_at", "id")
    )


def validated_swot(program: Program) -> list[SwotQuadrant]:
    """The validated 2×2 (S, W, O, T), items by votes, each with `merged_list` (provenance)."""
    return swot_board(program, validated_only=True)


def program_hub_lines(program: Program) -> list[ActionLine]:
    """Hub action lines with `group` (+ spokesperson), `responsible`, prefetched `activities` →
    `commitments` → `organization`."""
    return list(
        ActionLine.objects.filter(workshop__program=program)
        .select_related("workshop", "group__spokesperson__organization", "responsible")
        .prefetch_related(
            Prefetch("activities", queryset=HubActivity.objects.select_related("responsible")),
            "activities__commitments__organization",
        )
        .order_by("workshop__starts_at", "id")
    )


# One definition of "inscripciones a talleres", stated wherever the figure is shown (the dossier, the list of
# workshops, each workshop's page).
REGISTRATIONS_DEFINITION = gettext_lazy(
    "Qué se cuenta: las inscripciones registradas en los talleres del programa, una por persona y taller "
    "(quien se inscribió en dos talleres cuenta dos veces); no cuentan las personas en lista de espera ni las "
    "inscripciones canceladas; un taller sin lista de inscritos cuenta 0."
)
CONFIRMED = Q(status=RegistrationStatus.CONFIRMED)
CONFIRMED_REL = Q(registrations__status=RegistrationStatus.CONFIRMED)


def workshop_registration_count(workshop: Workshop) -> int:
    """The registrations of one workshop (REGISTRATIONS_DEFINITION)."""
    return Registration.objects.filter(CONFIRMED, workshop=workshop).count()


def program_registration_count(program: Program) -> int:
    """The registrations of all the programme's workshops (REGISTRATIONS_DEFINITION): the sum of each
    workshop's `workshop_registration_count`."""
    return Registration.objects.filter(CONFIRMED, workshop__program=program).count()


def program_registration_counts(programs) -> dict[int, int]:
    """`program_registration_count` of many programmes, by programme id, in one query."""
    rows = (
        Registration.objects.filter(CONFIRMED, workshop__program__in=programs)
        .values("workshop__program")
        .annotate(n=Count("id"))
    )
    return {row["workshop__program"]: row["n"] for row in rows}


def registration_counts(workshops) -> dict[int, int]:
    """Each workshop's registration count, by workshop id, in one query."""
    rows = Registration.objects.filter(CONFIRMED, workshop__in=workshops).values("workshop").annotate(n=Count("id"))
    return {row["workshop"]: row["n"] for row in rows}


def program_workshops_with_counts(program: Program) -> QuerySet[Workshop]:
    """The program's workshops with `registered`, `attended`, `organizations` (distinct) and `invited` counts."""
    return (
        Workshop.objects.filter(program=program)
        .select_related("component", "venue_organization")
        .annotate(
            registered=Count("registrations", filter=CONFIRMED_REL, distinct=True),
            attended=Count("registrations", filter=CONFIRMED_REL & Q(registrations__attended=True), distinct=True),
            organizations=Count("registrations__organization", filter=CONFIRMED_REL, distinct=True),
            invited=Count("invitations__organization", distinct=True),
        )
        .order_by("component__order", "starts_at", "id")
    )


# --- public registration ---------------------------------------------------------------------------------------


def confirmed_count(workshop: Workshop) -> int:
    return Registration.objects.filter(CONFIRMED, workshop=workshop).count()


def workshop_started(workshop: Workshop, *, now: datetime | None = None) -> bool:
    return workshop.starts_at is not None and (now or timezone.now()) >= workshop.starts_at


def registration_closed_reason(workshop: Workshop, *, now: datetime | None = None) -> str:
    """Why the workshop takes no public registration now, in words for the person; "" when it does."""
    now = now or timezone.now()
    if not workshop.public_registration:
        return _("Este taller no tiene inscripción abierta al público.")
    if not workshop.program.is_public:
        return _("Este taller no es público.")
    if workshop.status == WorkshopStatus.CANCELLED:
        return _("El taller fue cancelado: no recibe inscripciones.")
    if workshop.status == WorkshopStatus.HELD or workshop_started(workshop, now=now):
        return _("El taller ya se realizó o ya comenzó: las inscripciones están cerradas.")
    if workshop.registration_closes_at is not None and now >= workshop.registration_closes_at:
        when = date_format(timezone.localtime(workshop.registration_closes_at), "DATETIME_FORMAT")
        return _("Las inscripciones cerraron el %(when)s.") % {"when": when}
    return ""


@dataclass
class PublicRegistration:
    """What the workshop's page says about signing up: seats, the line, and the visitor's own place."""

    open: bool
    closed_reason: str
    capacity: int | None
    confirmed: int
    waitlisted: int
    mine: Registration | None
    my_position: int | None  # 1 = next to get a seat
    started: bool

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.confirmed)

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.confirmed >= self.capacity

    @property
    def active(self) -> bool:
        return self.mine is not None and self.mine.status != RegistrationStatus.CANCELLED

    @property
    def can_cancel(self) -> bool:
        return self.active and not self.started


def public_registration_for(
    workshop: Workshop, user, *, now: datetime | None = None, always: bool = False
) -> PublicRegistration | None:
    """None when the workshop takes no public registrations (unless `always`)."""
    if not workshop.public_registration and not always:
        return None
    counts = dict(
        Registration.objects.filter(workshop=workshop)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    mine = None
    position = None
    if user is not None and user.is_authenticated:
        mine = Registration.objects.filter(workshop=workshop, user=user).first()
        if mine is not None and mine.status == RegistrationStatus.WAITLISTED:
            position = (
                Registration.objects.filter(workshop=workshop, status=RegistrationStatus.WAITLISTED)
                .filter(
                    Q(status_changed_at__lt=mine.status_changed_at)
                    | Q(status_changed_at=mine.status_changed_at, id__lt=mine.pk)
                )
                .count()
                + 1
            )
    reason = registration_closed_reason(workshop, now=now)
    return PublicRegistration(
        open=not reason,
        closed_reason=reason,
        capacity=workshop.capacity,
        confirmed=counts.get(RegistrationStatus.CONFIRMED, 0),
        waitlisted=counts.get(RegistrationStatus.WAITLISTED, 0),
        mine=mine,
        my_position=position,
        started=workshop_started(workshop, now=now),
    )


def waiting_list(workshop: Workshop) -> list[Registration]:
    """The people waiting for a seat, first in line first (for the workshop's managers: it has names)."""
    return list(
        Registration.objects.filter(workshop=workshop, status=RegistrationStatus.WAITLISTED)
        .select_related("user")
        .order_by("status_changed_at", "id")
    )
