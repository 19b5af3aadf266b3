"""Jury arithmetic against hand-computed tables and published examples."""

import itertools
import math

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from mueve.competitions.scoring import (
    KemenyTooLarge,
    aggregate,
    borda,
    copeland,
    juror_totals,
    kemeny,
    kemeny_disagreement,
    kendall_w,
    krippendorff_alpha,
    pairwise_matrix,
    rank_entries,
    select,
    top_set_disagreement,
    weighted_total,
    zscore_mean,
)

# --------------------------------------------------------------------------- rubric


def test_weighted_total_by_hand():
    weights = {"impacto": 3, "factibilidad": 2, "innovacion": 1}
    # (3·(5-1)/4 + 2·(3-1)/4 + 1·(1-1)/4) / 6 · 100 = (3 + 1 + 0) / 6 · 100
    assert weighted_total({"impacto": 5, "factibilidad": 3, "innovacion": 1}, weights, (1, 5)) == pytest.approx(400 / 6)
    assert weighted_total({"impacto": 5, "factibilidad": 5, "innovacion": 5}, weights, (1, 5)) == 100
    per_criterion = {"impacto": (0, 10), "factibilidad": (1, 5), "innovacion": (1, 5)}
    assert weighted_total({"impacto": 5, "factibilidad": 1, "innovacion": 1}, weights, per_criterion) == 25


def test_equal_rubrics_give_exactly_equal_totals():
    # Naive float sums give 30.000000000000004 for the first and 30.0 for the second, which would
    # turn this juror's tie into an order decided by rounding noise.
    weights = {"a": 0.1, "b": 0.2, "c": 0.3, "d": 0.4}
    one = weighted_total({"a": 1, "b": 1, "c": 1, "d": 4}, weights, (1, 5))
    two = weighted_total({"a": 1, "b": 1, "c": 5, "d": 1}, weights, (1, 5))
    assert one == two == 30


def test_weighted_total_rejects_out_of_scale_and_missing():
    weights = {"impacto": 1, "equipo": 1}
    with pytest.raises(ValidationError) as exc:
        weighted_total({"impacto": 6, "otro": 2}, weights, (1, 5))
    messages = exc.value.message_dict["scores"]
    assert any("entre 1 y 5" in m for m in messages)
    assert any("Falta el puntaje" in m and "equipo" in m for m in messages)
    assert any("no es parte de la rúbrica" in m for m in messages)


def test_juror_totals_skips_recused_entries():
    scores = {"ana": {"t1": {"c": 5}, "t2": {"c": 1}}, "beto": {"t2": {"c": 3}}}
    assert juror_totals(scores, {"c": 1}, (1, 5)) == {"ana": {"t1": 100.0, "t2": 0.0}, "beto": {"t2": 50.0}}


def test_rank_entries_shares_ranks_on_ties():
    assert rank_entries({"A": 10, "B": 8, "C": 8, "D": 5}) == {"A": 1, "B": 2.5, "C": 2.5, "D": 4}


# --------------------------------------------------------------------------- aggregation, hand-computed tables

# Condorcet cycle: A beats B, B beats C, C beats A (2–1 each); all beat D 3–0.
CYCLE = {
    "j1": {"A": 90, "B": 80, "C": 70, "D": 60},
    "j2": {"B": 90, "C": 80, "A": 70, "D": 60},
    "j3": {"C": 90, "A": 80, "B": 70, "D": 60},
}


