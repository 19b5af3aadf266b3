"""The ministry's view (/ministerio/): who reaches it, whether its figures are the database's, that it costs the
same number of queries for two regions or for four, and its CSV and PDF."""

import io
import statistics
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from mueve.accounts.models import Role, User
from mueve.accounts.services import role_scope_grant
from mueve.challenges import services as challenge_services
from mueve.challenges.models import Challenge, Kind
from mueve.competitions import selectors as competition_selectors
from mueve.portal import ministry, selectors
from mueve.programs import services as program_services
from mueve.programs.models import MethodologyTemplate, Program, Status
from mueve.reports.models import Incident
from mueve.stakeholders.models import Organization
from mueve.territory.models import Jurisdiction
from mueve.territory.services import jurisdiction_upsert
from mueve.workshops import selectors as workshop_selectors
from mueve.workshops import services as workshop_services
from mueve.workshops.models import Kind as WorkshopKind
from mueve.workshops.models import Workshop
from tests.conftest import PASSWORD, ROLES_AND_ANONYMOUS

URL = "/ministerio/"
NATIONAL = {Role.MANAGER, Role.ADMIN}


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- who may open it -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_perm_is_for_the_national_unit(users_by_role, role):
    user = users_by_role[role] or AnonymousUser()
    assert user.has_perm("portal.view_ministry") is (role in NATIONAL)


@pytest.mark.parametrize("path", [URL, "/ministerio.csv", "/ministerio.pdf"])
@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_access_matrix(users_by_role, role, path):
    response = client_for(users_by_role[role]).get(path)
    if role == "anonymous":
        assert response.status_code == 302 and "/cuentas/entrar/" in response["Location"]
    else:
        assert response.status_code == (200 if role in NATIONAL else 403)


@pytest.mark.parametrize("scope", ["jurisdiction", "program"])
def test_a_manager_scoped_to_temuco_is_refused(make_user, scope):
    admin = make_user(Role.ADMIN)
    temuco = jurisdiction_upsert(slug="temuco", name="Temuco", kind=Jurisdiction.Kind.METROPOLITAN_AREA)
    manager = make_user(Role.MANAGER)
    if scope == "jurisdiction":
        role_scope_grant(user=manager, actor=admin, jurisdiction=temuco)
    else:
        template = MethodologyTemplate.objects.create(name="M", slug="m")
        program = program_services.program_create(
            actor=admin,
            template=template,
            name="MueveTT Temuco",
            jurisdiction=temuco,
            sector="transport",
            start_date=date(2027, 1, 1),
            end_date=date(2027, 12, 31),
        )
        role_scope_grant(user=manager, actor=admin, program=program)
    manager = User.objects.get(pk=manager.pk)  # the scope is read once per request, not kept from the grant
    assert not manager.has_perm("portal.view_ministry")
    for path in (URL, "/ministerio.csv", "/ministerio.pdf"):
        assert client_for(manager).get(path).status_code == 403
    # The national unit (no scope) still gets in, and sees the menu entry the scoped manager does not.
    national = make_user(Role.MANAGER)
    page = client_for(national).get(URL)
    assert page.status_code == 200
    assert 'href="/ministerio/"' in client_for(national).get("/").content.decode()
    assert 'href="/ministerio/"' not in client_for(manager).get("/").content.decode()


def test_login_then_back_to_the_view(make_user):
    user = make_user(Role.MANAGER)
    client = Client()
    response = client.get(URL, follow=True)
    assert response.redirect_chain[-1][0].startswith("/cuentas/entrar/")
    response = client.post(
        "/cuentas/entrar/?next=/ministerio/", {"login": user.username, "password": PASSWORD}, follow=True
    )
    assert response.request["PATH_INFO"] == URL


# --- the figures are the database's ------------------------------------------------------------------------------


def _expected_median(jurisdiction_id: int) -> float | None:
    hours = [
        (i.closed_at - i.opened_at).total_seconds() / 3600
        for i in Incident.objects.filter(jurisdiction_id=jurisdiction_id, status="resolved", closed_at__isnull=False)
    ]
    return round(statistics.median(hours), 1) if hours else None


