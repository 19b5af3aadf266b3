"""Jury arithmetic: rubric totals, rank aggregation with recusals, agreement and selection.

Pure functions over plain data (no models, no database), so the rules of a round can be tested by
hand and explained to the people they affect.

Vocabulary used by every function:

- ``totals``: ``{juror: {entry: total}}`` where a higher total is better. A juror who recused
  themselves from an entry (conflict of interest) simply has no key for it; ``None`` counts as
  missing too. Equal totals of one juror are a tie in that juror's ranking.
- ``tie_break``: the order of ALL entries published before scoring. Every method uses it, and only
  it, to order entries the method cannot separate; entries no juror scored go last in this order.

Conventions for missing cells (recusals), documented because they change results:

- Pairwise methods (Copeland, Kemeny–Young) compare two entries only over the jurors who scored
  both. A juror's tie counts half a preference each way. A pair no juror scored together is a tie.
- Borda is normalised per juror: a juror who scored ``k`` entries gives each one
  ``(entries below it + ½ · entries tied with it) / (k - 1)``, a number in [0, 1]; an entry's
  Borda score is the mean over the jurors who scored it (a juror who scored a single entry gives
  it ½). So being recused by a juror neither helps nor hurts an entry.
- z-scores are per juror over the entries that juror scored (population standard deviation; a
  juror whose totals are all equal gives everybody 0), then averaged over the jurors who scored
  the entry. This removes each juror's own severity and spread.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

Entry = Hashable
Juror = Hashable
Totals = Mapping[Juror, Mapping[Entry, float | None]]
Method = Literal["copeland", "kemeny", "borda", "zscore"]
Level = Literal["nominal", "ordinal", "interval", "ratio"]

METHODS: tuple[str, ...] = ("copeland", "kemeny", "borda", "zscore")
KEMENY_MAX_ENTRIES = 20
# Above this the subset table alone needs gigabytes; refuse even if a caller raises max_entries.
KEMENY_HARD_LIMIT = 22
# z-scores are sums of floats: values closer than this are the same score (a tie).
_FLOAT_TIE = 9


class KemenyTooLarge(ValueError):
    """Exact Kemeny–Young was asked for more entries than it can handle in reasonable time."""


# --------------------------------------------------------------------------- rubric totals


def weighted_total(
    scores: Mapping[str, float],
    weights: Mapping[str, float],
    scale: tuple[float, float] | Mapping[str, tuple[float, float]],
) -> float:
    """A juror's rubric for one entry as a number from 0 to 100.

    Each criterion's score is placed on 0–1 within its scale, ``(score - min) / (max - min)``, and
    the weighted mean of those is multiplied by 100. ``scale`` is one (min, max) pair for every
    criterion or one per criterion. Missing or unknown criteria and scores outside the scale raise
    ``ValidationError({"scores": [...]})``.
    """
    errors: list[str] = []
    if not weights:
        raise ValueError("La rúbrica no tiene criterios.")
    if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
        raise ValueError("Los pesos de la rúbrica deben ser no negativos y sumar más que cero.")
    for key in scores:
        if key not in weights:
            errors.append(_("El criterio «%(key)s» no es parte de la rúbrica.") % {"key": key})
    # Exact arithmetic: two rubrics worth the same must give the same total, or a juror's tie
    # would turn into an order decided by rounding noise.
    acc = Fraction(0)
    for key, weight in weights.items():
        low, high = scale[key] if isinstance(scale, Mapping) else scale
        if high <= low:
            raise ValueError(f"Escala inválida para {key}: {low}–{high}.")
        value = scores.get(key)
        if value is None:
            errors.append(_("Falta el puntaje del criterio «%(key)s».") % {"key": key})
            continue
        if isinstance(value, float) and math.isnan(value) or not low <= value <= high:
            errors.append(
                _("El puntaje de «%(key)s» debe estar entre %(low)s y %(high)s.")
                % {"key": key, "low": low, "high": high}
            )
            continue
        acc += _exact(weight) * (_exact(value) - _exact(low)) / (_exact(high) - _exact(low))
    if errors:
        raise ValidationError({"scores": errors})
    return float(100 * acc / sum(_exact(w) for w in weights.values()))


def _exact(number: float | int | Fraction) -> Fraction:
    """The number as written: a float 0.1 is 1/10 (its shortest repr), not its binary approximation."""
    return Fraction(repr(number)) if isinstance(number, float) else Fraction(number)


def juror_totals(
    scores: Mapping[Juror, Mapping[Entry, Mapping[str, float]]],
    weights: Mapping[str, float],
    scale: tuple[float, float] | Mapping[str, tuple[float, float]],
) -> dict[Juror, dict[Entry, float]]:
    """``weighted_total`` for every juror and entry. A recused entry is simply absent."""
    return {
        juror: {entry: weighted_total(rubric, weights, scale) for entry, rubric in by_entry.items()}
        for juror, by_entry in scores.items()
    }


def rank_entries(totals: Mapping[Entry, float]) -> dict[Entry, float]:
    """One juror's ranking: rank 1 is the highest total; tied entries share the mean of their ranks."""
    values = sorted(totals.values(), reverse=True)
    ranks: dict[float, float] = {}
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i]:
            j += 1
        ranks[values[i]] = (i + 1 + j + 1) / 2
        i = j + 1
    return {entry: ranks[value] for entry, value in totals.items()}


