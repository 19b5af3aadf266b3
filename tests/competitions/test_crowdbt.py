"""Crowd-BT (Chen et al. 2013) with gavel's settings.

Source of the reference numbers: the update and information-gain formulas of the paper as
implemented by gavel (github.com/anishathalye/gavel, gavel/crowd_bt.py, read at commit 7ad699b,
which writes them with e^mu rather than the logistic form used here), re-derived independently
at 50 significant digits with mpmath 1.3 (exp form, ``mp.dps = 50``; the script is summarised in
``test_one_vote_from_the_prior_exact``'s comments). The first vote from the prior is also checked
against exact fractions worked out by hand.
"""

import random
from fractions import Fraction

import pytest

from mueve.competitions import crowdbt
from mueve.competitions.crowdbt import AnnotatorState, ItemState, choose_next, expected_information_gain, replay, update

TOL = 1e-6


def close(a, b, tol=TOL):
    return abs(a - b) <= tol


def test_gavel_defaults():
    assert (crowdbt.MU_PRIOR, crowdbt.SIGMA_SQ_PRIOR, crowdbt.ALPHA_PRIOR, crowdbt.BETA_PRIOR) == (0, 1, 10, 1)
    assert crowdbt.KAPPA == 0.0001 and crowdbt.GAMMA == 0.1 and crowdbt.EPSILON == 0.25
    assert ItemState() == ItemState(0.0, 1.0) and AnnotatorState() == AnnotatorState(10.0, 1.0)


def test_one_vote_from_the_prior_exact():
    # By hand, both entries at the prior (mu 0, sigma² 1), judge at (alpha 10, beta 1):
    # p = e^0/(e^0+e^0) = 1/2, so c1 = 1/2 + ½·2·p(1-p)(1-2p) = 1/2 and c = (5 + 1/2)/11 = 1/2.
    # E[eta] = (½·11·10 + ½·10·1)/(½·12·11) = 10/11 and E[eta²] = (½·12·11·10 + ½·11·10)/(½·13·12·11) = 5/6:
    # the prior's own moments, so alpha and beta stay 10 and 1 (a vote between equals says nothing about the judge).
    # mu shift = 10/11 - 1/2 = 9/22; variance factor = 1 + (10/121 - 1/4) = 403/484.
    result = update(AnnotatorState(), ItemState(), ItemState())
    assert close(result.winner.mu, float(Fraction(9, 22)), 1e-12)
    assert close(result.loser.mu, -float(Fraction(9, 22)), 1e-12)
    assert close(result.winner.sigma_sq, float(Fraction(403, 484)), 1e-12)
    assert close(result.loser.sigma_sq, float(Fraction(403, 484)), 1e-12)
    assert close(result.annotator.alpha, 10.0, 1e-9) and close(result.annotator.beta, 1.0, 1e-9)
    # mpmath (50 digits): mu ±0.40909090909090909, sigma² 0.83264462809917355.
    assert close(result.winner.mu, 0.40909090909090909) and close(result.winner.sigma_sq, 0.83264462809917355)


# Sequences replayed from the priors with the mpmath derivation: (judge, winner, loser).
SEQ1 = [("j1", "A", "B"), ("j1", "C", "A"), ("j1", "A", "C"), ("j1", "B", "C")]
SEQ1_ITEMS = {
    "A": (0.37015094781744341, 0.67942002942705776),
    "B": (-0.01660235758895758, 0.75336875204647263),
    "C": (-0.31253597901804579, 0.71323579352919893),
}
SEQ1_JUDGES = {"j1": (9.424543846412937, 1.0142646858841335)}

SEQ2 = [("j1", "A", "B"), ("j2", "B", "A"), ("j1", "A", "C"), ("j2", "C", "B"), ("j2", "A", "C")]
SEQ2_ITEMS = {
    "A": (0.54741636508924146, 0.60293754890007766),
    "B": (-0.35336352248815387, 0.71532344451933483),
    "C": (-0.28246215976520114, 0.65117943972375653),
}
SEQ2_JUDGES = {"j1": (9.9942253390131687, 1.0001058558580738), "j2": (9.5663880329871502, 1.0142443457153888)}


@pytest.mark.parametrize(
    ("votes", "items", "judges"),
    [(SEQ1, SEQ1_ITEMS, SEQ1_JUDGES), (SEQ2, SEQ2_ITEMS, SEQ2_JUDGES)],
    ids=["one-judge", "two-judges"],
)
def test_sequences_match_reference(votes, items, judges):
    state = replay(votes)
    for key, (mu, sigma_sq) in items.items():
        assert close(state.items[key].mu, mu), key
        assert close(state.items[key].sigma_sq, sigma_sq), key
    for key, (alpha, beta) in judges.items():
        assert close(state.annotators[key].alpha, alpha), key
        assert close(state.annotators[key].beta, beta), key