def test_cycle_is_resolved_by_the_published_tie_break():
    tie_break = ["C", "A", "B", "D"]
    result = copeland(CYCLE, tie_break=tie_break)
    assert result.scores == {"A": 2, "B": 2, "C": 2, "D": 0}
    assert result.order == ("C", "A", "B", "D")
    assert result.ties == (("C", "A", "B"),)
    # Kemeny: A>B>C, B>C>A and C>A>B each cost 1 + 1 + 2 = 4; the first in tie-break order wins.
    result = kemeny(CYCLE, tie_break=tie_break)
    assert result.order == ("C", "A", "B", "D")
    assert result.kemeny_cost == 4
    assert result.ties == (("C", "A", "B"),)
    result = kemeny(CYCLE, tie_break=["B", "A", "C", "D"])
    assert result.order == ("B", "C", "A", "D")
    # Borda: each of A, B, C gets (1 + 2/3 + 1/3) / 3.
    result = borda(CYCLE, tie_break=tie_break)
    assert result.scores["A"] == pytest.approx(2 / 3) and result.scores["D"] == 0
    assert result.order == ("C", "A", "B", "D")


# A wins both pairwise contests 2–1 but j3 puts A last: Borda and z-scores tie A with B.
SPLIT = {
    "j1": {"A": 90, "B": 80, "C": 70},
    "j2": {"A": 90, "B": 80, "C": 70},
    "j3": {"B": 90, "C": 80, "A": 70},
}


def test_methods_differ_on_a_small_table():
    tie_break = ["B", "A", "C"]
    cop = copeland(SPLIT, tie_break=tie_break)
    assert cop.scores == {"A": 2, "B": 1, "C": 0} and cop.order == ("A", "B", "C") and cop.ties == ()
    kem = kemeny(SPLIT, tie_break=tie_break)
    assert kem.order == ("A", "B", "C") and kem.kemeny_cost == 2  # A>B and A>C each upset j3
    bor = borda(SPLIT, tie_break=tie_break)
    # A: (1 + 1 + 0)/3 = 2/3; B: (½ + ½ + 1)/3 = 2/3; C: (0 + 0 + ½)/3 = 1/6.
    assert bor.scores == pytest.approx({"A": 2 / 3, "B": 2 / 3, "C": 1 / 6})
    assert bor.order == ("B", "A", "C") and bor.ties == (("B", "A"),)
    z = zscore_mean(SPLIT, tie_break=tie_break)
    # z per juror is ±√(3/2) and 0: A = B = √(3/2)/3, C = -2√(3/2)/3 — a tie despite float sums.
    assert z.scores["A"] == pytest.approx(math.sqrt(1.5) / 3)
    assert z.order == ("B", "A", "C") and z.ties == (("B", "A"),)

    flagged = top_set_disagreement([cop, kem, bor, z], top_n=1)
    assert not flagged.agree
    assert flagged.top_sets == {"copeland": ("A",), "kemeny": ("A",), "borda": ("B",), "zscore": ("B",)}
    assert flagged.common == () and flagged.differing == ("A", "B")
    # Borda and z-scores tied A and B: only the tie-break put B in their top 1.
    assert flagged.tie_at_cutoff == {"borda": ("B", "A"), "zscore": ("B", "A")}
    assert top_set_disagreement([cop, kem, bor, z], top_n=2).agree
    assert top_set_disagreement([cop, kem, bor, z], top_n=2).tie_at_cutoff == {}


# j1 is conflicted with A (recused): A is compared only over j2 and j3.
RECUSAL = {
    "j1": {"B": 80, "C": 70, "D": 60},
    "j2": {"A": 90, "B": 70, "C": 80, "D": 60},
    "j3": {"A": 70, "B": 90, "C": 60, "D": 80},
}