# --------------------------------------------------------------------------- aggregation


@dataclass(frozen=True)
class AggregateResult:
    """A method's verdict. ``order`` is complete (best first); ``ties`` lists the groups of entries
    the method itself could not separate, which the published tie-break order resolved."""

    method: str
    order: tuple[Entry, ...]
    scores: dict[Entry, float]
    ties: tuple[tuple[Entry, ...], ...] = ()
    unscored: tuple[Entry, ...] = ()
    kemeny_cost: float | None = None

    def position(self, entry: Entry) -> int:
        """1-based place of ``entry`` in the final order."""
        return self.order.index(entry) + 1


@dataclass
class _Prepared:
    entries: list[Entry]  # scored entries, in tie-break order
    unscored: list[Entry]
    position: dict[Entry, int]  # tie-break position of every entry
    ballots: list[dict[Entry, float]]  # one per juror, missing cells dropped
    index: dict[Entry, int] = field(default_factory=dict)


def _prepare(totals: Totals, tie_break: Sequence[Entry]) -> _Prepared:
    position: dict[Entry, int] = {}
    for i, entry in enumerate(tie_break):
        if entry in position:
            raise ValueError(f"El orden de desempate repite la postulación {entry!r}.")
        position[entry] = i
    ballots: list[dict[Entry, float]] = []
    scored: set[Entry] = set()
    for juror, by_entry in totals.items():
        ballot: dict[Entry, float] = {}
        for entry, value in by_entry.items():
            if entry not in position:
                raise ValueError(f"La postulación {entry!r} (jurado {juror!r}) no está en el orden de desempate.")
            if value is None:
                continue
            value = float(value)
            if math.isnan(value):
                raise ValueError(f"Puntaje NaN del jurado {juror!r} para {entry!r}.")
            ballot[entry] = value
        if ballot:
            ballots.append(ballot)
            scored.update(ballot)
    entries = [e for e in tie_break if e in scored]
    unscored = [e for e in tie_break if e not in scored]
    return _Prepared(entries, unscored, position, ballots, {e: i for i, e in enumerate(entries)})


def _doubled_pairwise(prep: _Prepared) -> np.ndarray:
    """``D[a, b]`` = 2 × (jurors preferring a to b) + (jurors tying them); integers, so exact."""
    n = len(prep.entries)
    d = np.zeros((n, n), dtype=np.int64)
    for ballot in prep.ballots:
        items = [(prep.index[e], v) for e, v in ballot.items()]
        for ia, va in items:
            for ib, vb in items:
                if ia == ib:
                    continue
                if va > vb:
                    d[ia, ib] += 2
                elif va == vb:
                    d[ia, ib] += 1
    return d


