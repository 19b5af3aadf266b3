"""Pairwise rounds (Crowd-BT): each juror sees every non-conflicted team once and compares it with the
one before; the closed round ranks by the replayed beliefs."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q

from mueve.competitions import crowdbt, selectors, services
from mueve.competitions.models import ConflictReason, PairwiseVote
from tests.competitions.conftest import judge_honestly

pytestmark = pytest.mark.django_db


def test_each_juror_sees_each_team_once_and_the_ranking_follows_the_votes(pairwise_round, jurors, manager):
    round_, teams = pairwise_round
    for juror in jurors:
        assignment = judge_honestly(round_, juror)
        assert sorted(assignment.seen) == sorted(t.pk for t in teams.values())
    assert PairwiseVote.objects.filter(round=round_).count() == 3 * 3
    services.round_close(actor=manager, round=round_)
    round_.refresh_from_db()
    assert round_.result["method"] == "crowd-bt"
    assert round_.result["order"][0] == teams["Alfa"].pk
    assert round_.result["order"][-1] == teams["Delta"].pk
    assert [r.team.name for r in selectors.ranking_rows(round_)][:1] == ["Alfa"]


def test_conflicted_team_is_never_shown(pairwise_round, jurors):
    round_, teams = pairwise_round
    services.conflict_declare(actor=jurors[0], team=teams["Beta"], reason=ConflictReason.FAMILY)
    assignment = judge_honestly(round_, jurors[0])
    assert teams["Beta"].pk not in assignment.seen
    assert not PairwiseVote.objects.filter(juror=jurors[0], winner=teams["Beta"]).exists()
    assert not PairwiseVote.objects.filter(juror=jurors[0], loser=teams["Beta"]).exists()


def test_pairwise_refuses_rubric_scores_and_outsiders(pairwise_round, jurors, make_user):
    round_, teams = pairwise_round
    with pytest.raises(ValidationError):
        services.score_set(actor=jurors[0], round=round_, team=teams["Alfa"], values={})
    with pytest.raises(PermissionDenied):
        services.pairwise_next(actor=make_user("juror"), round=round_)
    with pytest.raises(ValidationError):
        services.pairwise_vote(actor=jurors[0], round=round_, current_wins=True)  # nothing to compare yet


def test_pairwise_page(client, pairwise_round, jurors):
    round_, _teams = pairwise_round
    client.force_login(jurors[0])
    path = f"/competencias/{round_.competition.slug}/jurado/{round_.pk}/"
    assert "Primer equipo" in client.get(path).content.decode()
    client.post(path, {"action": "next"})
    page = client.get(path).content.decode()
    assert "Anterior:" in page and "Ahora:" in page
    client.post(path, {"action": "vote", "winner": "current"})
    assert PairwiseVote.objects.filter(juror=jurors[0]).count() == 1


# --- issue 17: a conflict declared after voting ------------------------------------------------


def _votes_about(juror, team):
    return PairwiseVote.objects.filter(juror=juror).filter(Q(winner=team) | Q(loser=team))


def test_votes_before_a_conflict_are_withdrawn_and_do_not_move_the_result(pairwise_round, jurors, manager):
    round_, teams = pairwise_round
    beta = teams["Beta"]
    judge_honestly(round_, jurors[0])
    withdrawn = _votes_about(jurors[0], beta).count()
    assert withdrawn >= 1  # every team is seen once: Beta was compared at least once
    services.conflict_declare(actor=jurors[0], team=beta, reason=ConflictReason.FAMILY)
    assert not _votes_about(jurors[0], beta).exists()
    # Audited: the deletions stay in the history.
    assert PairwiseVote.history.filter(juror=jurors[0], history_type="-").count() == withdrawn
    services.round_close(actor=manager, round=round_)
    round_.refresh_from_db()
    # Only this juror voted: without the withdrawn votes nothing is known about Beta.
    assert round_.result["crowdbt"]["scores"][str(beta.pk)] == crowdbt.MU_PRIOR
    assert round_.result["votes"] == 3 - withdrawn


def test_conflict_declared_after_the_close_recomputes_the_frozen_result(pairwise_round, jurors, manager):
    round_, teams = pairwise_round
    for juror in jurors[:2]:
        judge_honestly(round_, juror)
    services.round_close(actor=manager, round=round_)
    services.conflict_declare(actor=manager, juror=jurors[0], team=teams["Beta"], reason=ConflictReason.FINANCIAL)
    round_.refresh_from_db()
    remaining = [(v.juror_id, v.winner_id, v.loser_id) for v in PairwiseVote.objects.filter(round=round_)]
    assert len(remaining) < 6 and round_.result["votes"] == len(remaining)
    beliefs = crowdbt.replay(remaining, items=[t.pk for t in teams.values()])
    scores = round_.result["crowdbt"]["scores"]
    assert scores == {str(t): round(beliefs.items[t].mu, 6) for t in beliefs.items}