def test_recusal_handling_by_hand():
    tie_break = ["A", "B", "C", "D", "E"]  # E: nobody scored it
    pairs = pairwise_matrix(RECUSAL, tie_break=tie_break)
    assert pairs[("A", "B")] == 1 and pairs[("B", "A")] == 1  # only j2 and j3 count
    assert pairs[("B", "C")] == 2 and pairs[("B", "D")] == 3

    cop = copeland(RECUSAL, tie_break=tie_break)
    # A: ½ (B) + 1 (C) + ½ (D); B: ½ + 1 + 1; C: 1 (D); D: ½ (A).
    assert cop.scores == {"A": 2, "B": 2.5, "C": 1, "D": 0.5}
    assert cop.order == ("B", "A", "C", "D", "E") and cop.unscored == ("E",)

    bor = borda(RECUSAL, tie_break=tie_break)
    # j1 (3 entries): B 1, C ½, D 0; j2: A 1, C ⅔, B ⅓, D 0; j3: B 1, D ⅔, A ⅓, C 0.
    assert bor.scores == pytest.approx({"A": 2 / 3, "B": 7 / 9, "C": 7 / 18, "D": 2 / 9})
    assert bor.order == ("B", "A", "C", "D", "E")

    z = zscore_mean(RECUSAL, tie_break=tie_break)
    assert z.scores["A"] == pytest.approx((3 / math.sqrt(5) - 1 / math.sqrt(5)) / 2)
    assert z.order == ("B", "A", "C", "D", "E")

    # Kemeny: A,B,C,D and B,A,C,D both cost 4; the tie-break order picks A first.
    kem = kemeny(RECUSAL, tie_break=tie_break)
    assert kem.order == ("A", "B", "C", "D", "E") and kem.kemeny_cost == 4 and kem.ties == (("A", "B"),)
    kem = kemeny(RECUSAL, tie_break=["B", "A", "C", "D", "E"])
    assert kem.order == ("B", "A", "C", "D", "E")
    assert kemeny_disagreement(RECUSAL, ["B", "A", "D", "C"]) == 5


def test_missing_cells_can_be_none():
    with_none = {j: dict(v) for j, v in RECUSAL.items()}
    with_none["j1"]["A"] = None
    assert copeland(with_none, tie_break=list("ABCD")) == copeland(RECUSAL, tie_break=list("ABCD"))


def test_tie_break_must_list_every_entry():
    with pytest.raises(ValueError):
        copeland(CYCLE, tie_break=["A", "B", "C"])
    with pytest.raises(ValueError):
        aggregate(CYCLE, method="borda", tie_break=["A", "A", "B", "C", "D"])
    with pytest.raises(ValueError):
        aggregate(CYCLE, method="plurality", tie_break=list("ABCD"))


def test_kemeny_refuses_too_many_entries_with_a_clear_message():
    entries = [f"e{i}" for i in range(21)]
    totals = {"j": {e: i for i, e in enumerate(entries)}}
    with pytest.raises(KemenyTooLarge, match="hasta 20 postulaciones.*tiene 21.*Copeland"):
        kemeny(totals, tie_break=entries)


def test_kemeny_handles_twelve_entries_exactly():
    # Two jurors with opposite orders, a third agreeing with the first: the first order is optimal.
    entries = [f"e{i:02d}" for i in range(12)]
    forward = {e: 100 - i for i, e in enumerate(entries)}
    backward = {e: i for i, e in enumerate(entries)}
    result = kemeny({"a": forward, "b": backward, "c": forward}, tie_break=list(reversed(entries)))
    assert result.order == tuple(entries)
    assert result.kemeny_cost == 66  # every one of the 12·11/2 pairs upsets juror b


# --------------------------------------------------------------------------- properties

scores_st = st.one_of(st.none(), st.integers(min_value=0, max_value=3))


@st.composite
def small_tables(draw, max_entries=5):
    n = draw(st.integers(min_value=1, max_value=max_entries))
    m = draw(st.integers(min_value=1, max_value=4))
    entries = [f"e{i}" for i in range(n)]
    tie_break = draw(st.permutations(entries))
    totals = {f"j{j}": {e: draw(scores_st) for e in entries} for j in range(m)}
    return totals, list(tie_break)


@settings(max_examples=150, deadline=None)
@given(small_tables())
def test_kemeny_is_optimal_and_first_in_tie_break_order(table):
    totals, tie_break = table
    result = kemeny(totals, tie_break=tie_break)
    scored = [e for e in tie_break if any(b.get(e) is not None for b in totals.values())]
    # Brute force: permutations() of the tie-break list come in tie-break lexicographic order.
    costs = [(kemeny_disagreement(totals, p), p) for p in itertools.permutations(scored)]
    best = min(c for c, _ in costs)
    first_best = next(p for c, p in costs if c == best)
    assert result.kemeny_cost == best == kemeny_disagreement(totals, result.order)
    assert result.order[: len(scored)] == first_best
    assert sorted(result.order, key=str) == sorted(tie_break, key=str)


