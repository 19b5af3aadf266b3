"""The program completion report: the seed's structure and tables, filled from the demo; HTML, PDF, who sees what."""

import io
from contextlib import nullcontext
from datetime import date

import pytest
from django.core.management import call_command
from django.http import Http404
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from mueve.accounts.models import Role, User
from mueve.portal import dossier
from mueve.programs import selectors as program_selectors
from mueve.programs.models import Program
from mueve.territory.models import Jurisdiction
from mueve.workshops.models import ReportNarrative
from tests.conftest import ROLES_AND_ANONYMOUS

pytestmark = pytest.mark.django_db

SLUG = "smart-city-gran-concepcion"
SECTIONS = ["resumen", "antecedentes", "socios", "componentes", "seguimiento", "impacto", "replicacion", "lecciones"]
FULL_READERS = {Role.MANAGER, Role.ADMIN, Role.OFFICIAL}
# Champions' names are generated as "Persona Demo …" in the demo; they are personal data.
PERSON_NAME = "Persona Demo"


@pytest.fixture
def program(demo_db_shared) -> Program:
    return Program.objects.get(slug=SLUG)


@pytest.fixture(scope="module")
def built(demo_db_shared, django_db_blocker) -> dossier.ProgramDossier:
    with django_db_blocker.unblock():
        return dossier.build_dossier(Program.objects.get(slug=SLUG))


@pytest.fixture(scope="module")
def pdf_bytes(built) -> bytes:
    return dossier.render_pdf(built)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def cells(table: dossier.Table) -> list[str]:
    return [cell for row in table.rows for cell in row.cells]


# --- content: the seed's tables from the database ---------------------------------------------------


def test_report_follows_the_seed_structure(built):
    ids = [s.id for s in built.all_sections()]
    for section_id in SECTIONS:
        assert section_id in ids
    components = built.section("componentes").subsections
    assert [s.id for s in components][:4] == ["componente-1", "componente-2", "componente-3", "componente-4"]
    for component in components:
        kinds = {b.kind for b in component.blocks}
        assert {"paragraph", "list", "table"} <= kinds  # method, phases/workshops/results, participants
    # Tables are numbered in reading order, like the seed's "Table 1 … Table 10".
    assert [t.number for t in built.tables()] == list(range(1, len(built.tables()) + 1))


def test_partners_table_lists_the_counterparts_and_partners(built):
    partners = built.table("partners")
    names = cells(partners)
    for name in (
        "Ministerio de Transportes y Telecomunicaciones (MTT)",
        "Fundación País Digital",
        "Corporación de Fomento de la Producción (CORFO)",
        "Municipalidad de Concepción",
        "Universidad de Concepción (UdeC)",
    ):
        assert name in names
    groups = [r.cells[0] for r in partners.rows if r.group]
    assert groups == ["Contrapartes y socios de gobierno", "Socios no gubernamentales"]
    # Interviewed-only institutions are participants, not partners (Table 1 vs Table 4).
    assert "Concebus" not in " ".join(names)


def test_concepts_table_is_table_3_with_the_selection(built):
    concepts = {row.cells[0]: row.cells for row in built.table("concepts").rows}
    assert set(concepts) == {"iTransConcepción", "Cuida tu Luz", "Cuido mi Barrio", "Ciudadano te Informa"}
    assert "Unidad de Modernización y Gobierno Digital" in concepts["iTransConcepción"][4]
    assert "Seleccionado" in concepts["iTransConcepción"][4]
    prototypes = built.table("prototypes")
    assert any(r.cells[0] == "Ciudadano te Informa" and r.cells[1] == "Prototipo rápido" for r in prototypes.rows)
    component_1 = built.section("componente-1")
    assert built.table("concepts") in component_1.blocks


