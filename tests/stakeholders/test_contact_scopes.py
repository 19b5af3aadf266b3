"""Issue 20: the people in the stakeholders registry keep their e-mail and phone from other regions' staff.

Two regions, Gran Concepción and Temuco, each with a university (its person, with e-mail and phone) and a
programme; the ministry (a national organization) takes part in Temuco's programme, the World Bank in none. Temuco's
manager (scoped to the jurisdiction, or to Temuco's programme only) reads the contacts of Temuco's university and of
the ministry, never those of Gran Concepción's university nor the Bank's: on the organization's page, in the admin's
list, page, search and history. The API and the CSV/XLSX exports carry nobody's. The national unit reads every
one; a person reads their own; anyone else, the names and positions only."""

import csv
import io
import json
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from mueve.accounts.models import Role, User
from mueve.programs.models import Program
from mueve.stakeholders import services
from mueve.stakeholders.models import Champion, Level, Organization, Person, ProgramRole, Sector
from tests.scoping import logged_in, scoped
from tests.stakeholders.conftest import _program

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str


CARLA = Contact("Carla Fuentes Soto", "carla.fuentes@udec.example", "+56 41 211 1111")  # Gran Concepción
TOMAS = Contact("Tomás Huenchullán", "tomas.h@ufro.example", "+56 45 232 2222")  # Temuco
MARTA = Contact("Marta Rivas", "marta.rivas@mtt.example", "+56 2 2333 3333")  # the ministry, in Temuco's programme
BRUNO = Contact("Bruno Lagos", "bruno.lagos@banco.example", "+1 202 444 4444")  # the Bank, in no programme
DANIELA = Contact("Daniela Campeona", "daniela@champion.example", "+56 9 5555 5555")  # Gran Concepción's champion
EVERYONE = (CARLA, TOMAS, MARTA, BRUNO, DANIELA)
TEMUCOS = (TOMAS, MARTA)  # within the reach of Temuco's manager


@dataclass
class World:
    national: User
    gc_program: Program
    temuco_program: Program
    orgs: dict[str, Organization]
    people: dict[str, Person]


def _person(contact: Contact, organization: Organization | None, position: str = "Coordinación") -> Person:
    person = services.person_create(full_name=contact.name, email=contact.email, phone=contact.phone)
    if organization is not None:
        services.membership_add(person=person, organization=organization, position=position)
    return person


def _org(name: str, jurisdiction=None, level=Level.REGIONAL) -> Organization:
    return services.organization_create(name=name, sector=Sector.ACADEMIA, level=level, jurisdiction=jurisdiction)


@pytest.fixture
def world(make_user, jurisdiction, temuco) -> World:
    gc_program = _program(jurisdiction, slug="smart-city-gc", name="Smart City Gran Concepción", is_public=False)
    temuco_program = _program(temuco, slug="smart-city-temuco", name="Smart City Temuco", is_public=False)
    orgs = {
        "udec": _org("Universidad de Concepción", jurisdiction),
        "ufro": _org("Universidad de La Frontera", temuco),
        "mtt": _org("Ministerio de Transportes", level=Level.NATIONAL),
        "bank": _org("Banco Mundial", level=Level.NATIONAL),
    }
    for program, org in ((gc_program, "udec"), (temuco_program, "ufro"), (temuco_program, "mtt")):
        services.program_stakeholder_set(
            program=program, organization=orgs[org], roles=[ProgramRole.PARTNER], interest=3, influence=3
        )
    people = {
        "carla": _person(CARLA, orgs["udec"]),
        "tomas": _person(TOMAS, orgs["ufro"]),
        "marta": _person(MARTA, orgs["mtt"]),
        "bruno": _person(BRUNO, orgs["bank"]),
        "daniela": _person(DANIELA, None),
    }
    services.champion_add(program=gc_program, person=people["daniela"], kind=Champion.Kind.CHAMPION)
    return World(make_user(Role.MANAGER), gc_program, temuco_program, orgs, people)


