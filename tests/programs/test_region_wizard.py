"""The ministry's national unit opens a region in one sitting (/regiones/nueva/): its territory from a GeoJSON file,
its programme from the demo's methodology template, its report catalogue copied from Gran Concepción with each
agency replaced by one of the new region, and its team invited. The invited manager's e-mail reaches a real SMTP
server; its link lets her choose a password; she logs in and sees Valparaíso's programme, not the other regions'.

And what must not happen: a bad file or a taken identifier stops the first step with a field error (400, nothing
stored), a failure at the end creates nothing, a regional (Temuco) manager gets 403, an anonymous visitor the login.
And a copy made from the template keeps nothing of Gran Concepción: not its name, its communes, its region, nor its
landmarks.
"""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from mueve.accounts.models import Role, RoleScope, User
from mueve.accounts.services import role_scope_grant
from mueve.core.text import fold
from mueve.portal.services import agency_suggestions
from mueve.programs.models import Program
from mueve.reports.models import RoutingRule, Service
from mueve.reports.services import catalogue_plan
from mueve.stakeholders.models import Level, Organization
from mueve.territory.models import Area, Jurisdiction
from mueve.territory.selectors import place_names
from mueve.territory.services import jurisdiction_upsert
from tests.mail import links, smtp_server  # noqa: F401
from tests.programs.factories import make_template

PASSWORD = "valparaiso-cerro-alegre-2027"
TERRITORY = reverse("region_wizard:territory")
PROGRAM = reverse("region_wizard:program")
CATALOGUE = reverse("region_wizard:catalogue")
TEAM = reverse("region_wizard:team")
REVIEW = reverse("region_wizard:review")


def _square(lon: float, lat: float, size: float = 0.02) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


AREAS = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "properties": {"name": "Valparaíso", "code": "5101"}, "geometry": _square(-71.64, -33.06)},
        {
            "type": "Feature",
            "properties": {"name": "Viña del Mar", "code": "5109"},
            "geometry": _square(-71.56, -33.03),
        },
    ],
}


def geojson(data, name: str = "areas.geojson") -> SimpleUploadedFile:
    text = data if isinstance(data, str) else json.dumps(data)
    return SimpleUploadedFile(name, text.encode(), content_type="application/geo+json")


