"""Issue 20: an organization's place in a programme, its commitments and the programme's champions respect scoped
roles.

Two regions, each with a public programme and one not public yet: Gran Concepción ("gc") and Temuco. The people:
- the national unit: a manager without any scope;
- Temuco's manager, in two forms: scoped to the Temuco jurisdiction, or to Temuco's draft programme only.
Temuco's manager reads and manages Temuco's programme institutions, commitments and champions; Gran Concepción's
internal data (its draft programme, its notes) never reaches them, through the pages, the API, the CSV/XLSX
exports or the admin, and every attempt to change it is a 403 or 404 that changes nothing. Public pages stay public.
"""

import csv
import io
import json
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from mueve.accounts.models import Role, User
from mueve.programs.models import Program
from mueve.programs.rules import program_of
from mueve.stakeholders import services
from mueve.stakeholders.models import (
    Champion,
    Commitment,
    Engagement,
    Level,
    Organization,
    ProgramRole,
    ProgramStakeholder,
    Sector,
)
from tests.scoping import logged_in, scoped
from tests.stakeholders.conftest import _program

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The JSON body as a reader sees it (not \\u-escaped)."""
    return json.dumps(response.json(), ensure_ascii=False)


GC_SECRET = "Nota interna del borrador de Gran Concepción"
TEMUCO_SECRET = "Nota interna del borrador de Temuco"


@dataclass
class Region:
    public: Program
    draft: Program  # not public yet
    organization: Organization  # an institution of the region, taking part in both programmes


@dataclass
class World:
    national: User
    gc: Region
    temuco: Region


def _region(jurisdiction, *, key: str, name: str, org_name: str, secret: str) -> Region:
    public = _program(jurisdiction, slug=f"smart-city-{key}", name=f"Smart City {name}")
    draft = _program(jurisdiction, slug=f"borrador-{key}", name=f"Borrador {name}", is_public=False)
    organization = services.organization_create(
        name=org_name, sector=Sector.ACADEMIA, level=Level.REGIONAL, jurisdiction=jurisdiction
    )
    for program, notes in ((public, f"Socia pública de {name}."), (draft, secret)):
        services.program_stakeholder_set(
            program=program,
            organization=organization,
            roles=[ProgramRole.PARTNER],
            interest=4,
            influence=4,
            notes=notes,
        )
    component = draft.components.get(key="codesign")
    services.engagement_set(program=draft, organization=organization, component=component, level="leading")
    services.commitment_create(
        program=draft, organization=organization, kind=Commitment.Kind.VENUE, description=f"Sede reservada: {secret}"
    )
    person = services.person_create(full_name=f"Campeona de {name}", email=f"campeona.{key}@example.org")
    services.champion_add(program=draft, person=person, kind=Champion.Kind.CHAMPION, organization=organization)
    return Region(public, draft, organization)


@pytest.fixture
def world(make_user, jurisdiction, temuco) -> World:
    gc = _region(jurisdiction, key="gc", name="Gran Concepción", org_name="Universidad de Concepción", secret=GC_SECRET)
    tem = _region(temuco, key="temuco", name="Temuco", org_name="Universidad de La Frontera", secret=TEMUCO_SECRET)
    return World(make_user(Role.MANAGER), gc, tem)


@pytest.fixture(params=["jurisdiction", "program"])
def regional(request, make_user, world, temuco) -> User:
    """Temuco's manager: scoped to the jurisdiction, or to Temuco's draft programme only."""
    if request.param == "jurisdiction":
        return scoped(make_user, Role.MANAGER, temuco)
    return scoped(make_user, Role.MANAGER, program=world.temuco.draft)


# --- reading: the organization's page, the lists and the API -------------------------------------------------------


def test_another_regions_internal_data_never_reaches_a_scoped_manager(world, regional):
    client = logged_in(regional)
    gc_org, temuco_org = world.gc.organization.slug, world.temuco.organization.slug
    page = client.get(reverse("stakeholders:detail", args=[gc_org])).content.decode()
    assert "Socia pública de Gran Concepción." in page  # public, as for anyone
    assert GC_SECRET not in page and "Borrador Gran Concepción" not in page and "Campeona de Gran" not in page
    own = client.get(reverse("stakeholders:detail", args=[temuco_org])).content.decode()
    assert TEMUCO_SECRET in own and "Campeona de Temuco" in own

    api = client.get(f"/api/v1/organizations/{gc_org}")
    assert api.status_code == 200 and world.gc.public.slug in text_of(api)
    assert GC_SECRET not in text_of(api) and world.gc.draft.slug not in text_of(api)
    assert TEMUCO_SECRET in text_of(client.get(f"/api/v1/organizations/{temuco_org}"))

    # Filtering by the other region's draft finds nothing, and the draft is no choice; their own draft is.
    listing = client.get(reverse("stakeholders:list"), {"program": world.gc.draft.slug})
    assert listing.context["form"].errors["program"] and listing.context["selected_program"] is None
    assert "Borrador Gran Concepción" not in listing.content.decode()
    own_listing = client.get(reverse("stakeholders:list"), {"program": world.temuco.draft.slug})
    assert own_listing.context["selected_program"] == world.temuco.draft
    assert [o.slug for o in own_listing.context["page"]] == [temuco_org]
    listed = client.get("/api/v1/organizations/", {"program": world.gc.draft.slug}).json()
    assert listed["items"] == []
    own_draft = client.get("/api/v1/organizations/", {"program": world.temuco.draft.slug}).json()
    assert [o["slug"] for o in own_draft["items"]] == [temuco_org]

    # The national unit reads both regions' drafts.
    national = logged_in(world.national)
    assert GC_SECRET in national.get(reverse("stakeholders:detail", args=[gc_org])).content.decode()
    assert GC_SECRET in text_of(national.get(f"/api/v1/organizations/{gc_org}"))


def test_the_registry_exports_carry_no_programmes_data(world, regional, client):
    from openpyxl import load_workbook

    scoped_client = logged_in(regional)
    text = scoped_client.get(reverse("stakeholders:export")).content.decode("utf-8-sig")
    assert text == client.get(reverse("stakeholders:export")).content.decode("utf-8-sig")  # what anyone gets
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert {"Universidad de Concepción", "Universidad de La Frontera"} <= {row[0] for row in rows[1:]}
    workbook = load_workbook(io.BytesIO(scoped_client.get(reverse("stakeholders:export_xlsx")).content))
    cells = " ".join(str(cell.value) for row in workbook.active.iter_rows() for cell in row)
    for secret in (GC_SECRET, TEMUCO_SECRET, "Borrador", "Campeona"):
        assert secret not in text and secret not in cells


# --- the map of actors and linking an organization ---------------------------------------------------------------


def test_the_map_and_linking_are_their_programmes_only(world, regional):
    client = logged_in(regional)
    gc_public, gc_draft, temuco_draft = world.gc.public.slug, world.gc.draft.slug, world.temuco.draft.slug
    assert client.get(reverse("stakeholders:map", args=[gc_draft])).status_code == 404
    public_map = client.get(reverse("stakeholders:map", args=[gc_public]))
    assert public_map.status_code == 200 and not public_map.context["can_manage"]
    own_map = client.get(reverse("stakeholders:map", args=[temuco_draft]))
    assert own_map.status_code == 200 and own_map.context["can_manage"]

    link = {"organization": world.gc.organization.slug, "roles": ["sponsor"], "interest": 1, "influence": 1}
    assert client.get(reverse("stakeholders:program_link", args=[gc_public])).status_code == 403
    assert client.post(reverse("stakeholders:program_link", args=[gc_public]), link).status_code == 403
    assert client.get(reverse("stakeholders:program_link", args=[gc_draft])).status_code == 404
    assert client.post(reverse("stakeholders:program_link", args=[gc_draft]), link).status_code == 404
    for program in (world.gc.public, world.gc.draft):
        stored = ProgramStakeholder.objects.get(program=program, organization=world.gc.organization)
        assert (stored.interest, stored.influence) == (4, 4)
        assert [r.role for r in stored.roles.all()] == [ProgramRole.PARTNER]

    # Their own programme: linked as before.
    assert client.post(reverse("stakeholders:program_link", args=[temuco_draft]), link).status_code == 302
    assert ProgramStakeholder.objects.filter(program=world.temuco.draft, organization=world.gc.organization).exists()


def test_the_services_refuse_another_regions_programme(world, regional):
    gc, mine = world.gc, world.temuco
    component = gc.draft.components.get(key="vision")
    commitment = Commitment.objects.get(program=gc.draft)
    person = services.person_create(full_name="Otra Persona")
    refused = [
        lambda: services.program_stakeholder_set(
            program=gc.public,
            organization=mine.organization,
            roles=["partner"],
            interest=2,
            influence=2,
            actor=regional,
        ),
        lambda: services.engagement_set(
            program=gc.draft, organization=gc.organization, component=component, level="informed", actor=regional
        ),
        lambda: services.commitment_create(
            program=gc.draft, organization=gc.organization, kind="data", description="Datos", actor=regional
        ),
        lambda: services.commitment_set_status(commitment=commitment, status="cancelled", actor=regional),
        lambda: services.champion_add(program=gc.draft, person=person, kind="champion", actor=regional),
    ]
    for call in refused:
        with pytest.raises(PermissionDenied):
            call()
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.PROPOSED
    assert not ProgramStakeholder.objects.filter(program=gc.public, organization=mine.organization).exists()
    assert not Champion.objects.filter(person=person).exists()
    # In their own programme, the same writes go through.
    services.commitment_create(
        program=mine.draft, organization=mine.organization, kind="data", description="Datos", actor=regional
    )
    services.champion_add(program=mine.draft, person=person, kind="champion", actor=regional)


# --- the shared registry: organizations of their region, or taking part in their programmes ----------------------


def test_a_scoped_manager_changes_the_organizations_within_their_reach(world, regional, temuco, jurisdiction):
    client = logged_in(regional)
    theirs, mine = world.gc.organization, world.temuco.organization
    assert client.get(reverse("stakeholders:edit", args=[mine.slug])).status_code == 200
    assert client.get(reverse("stakeholders:edit", args=[theirs.slug])).status_code == 403
    edit = {"name": "Tomada desde Temuco", "sector": Sector.ACADEMIA, "level": Level.REGIONAL}
    assert client.post(reverse("stakeholders:edit", args=[theirs.slug]), edit).status_code == 403
    patch = client.patch(
        f"/api/v1/organizations/{theirs.slug}",
        json.dumps({"description": "Escrita desde Temuco"}),
        content_type="application/json",
    )
    assert patch.status_code == 403
    theirs.refresh_from_db()
    assert (theirs.name, theirs.description) == ("Universidad de Concepción", "")

    # A new organization goes in their region, not another one.
    new = {
        "name": "Fundación del Biobío",
        "sector": "civil_society",
        "level": "regional",
        "jurisdiction": jurisdiction.slug,
    }
    refused = client.post("/api/v1/organizations/", json.dumps(new), content_type="application/json")
    assert refused.status_code == 400 and refused.json()["errors"]["jurisdiction"]
    assert not Organization.objects.filter(name="Fundación del Biobío").exists()
    moved = client.patch(
        f"/api/v1/organizations/{mine.slug}",
        json.dumps({"jurisdiction": jurisdiction.slug}),
        content_type="application/json",
    )
    assert moved.status_code == 400 and moved.json()["errors"]["jurisdiction"]
    mine.refresh_from_db()
    assert mine.jurisdiction_id == temuco.pk

    # A spreadsheet cannot rewrite another region's organization either: the row says why, nothing is written.
    upload = io.BytesIO("nombre;sector;nivel;descripcion\nUniversidad de Concepción;academia;regional;Otra\n".encode())
    upload.name = "organizaciones.csv"
    response = client.post(reverse("stakeholders:import"), {"file": upload})
    assert response.status_code == 400 and "no es de su región ni de sus programas" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.description == ""

    # The national unit changes any.
    assert logged_in(world.national).get(reverse("stakeholders:edit", args=[theirs.slug])).status_code == 200


# --- the admin --------------------------------------------------------------------------------------------------------

MODELS = ("programstakeholder", "commitment", "champion", "engagement")


def _with_admin_perms(user: User) -> User:
    codenames = [f"{action}_{model}" for model in MODELS for action in ("view", "change", "add", "delete")]
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="stakeholders", codename__in=codenames)
    )
    return User.objects.get(pk=user.pk)  # a fresh object: permissions are cached on the instance


def test_the_admin_lists_opens_and_offers_only_their_programmes_rows(world, regional):
    client = logged_in(_with_admin_perms(regional))
    rows = {
        "programstakeholder": (
            ProgramStakeholder.objects.get(program=world.gc.draft),
            ProgramStakeholder.objects.get(program=world.temuco.draft),
        ),
        "commitment": (
            Commitment.objects.get(program=world.gc.draft),
            Commitment.objects.get(program=world.temuco.draft),
        ),
        "champion": (Champion.objects.get(program=world.gc.draft), Champion.objects.get(program=world.temuco.draft)),
        "engagement": (
            Engagement.objects.get(stakeholder__program=world.gc.draft),
            Engagement.objects.get(stakeholder__program=world.temuco.draft),
        ),
    }
    for model, (theirs, mine) in rows.items():
        listing = client.get(reverse(f"admin:stakeholders_{model}_changelist"))
        assert listing.status_code == 200, model
        listed = set(listing.context["cl"].result_list)
        assert mine in listed and theirs not in listed, model
        assert {program_of(row) for row in listed} <= {world.temuco.public, world.temuco.draft}, model
        assert "Borrador Gran Concepción" not in listing.content.decode(), model  # not even as a filter
        assert client.get(reverse(f"admin:stakeholders_{model}_change", args=[mine.pk])).status_code == 200, model
        for view in ("change", "delete", "history"):
            url = reverse(f"admin:stakeholders_{model}_{view}", args=[theirs.pk])
            assert client.get(url).status_code == 403, (model, view)
        assert (
            client.post(reverse(f"admin:stakeholders_{model}_delete", args=[theirs.pk]), {"post": "yes"}).status_code
            == 403
        )
        assert type(theirs).objects.filter(pk=theirs.pk).exists()
    form = client.get(reverse("admin:stakeholders_commitment_add")).context["adminform"].form
    assert set(form.fields["program"].queryset) <= {world.temuco.public, world.temuco.draft}
    assert world.temuco.draft in form.fields["program"].queryset
    assert set(form.fields["component"].queryset.values_list("program_id", flat=True)) <= {
        world.temuco.public.pk,
        world.temuco.draft.pk,
    }
    # Naming another programme in the add form is an invalid choice, nothing stored.
    response = client.post(
        reverse("admin:stakeholders_commitment_add"),
        {
            "program": world.gc.draft.pk,
            "organization": world.gc.organization.pk,
            "kind": "data",
            "description": "x",
            "status": "proposed",
        },
    )
    assert response.status_code == 200 and "Escoja una opción válida" in response.content.decode()
    assert Commitment.objects.filter(program=world.gc.draft).count() == 1

    # The national unit's admin lists both regions'.
    national = logged_in(_with_admin_perms(world.national))
    listed = national.get(reverse("admin:stakeholders_commitment_changelist")).context["cl"].result_list
    assert {c.program_id for c in listed} == {world.gc.draft.pk, world.temuco.draft.pk}