def test_roadmap_table_is_table_5_lines_by_horizons(built):
    roadmap = built.table("roadmap")
    assert roadmap.columns == ["Iniciativa", "2015", "2019", "2025"]
    lines = [r.cells[0] for r in roadmap.rows if r.group]
    assert len(lines) == 3
    assert "Plataforma integrada de transporte del Gran Concepción" in lines
    placed = {r.cells[0]: r.cells[1:].index(dossier.MARK) for r in roadmap.rows if not r.group}
    assert placed["Identificación de agentes de cambio"] == 0  # 2015
    assert len(placed) == 22
    assert roadmap in built.section("componente-2").blocks


def test_competition_results_are_table_7(built):
    rows = {r.cells[0]: r.cells for r in built.table("competition").rows}
    assert {"Despierta", "Refugio Inteligente", "911-R", "Ya Voy", "i-BiciPark"} <= set(rows)
    assert "Alerta Drone*" in rows and "Tu Colectivo*" in rows  # social-impact picks, starred as in the seed
    winners = {name for name, row in rows.items() if row[4] == "Ganador"}
    assert winners == {"Despierta", "Refugio Inteligente"}
    assert built.table("competition") in built.section("componente-3").blocks


def test_component_3_lists_its_clinics_with_their_counts(built):
    """The seed's component 3 held two preparatory clinics: competition records, not workshops, and the report
    once said "Talleres: Sin datos registrados" for it."""
    talleres = next(
        b for b in built.section("componente-3").blocks if isinstance(b, dossier.ListBlock) and b.title == "Talleres"
    )
    clinics = [item for item in talleres.items if item.startswith("Clínica: ")]
    assert len(clinics) == 2
    assert all("inscritos" in item and "asistentes" in item for item in clinics)
    assert "Sin datos registrados" not in talleres.items


def test_hub_lines_are_table_10_with_partner_commitments(built):
    lines = [r.cells[0].split(" (")[0] for r in built.table("hub_lines").rows]
    assert lines == ["Hub + Ocio", "Inn Port", "Smart Plan", "Mobile Hub"]
    commitments = built.table("hub_commitments")
    assert any(r.cells[0] == "Mobile Hub" and "Universidad de Concepción" in r.cells[2] for r in commitments.rows)
    assert {r.cells[0] for r in built.table("hub_models").rows} == {
        "Citilab",
        "Forum Virium",
        "Urban Lab",
        "Waag Society",
    }
    participants = built.table("participants-4")  # Table 9: by sector, internationals starred
    assert participants.columns[:4] == ["Gobierno", "Sector privado", "Academia", "Sociedad civil"]
    assert "Wayra Chile*" in cells(participants)


def test_indicators_and_narrative_are_in_the_report(built, program):
    indicators = {r.cells[0]: r.cells for r in built.table("indicators").rows}
    assert indicators["Participantes en la competencia MueveTT"][5] == "50"
    narrative = ReportNarrative.objects.get(program=program)
    summary = " ".join(b.text for b in built.section("resumen").blocks if b.kind == "paragraph")
    assert narrative.executive_summary.split("\n")[0][:60] in summary


def test_an_empty_program_gets_the_whole_outline_with_empty_states(demo_db):
    program = Program.objects.create(
        name="Programa sin datos",
        slug="programa-sin-datos",
        jurisdiction=Jurisdiction.objects.first(),
        start_date=date(2025, 1, 1),
        end_date=date(2025, 12, 31),
    )
    built = dossier.build_dossier(program)
    assert [s.id for s in built.sections] == [
        "resumen",
        "antecedentes",
        "socios",
        "componentes",
        "seguimiento",
        "impacto",
        "replicacion",
    ]
    html = dossier.render_html(built)
    assert html.count("Sin datos registrados") >= 5
    assert dossier.render_pdf(built).startswith(b"%PDF")


# --- HTML -------------------------------------------------------------------------------------------