def territory(**changes) -> dict:
    fields = {
        "name": "Valparaíso",
        "slug": "region-de-valparaiso",
        "kind": Jurisdiction.Kind.REGION,
        "center_lat": "-33.047",
        "center_lon": "-71.612",
        "areas": geojson(AREAS),
    }
    fields.update(changes)
    return fields


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def team(*rows) -> dict:
    data = {"equipo-TOTAL_FORMS": str(len(rows) + 1), "equipo-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data.update({f"equipo-{index}-{key}": value for key, value in row.items()})
    return data


def source_names(jurisdiction: Jurisdiction) -> list[str]:
    places, landmarks = place_names(jurisdiction)
    return [*places, *landmarks]


def leftovers(texts, names) -> list[tuple[str, str]]:
    """(text, name) for every text that still names one of `names`, accents and case aside."""
    found = []
    for value in texts:
        folded = f" {fold(value or '')} "
        found += [(value, name) for name in names if f" {fold(name)} " in folded]
    return found


def program_texts(program: Program) -> list[str]:
    """Every text a copy from the template writes: the programme's components, phases and workshops."""
    texts = [program.name]
    for component in program.components.prefetch_related("phases"):
        texts += [component.name, component.theme, component.objective, component.audience]
        for phase in component.phases.all():
            texts += [phase.name, phase.description]
    for workshop in program.workshops.all():
        texts += [workshop.title, workshop.agenda, workshop.venue_address, workshop.minutes]
        texts += [json.dumps(workshop.structure, ensure_ascii=False)]
    return texts


# --- the whole sitting, on the demo ----------------------------------------------------------------------------------


def test_the_national_unit_opens_valparaiso_and_its_manager_sees_only_it(demo_db, smtp_server, after_commit):  # noqa: F811
    national = Client()
    national.force_login(User.objects.get(username="gestora"))  # a manager without scopes: the national unit
    concepcion = Jurisdiction.objects.get(slug="gran-concepcion")

    # 1. Territory, with two areas.
    response = national.post(TERRITORY, territory())
    assert response.status_code == 302 and response["Location"] == PROGRAM

    # 2. The programme: its name proposed from the region's, the demo's template proposed.
    page = text(national.get(PROGRAM))
    assert 'value="MueveTT Valparaíso"' in page
    assert 'value="innovacion-abierta-4c" selected' in page
    response = national.post(
        PROGRAM,
        {
            "template": "innovacion-abierta-4c",
            "name": "MueveTT Valparaíso",
            "sector": "transport",
            "start_date": "2027-03-01",
            "end_date": "2027-12-15",
            "is_public": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == CATALOGUE

    # 3. The catalogue: Gran Concepción's (where the template was first applied) is proposed; each of its agencies
    # gets a counterpart named for Valparaíso; ONEMI, a national agency, may stay.
    plan = catalogue_plan(concepcion)
    suggested = agency_suggestions(plan, "Valparaíso")
    page = text(national.get(CATALOGUE))
    assert 'value="gran-concepcion" selected' in page
    uoct = Organization.objects.get(slug="uoct")
    onemi = Organization.objects.get(slug="onemi")
    assert suggested[uoct.pk] == "Unidad Operativa de Control de Tránsito de Valparaíso"
    assert f'value="{suggested[uoct.pk]}"' in page
    answers = {"origen": "gran-concepcion"}
    for agency in plan.agencies:
        if agency.level == Level.NATIONAL:
            answers[f"agency_{agency.pk}"] = str(agency.pk)
        else:
            answers[f"agency_{agency.pk}"] = ""
            answers[f"agency_{agency.pk}_name"] = suggested[agency.pk]
    # Gran Concepción's own agencies are not offered as counterparts, and typing one's name is refused.
    assert f'<option value="{uoct.pk}"' not in page
    refused = national.post(CATALOGUE, {**answers, f"agency_{uoct.pk}_name": uoct.name})
    assert refused.status_code == 400
    assert "es un organismo de Gran Concepción" in text(refused)
    response = national.post(CATALOGUE, answers)
    assert response.status_code == 302 and response["Location"] == TEAM

    # 4. The team: a manager, and an official of the new traffic control unit.
    page = text(national.get(TEAM))
    assert "Unidad Operativa de Control de Tránsito de Valparaíso (nuevo)" in page
    response = national.post(
        TEAM,
        team(
            {"email": "marta.valpo@example.org", "role": Role.MANAGER},
            {"email": "uoct.valpo@example.org", "role": Role.OFFICIAL, "organization": f"new:{uoct.pk}"},
        ),
    )
    assert response.status_code == 302 and response["Location"] == REVIEW

    # 5. Review, then everything at once.
    page = text(national.get(REVIEW))
    assert "Valparaíso, Viña del Mar" in page and "marta.valpo@example.org" in page
    with after_commit():
        response = national.post(REVIEW)
    program = Program.objects.get(name="MueveTT Valparaíso")
    assert response.status_code == 302 and response["Location"] == reverse("programs:detail", args=[program.slug])
    region = Jurisdiction.objects.get(slug="region-de-valparaiso")
    assert sorted(Area.objects.filter(jurisdiction=region).values_list("name", flat=True)) == [
        "Valparaíso",
        "Viña del Mar",
    ]
    assert program.jurisdiction == region and program.workshops.count() == 9

    # The copy keeps nothing of Gran Concepción: not in the programme, not in the catalogue.
    names = source_names(concepcion)
    assert {"Gran Concepción", "Concepción", "Talcahuano", "Región del Biobío", "Biobío", "Plaza Independencia"} <= set(
        names
    )
    assert leftovers(program_texts(program), names) == []
    assert "Taller de visión: el transporte de Valparaíso en 2025" in program_texts(program)
    assert "FODA del transporte con Municipalidad de Valparaíso" in program_texts(program)
    services = list(Service.objects.filter(jurisdiction=region).prefetch_related("attributes__values"))
    assert len(services) == Service.objects.filter(jurisdiction=concepcion).count()
    service_texts = [t for s in services for t in (s.name, s.description, s.group, s.keywords)]
    service_texts += [a.description for s in services for a in s.attributes.all()]
    assert leftovers(service_texts, names) == []
    rules = list(RoutingRule.objects.filter(jurisdiction=region).prefetch_related("also_notify"))
    assert len(rules) == len(plan.rules) and all(rule.area_id is None for rule in rules)
    assert leftovers([rule.name for rule in rules], names) == []
    # No service and no rule of the new region points at one of Gran Concepción's agencies.
    pointed = {s.agency_id for s in services} | {r.agency_id for r in rules}
    pointed |= {o.pk for r in rules for o in r.also_notify.all()}
    assert not pointed & plan.local_agency_ids
    new_uoct = Organization.objects.get(name="Unidad Operativa de Control de Tránsito de Valparaíso")
    assert new_uoct.jurisdiction == region and new_uoct.acronym == "UOCT"
    crash = RoutingRule.objects.get(jurisdiction=region, name="Accidente con personas heridas")
    assert crash.agency == new_uoct and onemi not in crash.also_notify.all()
    assert RoutingRule.objects.get(jurisdiction=region, service__code="anegamiento").agency == onemi

    # The team: accounts limited to Valparaíso; the manager manages the programme; the official is the new UOCT's.
    marta = User.objects.get(email="marta.valpo@example.org")
    assert marta.role == Role.MANAGER and not marta.has_usable_password()
    assert list(RoleScope.objects.filter(user=marta).values_list("jurisdiction__slug", flat=True)) == [
        "region-de-valparaiso"
    ]
    assert marta in program.managers.all()
    official = User.objects.get(email="uoct.valpo@example.org")
    assert official.role == Role.OFFICIAL and official.organization == new_uoct

    # The invitation reaches the SMTP server with a link; following it, Marta chooses her password and logs in.
    [mail] = smtp_server.wait_for("marta.valpo@example.org")
    assert "Valparaíso" in mail["Subject"]
    [link] = [link for link in links(mail) if "/cuentas/clave/recuperar/clave/" in link]
    marta_client = Client()
    response = marta_client.get(urlsplit(link).path)
    assert response.status_code == 302
    set_password = response["Location"]
    response = marta_client.post(set_password, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302, text(response)
    response = marta_client.post("/cuentas/entrar/", {"login": "marta.valpo@example.org", "password": PASSWORD})
    assert response.status_code == 302
    # She manages Valparaíso's programme, and not those of Gran Concepción or Temuco (which, being public, she may
    # read like anyone).
    page = text(marta_client.get(reverse("programs:list")))
    assert "MueveTT Valparaíso" in page
    assert marta_client.get(reverse("programs:detail", args=[program.slug])).status_code == 200
    from mueve.workshops.models import Workshop

    mine = Workshop.objects.filter(program=program).first()
    assert marta_client.get(reverse("workshops:edit", args=[mine.slug])).status_code == 200
    for other in Workshop.objects.exclude(program=program).filter(program__is_public=True)[:3]:
        assert marta_client.get(reverse("workshops:edit", args=[other.slug])).status_code in (403, 404), other.slug
    smtp_server.wait_for("uoct.valpo@example.org")


def test_the_temuco_copy_keeps_nothing_of_gran_concepcion(demo_db):
    """The demo's replica was made from the template like any copy: Gran Concepción's names, its communes', its
    region's and its landmarks' are gone from every text it copied."""
    temuco = Program.objects.get(slug="muevett-temuco")
    names = source_names(Jurisdiction.objects.get(slug="gran-concepcion"))
    texts = program_texts(temuco)
    assert temuco.workshops.count() == 9
    assert leftovers(texts, names) == []
    assert "FODA del transporte con Municipalidad de Temuco" in texts


# --- refusals ----------------------------------------------------------------------------------------------------


@pytest.fixture
def national(make_user):
    client = Client()
    client.force_login(make_user(Role.MANAGER))
    return client


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (geojson("{ no es json"), "No es JSON válido"),
        (geojson({"type": "Feature", "properties": {"name": "A"}, "geometry": _square(-71, -33)}), "FeatureCollection"),
        (
            geojson(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "properties": {"name": "Plaza"},
                            "geometry": {"type": "Point", "coordinates": [-71.6, -33.0]},
                        }
                    ],
                }
            ),
            "Polygon o MultiPolygon",
        ),
        (
            geojson(
                {
                    "type": "FeatureCollection",
                    "features": [{"type": "Feature", "properties": {}, "geometry": _square(-71, -33)}],
                }
            ),
            "falta la propiedad «name»",
        ),
        (geojson({"type": "FeatureCollection", "features": []}), "no tiene polígonos"),
        (SimpleUploadedFile("areas.geojson", "ñandú".encode("latin-1")), "UTF-8"),
    ],
    ids=["not-json", "not-a-collection", "a-point", "no-name", "empty", "not-utf8"],
)
def test_a_bad_geojson_file_is_refused_with_a_field_error_and_nothing_stored(national, upload, message):
    before = Jurisdiction.objects.count()
    response = national.post(TERRITORY, territory(areas=upload))
    assert response.status_code == 400
    page = text(response)
    assert message in page and "No se guardó nada" in page
    assert Jurisdiction.objects.count() == before and not Area.objects.exists()
    # The draft did not keep the step either: the next one sends back to it.
    assert national.get(PROGRAM)["Location"] == TERRITORY


