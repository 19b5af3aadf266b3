import pytest
from django.core.exceptions import PermissionDenied

from mueve.stakeholders import services
from mueve.stakeholders.models import Organization, Sector

# The English header of files exported before the columns were Spanish: still read, for compatibility.
HEADER = "name,acronym,sector,level,is_international,parent,website,description\n"
SPANISH_HEADER = "nombre;sigla;sector;nivel;internacional;depende_de;sitio_web;descripcion"


def _import(text: str, actor=None):
    return services.organizations_import_csv(text=text, actor=actor)


def test_good_file_creates_with_codes_or_spanish_labels_and_parents_anywhere(mtt):
    text = HEADER + (
        # the parent of the first row is defined further down the file
        "Unidad de Ciudades Inteligentes,,Gobierno,NACIONAL,no,Subsecretaría de Transportes,,Lidera la actividad\n"
        "Subsecretaría de Transportes,,government,national,,MTT,,\n"
        "Fundación País Digital,País Digital,sociedad civil,Nacional,no,,https://paisdigital.org,\n"
        "Wayra Chile,Wayra,Sector privado,national,sí,,,Aceleradora\n"
    )
    report = _import(text)
    assert report.ok, (report.errors, report.file_errors)
    assert (report.created, report.updated) == (4, 0)
    unit = Organization.objects.get(name="Unidad de Ciudades Inteligentes")
    assert unit.parent.name == "Subsecretaría de Transportes"
    assert unit.parent.parent == mtt
    assert unit.sector == Sector.GOVERNMENT and unit.level == "national"
    assert unit.slug == "unidad-de-ciudades-inteligentes"
    pais = Organization.objects.get(acronym="País Digital")
    assert pais.sector == Sector.CIVIL_SOCIETY
    assert pais.website == "https://paisdigital.org"
    assert Organization.objects.get(acronym="Wayra").is_international


def test_bad_rows_are_reported_by_line_and_nothing_is_written(mtt):
    before = Organization.objects.count()
    text = HEADER + (
        "Buena Fundación,,civil_society,local,no,,,\n"  # line 2: fine
        ",,government,national,no,,,\n"  # line 3: no name
        "Otra Organización,,gobierno central,provincial,quizás,,,\n"  # line 4: three bad values
        "Cuarta,,academia,regional,no,Nadie Conocido,no-es-url,\n"  # line 5: parent and website
        "buena fundación,,civil_society,local,no,,,\n"  # line 6: repeats line 2
    )
    report = _import(text)
    assert not report.ok
    by_line = {e.line: e.errors for e in report.errors}
    assert sorted(by_line) == [3, 4, 5, 6]
    # Errors name the columns as the exported file has them, in Spanish.
    assert "nombre" in by_line[3]
    assert set(by_line[4]) == {"sector", "nivel", "internacional"}
    assert "gobierno central" in by_line[4]["sector"][0]
    assert set(by_line[5]) == {"depende_de", "sitio_web"}
    assert "Nadie Conocido" in by_line[5]["depende_de"][0]
    assert "fila anterior" in by_line[6]["nombre"][0]
    assert (report.created, report.updated) == (0, 0)
    assert Organization.objects.count() == before
    assert not Organization.objects.filter(name="Buena Fundación").exists()


def test_missing_columns_are_named(db):
    report = _import("name,acronym,sector\nCORFO,,government\n")
    assert not report.ok
    assert report.file_errors == ["Faltan columnas: nivel."]
    assert not Organization.objects.exists()


def test_empty_file_and_file_without_rows_are_errors(db):
    assert _import("").file_errors
    report = _import(HEADER)
    assert report.file_errors == ["El archivo no tiene filas con datos."]


def test_semicolon_delimited_file_with_only_required_columns(db):
    report = _import("name;sector;level\nCORFO;government;national\nInnova Biobío;Gobierno;Regional\n")
    assert report.ok, report.errors
    assert report.created == 2
    assert Organization.objects.get(name="Innova Biobío").level == "regional"


def test_existing_organizations_are_matched_by_name_and_updated(mtt):
    report = _import(HEADER + "ministerio de transportes y telecomunicaciones,MTT,government,national,no,,,Nueva\n")
    assert report.ok
    assert (report.created, report.updated) == (0, 1)
    mtt.refresh_from_db()
    assert mtt.description == "Nueva"
    assert Organization.objects.count() == 1


def test_columns_left_out_of_the_file_keep_their_values(make_org, mtt):
    unit = make_org("Unidad de Ciudades Inteligentes", acronym="UCI", parent=mtt, description="Lidera")
    report = _import("name;sector;level\nUnidad de Ciudades Inteligentes;government;regional\n")
    assert report.ok
    unit.refresh_from_db()
    assert (unit.level, unit.acronym, unit.parent, unit.description) == ("regional", "UCI", mtt, "Lidera")
    # With the column present, an empty cell does empty the field.
    report = _import("name,sector,level,parent,acronym\nUnidad de Ciudades Inteligentes,government,regional,,\n")
    assert report.ok
    unit.refresh_from_db()
    assert (unit.parent, unit.acronym) == (None, "")