def test_figures_agree_with_the_database_for_both_demo_regions(demo_db):
    overview = selectors.ministry_overview()
    programs = {p.slug: p for p in Program.objects.all()}
    assert [r.slug for r in overview.rows] == ["smart-city-gran-concepcion", "muevett-temuco"]  # by region's name
    for row in overview.rows:
        program = programs[row.slug]
        assert row.jurisdiction == program.jurisdiction.name
        for count in row.workshops:
            assert count.count == Workshop.objects.filter(program=program, status=count.status).count()
        for count in row.challenges:
            assert count.count == Challenge.objects.filter(program=program, status=count.status).count()
        components = program.components.exclude(status=Status.CANCELLED)
        assert row.components_total == components.count()
        assert row.components_done == components.filter(status=Status.DONE).count()
        # The funnel of each competition, as its own page shows it, summed over the programme's competitions.
        steps = [0] * 6
        for competition in program.competitions.all():
            for i, (_label, n) in enumerate(competition_selectors.funnel(competition)):
                steps[i] += n
        registered, teams, submitted, selected, finished, winners = steps
        assert (row.funnel.registered, row.funnel.teams, row.funnel.submitted) == (registered, teams, submitted)
        assert (row.funnel.accelerated, row.funnel.finalists, row.funnel.winners) == (selected, finished, winners)
        # The roadmap's progress is the "Hoja de ruta" branch of the programme's progress tree.
        tree = workshop_selectors.progress_tree(program)
        roadmap = next((child for child in tree.children if child.ref == "roadmap"), None)
        assert row.roadmap_progress == (None if roadmap is None else roadmap.progress)
        incidents = Incident.objects.filter(jurisdiction=program.jurisdiction)
        assert row.incidents_total == incidents.count()
        assert row.incidents_resolved == incidents.filter(status="resolved").count()
        assert row.median_resolution_hours == _expected_median(program.jurisdiction_id)

    gran_concepcion, temuco = overview.rows
    # The seed's MueveTT: 50 participants, 14 teams, 7 concepts accelerated (5 + 2), 4 finalists, 2 winners.
    assert (gran_concepcion.funnel.registered, gran_concepcion.funnel.teams) == (50, 14)
    assert (gran_concepcion.funnel.accelerated, gran_concepcion.funnel.finalists) == (7, 4)
    assert gran_concepcion.funnel.winners == 2
    assert gran_concepcion.components_done == gran_concepcion.components_total == 5
    assert gran_concepcion.incidents_resolved > 0 and gran_concepcion.median_resolution_hours is not None
    assert gran_concepcion.roadmap_progress is not None
    assert temuco.phase_reached == "Sin iniciar" and temuco.incidents_total == 0


def test_the_page_shows_both_regions_side_by_side_with_charts_and_their_tables(demo_db):
    html = client_for(User.objects.get(username="gestora")).get(URL).content.decode()
    assert "Smart City Gran Concepción" in html and "MueveTT Temuco" in html
    # The wide table scrolls inside a region a keyboard can focus and a screen reader can name.
    assert '<div class="table-wrap ministry-table" tabindex="0" role="region" aria-labelledby="resumen-titulo">' in html
    charts = ministry.charts(selectors.ministry_overview())
    assert len(charts) == 8
    # Every chart: the bars hidden from screen readers, and a table saying the same in words.
    assert html.count('aria-hidden="true" focusable="false"') == len(charts)
    assert html.count('<div class="visually-hidden"><table>') == len(charts)
    for chart in charts:
        assert f'id="grafico-{chart.key}-titulo">{chart.title}</h3>' in html
    assert "<script>" not in html and 'style="' not in html  # the CSP allows neither


# --- a constant number of queries ---------------------------------------------------------------------------------


def _add_region(actor: User, slug: str, name: str, n: int) -> Program:
    """A region's programme with a little of everything the view counts (through the services, like a manager)."""
    jurisdiction = jurisdiction_upsert(slug=slug, name=name, kind=Jurisdiction.Kind.METROPOLITAN_AREA)
    program = program_services.program_create(
        actor=actor,
        template=MethodologyTemplate.objects.get(slug="innovacion-abierta-4c"),
        name=f"MueveTT {name}",
        jurisdiction=jurisdiction,
        sector="transport",
        start_date=date(2027, 1, 1),
        end_date=date(2027, 12, 31),
    )
    component = program.components.order_by("order").first()
    program_services.component_update(actor=actor, component=component, status=Status.IN_PROGRESS)
    workshop_services.workshop_create(
        actor=actor, program=program, component=component, kind=WorkshopKind.CODESIGN, title=f"Codiseño {name}"
    )
    challenge_services.challenge_create(
        actor=actor,
        program=program,
        title=f"¿Cómo informar a tiempo a los pasajeros de {name}?",
        owner=Organization.objects.get(slug="uoct"),
        kind=Kind.CONCRETE,
    )
    # Two incidents of the demo's move to the new region, one of them resolved.
    for incident in Incident.objects.exclude(jurisdiction=jurisdiction).order_by("pk")[2 * n : 2 * n + 2]:
        incident.jurisdiction = jurisdiction
        incident.save(update_fields=["jurisdiction"])
    return program


