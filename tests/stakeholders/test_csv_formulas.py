"""The organizations download: a name a spreadsheet would run as a formula arrives as text, and re-imports."""

import csv
import io

from django.urls import reverse

from mueve.stakeholders import services
from mueve.stakeholders.models import Organization

HYPERLINK = '=HYPERLINK("http://x","y")'


def test_export_download_quotes_a_formula_name_and_the_file_reimports_unchanged(client, make_org, mtt):
    make_org(HYPERLINK, description="-la descripción empieza con guion")
    response = client.get(reverse("stakeholders:export"))
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    row = next(r for r in rows if HYPERLINK in r["nombre"])
    assert row["nombre"] == "'" + HYPERLINK
    assert row["descripcion"] == "'-la descripción empieza con guion"
    assert next(r for r in rows if r["nombre"] == mtt.name)["sigla"] == "MTT"

    report = services.organizations_import_csv(text=response.content.decode("utf-8-sig"))
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 2)
    assert Organization.objects.get(name=HYPERLINK).description == "-la descripción empieza con guion"
