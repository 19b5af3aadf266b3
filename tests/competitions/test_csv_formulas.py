"""The results download: a team name a spreadsheet would run as a formula arrives as text."""

import csv
import io

import pytest
from django.urls import reverse

from mueve.competitions import services
from tests.competitions.conftest import values

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x","y")'


def test_results_csv_quotes_a_formula_team_name_and_keeps_negative_scores_numbers(
    client, make_team, submit, first_round, jurors, manager
):
    evil, plain = make_team(HYPERLINK), make_team("Beta")
    for team in (evil, plain):
        submit(team)
    services.round_open(actor=manager, round=first_round)
    for juror in jurors:
        services.score_set(actor=juror, round=first_round, team=evil, values=values(first_round, 5, 5, 4))
        services.score_set(actor=juror, round=first_round, team=plain, values=values(first_round, 3, 3, 3))
    services.round_close(actor=manager, round=first_round)
    services.selection_record(actor=manager, round=first_round, top_justification="@todos de acuerdo")
    services.competition_set_flags(actor=manager, competition=first_round.competition, results_published=True)

    response = client.get(reverse("competitions:results_csv", args=[first_round.competition.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())  # the BOM that makes Excel read UTF-8
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    by_team = {row["equipo"]: row for row in rows}
    assert set(by_team) == {"'" + HYPERLINK, "Beta"}
    assert by_team["'" + HYPERLINK]["justificacion"] == "'@todos de acuerdo"
    # Beta's z-score is below the mean: written as a number, so not quoted.
    assert float(by_team["Beta"]["z_media"].replace(",", ".")) < 0
    assert by_team["Beta"]["z_media"].startswith("-") and "." not in by_team["Beta"]["z_media"]