def test_html_is_a_printable_accessible_document(built):
    html = dossier.render_html(built)
    assert html.startswith("<!doctype html>")
    assert '<html lang="es">' in html
    assert html.count("<h1") == 1
    assert "@media print" in html and "table-header-group" in html
    assert html.count("<caption") == len(built.tables())
    assert '<th scope="col">' in html and '<th scope="row">' in html
    assert 'scope="rowgroup"' in html  # roadmap lines and partner groups
    for section_id in SECTIONS:
        assert f'id="{section_id}"' in html
    for text in (
        "Tabla 1:",
        "iTransConcepción",
        "Ciudadano te Informa",
        "Hub + Ocio",
        "Identificación de agentes de cambio",
    ):
        assert text in html
    assert '<span class="visually-hidden">sí</span>' in html  # the roadmap's ● has a text alternative


def test_manager_page_links_pdf_and_edit(program):
    manager = User.objects.get(username="gestora")
    response = client_for(manager).get(reverse("portal:dossier", args=[SLUG]))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("portal:dossier_pdf", args=[SLUG]) in body
    assert reverse("portal:dossier_edit", args=[SLUG]) in body
    assert PERSON_NAME in body


# --- PDF --------------------------------------------------------------------------------------------


def test_pdf_has_title_page_numbered_pages_and_the_tables(pdf_bytes, built):
    assert pdf_bytes.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf_bytes))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 10
    assert "Smart City Gran Concepción" in pages[0]
    assert "Gran Concepción" in pages[0] and "noviembre de 2013" in pages[0]
    assert f"Página 1 de {len(pages)}" in pages[0]
    assert f"Página {len(pages)} de {len(pages)}" in pages[-1]
    assert "Contenido" in pages[1]
    text = "\n".join(pages)
    for table in built.tables():
        assert table.title.split(":")[0] + ":" in text
    for name in (
        "iTransConcepción",
        "Ciudadano te Informa",
        "Refugio Inteligente",
        "Mobile Hub",
        "Universidad de Concepción",
    ):
        assert name in text
    # A long table repeats its header row on every page it spans.
    partners = built.table("partners")
    first = next(n for n, p in enumerate(pages) if partners.title in p)
    last = next(n for n, p in enumerate(pages) if partners.rows[-1].cells[0] in p and n >= first)
    assert last > first  # the demo's partner table runs over a page break…
    assert all("Rol en el programa" in pages[n] for n in range(first, last + 1))  # …and its header follows it


def test_pdf_with_builtin_font_keeps_spanish_text(built):
    pdf = dossier.render_pdf(built, font=None)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for fragment in ("Concepción", "Gestión", "Diseño", "—"):
        assert fragment in text