@settings(max_examples=100, deadline=None)
@given(
    st.permutations([f"e{i}" for i in range(6)]),
    st.lists(st.floats(min_value=0.1, max_value=5), min_size=1, max_size=5),
    st.permutations([f"e{i}" for i in range(6)]),
)
def test_unanimous_jurors_give_their_ranking_for_every_method(ranking, spreads, tie_break):
    totals = {f"j{j}": {e: spread * (10 - i) + j for i, e in enumerate(ranking)} for j, spread in enumerate(spreads)}
    for method in ("copeland", "kemeny", "borda", "zscore"):
        result = aggregate(totals, method=method, tie_break=list(tie_break))
        assert list(result.order) == list(ranking), method
        assert result.ties == ()


@settings(max_examples=100, deadline=None)
@given(small_tables(max_entries=6))
def test_every_method_returns_every_entry_once(table):
    totals, tie_break = table
    for method in ("copeland", "kemeny", "borda", "zscore"):
        result = aggregate(totals, method=method, tie_break=tie_break)
        assert sorted(result.order) == sorted(tie_break)
        assert set(result.unscored) == {e for e in tie_break if all(b.get(e) is None for b in totals.values())}
        assert result.order[len(result.order) - len(result.unscored) :] == result.unscored


# --------------------------------------------------------------------------- agreement


def test_kendall_w_published_example():
    # influentialpoints.com, "Kendall coefficient of concordance", worked example I: four raters rank
    # strawberries from eight farms (1 = best); rank sums 31 12 12 15 22 5 22 25, SS = 500, W = 0.744,
    # k(N-1)W = 20.83.
    ranks = {
        "A": [8, 4, 2, 3, 5, 1, 6, 7],
        "B": [7, 3, 1, 4, 5, 2, 6, 8],
        "C": [8, 2, 5, 6, 7, 1, 4, 3],
        "D": [8, 3, 4, 2, 5, 1, 6, 7],
    }
    result = kendall_w({r: dict(enumerate(v)) for r, v in ranks.items()}, higher_is_better=False)
    assert result.w == pytest.approx(500 / 672)
    assert round(result.w, 3) == 0.744 and round(result.chi2, 2) == 20.83 and result.df == 7


def test_kendall_w_tie_correction_by_hand():
    # Ranks: j1 1 2 3 4; j2 1 2.5 2.5 4 (B, C tied); j3 2 1 3 4. Rank sums 4, 5.5, 8.5, 12 → S = 37.5.
    # Ties: j2 has one pair, T = 2³ - 2 = 6. W = 12·37.5 / (3²·(4³ - 4) - 3·6) = 450 / 522 = 25/29.
    totals = {
        "j1": {"A": 4, "B": 3, "C": 2, "D": 1},
        "j2": {"A": 10, "B": 8, "C": 8, "D": 5},
        "j3": {"A": 3, "B": 4, "C": 2, "D": 1},
    }
    result = kendall_w(totals)
    assert result.w == pytest.approx(25 / 29)
    assert result.chi2 == pytest.approx(3 * 3 * 25 / 29)


def test_kendall_w_extremes_and_incomplete_data():
    same = {j: {"A": 3, "B": 2, "C": 1} for j in "xyz"}
    assert kendall_w(same).w == pytest.approx(1)
    assert kendall_w({j: {"A": 1, "B": 1} for j in "xy"}).w is None
    with pytest.raises(ValueError, match="completos"):
        kendall_w(RECUSAL)


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers × 12
# units with missing values; published α nominal 0.743, ordinal 0.815, interval 0.849, ratio 0.797.
K_ROWS = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}


