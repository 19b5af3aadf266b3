"""Pairwise judging with the Crowd-BT model (Chen, Bennett, Collins-Thompson & Horvitz, WSDM 2013).

For large events (many entries, judges walking between tables) each judge compares the entry they
just saw with the next one and says which is better. Crowd-BT keeps, for every entry, a Gaussian
belief about its Bradley–Terry score (``mu``, ``sigma_sq``) and, for every judge, a Beta belief
(``alpha``, ``beta``) about how reliable that judge is: η ~ Beta(α, β) is the chance that the judge
reports the true order rather than its reverse, so

    P(judge says i beats j) = η · p_ij + (1 - η) · (1 - p_ij),   p_ij = e^{mu_i} / (e^{mu_i} + e^{mu_j}).

After each vote the beliefs are updated by moment matching (the paper's online approximation),
and the next entry a judge sees is the one with the greatest expected information gain: the
expected Kullback–Leibler divergence between the beliefs after and before the vote.

This is our own implementation of the model with the settings the gavel judging system uses
(priors μ 0, σ² 1, α 10, β 1; κ = 1e-4 keeps variances positive; γ = 0.1 weighs the judge's
information against the entries'; ε = 0.25 for epsilon-greedy exploration), so results are
comparable with gavel's. Probabilities are computed from differences of scores (logistic form),
which equals the exp form algebraically and does not overflow for large scores.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

GAMMA = 0.1  # weight of the judge's information gain in the pair choice
LAMBDA = 1.0  # regularisation in the paper (unused by the online update, kept for reference)
KAPPA = 0.0001  # floor on the variance shrink factor, so a variance never becomes ≤ 0
MU_PRIOR = 0.0
SIGMA_SQ_PRIOR = 1.0
ALPHA_PRIOR = 10.0
BETA_PRIOR = 1.0
EPSILON = 0.25  # chance of showing a random entry instead of the most informative one

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class ItemState:
    """Belief about an entry's quality: N(mu, sigma_sq)."""

    mu: float = MU_PRIOR
    sigma_sq: float = SIGMA_SQ_PRIOR


@dataclass(frozen=True)
class AnnotatorState:
    """Belief about a judge's reliability: Beta(alpha, beta); mean alpha / (alpha + beta)."""

    alpha: float = ALPHA_PRIOR
    beta: float = BETA_PRIOR

    @property
    def reliability(self) -> float:
        return self.alpha / (self.alpha + self.beta)


@dataclass(frozen=True)
class VoteResult:
    annotator: AnnotatorState
    winner: ItemState
    loser: ItemState


def _logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _updated_annotator(a: AnnotatorState, winner: ItemState, loser: ItemState) -> tuple[AnnotatorState, float]:
    """Judge's Beta after "winner beat loser", by matching the first two moments of the posterior.

    Returns the new state and c, the predictive probability of this vote.
    """
    alpha, beta = a.alpha, a.beta
    p = _logistic(winner.mu - loser.mu)
    # E[p] under the Gaussian beliefs, to second order: p + ½(σ²_w + σ²_l)·p(1-p)(1-2p).
    c1 = p + 0.5 * (winner.sigma_sq + loser.sigma_sq) * p * (1 - p) * (1 - 2 * p)
    c2 = 1 - c1
    s = alpha + beta
    c = (c1 * alpha + c2 * beta) / s
    # Posterior ∝ η^α(1-η)^(β-1)·c1 + η^(α-1)(1-η)^β·c2 (mixture of two Betas): its first two moments.
    mean = alpha * (c1 * (alpha + 1) + c2 * beta) / (c * s * (s + 1))
    mean_sq = alpha * (alpha + 1) * (c1 * (alpha + 2) + c2 * beta) / (c * s * (s + 1) * (s + 2))
    variance = mean_sq - mean * mean
    common = (mean - mean_sq) / variance
    return AnnotatorState(alpha=common * mean, beta=common * (1 - mean)), c


def _updated_items(a: AnnotatorState, winner: ItemState, loser: ItemState) -> tuple[ItemState, ItemState]:
    """Entries' Gaussians after "winner beat loser" (one Newton-like step per the paper)."""
    p = _logistic(winner.mu - loser.mu)
    # q: probability the judge's vote is right when the judge is as reliable as expected, written
    # α e^w / (α e^w + β e^l) = logistic(w - l + ln(α/β)).
    q = _logistic(winner.mu - loser.mu + math.log(a.alpha / a.beta))
    shift = q - p
    curvature = q * (1 - q) - p * (1 - p)
    mu_w = winner.mu + winner.sigma_sq * shift
    mu_l = loser.mu - loser.sigma_sq * shift
    sigma_w = winner.sigma_sq * max(1 + winner.sigma_sq * curvature, KAPPA)
    sigma_l = loser.sigma_sq * max(1 + loser.sigma_sq * curvature, KAPPA)
    return ItemState(mu_w, sigma_w), ItemState(mu_l, sigma_l)