def pairwise_matrix(totals: Totals, *, tie_break: Sequence[Entry]) -> dict[tuple[Entry, Entry], float]:
    """``{(a, b): jurors preferring a to b}`` over jurors who scored both (a tie counts ½)."""
    prep = _prepare(totals, tie_break)
    d = _doubled_pairwise(prep)
    return {(a, b): d[i, j] / 2 for i, a in enumerate(prep.entries) for j, b in enumerate(prep.entries) if i != j}


def _ordered(
    method: str, prep: _Prepared, scores: Mapping[Entry, float | Fraction], *, digits: int | None = None
) -> AggregateResult:
    """Orders by score (higher first), then by the tie-break order; reports the tied groups."""

    def key_value(entry: Entry) -> float | Fraction:
        value = scores[entry]
        return round(float(value), digits) if digits is not None else value

    order = sorted(prep.entries, key=lambda e: (-key_value(e), prep.position[e]))
    ties: list[tuple[Entry, ...]] = []
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and key_value(order[j + 1]) == key_value(order[i]):
            j += 1
        if j > i:
            ties.append(tuple(order[i : j + 1]))
        i = j + 1
    return AggregateResult(
        method=method,
        order=tuple(order + prep.unscored),
        scores={e: float(scores[e]) for e in prep.entries},
        ties=tuple(ties),
        unscored=tuple(prep.unscored),
    )


def copeland(totals: Totals, *, tie_break: Sequence[Entry]) -> AggregateResult:
    """Copeland: one point per pairwise majority won, ½ per pairwise tie (or pair with no common juror)."""
    prep = _prepare(totals, tie_break)
    d = _doubled_pairwise(prep)
    scores: dict[Entry, Fraction] = {}
    for i, entry in enumerate(prep.entries):
        points = Fraction(0)
        for j in range(len(prep.entries)):
            if i == j:
                continue
            if d[i, j] > d[j, i]:
                points += 1
            elif d[i, j] == d[j, i]:
                points += Fraction(1, 2)
        scores[entry] = points
    return _ordered("copeland", prep, scores)


def borda(totals: Totals, *, tie_break: Sequence[Entry]) -> AggregateResult:
    """Borda normalised per juror to [0, 1] and averaged over the jurors who scored each entry."""
    prep = _prepare(totals, tie_break)
    sums: dict[Entry, Fraction] = {e: Fraction(0) for e in prep.entries}
    counts: dict[Entry, int] = {e: 0 for e in prep.entries}
    for ballot in prep.ballots:
        k = len(ballot)
        for entry, value in ballot.items():
            if k == 1:
                points = Fraction(1, 2)
            else:
                below = sum(1 for v in ballot.values() if v < value)
                tied = sum(1 for v in ballot.values() if v == value) - 1
                points = Fraction(2 * below + tied, 2 * (k - 1))
            sums[entry] += points
            counts[entry] += 1
    return _ordered("borda", prep, {e: sums[e] / counts[e] for e in prep.entries})


def zscore_mean(totals: Totals, *, tie_break: Sequence[Entry]) -> AggregateResult:
    """Mean over jurors of each juror's z-score of the entry (population sd; sd 0 gives 0)."""
    prep = _prepare(totals, tie_break)
    sums: dict[Entry, float] = {e: 0.0 for e in prep.entries}
    counts: dict[Entry, int] = {e: 0 for e in prep.entries}
    for ballot in prep.ballots:
        values = list(ballot.values())
        mean = math.fsum(values) / len(values)
        sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))
        for entry, value in ballot.items():
            # A juror whose totals are all equal expresses no preference: z = 0 for all.
            sums[entry] += (value - mean) / sd if sd > 1e-12 else 0.0
            counts[entry] += 1
    return _ordered("zscore", prep, {e: sums[e] / counts[e] for e in prep.entries}, digits=_FLOAT_TIE)