def test_query_count_does_not_grow_with_the_number_of_regions(demo_db):
    gestora = User.objects.get(username="gestora")
    client = client_for(gestora)
    client.get(URL)  # the first request warms what a process keeps (site settings, templates)

    def count(call) -> int:
        with CaptureQueriesContext(connection) as queries:
            call()
        return len(queries)

    with_two = (count(selectors.ministry_overview), count(lambda: client.get(URL)))
    assert len(selectors.ministry_overview().rows) == 2
    _add_region(gestora, "antofagasta", "Antofagasta", 1)
    _add_region(gestora, "valparaiso", "Valparaíso", 2)
    rows = selectors.ministry_overview().rows
    assert len(rows) == 4
    assert {r.jurisdiction for r in rows} == {"Antofagasta", "Gran Concepción", "Temuco", "Valparaíso"}
    antofagasta = next(r for r in rows if r.jurisdiction == "Antofagasta")
    assert antofagasta.workshops_total == 1 and antofagasta.challenges_total == 1 and antofagasta.incidents_total == 2
    assert antofagasta.reached_order == 1
    with_four = (count(selectors.ministry_overview), count(lambda: client.get(URL)))
    assert with_four == with_two
    assert with_two[0] <= 12  # one grouped query per measure, not one per region


# --- CSV and PDF ---------------------------------------------------------------------------------------------------


def test_csv_has_a_row_per_programme_and_is_formula_safe(demo_db):
    gestora = User.objects.get(username="gestora")
    jurisdiction = jurisdiction_upsert(slug="coquimbo", name="+Coquimbo", kind=Jurisdiction.Kind.METROPOLITAN_AREA)
    program_services.program_create(
        actor=gestora,
        template=MethodologyTemplate.objects.get(slug="innovacion-abierta-4c"),
        name='=HYPERLINK("http://example.org/x","clic")',
        slug="coquimbo",
        jurisdiction=jurisdiction,
        sector="transport",
        start_date=date(2027, 1, 1),
        end_date=date(2027, 12, 31),
    )
    response = client_for(gestora).get("/ministerio.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert len(lines) == 1 + Program.objects.count()
    header = lines[0].split(";")
    assert header[:3] == ["Programa", "Identificador", "Jurisdicción"]
    gc = next(line.split(";") for line in lines if line.startswith("Smart City Gran Concepción;"))
    assert gc[header.index("Inscritos en competencias")] == "50"
    assert gc[header.index("Ganadores")] == "2"
    row = next(line for line in lines if "HYPERLINK" in line)
    # A spreadsheet must read the name as text: a leading quote, never a cell that starts with "=" or "+".
    cells = row.split(";")
    assert cells[0].startswith("\"'=HYPERLINK") or cells[0].startswith("'=HYPERLINK")
    assert cells[2] == "'+Coquimbo"
    for line in lines[1:]:
        for cell in line.split(";"):
            assert not cell.lstrip('"').startswith(("=", "+", "@"))


def test_pdf_opens_and_names_every_region(demo_db):
    response = client_for(User.objects.get(username="gestora")).get("/ministerio.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for name in ("Gran Concepción", "Temuco", "Smart City Gran Concepción", "MueveTT Temuco"):
        assert name in text
    assert "Embudo de la competencia" in text and "Mediana de resolución" in text
    assert f"Página 1 de {len(reader.pages)}" in text


def test_pdf_with_builtin_font_keeps_spanish_letters(demo_db):
    pdf = ministry.render_pdf(selectors.ministry_overview(), font=None)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Vista del ministerio: programas por región" in text and "Smart City Gran Concepción" in text


def test_no_programmes_is_said_in_words(make_user):
    response = client_for(make_user(Role.MANAGER)).get(URL)
    assert "No hay programas registrados." in response.content.decode()
    reader = PdfReader(io.BytesIO(client_for(make_user(Role.ADMIN)).get("/ministerio.pdf").content))
    assert "No hay programas registrados." in reader.pages[0].extract_text()


def test_median_counts_from_the_first_report_not_from_the_row(demo_db):
    """An incident opened 10 hours before it was closed counts 10 hours, whenever its row was written."""
    jurisdiction = Jurisdiction.objects.get(slug="temuco")
    template = Incident.objects.filter(status="resolved").first()
    closed = timezone.now()
    for hours in (10, 20, 60):
        incident = Incident.objects.get(pk=template.pk)
        incident.pk = None
        incident.id = None
        incident.jurisdiction = jurisdiction
        incident.opened_at = closed - timedelta(hours=hours)
        incident.closed_at = closed
        incident.save()
    temuco = next(r for r in selectors.ministry_overview().rows if r.slug == "muevett-temuco")
    assert (temuco.incidents_total, temuco.incidents_resolved, temuco.median_resolution_hours) == (3, 3, 20.0)