@pytest.fixture(params=["jurisdiction", "program"])
def regional(request, make_user, world, temuco) -> User:
    """Temuco's manager: scoped to the jurisdiction, or to Temuco's programme only."""
    if request.param == "jurisdiction":
        return scoped(make_user, Role.MANAGER, temuco)
    return scoped(make_user, Role.MANAGER, program=world.temuco_program)


def _shows(html: str, contact: Contact) -> bool:
    return contact.email in html or contact.phone in html


def _page(client, org: Organization) -> str:
    response = client.get(reverse("stakeholders:detail", args=[org.slug]))
    assert response.status_code == 200
    return response.content.decode()


# --- the organization's page --------------------------------------------------------------------------------------


def test_a_scoped_manager_reads_the_contacts_within_their_reach_only(world, regional):
    client = logged_in(regional)
    pages = {key: _page(client, org) for key, org in world.orgs.items()}
    assert _shows(pages["ufro"], TOMAS) and TOMAS.phone in pages["ufro"]
    assert _shows(pages["mtt"], MARTA)  # a national organization in their programme
    for key, contact in (("udec", CARLA), ("bank", BRUNO)):
        assert contact.name in pages[key] and "Coordinación" in pages[key]  # name and position
        assert not _shows(pages[key], contact), contact
        assert "solo son visibles para la gestión de la región o del programa" in pages[key]
    assert all(not _shows(html, CARLA) and not _shows(html, BRUNO) for html in pages.values())

    assert regional.has_perm("stakeholders.view_people_contacts", world.people["tomas"])
    for hidden in ("carla", "bruno", "daniela"):
        assert not regional.has_perm("stakeholders.view_people_contacts", world.people[hidden]), hidden


def test_the_national_unit_reads_every_contact_and_others_none(world, make_user):
    national = logged_in(world.national)
    html = "".join(_page(national, org) for org in world.orgs.values())
    assert all(_shows(html, contact) for contact in (CARLA, TOMAS, MARTA, BRUNO))
    assert "Reservado" not in html
    assert world.national.has_perm("stakeholders.view_people_contacts", world.people["daniela"])

    for role in (Role.OFFICIAL, Role.CITIZEN, Role.OPERATOR):
        user = scoped(make_user, role, world.temuco_program.jurisdiction) if role != Role.CITIZEN else make_user(role)
        html = "".join(_page(logged_in(user), org) for org in world.orgs.values())
        assert not any(_shows(html, contact) for contact in EVERYONE), role
        assert CARLA.name in html and TOMAS.name in html


def test_a_person_reads_their_own_contacts_and_nobody_elses(world, make_user):
    carla = make_user(Role.OFFICIAL, first_name="Carla")
    Person.objects.filter(pk=world.people["carla"].pk).update(user=carla)
    colleague = Contact("Colega de Carla", "colega@udec.example", "+56 41 299 9999")
    _person(colleague, world.orgs["udec"], position="Investigación")
    client = logged_in(carla)
    html = _page(client, world.orgs["udec"])
    assert _shows(html, CARLA) and not _shows(html, colleague)
    assert colleague.name in html and "Reservado" in html
    assert not _shows(_page(client, world.orgs["ufro"]), TOMAS)


def test_the_api_and_the_exports_carry_nobodys_contacts(world, regional, client):
    from openpyxl import load_workbook

    for user in (regional, world.national, None):
        caller = logged_in(user) if user else client
        texts = [
            json.dumps(caller.get(f"/api/v1/organizations/{org.slug}").json(), ensure_ascii=False)
            for org in world.orgs.values()
        ]
        texts.append(json.dumps(caller.get("/api/v1/organizations/").json(), ensure_ascii=False))
        texts.append(caller.get(reverse("stakeholders:export")).content.decode("utf-8-sig"))
        workbook = load_workbook(io.BytesIO(caller.get(reverse("stakeholders:export_xlsx")).content))
        texts.append(" ".join(str(cell.value) for row in workbook.active.iter_rows() for cell in row))
        assert "Universidad de La Frontera" in texts[-2]
        rows = list(csv.reader(io.StringIO(texts[-2]), delimiter=";"))
        assert {org.name for org in world.orgs.values()} <= {row[0] for row in rows[1:]}
        for text in texts:
            assert not any(_shows(text, contact) for contact in EVERYONE), user