def kemeny(totals: Totals, *, tie_break: Sequence[Entry], max_entries: int = KEMENY_MAX_ENTRIES) -> AggregateResult:
    """Exact Kemeny–Young: the order that minimises total juror disagreement.

    Disagreement of an order = Σ over pairs (a placed above b) of the jurors who preferred b to a
    (a juror's tie costs ½). Exact dynamic programming over subsets, O(2ⁿ·n²): ``g(R)`` is the least
    disagreement for ordering the set R among themselves, ``g(R) = min over e in R of
    [cost of putting e above the rest of R] + g(R - e)``; pairs across the top/rest split cost the
    same whatever the order inside each part, which is what makes the recursion exact.
    Among several optimal orders, the one that is first in the tie-break order (compared position
    by position) is returned; the entries interchangeable at a position are reported in ``ties``.
    ``scores`` are n, n-1, … 1 by final position (Kemeny gives an order, not a score).
    """
    limit = min(max_entries, KEMENY_HARD_LIMIT)
    prep = _prepare(totals, tie_break)
    n = len(prep.entries)
    if n > limit:
        raise KemenyTooLarge(
            _(
                "Kemeny–Young exacto admite hasta %(limit)d postulaciones evaluadas y esta ronda tiene %(n)d; "
                "use Copeland como método principal."
            )
            % {"limit": limit, "n": n}
        )
    d = _doubled_pairwise(prep)
    g = _kemeny_table(d)
    # Walk down the table: at each place take the first entry (in tie-break order) that keeps the
    # total optimal; every entry that could also have gone there is a tie the method left open.
    remaining = (1 << n) - 1
    chosen: list[int] = []
    ties: list[tuple[Entry, ...]] = []
    while remaining:
        options = []
        members = [i for i in range(n) if remaining >> i & 1]
        for e in members:
            rest = remaining & ~(1 << e)
            cost = sum(int(d[b, e]) for b in members if b != e)
            if cost + int(g[rest]) == int(g[remaining]):
                options.append(e)
        chosen.append(options[0])
        if len(options) > 1:
            ties.append(tuple(prep.entries[i] for i in options))
        remaining &= ~(1 << options[0])
    order = [prep.entries[i] for i in chosen]
    return AggregateResult(
        method="kemeny",
        order=tuple(order + prep.unscored),
        scores={e: float(n - i) for i, e in enumerate(order)},
        ties=tuple(ties),
        unscored=tuple(prep.unscored),
        kemeny_cost=int(g[(1 << n) - 1]) / 2,
    )


def _kemeny_table(d: np.ndarray) -> np.ndarray:
    """``g[mask]`` (doubled disagreement) for every subset, filled layer by layer (by subset size)."""
    n = d.shape[0]
    size = 1 << n
    inf = np.iinfo(np.int64).max // 4
    g = np.full(size, inf, dtype=np.int64)
    g[0] = 0
    if n == 0:
        return g
    masks = np.arange(size, dtype=np.int64)
    popcount = np.zeros(size, dtype=np.int8)
    for bit in range(n):
        popcount += ((masks >> bit) & 1).astype(np.int8)
    layers = [masks[popcount == k] for k in range(n + 1)]
    shifts = np.arange(n, dtype=np.int64)
    # Small integer counts: float64 matrix products are exact and use BLAS.
    d_float = d.astype(np.float64)
    for k in range(1, n + 1):
        prev = layers[k - 1]
        bits = ((prev[:, None] >> shifts) & 1).astype(np.float64)
        # cost[s, e] = Σ_{b in s} D[b, e]: jurors who put some b of the rest above e.
        cost = np.rint(bits @ d_float).astype(np.int64)
        base = g[prev]
        for e in range(n):
            free = (prev >> e) & 1 == 0
            targets = prev[free] | (1 << e)
            candidate = base[free] + cost[free, e]
            g[targets] = np.minimum(g[targets], candidate)
    return g