def test_a_taken_identifier_is_refused(national):
    jurisdiction_upsert(slug="region-de-valparaiso", name="Otra", kind=Jurisdiction.Kind.REGION)
    response = national.post(TERRITORY, territory())
    assert response.status_code == 400
    assert "Ya existe una jurisdicción con ese identificador." in text(response)
    # Without an identifier, the name's is taken, and refused the same way.
    jurisdiction_upsert(slug="valparaiso", name="Gran Valparaíso", kind=Jurisdiction.Kind.METROPOLITAN_AREA)
    response = national.post(TERRITORY, territory(slug=""))
    assert response.status_code == 400 and "Ya existe una jurisdicción con ese identificador." in text(response)


def test_a_failure_at_the_end_creates_nothing_and_says_which_step(
    national, make_user, django_capture_on_commit_callbacks
):
    make_template(make_user(Role.MANAGER))
    assert national.post(TERRITORY, territory()).status_code == 302
    program = {
        "template": "metodo-prueba",
        "name": "MueveTT Valparaíso",
        "sector": "transport",
        "start_date": "2027-03-01",
        "end_date": "2027-12-15",
    }
    assert national.post(PROGRAM, program).status_code == 302
    assert national.post(CATALOGUE, {"origen": ""}).status_code == 302
    assert national.post(TEAM, team({"email": "nadie@example.org", "role": Role.OPERATOR})).status_code == 302
    # Someone takes the identifier meanwhile.
    jurisdiction_upsert(slug="region-de-valparaiso", name="Otra Valparaíso", kind=Jurisdiction.Kind.REGION)
    with django_capture_on_commit_callbacks(execute=True) as sent:
        response = national.post(REVIEW)
    assert response.status_code == 400
    page = text(response)
    assert "No se creó nada. Revise el paso «Territorio»" in page
    assert "Ya existe una jurisdicción con ese identificador." in page
    assert not Program.objects.filter(name="MueveTT Valparaíso").exists()
    assert not User.objects.filter(email="nadie@example.org").exists() and not sent


