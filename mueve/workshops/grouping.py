"""Random but balanced assignment of workshop participants to groups (tables).

The innovation-hub cocreation workshop (component 4 of the seed) mixes sectors on purpose: every
group must have at least one participant of each sector present in the room (government, private
sector, academia, civil society), groups differ in size by at most one, and each group gets an
expert and a facilitator. Sectors are also balanced: the count of any sector (unknown and
international ones too) differs by at most one between any two groups, so no table gets three people
of academia while another gets one when two and two were possible (dealing each sector's remainder
round the tables always allows it). Where possible two people of the same organization do not share
a table (a soft rule: broken only when the other rules leave no choice, and then reported).

The assignment is reproducible: the same participants, staff and integer seed always give the
same groups, whatever order the participants arrive in. Record the seed with the assignment.

When the hard rules cannot be met, ``InfeasibleAssignment`` explains in Spanish which rule fails
and why, with the numbers involved, so the organizer can fix the input (fewer groups, more people).
"""

from __future__ import annotations

import random
import secrets
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from mueve.core.text import fold

SECTORS: tuple[str, ...] = ("government", "private", "academia", "civil_society")
# Sectors that are accepted but not required in every group (stakeholders.Sector has this one too).
OTHER_SECTORS: tuple[str, ...] = ("international",)

# "Hay 2 participantes <de la academia> para 4 grupos".
_SECTOR_PHRASE = {
    "government": gettext_noop("del gobierno"),
    "private": gettext_noop("del sector privado"),
    "academia": gettext_noop("de la academia"),
    "civil_society": gettext_noop("de la sociedad civil"),
}

_MAX_SWAP_PASSES = 50


@dataclass(frozen=True)
class Participant:
    id: Hashable
    sector: str | None  # one of SECTORS or OTHER_SECTORS; None/"" = unknown (placed freely)
    organization: Hashable | None = None


@dataclass(frozen=True)
class Group:
    number: int  # 1..k
    participants: tuple[Participant, ...]
    expert: Hashable
    facilitator: Hashable


@dataclass(frozen=True)
class Assignment:
    seed: int
    groups: tuple[Group, ...]
    organization_clashes: int  # pairs of same-organization participants sharing a group
    clashes: tuple[tuple[int, Hashable], ...] = ()  # (group number, organization) for each shared group


class InfeasibleAssignment(ValidationError):
    """The hard rules cannot be met. ``reasons`` lists every failing rule in Spanish."""

    def __init__(self, reasons: list[str]):
        super().__init__(reasons, code="infeasible")
        self.reasons = reasons

    @property
    def reason(self) -> str:
        return " ".join(self.reasons)


def new_seed() -> int:
    """A fresh seed to record with a new assignment."""
    return secrets.randbelow(2**31)


def _org_key(org: Hashable | None) -> Hashable | None:
    if org is None:
        return None
    if isinstance(org, str):
        return fold(org) or None
    return org


def _sort_key(value: Hashable) -> tuple[str, str]:
    # Canonical order independent of input order; str() so ints and strings can be mixed.
    return (type(value).__name__, str(value))