# --- the admin ------------------------------------------------------------------------------------------------------


def _with_admin_perms(user: User) -> User:
    codenames = [f"{a}_{m}" for m in ("person", "membership", "champion") for a in ("view", "change", "add", "delete")]
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="stakeholders", codename__in=codenames)
    )
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return User.objects.get(pk=user.pk)


def test_the_admin_shows_the_contacts_within_their_reach_only(world, regional):
    client = logged_in(_with_admin_perms(regional))
    changelist = reverse("admin:stakeholders_person_changelist")
    listing = client.get(changelist)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert all(contact.name in html for contact in EVERYONE)  # the names: yes
    assert _shows(html, TOMAS) and _shows(html, MARTA)
    assert not any(_shows(html, contact) for contact in (CARLA, BRUNO, DANIELA))

    # The search does not look into e-mails (it would tell whose address it is); by name, it does.
    assert list(client.get(changelist, {"q": CARLA.email}).context["cl"].result_list) == []
    assert [p.full_name for p in client.get(changelist, {"q": "Carla"}).context["cl"].result_list] == [CARLA.name]
    autocomplete = client.get(
        "/admin/autocomplete/",
        {"app_label": "stakeholders", "model_name": "champion", "field_name": "person", "term": "udec.example"},
    )
    assert autocomplete.status_code == 200 and autocomplete.json()["results"] == []

    carla = world.people["carla"]
    page = client.get(reverse("admin:stakeholders_person_change", args=[carla.pk]))
    assert page.status_code == 200  # read-only: the name, not the contacts
    assert CARLA.name in page.content.decode() and not _shows(page.content.decode(), CARLA)
    assert "email" not in page.context["adminform"].form.fields
    post = {"full_name": "Cambiada desde Temuco", "email": "otra@example.org", "phone": "1", "notes": ""}
    assert client.post(reverse("admin:stakeholders_person_change", args=[carla.pk]), post).status_code == 403
    carla.refresh_from_db()
    assert (carla.full_name, carla.email) == (CARLA.name, CARLA.email)
    assert client.get(reverse("admin:stakeholders_person_history", args=[carla.pk])).status_code == 403
    version = carla.history.first().history_id
    url = reverse("admin:stakeholders_person_simple_history", args=[carla.pk, version])
    assert client.get(url).status_code == 403
    assert client.get(reverse("admin:stakeholders_person_delete", args=[carla.pk])).status_code == 403
    assert Person.objects.filter(pk=carla.pk).exists()

    # Within their reach: the contacts, to read and to change.
    tomas = world.people["tomas"]
    own = client.get(reverse("admin:stakeholders_person_change", args=[tomas.pk]))
    assert own.status_code == 200 and _shows(own.content.decode(), TOMAS)
    assert client.get(reverse("admin:stakeholders_person_history", args=[tomas.pk])).status_code == 200


def test_the_national_units_admin_shows_every_contact(world):
    client = logged_in(_with_admin_perms(world.national))
    changelist = reverse("admin:stakeholders_person_changelist")
    html = client.get(changelist).content.decode()
    assert all(_shows(html, contact) for contact in EVERYONE)
    assert [p.full_name for p in client.get(changelist, {"q": CARLA.email}).context["cl"].result_list] == [CARLA.name]
    page = client.get(reverse("admin:stakeholders_person_change", args=[world.people["carla"].pk]))
    assert page.status_code == 200 and "email" in page.context["adminform"].form.fields