def test_an_account_that_works_nationwide_is_not_narrowed_to_a_region(national, make_user, template_for_steps):
    nationwide = make_user(Role.OPERATOR, email="operadora@example.org")
    response = national.post(TEAM, team({"email": "operadora@example.org", "role": Role.OPERATOR}))
    assert response.status_code == 400
    assert "en todas las regiones" in text(response)
    assert not RoleScope.objects.filter(user=nationwide).exists()


@pytest.fixture
def template_for_steps(national, make_user):
    make_template(make_user(Role.MANAGER))
    national.post(TERRITORY, territory())
    national.post(
        PROGRAM,
        {
            "template": "metodo-prueba",
            "name": "MueveTT Valparaíso",
            "sector": "transport",
            "start_date": "2027-03-01",
            "end_date": "2027-12-15",
        },
    )
    national.post(CATALOGUE, {"origen": ""})


def test_a_regional_manager_may_not_open_regions_and_a_visitor_is_sent_to_log_in(make_user):
    temuco = jurisdiction_upsert(slug="temuco", name="Temuco", kind=Jurisdiction.Kind.METROPOLITAN_AREA)
    regional = make_user(Role.MANAGER)
    role_scope_grant(user=regional, actor=make_user(Role.ADMIN), jurisdiction=temuco)
    client = Client()
    client.force_login(regional)
    for url in (TERRITORY, PROGRAM, CATALOGUE, TEAM, REVIEW):
        assert client.get(url).status_code == 403
    assert client.post(TERRITORY, territory()).status_code == 403
    assert not Jurisdiction.objects.filter(slug="region-de-valparaiso").exists()
    operator = Client()
    operator.force_login(make_user(Role.OPERATOR))
    assert operator.get(TERRITORY).status_code == 403
    response = Client().get(TERRITORY)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_the_programme_step_checks_its_dates(national, template_for_steps):
    response = national.post(
        PROGRAM,
        {
            "template": "metodo-prueba",
            "name": "MueveTT Valparaíso",
            "sector": "transport",
            "start_date": "2027-12-15",
            "end_date": "2027-03-01",
        },
    )
    assert response.status_code == 400
    assert "La fecha de término debe ser igual o posterior a la de inicio." in text(response)
    # The saved step keeps its earlier, valid dates.
    assert 'value="2027-03-01"' in text(national.get(PROGRAM))


