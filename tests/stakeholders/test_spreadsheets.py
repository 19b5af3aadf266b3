"""The organizations file as a Chilean spreadsheet reads it: Spanish headers and names, ";" between cells,
and the same rows as an Excel workbook; files of the former English format still import."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from mueve.stakeholders import services
from mueve.stakeholders.models import Level, Organization, Sector

SPANISH = "nombre;sigla;sector;nivel;internacional;depende_de;sitio_web;descripcion"


def test_a_file_written_in_spanish_imports(mtt):
    text = (
        "\ufeff"
        + SPANISH
        + "\n"
        + (
            "Unidad de Ciudades Inteligentes;UCI;Gobierno;Nacional;no;MTT;;Lidera la actividad, en 2014\n"
            "Wayra Chile;Wayra;Sector privado;Regional;sí;;https://wayra.co;Aceleradora\n"
        )
    )
    report = services.organizations_import_csv(text=text.lstrip("\ufeff"))
    assert report.ok, (report.errors, report.file_errors)
    unit = Organization.objects.get(acronym="UCI")
    assert (unit.sector, unit.level, unit.parent) == (Sector.GOVERNMENT, Level.NATIONAL, mtt)
    assert unit.description == "Lidera la actividad, en 2014"
    wayra = Organization.objects.get(acronym="Wayra")
    assert wayra.is_international and wayra.sector == Sector.PRIVATE and wayra.level == Level.REGIONAL


def test_the_old_english_header_and_codes_still_import(db):
    report = services.organizations_import_csv(text="name,sector,level\nCORFO,government,national\n")
    assert report.ok, report.errors
    assert Organization.objects.get(name="CORFO").level == Level.NATIONAL


def test_a_spanish_file_with_an_error_names_the_spanish_column(db):
    report = services.organizations_import_csv(text=SPANISH + "\nCORFO;;Gobierno;Provincial;no;;;\n")
    assert not report.ok
    assert set(report.errors[0].errors) == {"nivel"}
    assert services.organizations_import_csv(text="nombre;sector\nCORFO;Gobierno\n").file_errors == [
        "Faltan columnas: nivel."
    ]


def test_download_export_then_import_round_trips(client, make_org, mtt):
    make_org("Unidad de Ciudades Inteligentes", parent=mtt, description="Con; punto y coma, y comas")
    make_org("Wayra Chile", acronym="Wayra", sector=Sector.PRIVATE, is_international=True)
    fields = ["name", "acronym", "sector", "level", "is_international", "parent_id", "website", "description"]
    before = list(Organization.objects.order_by("name").values(*fields))
    body = client.get(reverse("stakeholders:export")).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body), delimiter=";"))
    assert list(rows[0]) == SPANISH.split(";")
    wayra = next(r for r in rows if r["nombre"] == "Wayra Chile")
    assert (wayra["sector"], wayra["nivel"], wayra["internacional"]) == ("Sector privado", "Nacional", "sí")

    Organization.objects.all().delete()
    report = services.organizations_import_csv(text=body)
    assert report.ok, report.errors
    assert report.created == 3
    after = {o["name"]: o for o in Organization.objects.order_by("name").values(*fields)}
    for org in before:
        got = after[org["name"]]
        assert {k: v for k, v in got.items() if k != "parent_id"} == {k: v for k, v in org.items() if k != "parent_id"}
    assert Organization.objects.get(name="Unidad de Ciudades Inteligentes").parent.name == mtt.name


def test_the_xlsx_beside_the_csv_has_the_same_rows(client, make_org, mtt):
    make_org("Wayra Chile", acronym="Wayra", sector=Sector.PRIVATE, is_international=True)
    response = client.get(reverse("stakeholders:export_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == SPANISH.split(";")
    assert ["Wayra Chile", "Wayra", "Sector privado", "Nacional", "sí"] == rows[2][:5]


def test_the_list_links_the_xlsx_next_to_the_csv(client, mtt):
    html = client.get(reverse("stakeholders:list")).content.decode()
    csv_at, xlsx_at = html.index(reverse("stakeholders:export")), html.index(reverse("stakeholders:export_xlsx"))
    assert 0 < xlsx_at - csv_at < 300