def _check(
    participants: Sequence[Participant], k: int, experts: list[Hashable], facilitators: list[Hashable]
) -> list[str]:
    reasons: list[str] = []
    if k < 1:
        return [_("Debe haber al menos un grupo.")]
    seen: set[Hashable] = set()
    for p in participants:
        if p.id in seen:
            reasons.append(_("El participante «%(id)s» aparece dos veces.") % {"id": p.id})
        seen.add(p.id)
        if p.sector and p.sector not in SECTORS and p.sector not in OTHER_SECTORS:
            reasons.append(
                _("El participante «%(id)s» tiene un sector desconocido: «%(sector)s».")
                % {"id": p.id, "sector": p.sector}
            )
    n = len(participants)
    if n < k:
        reasons.append(
            ngettext(
                "Hay %(n)d participante para %(k)d grupos: cada grupo necesita al menos uno.",
                "Hay %(n)d participantes para %(k)d grupos: cada grupo necesita al menos uno.",
                n,
            )
            % {"n": n, "k": k}
        )
    counts = Counter(p.sector for p in participants)
    for sector in SECTORS:
        c = counts.get(sector, 0)
        if 0 < c < k:
            reasons.append(
                ngettext(
                    "Hay %(n)d participante %(sector)s para %(k)d grupos: cada grupo necesita al menos uno.",
                    "Hay %(n)d participantes %(sector)s para %(k)d grupos: cada grupo necesita al menos uno.",
                    c,
                )
                % {"n": c, "sector": _(_SECTOR_PHRASE[sector]), "k": k}
            )
    if len(experts) < k:
        reasons.append(
            ngettext(
                "Hay %(n)d experto para %(k)d grupos: cada grupo necesita uno.",
                "Hay %(n)d expertos para %(k)d grupos: cada grupo necesita uno.",
                len(experts),
            )
            % {"n": len(experts), "k": k}
        )
    if len(facilitators) < k:
        reasons.append(
            ngettext(
                "Hay %(n)d facilitador para %(k)d grupos: cada grupo necesita uno.",
                "Hay %(n)d facilitadores para %(k)d grupos: cada grupo necesita uno.",
                len(facilitators),
            )
            % {"n": len(facilitators), "k": k}
        )
    staff = set(experts) | set(facilitators)
    if len(experts) >= k and len(facilitators) >= k and len(staff) < 2 * k:
        reasons.append(
            _(
                "Algunas personas figuran como expertas y como facilitadoras: %(k)d grupos necesitan %(need)d "
                "personas distintas (un experto y un facilitador cada uno) y solo hay %(have)d."
            )
            % {"k": k, "need": 2 * k, "have": len(staff)}
        )
    return reasons


def assign_groups(
    participants: Sequence[Participant],
    *,
    k: int,
    seed: int,
    experts: Sequence[Hashable],
    facilitators: Sequence[Hashable],
    avoid_same_organization: bool = True,
) -> Assignment:
    """Splits ``participants`` into ``k`` groups; see the module docstring for the rules.

    Raises ``InfeasibleAssignment`` (a ``ValidationError``) listing every rule that cannot be met.
    """
    expert_list = sorted(dict.fromkeys(experts), key=_sort_key)
    facilitator_list = sorted(dict.fromkeys(facilitators), key=_sort_key)
    reasons = _check(participants, k, expert_list, facilitator_list)
    if reasons:
        raise InfeasibleAssignment(reasons)

    rng = random.Random(seed)
    people = sorted(participants, key=lambda p: _sort_key(p.id))
    rng.shuffle(people)
    org = {p.id: _org_key(p.organization) if avoid_same_organization else None for p in people}
    quotas = _sector_quotas(people, k, rng)
    groups: list[list[Participant]] = [[] for _ in range(k)]

    def orgs_in(g: int) -> Counter:
        return Counter(org[p.id] for p in groups[g] if org[p.id] is not None)

    # 1. How many of each sector every table takes (balanced), then each person to a table that still has
    #    room for their sector, where they add the fewest
    #    same-organization pairs, then at random. The quotas already balance sizes and sectors.
    for p in people:
        options = []
        for g in range(k):
            if quotas[g][p.sector] == 0:
                continue
            same_org = orgs_in(g)[org[p.id]] if org[p.id] is not None else 0
            options.append((same_org, rng.random(), g))
        g = min(options)[2]
        quotas[g][p.sector] -= 1
        groups[g].append(p)

    # 2. Swap pairs across groups while that removes same-organization pairs and keeps every sector
    #    balanced (local search; stops when no single swap helps).
    if avoid_same_organization:
        _improve_by_swaps(groups, org)

    staff_rng = random.Random(f"{seed}:staff")
    facilitator_set = set(facilitator_list)
    expert_set = set(expert_list)
    only_experts = [e for e in expert_list if e not in facilitator_set]
    shared = [e for e in expert_list if e in facilitator_set]
    only_facilitators = [f for f in facilitator_list if f not in expert_set]
    for bucket in (only_experts, shared, only_facilitators):
        staff_rng.shuffle(bucket)
    # People who could do both go where they are scarcer; the feasibility check guarantees enough.
    chosen_experts = (only_experts + shared)[:k]
    remaining_shared = [s for s in shared if s not in set(chosen_experts)]
    chosen_facilitators = (only_facilitators + remaining_shared)[:k]
    staff_rng.shuffle(chosen_experts)
    staff_rng.shuffle(chosen_facilitators)

    result = []
    clashes: list[tuple[int, Hashable]] = []
    clash_pairs = 0
    for g in range(k):
        members = tuple(sorted(groups[g], key=lambda p: _sort_key(p.id)))
        for key, count in Counter(_org_key(p.organization) for p in members).items():
            if key is not None and count > 1:
                clash_pairs += count * (count - 1) // 2
                clashes.append((g + 1, next(p.organization for p in members if _org_key(p.organization) == key)))
        result.append(
            Group(number=g + 1, participants=members, expert=chosen_experts[g], facilitator=chosen_facilitators[g])
        )
    return Assignment(seed=seed, groups=tuple(result), organization_clashes=clash_pairs, clashes=tuple(clashes))