def test_the_catalogue_and_team_steps_refuse_what_they_cannot_use(national, template_for_steps):
    response = national.post(CATALOGUE, {"origen": "no-existe"})
    assert response.status_code == 400
    assert "Escoja una opción válida." in text(response)
    response = national.post(
        TEAM,
        team(
            {"email": "funcionaria@example.org", "role": Role.OFFICIAL},
            {"email": "FUNCIONARIA@example.org", "role": Role.OPERATOR},
            {"email": "no-es-un-correo", "role": Role.OPERATOR},
        ),
    )
    assert response.status_code == 400
    page = text(response)
    assert "Un funcionario debe pertenecer a una organización." in page
    assert "Esta dirección ya está en la fila 1." in page
    assert "Introduzca una dirección de correo electrónico válida." in page
    assert national.get(REVIEW)["Location"] == TEAM  # the step was not kept


def test_an_existing_citizen_account_joins_the_team_and_is_told_to_log_in(
    national,
    make_user,
    template_for_steps,
    smtp_server,  # noqa: F811
    after_commit,
):
    citizen = make_user(Role.CITIZEN, email="vecina@example.org")
    assert national.post(TEAM, team({"email": "Vecina@example.org", "role": Role.OPERATOR})).status_code == 302
    with after_commit():
        assert national.post(REVIEW).status_code == 302
    citizen.refresh_from_db()
    assert citizen.role == Role.OPERATOR and citizen.has_usable_password()
    assert list(RoleScope.objects.filter(user=citizen).values_list("jurisdiction__slug", flat=True)) == [
        "region-de-valparaiso"
    ]
    assert User.objects.filter(email__iexact="vecina@example.org").count() == 1
    [mail] = smtp_server.wait_for("vecina@example.org")
    assert "Ya tiene una cuenta" in mail.get_body(preferencelist=("plain",)).get_content()
    assert any(urlsplit(link).path == "/cuentas/entrar/" for link in links(mail))
