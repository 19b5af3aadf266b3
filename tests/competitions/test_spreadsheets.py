"""The demo competition's results as a Chilean spreadsheet reads them: "14,0", not "14.000" (fourteen
thousand to Excel set to Spanish), and the workbook beside the CSV with numeric cells."""

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from mueve.accounts.models import User
from mueve.competitions.models import Competition

pytestmark = pytest.mark.django_db

HEADER = ["ronda", "posicion", "equipo", "desafio", "puntaje_principal", "copeland", "z_media", "seleccion"]


@pytest.fixture
def admin_client(demo_db_shared) -> Client:
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    return client


@pytest.fixture
def competition(demo_db_shared) -> Competition:
    return Competition.objects.get(slug="muevett-2014")


def test_results_csv_has_decimal_commas_and_semicolons(admin_client, competition):
    body = admin_client.get(reverse("competitions:results_csv", args=[competition.slug])).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body), delimiter=";"))
    assert list(rows[0])[: len(HEADER)] == HEADER
    first = next(r for r in rows if r["equipo"] == "Refugio Inteligente")
    assert first["puntaje_principal"] == "14,0" and first["copeland"] == "13,0"
    assert first["z_media"] == "1,907"
    assert "14.000" not in body


def test_results_xlsx_has_the_same_numbers_as_numbers(admin_client, competition):
    response = admin_client.get(reverse("competitions:results_xlsx", args=[competition.slug]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c for c in row] for row in sheet.iter_rows()]
    assert [c.value for c in rows[0]][: len(HEADER)] == HEADER
    first = next(row for row in rows if row[2].value == "Refugio Inteligente")
    assert first[4].data_type == "n" and first[4].value == 14.0
    assert Decimal(str(first[6].value)) == Decimal("1.907")
    assert first[1].value == 1


def test_results_page_links_the_xlsx_beside_the_csv(admin_client, competition):
    html = admin_client.get(reverse("competitions:results", args=[competition.slug])).content.decode()
    csv_at = html.index(reverse("competitions:results_csv", args=[competition.slug]))
    xlsx_at = html.index(reverse("competitions:results_xlsx", args=[competition.slug]))
    assert 0 < xlsx_at - csv_at < 300
