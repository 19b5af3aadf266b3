"""The statistics download: category and agency names a spreadsheet would run as formulas arrive as text."""

import csv
import io

import pytest

from mueve.reports import services
from mueve.stakeholders.models import Level, Organization, Sector

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x","y")'


def test_statistics_csv_quotes_formula_names_and_keeps_counts_numbers(client, metro, operator, submit):
    agency = Organization.objects.create(
        name="-Vialidad", slug="vialidad-prueba", sector=Sector.GOVERNMENT, level=Level.REGIONAL
    )
    service = services.service_upsert(
        jurisdiction=metro,
        code="formula",
        name=HYPERLINK,
        group="Calles",
        agency=agency,
        alert_category="traffic",
        alert_subcategory="pothole",
        default_severity="low",
        attributes=[],
    )
    submit(service)
    client.force_login(operator)
    response = client.get("/control/estadisticas.csv?days=7")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["reportes_por_categoria", "'" + HYPERLINK, "1"] in rows
    assert ["incidentes_por_organismo", "'-Vialidad", "1"] in rows