@pytest.mark.parametrize(
    ("level", "published"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)]
)
def test_krippendorff_canonical_example(level, published):
    data = {coder: dict(enumerate(values)) for coder, values in K_ROWS.items()}
    assert round(krippendorff_alpha(data, level=level), 3) == published


def test_krippendorff_nominal_by_exact_fractions():
    # By hand: units 2, 6 and 8 hold the disagreements, contributing 6/3 + 12/3 + 6/3 = 8 to the
    # off-diagonal coincidences. Pairable values n = 40 with n_c = 9, 13, 10, 5, 3 for values 1..5,
    # so Σ_{c≠k} n_c·n_k = 40² - 384 = 1216 and α = 1 - (n - 1)·8 / 1216 = 1 - 39/152.
    data = {coder: dict(enumerate(values)) for coder, values in K_ROWS.items()}
    assert krippendorff_alpha(data, level="nominal") == pytest.approx(1 - 39 / 152)


def test_krippendorff_wikipedia_example():
    # en.wikipedia.org/wiki/Krippendorff's_alpha, "A computational example": 3 coders × 15 units,
    # nominal α = 0.691, interval α = 0.811.
    rows = {
        "A": [None, None, None, None, None, 3, 4, 1, 2, 1, 1, 3, 3, None, 3],
        "B": [1, None, 2, 1, 3, 3, 4, 3, None, None, None, None, None, None, None],
        "C": [None, None, 2, 1, 3, 4, 4, None, 2, 1, 1, 3, 3, None, 4],
    }
    data = {coder: dict(enumerate(values)) for coder, values in rows.items()}
    assert round(krippendorff_alpha(data, level="nominal"), 3) == 0.691
    assert round(krippendorff_alpha(data, level="interval"), 3) == 0.811


def test_krippendorff_perfect_and_undefined():
    perfect = {"a": {1: 1, 2: 2, 3: 3}, "b": {1: 1, 2: 2, 3: 3}}
    assert krippendorff_alpha(perfect, level="interval") == 1
    assert krippendorff_alpha({"a": {1: 2, 2: 2}, "b": {1: 2, 2: 2}}, level="nominal") is None
    assert krippendorff_alpha({"a": {1: 2}, "b": {2: 2}}, level="nominal") is None
    with pytest.raises(ValueError):
        krippendorff_alpha(perfect, level="cardinal")


# --------------------------------------------------------------------------- selection

ORDER = ["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"]


def test_select_five_plus_two_with_justifications():
    selection = select(
        ORDER, top_n=5, extra={"t9": "Impacto social en zonas rurales", "t7": " Accesibilidad universal "}, max_extra=2
    )
    assert selection.top == ("t1", "t2", "t3", "t4", "t5")
    assert [p.entry for p in selection.extra] == ["t7", "t9"]  # in ranking order
    assert selection.extra[0].justification == "Accesibilidad universal"
    assert selection.selected == ("t1", "t2", "t3", "t4", "t5", "t7", "t9")


def test_select_requires_a_justification_in_spanish():
    with pytest.raises(ValidationError) as exc:
        select(ORDER, top_n=5, extra={"t8": "  "}, max_extra=2, labels={"t8": "Refugio Inteligente"})
    assert exc.value.message_dict == {
        "justification": [
            "Cada selección adicional necesita una justificación del jurado: falta la de «Refugio Inteligente»."
        ]
    }


def test_select_rejects_bad_picks():
    with pytest.raises(ValidationError) as exc:
        select(ORDER, top_n=5, extra=[("t2", "x"), ("zz", "y"), ("t6", "a"), ("t6", "b")], max_extra=2)
    messages = exc.value.message_dict["extra"]
    assert any("a lo más 2" in m for m in messages)
    assert any("t2" in m and "primeros" in m for m in messages)
    assert any("zz" in m for m in messages)
    assert any("repetida" in m for m in messages)
    with pytest.raises(ValidationError) as exc:
        select(ORDER[:4], top_n=5, max_extra=0)
    assert "solo hay 4" in exc.value.message_dict["top_n"][0]