def update(annotator: AnnotatorState, winner: ItemState, loser: ItemState) -> VoteResult:
    """New beliefs after ``annotator`` said ``winner`` is better than ``loser`` (all from the old state)."""
    new_annotator, _c = _updated_annotator(annotator, winner, loser)
    new_winner, new_loser = _updated_items(annotator, winner, loser)
    return VoteResult(annotator=new_annotator, winner=new_winner, loser=new_loser)


def _kl_gaussian(mu_1: float, var_1: float, mu_2: float, var_2: float) -> float:
    """KL(N(mu_1, var_1) ‖ N(mu_2, var_2))."""
    ratio = var_1 / var_2
    return (mu_1 - mu_2) ** 2 / (2 * var_2) + (ratio - 1 - math.log(ratio)) / 2


def _digamma(x: float) -> float:
    """ψ(x) for x > 0: recurrence up to x ≥ 10, then the asymptotic series (error < 1e-15)."""
    if x <= 0:
        raise ValueError("digamma only for x > 0")
    acc = 0.0
    while x < 10:
        acc -= 1 / x
        x += 1
    inv = 1 / x
    inv2 = inv * inv
    series = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132)))))
    return acc + math.log(x) - 0.5 * inv - series


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def _kl_beta(a_1: float, b_1: float, a_2: float, b_2: float) -> float:
    """KL(Beta(a_1, b_1) ‖ Beta(a_2, b_2))."""
    return (
        _log_beta(a_2, b_2)
        - _log_beta(a_1, b_1)
        + (a_1 - a_2) * _digamma(a_1)
        + (b_1 - b_2) * _digamma(b_1)
        + (a_2 - a_1 + b_2 - b_1) * _digamma(a_1 + b_1)
    )


def expected_information_gain(annotator: AnnotatorState, a: ItemState, b: ItemState) -> float:
    """Expected KL gain of asking ``annotator`` to compare ``a`` with ``b``.

    Both outcomes are weighed by their predictive probability (c of "a wins", 1 - c of "b wins");
    each contributes the divergence of both entries' beliefs plus γ times the judge's.
    """
    total = 0.0
    annotator_a, prob_a = _updated_annotator(annotator, a, b)
    a_1, b_1 = _updated_items(annotator, a, b)
    annotator_b, _ = _updated_annotator(annotator, b, a)
    b_2, a_2 = _updated_items(annotator, b, a)
    for prob, new_annotator, new_a, new_b in ((prob_a, annotator_a, a_1, b_1), (1 - prob_a, annotator_b, a_2, b_2)):
        total += prob * (
            _kl_gaussian(new_a.mu, new_a.sigma_sq, a.mu, a.sigma_sq)
            + _kl_gaussian(new_b.mu, new_b.sigma_sq, b.mu, b.sigma_sq)
            + GAMMA * _kl_beta(new_annotator.alpha, new_annotator.beta, annotator.alpha, annotator.beta)
        )
    return total


def choose_next(
    annotator: AnnotatorState,
    current: ItemState,
    candidates: Mapping[K, ItemState],
    *,
    rng: random.Random | None = None,
    epsilon: float = EPSILON,
) -> K | None:
    """The candidate to show next to a judge whose last seen entry is ``current``.

    The candidate with the largest expected information gain (first in ``candidates`` order on a
    tie). With an ``rng``, a uniformly random candidate is chosen with probability ``epsilon``
    instead (gavel's exploration); without one the choice is deterministic. None if no candidates.
    """
    if not candidates:
        return None
    keys = list(candidates)
    if rng is not None and rng.random() < epsilon:
        return rng.choice(keys)
    best_key = keys[0]
    best_gain = -math.inf
    for key in keys:
        gain = expected_information_gain(annotator, current, candidates[key])
        if gain > best_gain:
            best_key, best_gain = key, gain
    return best_key


@dataclass(frozen=True)
class Replay:
    items: dict
    annotators: dict


def replay(votes: Iterable[tuple[Hashable, Hashable, Hashable]], items: Iterable[Hashable] = ()) -> Replay:
    """Replays a vote log ``(annotator, winner, loser)`` in order from the priors.

    Useful to rebuild every belief from the audit log; ``items`` lists entries that may have no
    votes yet (they keep the prior). Ranking: sort ``items`` by ``mu``, highest first.
    """
    item_states: dict = {key: ItemState() for key in items}
    annotator_states: dict = {}
    for annotator_key, winner_key, loser_key in votes:
        if winner_key == loser_key:
            raise ValueError("Una entrada no puede compararse consigo misma.")
        result = update(
            annotator_states.get(annotator_key, AnnotatorState()),
            item_states.get(winner_key, ItemState()),
            item_states.get(loser_key, ItemState()),
        )
        annotator_states[annotator_key] = result.annotator
        item_states[winner_key] = result.winner
        item_states[loser_key] = result.loser
    return Replay(items=item_states, annotators=annotator_states)