def _pairs(counter: Counter) -> int:
    return sum(c * (c - 1) // 2 for c in counter.values())


def _sector_quotas(people: list[Participant], k: int, rng: random.Random) -> list[Counter]:
    """How many of each sector every table gets: each table the same share, and the remainders dealt so
    that no table takes a second extra before every table has one (sizes then differ by at most one).

    Every sector (unknown ones too) ends within one between any two tables, which also gives every
    table one of each sector that has at least one person per table.
    """
    counts = Counter(p.sector for p in people)
    quotas = [Counter({s: c // k for s, c in counts.items()}) for _ in range(k)]
    extras = [0] * k
    sectors = sorted(counts, key=lambda s: _sort_key(s or ""))
    rng.shuffle(sectors)
    for sector in sectors:
        # Tables with the fewest extras first, at random among equals: the loads never differ by two.
        order = sorted(range(k), key=lambda g: (extras[g], rng.random()))
        for g in order[: counts[sector] % k]:
            quotas[g][sector] += 1
            extras[g] += 1
    return quotas


def is_balanced(groups: Sequence[Sequence[Participant]]) -> bool:
    """Every sector's count differs by at most one between any two groups."""
    tallies = [Counter(p.sector for p in members) for members in groups]
    sectors = set().union(*tallies) if tallies else set()
    return all(max(t[s] for t in tallies) - min(t[s] for t in tallies) <= 1 for s in sectors)


def _improve_by_swaps(groups: list[list[Participant]], org: dict) -> None:
    def cost(members: list[Participant]) -> int:
        return _pairs(Counter(org[p.id] for p in members if org[p.id] is not None))

    for _pass in range(_MAX_SWAP_PASSES):
        improved = False
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                for i in range(len(groups[a])):
                    for j in range(len(groups[b])):
                        p, q = groups[a][i], groups[b][j]
                        if org[p.id] == org[q.id]:
                            continue
                        before = cost(groups[a]) + cost(groups[b])
                        new_a = groups[a][:i] + [q] + groups[a][i + 1 :]
                        new_b = groups[b][:j] + [p] + groups[b][j + 1 :]
                        if cost(new_a) + cost(new_b) >= before:
                            continue
                        if p.sector != q.sector:
                            trial = list(groups)
                            trial[a], trial[b] = new_a, new_b
                            if not is_balanced(trial):
                                continue
                        groups[a], groups[b] = new_a, new_b
                        improved = True
        if not improved:
            return