def aggregate(totals: Totals, *, method: Method, tie_break: Sequence[Entry]) -> AggregateResult:
    """Dispatches to ``copeland``, ``kemeny``, ``borda`` or ``zscore_mean``."""
    functions = {"copeland": copeland, "kemeny": kemeny, "borda": borda, "zscore": zscore_mean}
    if method not in functions:
        raise ValueError(f"Método desconocido: {method!r}.")
    return functions[method](totals, tie_break=tie_break)


def kemeny_disagreement(totals: Totals, order: Sequence[Entry]) -> float:
    """Total juror disagreement with ``order`` (the quantity Kemeny–Young minimises).

    Entries missing from ``order`` are left out of the count.
    """
    listed = list(order)
    known = set(listed)
    extra = [e for by_entry in totals.values() for e in by_entry if e not in known]
    prep = _prepare(totals, listed + list(dict.fromkeys(extra)))
    d = _doubled_pairwise(prep)
    pos = [prep.index[e] for e in listed if e in prep.index]
    cost = 0
    for i, a in enumerate(pos):
        for b in pos[i + 1 :]:
            cost += int(d[b, a])
    return cost / 2


# --------------------------------------------------------------------------- agreement


@dataclass(frozen=True)
class KendallW:
    """Kendall's coefficient of concordance, tie-corrected. ``w`` is None when undefined (every
    juror tied every entry). ``chi2`` = m(n-1)W is Friedman's statistic with ``df`` = n - 1."""

    w: float | None
    chi2: float | None
    df: int
    m: int
    n: int


def kendall_w(totals: Totals, *, higher_is_better: bool = True) -> KendallW:
    """Kendall's W over complete rankings: every juror must have scored every entry.

    W = 12·S / (m²(n³ - n) - m·Σ T_j), with S the sum of squared deviations of the entries' rank
    sums from their mean and T_j = Σ (t³ - t) over juror j's groups of t tied entries.
    ``higher_is_better=False`` takes the values as ranks already (1 = best).
    """
    ballots = {j: {e: v for e, v in by_entry.items() if v is not None} for j, by_entry in totals.items()}
    ballots = {j: b for j, b in ballots.items() if b}
    entries = set().union(*ballots.values()) if ballots else set()
    m, n = len(ballots), len(entries)
    if m < 2 or n < 2:
        raise ValueError("Kendall's W necesita al menos 2 jurados y 2 postulaciones.")
    incomplete = [j for j, b in ballots.items() if set(b) != entries]
    if incomplete:
        raise ValueError(
            "Kendall's W necesita rankings completos; jurados con celdas faltantes: "
            + ", ".join(str(j) for j in incomplete)
        )
    rank_sums: dict[Entry, Fraction] = {e: Fraction(0) for e in entries}
    tie_term = 0
    for ballot in ballots.values():
        values = ballot if higher_is_better else {e: -v for e, v in ballot.items()}
        for entry, rank in rank_entries(values).items():
            rank_sums[entry] += Fraction(rank)
        counts: dict[float, int] = {}
        for v in ballot.values():
            counts[v] = counts.get(v, 0) + 1
        tie_term += sum(t**3 - t for t in counts.values())
    mean = sum(rank_sums.values()) / n
    s = sum((r - mean) ** 2 for r in rank_sums.values())
    denominator = m * m * (n**3 - n) - m * tie_term
    if denominator == 0:
        return KendallW(w=None, chi2=None, df=n - 1, m=m, n=n)
    w = 12 * s / denominator
    return KendallW(w=float(w), chi2=float(m * (n - 1) * w), df=n - 1, m=m, n=n)