def test_parent_by_ambiguous_acronym_is_an_error(make_org):
    make_org("Secretaría Regional A", acronym="SEREMI")
    make_org("Secretaría Regional B", acronym="SEREMI")
    report = _import(HEADER + "Oficina,,government,regional,no,SEREMI,,\n")
    assert report.errors[0].line == 2
    assert "varias" in report.errors[0].errors["depende_de"][0]


def test_rows_that_depend_on_each_other_in_a_loop_write_nothing(db):
    text = HEADER + "Uno,,government,national,no,Dos,,\nDos,,government,national,no,Uno,,\n"
    report = _import(text)
    assert not report.ok
    assert "ciclo" in report.file_errors[0]
    assert not Organization.objects.exists()


def test_a_row_with_more_cells_than_the_header_is_an_error(db):
    report = _import("name,sector,level\nCORFO,government,national,sobra\n")
    assert report.errors[0].line == 2
    assert not Organization.objects.exists()


def test_export_then_import_round_trips(make_org, mtt):
    make_org("Unidad de Ciudades Inteligentes", parent=mtt, description='Con "comillas", comas\ny saltos')
    make_org("Wayra Chile", acronym="Wayra", sector=Sector.PRIVATE, is_international=True, website="https://wayra.co")
    make_org("Fundación País Digital", sector=Sector.CIVIL_SOCIETY, level="local")
    fields = ["name", "acronym", "sector", "level", "is_international", "parent_id", "website", "description"]
    before = list(Organization.objects.order_by("name").values(*fields))
    exported = services.organizations_export_csv()
    assert exported.splitlines()[0] == SPANISH_HEADER

    report = _import(exported)
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 4)
    assert list(Organization.objects.order_by("name").values(*fields)) == before

    # Into an empty registry, the same file recreates the same organizations, parents included.
    Organization.objects.all().delete()
    report = _import(exported)
    assert (report.created, report.updated) == (4, 0)
    unit = Organization.objects.get(name="Unidad de Ciudades Inteligentes")
    assert unit.parent.name == mtt.name
    assert unit.description == 'Con "comillas", comas\ny saltos'


def test_import_needs_the_manager_role(citizen):
    with pytest.raises(PermissionDenied):
        _import(HEADER + "CORFO,,government,national,no,,,\n", actor=citizen)


ASOCIACION = "Asociación Gremial Regional de Taxis y Buses"
ASOCIACION_PLAIN = "Asociacion Gremial Regional de Taxis y Buses"


def test_a_name_written_without_accents_updates_the_accented_organization(make_org):
    accented = make_org(ASOCIACION, sector=Sector.PRIVATE, level="regional")
    report = _import(HEADER + f"{ASOCIACION_PLAIN},AGTB,private,regional,no,,,Gremio\n")
    assert report.ok, (report.errors, report.file_errors)
    assert (report.created, report.updated) == (0, 1)
    assert Organization.objects.count() == 1
    accented.refresh_from_db()
    assert (accented.acronym, accented.description) == ("AGTB", "Gremio")


def test_two_rows_that_differ_only_in_accents_are_the_same_organization(db):
    rows = [
        "Municipalidad de Concepción,,government,municipal,,,,",
        "Municipalidad de Concepcion,,government,municipal,,,,",
    ]
    report = _import(HEADER + "\n".join(rows) + "\n")
    assert not report.ok
    assert report.errors[0].line == 3
    assert "nombre" in report.errors[0].errors
    assert not Organization.objects.exists()


def test_accent_twins_already_in_the_database_never_give_a_500(make_org):
    """Older data may hold two names that differ only in accents (created before names were folded)."""
    accented = make_org(ASOCIACION, sector=Sector.PRIVATE, level="regional")
    plain = Organization.objects.create(
        name=ASOCIACION_PLAIN, slug="asociacion-antigua", sector=Sector.PRIVATE, level="regional"
    )
    # Written exactly as one of them: that one is updated, nothing is renamed onto the other.
    report = _import(HEADER + f"{ASOCIACION_PLAIN},AGTB,private,regional,no,,,\n")
    assert report.ok, (report.errors, report.file_errors)
    plain.refresh_from_db()
    accented.refresh_from_db()
    assert (plain.acronym, accented.acronym) == ("AGTB", "")
    # Matching both only once folded: the row says so, and nothing is written.
    report = _import(HEADER + "ASOCIACION GREMIAL REGIONAL DE TAXIS Y BUSES,X,private,regional,no,,,\n")
    assert not report.ok
    assert "varias organizaciones" in report.errors[0].errors["nombre"][0]
    # The same as a parent reference.
    report = _import(
        HEADER + "Sindicato de Conductores,,civil_society,regional,no,asociacion gremial regional de taxis y buses,,\n"
    )
    assert not report.ok
    assert "depende_de" in report.errors[0].errors
    assert Organization.objects.count() == 2
    assert set(Organization.objects.values_list("name", flat=True)) == {ASOCIACION, ASOCIACION_PLAIN}


def test_import_gives_new_organizations_unique_slugs(make_org):
    make_org("Centro de I+D Biobío", sector=Sector.ACADEMIA)
    report = _import(HEADER + "Centro de ID Biobío,,academia,regional,,,,\nMapa,,academia,regional,,,,\n")
    assert report.ok, (report.errors, report.file_errors)
    assert Organization.objects.get(name="Centro de ID Biobío").slug == "centro-de-id-biobio-2"
    assert Organization.objects.get(name="Mapa").slug == "mapa-2"