def test_contradicting_judge_loses_reliability_and_agreeing_one_keeps_it():
    state = replay(SEQ2)
    # j2 voted against the emerging consensus twice and is now trusted less than j1.
    assert state.annotators["j2"].reliability < state.annotators["j1"].reliability < AnnotatorState().reliability + 1e-9


def test_expected_information_gain_matches_reference():
    assert close(expected_information_gain(AnnotatorState(), ItemState(), ItemState()), 0.18314834476994872)
    state = replay(SEQ2)
    gain = expected_information_gain(state.annotators["j1"], state.items["A"], state.items["C"])
    assert close(gain, 0.09304859606011165)
    gain = expected_information_gain(state.annotators["j2"], state.items["B"], state.items["C"])
    assert close(gain, 0.11819963397606552)
    gain = expected_information_gain(AnnotatorState(3, 2), ItemState(0.5, 0.8), ItemState(-1.2, 0.3))
    assert close(gain, 0.0047215072635714341)


def test_variance_never_reaches_zero():
    # A very confident judge on a huge upset: the shrink factor is floored at KAPPA.
    result = update(AnnotatorState(1000, 1), ItemState(-8, 5.0), ItemState(8, 5.0))
    assert result.winner.sigma_sq > 0 and result.loser.sigma_sq > 0
    assert result.winner.mu > -8 and result.loser.mu < 8


def test_large_scores_do_not_overflow():
    result = update(AnnotatorState(), ItemState(800, 1), ItemState(-800, 1))
    assert result.winner.mu == pytest.approx(800, abs=1e-6)


def test_choose_next_prefers_the_most_informative_candidate():
    judge = AnnotatorState()
    current = ItemState(0.0, 0.2)
    candidates = {"known": ItemState(3.0, 0.05), "unknown": ItemState(0.1, 1.0), "also": ItemState(0.1, 1.0)}
    assert choose_next(judge, current, candidates) == "unknown"  # ties go to the first in order
    assert choose_next(judge, current, {}) is None


def test_choose_next_explores_with_probability_epsilon():
    judge = AnnotatorState()
    candidates = {i: ItemState(0.0, 0.1 + i / 10) for i in range(5)}
    picks = [choose_next(judge, ItemState(), candidates, rng=random.Random(seed)) for seed in range(400)]
    greedy = choose_next(judge, ItemState(), candidates)
    share_other = sum(1 for p in picks if p != greedy) / len(picks)
    # Random choice happens ~25% of the time and hits the greedy one in 1/5 of those: ~20% others.
    assert 0.1 < share_other < 0.3
    assert picks == [choose_next(judge, ItemState(), candidates, rng=random.Random(s)) for s in range(400)]


def test_replay_rejects_self_comparison():
    with pytest.raises(ValueError):
        replay([("j", "A", "A")])


# Arbitrary states (judge alpha, beta; winner mu, sigma²; loser mu, sigma²) → (alpha', beta', winner mu',
# sigma²', loser mu', sigma²') and the expected information gain of that pair; same mpmath derivation,
# also reproduced with gavel's formulas in float64 (scipy 1.17 betaln/psi) to better than 1e-12.
STATES = [
    (
        (6.814739, 1.178821, 0.905607, 0.154148, 0.215292, 0.737721),
        (
            7.1179364707539697,
            1.170346592782911,
            0.9447836860922409,
            0.15060778983148286,
            0.027800342368022628,
            0.65663655487995137,
        ),
        0.049765683322620635,
    ),
    (
        # A judge believed unreliable (alpha < beta): the vote is read as probably reversed.
        (1.630979, 2.783461, -2.775026, 0.872955, -2.580867, 0.190519),
        (
            1.6150163166831909,
            2.8286506413846465,
            -2.8851285971635778,
            0.85153086183070694,
            -2.5568375406246511,
            0.18949853941814313,
        ),
        0.0090291362123454436,
    ),
    (
        (8.778124, 4.220835, -2.257188, 0.454246, 0.764599, 1.895941),
        (
            8.540731084170164,
            4.8105758135918887,
            -2.2365015157514379,
            0.46234184012728898,
            0.67825734012252592,
            2.0369767903691951,
        ),
        0.0043797380782360898,
    ),
]


@pytest.mark.parametrize(("state", "expected", "gain"), STATES)
def test_arbitrary_states_match_reference(state, expected, gain):
    alpha, beta, mu_w, var_w, mu_l, var_l = state
    judge, winner, loser = AnnotatorState(alpha, beta), ItemState(mu_w, var_w), ItemState(mu_l, var_l)
    result = update(judge, winner, loser)
    got = (
        result.annotator.alpha,
        result.annotator.beta,
        result.winner.mu,
        result.winner.sigma_sq,
        result.loser.mu,
        result.loser.sigma_sq,
    )
    for value, reference in zip(got, expected, strict=True):
        assert close(value, reference)
    assert close(expected_information_gain(judge, winner, loser), gain)