def krippendorff_alpha(data: Mapping[Juror, Mapping[Entry, float | str | None]], *, level: Level) -> float | None:
    """Krippendorff's alpha for any number of coders (jurors) and units (entries), missing allowed.

    Built from the coincidence matrix: within a unit scored by m_u coders, every ordered pair of
    values from different coders adds 1/(m_u - 1). Units with fewer than two values are not
    pairable and are ignored. α = 1 - (n - 1)·Σ o_ck δ²_ck / Σ n_c n_k δ²_ck. Returns None when
    alpha is undefined (fewer than two pairable values, or no variation at all).
    """
    if level not in ("nominal", "ordinal", "interval", "ratio"):
        raise ValueError(f"Nivel de medición desconocido: {level!r}.")
    by_unit: dict[Entry, list] = {}
    for by_entry in data.values():
        for unit, value in by_entry.items():
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            by_unit.setdefault(unit, []).append(value)
    coincidences: dict[tuple, Fraction] = {}
    for values in by_unit.values():
        m_u = len(values)
        if m_u < 2:
            continue
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    coincidences[(c, k)] = coincidences.get((c, k), Fraction(0)) + Fraction(1, m_u - 1)
    totals_by_value: dict = {}
    for (c, _k), o in coincidences.items():
        totals_by_value[c] = totals_by_value.get(c, Fraction(0)) + o
    n_total = sum(totals_by_value.values())
    if n_total < 2:
        return None
    values_sorted = sorted(totals_by_value) if level != "nominal" else list(totals_by_value)
    delta = _delta_function(level, values_sorted, totals_by_value)
    observed = sum(o * delta(c, k) for (c, k), o in coincidences.items())
    expected = sum(totals_by_value[c] * totals_by_value[k] * delta(c, k) for c in values_sorted for k in values_sorted)
    if expected == 0:
        return None
    return float(1 - (n_total - 1) * observed / expected)


def _delta_function(level: str, values: list, n_by_value: dict):
    if level == "nominal":
        return lambda c, k: 0 if c == k else 1
    if level == "interval":
        return lambda c, k: (Fraction(c) - Fraction(k)) ** 2
    if level == "ratio":

        def ratio(c, k):
            if c + k == 0:
                return 0
            return ((Fraction(c) - Fraction(k)) / (Fraction(c) + Fraction(k))) ** 2

        return ratio
    # Ordinal: distance is the mass of values between c and k, counting the end points by half.
    cumulative: dict = {}
    running = Fraction(0)
    for v in values:
        cumulative[v] = running  # mass strictly below v
        running += n_by_value[v]

    def ordinal(c, k):
        if c == k:
            return 0
        low, high = (c, k) if cumulative[c] < cumulative[k] else (k, c)
        between = cumulative[high] + n_by_value[high] - cumulative[low]  # mass from low to high inclusive
        return (between - (n_by_value[low] + n_by_value[high]) / 2) ** 2

    return ordinal


@dataclass(frozen=True)
class Disagreement:
    """Whether the methods select the same top-N set. ``differing`` are entries some method puts in
    its top N and another does not (in the order of the first result). ``tie_at_cutoff`` gives, per
    method, a tie group straddling the cut (some members in, some out): there the published
    tie-break order, not the jury, decided who is selected."""

    agree: bool
    top_sets: dict[str, tuple[Entry, ...]]
    common: tuple[Entry, ...]
    differing: tuple[Entry, ...]
    tie_at_cutoff: dict[str, tuple[Entry, ...]] = field(default_factory=dict)