def test_pdf_download(program):
    response = client_for(User.objects.get(username="gestora")).get(reverse("portal:dossier_pdf", args=[SLUG]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="informe-{SLUG}.pdf"'
    assert response.content.startswith(b"%PDF")


def test_command_writes_html_and_pdf(program, tmp_path):
    call_command("programreport", SLUG, out=str(tmp_path / "salida"))
    html = (tmp_path / "salida" / "report.html").read_text(encoding="utf-8")
    assert "Smart City Gran Concepción" in html and "Tabla 1:" in html
    assert (tmp_path / "salida" / "report.pdf").read_bytes().startswith(b"%PDF")


# --- who sees what ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_who_reads_which_version(role, program, make_user):
    user = None if role == "anonymous" else make_user(role)
    response = client_for(user).get(reverse("portal:dossier", args=[SLUG]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "iTransConcepción" in body
    if role in FULL_READERS:
        assert PERSON_NAME in body and "Versión completa" in body
    else:
        assert PERSON_NAME not in body and "Versión pública" in body


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_private_program_report_is_404_for_whoever_cannot_see_the_program(role, program, make_user):
    # Issue 17: the programme's other pages answered 404 to an official while its full report was readable.
    Program.objects.filter(pk=program.pk).update(is_public=False)
    user = None if role == "anonymous" else make_user(role)
    sees_program = role in (Role.MANAGER, Role.ADMIN)
    assert client_for(user).get(reverse("programs:detail", args=[SLUG])).status_code == (200 if sees_program else 404)
    assert client_for(user).get(f"/api/v1/programs/{SLUG}").status_code == (200 if sees_program else 404)
    if user is not None:  # the selector the pages share answers the same
        with pytest.raises(Http404) if not sees_program else nullcontext():
            program_selectors.program_get_for(user, SLUG, detail=False)
    for name in ("portal:dossier", "portal:dossier_pdf"):
        for query in ("", "?version=publica"):
            response = client_for(user).get(reverse(name, args=[SLUG]) + query)
            assert response.status_code == (200 if sees_program else 404)


def test_public_version_hides_names_and_unpublished_results(program):
    public = dossier.build_dossier(program, public=True)
    html = dossier.render_html(public)
    assert PERSON_NAME not in html
    assert "Agente de cambio: Municipalidad de Concepción" in html
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(dossier.render_pdf(public))).pages)
    assert PERSON_NAME not in pdf_text and "Versión pública" in pdf_text
    program.competitions.update(results_published=False)
    assert dossier.build_dossier(program, public=True).table("competition").empty
    assert not dossier.build_dossier(program).table("competition").empty


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_only_managers_edit_the_narrative(role, program, make_user):
    user = None if role == "anonymous" else make_user(role)
    url = reverse("portal:dossier_edit", args=[SLUG])
    before = ReportNarrative.objects.get(program=program).executive_summary
    get = client_for(user).get(url)
    post = client_for(user).post(url, {"executive_summary": "Texto nuevo del resumen."})
    if role in (Role.MANAGER, Role.ADMIN):
        assert get.status_code == 200
        assert post.status_code == 302
        assert ReportNarrative.objects.get(program=program).executive_summary == "Texto nuevo del resumen."
    else:
        assert get.status_code == post.status_code == (302 if role == "anonymous" else 403)
        assert ReportNarrative.objects.get(program=program).executive_summary == before


def test_edited_narrative_shows_in_the_report(program):
    manager = User.objects.get(username="gestora")
    client = client_for(manager)
    url = reverse("portal:dossier_edit", args=[SLUG])
    form = client.get(url).content.decode()
    assert 'for="id_executive_summary"' in form and 'for="id_lessons"' in form
    response = client.post(
        url,
        {
            "executive_summary": "Resumen con “comillas” y ñandú.\n\nSegundo párrafo.",
            "background": "Antecedentes.",
            "impact": "",
            "replication": "Seis regiones.",
            "lessons": "Empezar por los funcionarios.",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("portal:dossier", args=[SLUG])).content.decode()
    assert "Resumen con “comillas” y ñandú." in page
    assert "Segundo párrafo." in page and "Empezar por los funcionarios." in page
    built = dossier.build_dossier(program)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(dossier.render_pdf(built, font=None))).pages)
    assert "“comillas”" in text and "ñandú" in text


def test_pdf_survives_cells_longer_than_a_page():
    # fpdf2 cannot split a table row over pages; an overlong cell is shortened in the PDF (the HTML keeps it all).
    long_words, no_spaces = "palabra " * 3000, "W" * 9000
    table = dossier.Table(
        "x",
        "Prueba",
        ["A", "B", "C", "D", "E"],
        [dossier.Row([long_words] * 5), dossier.Row([no_spaces] * 5)],
        (1.9, 2, 3.2, 0.8, 2.4),
    )
    table.number = 1
    built = dossier.ProgramDossier(
        "Programa",
        "programa",
        "Jurisdicción",
        "2025",
        "Transporte",
        "Planificado",
        "hoy",
        False,
        [dossier.Section("s", "Sección", [table])],
        [],
    )
    for font in ("auto", None):
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(dossier.render_pdf(built, font=font))).pages)
        assert "texto completo en la versión HTML" in " ".join(text.split())
    assert dossier.render_html(built).count(long_words.strip()) == 5