def top_set_disagreement(results: Sequence[AggregateResult], *, top_n: int) -> Disagreement:
    """Compares the top-``top_n`` sets (not their internal order) of several aggregation results."""
    if not results:
        raise ValueError("Se necesita al menos un resultado.")
    if top_n < 0:
        raise ValueError("top_n no puede ser negativo.")
    top_sets: dict[str, tuple[Entry, ...]] = {}
    tie_at_cutoff: dict[str, tuple[Entry, ...]] = {}
    for result in results:
        if result.method in top_sets:
            raise ValueError(f"Método repetido: {result.method}.")
        top = tuple(result.order[:top_n])
        top_sets[result.method] = top
        for group in result.ties:
            inside = [e for e in group if e in top]
            if inside and len(inside) < len(group):
                tie_at_cutoff[result.method] = group
                break
    sets = [set(s) for s in top_sets.values()]
    common_set = set.intersection(*sets)
    union = set.union(*sets)
    reference = [e for r in results for e in r.order]
    seen: list[Entry] = []
    for e in reference:
        if e not in seen:
            seen.append(e)
    return Disagreement(
        agree=common_set == union,
        top_sets=top_sets,
        common=tuple(e for e in seen if e in common_set),
        differing=tuple(e for e in seen if e in union and e not in common_set),
        tie_at_cutoff=tie_at_cutoff,
    )


# --------------------------------------------------------------------------- selection


@dataclass(frozen=True)
class Pick:
    entry: Entry
    justification: str


@dataclass(frozen=True)
class Selection:
    """``top``: the first N of the main ranking; ``extra``: the jury's additional picks (e.g. social
    impact), each with its justification, in the order of the main ranking."""

    top: tuple[Entry, ...]
    extra: tuple[Pick, ...]

    @property
    def selected(self) -> tuple[Entry, ...]:
        return self.top + tuple(p.entry for p in self.extra)


def select(
    order: Sequence[Entry],
    *,
    top_n: int,
    extra: Mapping[Entry, str] | Iterable[tuple[Entry, str]] = (),
    max_extra: int,
    labels: Mapping[Entry, str] | None = None,
) -> Selection:
    """Top ``top_n`` of ``order`` plus up to ``max_extra`` picks from the rest, each justified.

    Raises ``ValidationError`` with Spanish messages: ``{"justification": [...]}`` for a pick
    without justification, ``{"extra": [...]}`` for a pick that is already selected, unknown,
    repeated or beyond ``max_extra``, ``{"top_n": [...]}`` when there are fewer entries than N.
    """
    labels = labels or {}

    def label(entry: Entry) -> str:
        return str(labels.get(entry, entry))

    picks = list(extra.items()) if isinstance(extra, Mapping) else list(extra)
    order = list(order)
    errors: dict[str, list[str]] = {}
    if top_n < 0 or max_extra < 0:
        raise ValueError("top_n y max_extra no pueden ser negativos.")
    if top_n > len(order):
        errors.setdefault("top_n", []).append(
            _("Se piden %(n)d seleccionados por ranking, pero solo hay %(total)d postulaciones.")
            % {"n": top_n, "total": len(order)}
        )
    top = tuple(order[:top_n])
    rest = order[top_n:]
    if len(picks) > max_extra:
        errors.setdefault("extra", []).append(
            _("Se permiten a lo más %(max)d selecciones adicionales; hay %(count)d.")
            % {"max": max_extra, "count": len(picks)}
        )
    seen: set[Entry] = set()
    for entry, justification in picks:
        if entry in seen:
            errors.setdefault("extra", []).append(_("«%(e)s» está repetida.") % {"e": label(entry)})
            continue
        seen.add(entry)
        if entry in top:
            errors.setdefault("extra", []).append(
                _("«%(e)s» ya está entre los %(n)d primeros del ranking.") % {"e": label(entry), "n": top_n}
            )
        elif entry not in rest:
            errors.setdefault("extra", []).append(
                _("«%(e)s» no es una postulación de esta ronda.") % {"e": label(entry)}
            )
        if not (justification or "").strip():
            errors.setdefault("justification", []).append(
                _("Cada selección adicional necesita una justificación del jurado: falta la de «%(e)s».")
                % {"e": label(entry)}
            )
    if errors:
        raise ValidationError(errors)
    position = {e: i for i, e in enumerate(order)}
    chosen = sorted(picks, key=lambda p: position[p[0]])
    return Selection(top=top, extra=tuple(Pick(entry=e, justification=j.strip()) for e, j in chosen))
