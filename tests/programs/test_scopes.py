"""Issue 20: programmes, workshops, competitions and challenges respect scoped roles.

Two regions, each with its programme: Gran Concepción and Temuco (and, in Gran Concepción, a programme not public
yet). The people:
- the national unit: a manager without any scope, who made both programmes;
- Temuco's manager: a manager whose scope is the Temuco jurisdiction;
- a named manager: a manager scoped to Temuco whom the Gran Concepción programme lists in its `managers`: they
  manage both;
- an official of the Universidad de La Frontera, scoped to the Araucanía region (neither programme's jurisdiction),
  whose university is one of the actors of Temuco's programme only.
Each may do in their programmes what a manager (or an official) does; elsewhere they get 403 or 404, never a 500,
and nothing changes. Public pages stay public to them, as to anyone.
"""

import json
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from mueve.accounts.models import Role, User
from mueve.accounts.services import role_scope_grant
from mueve.challenges import services as challenge_services
from mueve.challenges.models import Challenge, Comment, Kind, Status
from mueve.competitions import services as competition_services
from mueve.competitions.models import Competition
from mueve.programs.models import MethodologyTemplate, Phase, Program
from mueve.programs.models import Status as ProgramStatus
from mueve.stakeholders.models import Level, Organization, ProgramRole, Sector
from mueve.stakeholders.services import program_stakeholder_set
from mueve.territory.models import Jurisdiction
from mueve.workshops import services as workshop_services
from mueve.workshops.models import Workshop
from tests.programs.factories import make_jurisdiction, make_program, make_template, template_doc

pytestmark = pytest.mark.django_db


@dataclass
class Region:
    program: Program
    phase: Phase
    workshop: Workshop
    competition: Competition
    public: Challenge  # published
    internal: Challenge  # validated: not public yet


@dataclass
class World:
    national: User
    regional: User  # Temuco's manager
    named: User  # scoped to Temuco, named by Gran Concepción's programme
    official: User  # of the university taking part in Temuco's programme only
    concepcion: Region
    temuco: Region
    draft: Program  # Gran Concepción, not public yet


def _region(national, *, name, slug, jurisdiction, owner, template) -> Region:
    program = make_program(national, template=template, name=name, slug=slug, jurisdiction=jurisdiction)
    workshop = workshop_services.workshop_create(
        actor=national, program=program, kind="codesign", title=f"Taller de codiseño de {jurisdiction.name}"
    )
    public = challenge_services.challenge_create(
        actor=national,
        program=program,
        title=f"¿Cómo llegar a tiempo en {jurisdiction.name}?",
        owner=owner,
        kind=Kind.ABSTRACT,
    )
    for step in (Status.VALIDATED, Status.PUBLISHED):
        public = challenge_services.challenge_transition(actor=national, challenge=public, to_status=step)
    internal = challenge_services.challenge_create(
        actor=national,
        program=program,
        title=f"¿Cómo coordinar los semáforos de {jurisdiction.name}?",
        owner=owner,
        kind=Kind.CONCRETE,
    )
    internal = challenge_services.challenge_transition(actor=national, challenge=internal, to_status=Status.VALIDATED)
    competition = competition_services.competition_create(
        actor=national, program=program, name=f"MueveTT {jurisdiction.name}", challenges=[public]
    )
    competition_services.competition_set_flags(
        actor=national, competition=competition, is_published=True, registration_open=True
    )
    phase = Phase.objects.filter(component__program=program).order_by("component__order", "order").first()
    return Region(program, phase, workshop, competition, public, internal)


@pytest.fixture
def world(make_user) -> World:
    national = make_user(Role.MANAGER)
    template = make_template(national)
    concepcion_area = make_jurisdiction("gran-concepcion")
    temuco_area = make_jurisdiction("temuco")
    araucania = Jurisdiction.objects.create(
        slug="araucania", name="Región de La Araucanía", kind=Jurisdiction.Kind.REGION
    )
    ufro = Organization.objects.create(
        name="Universidad de La Frontera", acronym="UFRO", slug="ufro", sector=Sector.ACADEMIA, level=Level.REGIONAL
    )
    concepcion = _region(
        national,
        name="Smart City Gran Concepción",
        slug="smart-city-gran-concepcion",
        jurisdiction=concepcion_area,
        owner=ufro,
        template=template,
    )
    temuco = _region(
        national,
        name="Smart City Temuco",
        slug="smart-city-temuco",
        jurisdiction=temuco_area,
        owner=ufro,
        template=template,
    )
    draft = make_program(
        national,
        template=template,
        name="Borrador Biobío",
        slug="borrador-biobio",
        jurisdiction=concepcion_area,
        is_public=False,
    )
    program_stakeholder_set(
        program=temuco.program, organization=ufro, roles=[ProgramRole.PARTNER], interest=4, influence=3, actor=national
    )
    regional = make_user(Role.MANAGER)
    role_scope_grant(user=regional, actor=national, jurisdiction=temuco_area)
    named = make_user(Role.MANAGER)
    role_scope_grant(user=named, actor=national, jurisdiction=temuco_area)
    concepcion.program.managers.add(named)
    official = make_user(Role.OFFICIAL, organization=ufro)
    role_scope_grant(user=official, actor=national, jurisdiction=araucania)
    return World(national, regional, named, official, concepcion, temuco, draft)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def patch_json(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


# --- programmes: pages and API ------------------------------------------------------------------------------------


def test_a_regional_manager_schedules_their_programme_only(world):
    client = client_for(world.regional)
    mine, theirs = world.temuco, world.concepcion
    data = {"status": ProgramStatus.IN_PROGRESS, "start_date": "2014-02-01", "end_date": "2014-03-01"}
    assert client.get(reverse("programs:phase_edit", args=[mine.program.slug, mine.phase.pk])).status_code == 200
    assert client.post(reverse("programs:phase_edit", args=[mine.program.slug, mine.phase.pk]), data).status_code == 302
    assert client.get(reverse("programs:phase_edit", args=[theirs.program.slug, theirs.phase.pk])).status_code == 403
    refused = client.post(reverse("programs:phase_edit", args=[theirs.program.slug, theirs.phase.pk]), data)
    assert refused.status_code == 403
    for name in ("programs:indicator_create",):
        assert client.get(reverse(name, args=[mine.program.slug])).status_code == 200
        assert client.get(reverse(name, args=[theirs.program.slug])).status_code == 403
    # Gran Concepción's page stays public to them, without the manager's buttons.
    page = client.get(reverse("programs:detail", args=[theirs.program.slug]))
    assert page.status_code == 200 and not page.context["can_change"]
    assert client.get(reverse("programs:detail", args=[mine.program.slug])).context["can_change"]
    mine.phase.refresh_from_db()
    theirs.phase.refresh_from_db()
    assert mine.phase.status == ProgramStatus.IN_PROGRESS
    assert (theirs.phase.status, theirs.phase.start_date) == (ProgramStatus.PLANNED, None)


def test_the_api_applies_the_same_scope(world):
    client = client_for(world.regional)
    body = {"status": ProgramStatus.IN_PROGRESS, "start_date": "2014-02-01", "end_date": "2014-03-01"}
    mine = patch_json(client, f"/api/v1/programs/{world.temuco.program.slug}/phases/{world.temuco.phase.pk}", body)
    assert mine.status_code == 200 and mine.json()["status"] == ProgramStatus.IN_PROGRESS
    url = f"/api/v1/programs/{world.concepcion.program.slug}/phases/{world.concepcion.phase.pk}"
    refused = patch_json(client, url, body)
    assert refused.status_code == 403 and refused.json()["detail"]
    draft_phase = Phase.objects.filter(component__program=world.draft).first()
    assert patch_json(client, f"/api/v1/programs/{world.draft.slug}/phases/{draft_phase.pk}", body).status_code == 404
    assert client.get(f"/api/v1/programs/{world.draft.slug}").status_code == 404
    world.concepcion.phase.refresh_from_db()
    draft_phase.refresh_from_db()
    assert world.concepcion.phase.status == draft_phase.status == ProgramStatus.PLANNED
    # The named manager and the national unit manage Gran Concepción.
    assert patch_json(client_for(world.named), url, body).status_code == 200
    assert client_for(world.national).get(f"/api/v1/programs/{world.draft.slug}").status_code == 200


def test_programme_lists_keep_public_programmes_and_add_only_ones_own(world):
    slugs = {
        who: {p["slug"] for p in client_for(getattr(world, who)).get("/api/v1/programs/").json()["items"]}
        for who in ("national", "regional", "named", "official")
    }
    public = {world.concepcion.program.slug, world.temuco.program.slug}
    assert slugs["national"] == public | {world.draft.slug}
    assert slugs["regional"] == slugs["named"] == slugs["official"] == public
    page = client_for(world.regional).get(reverse("programs:list")).content.decode()
    assert "Smart City Gran Concepción" in page and "Borrador Biobío" not in page
    world.draft.managers.add(world.named)
    assert "Borrador Biobío" in client_for(world.named).get(reverse("programs:list")).content.decode()


def test_a_regional_manager_creates_programmes_in_their_jurisdiction_only(world):
    client = client_for(world.regional)
    form = client.get(reverse("programs:create"))
    assert [j.slug for j in form.context["form"].fields["jurisdiction"].queryset] == ["temuco"]
    data = {
        "template": "metodo-prueba",
        "name": "Smart City Talcahuano",
        "jurisdiction": "gran-concepcion",
        "sector": "transport",
        "start_date": "2015-01-01",
        "end_date": "2015-12-31",
        "is_public": "on",
    }
    refused = client.post(reverse("programs:create"), data)
    assert refused.status_code == 400 and "jurisdiction" in refused.context["form"].errors
    api = post_json(client, "/api/v1/programs/", {**data, "is_public": True})
    assert api.status_code == 400 and api.json()["errors"]["jurisdiction"]
    assert not Program.objects.filter(name="Smart City Talcahuano").exists()
    assert client.post(reverse("programs:create"), {**data, "jurisdiction": "temuco"}).status_code == 302
    assert Program.objects.get(name="Smart City Talcahuano").jurisdiction.slug == "temuco"


def test_methodology_templates_are_the_national_units(world):
    doc = template_doc(slug="metodo-regional", name="Método regional")
    for who in ("regional", "named"):
        client = client_for(getattr(world, who))
        assert client.get(reverse("programs:template_import")).status_code == 403
        assert post_json(client, "/api/v1/programs/templates/", doc).status_code == 403
        assert client.get(reverse("workshops:methodology_import")).status_code == 403
        assert client.get(reverse("admin:programs_methodologytemplate_add")).status_code == 403
        assert not client.get(reverse("programs:template_list")).context["can_import"]
        # Reading and exporting stay open: another city replicates the method.
        assert client.get(reverse("programs:template_export", args=["metodo-prueba"])).status_code == 200
    assert not MethodologyTemplate.objects.filter(slug="metodo-regional").exists()
    national = client_for(world.national)
    assert national.get(reverse("admin:programs_methodologytemplate_add")).status_code == 200
    assert post_json(national, "/api/v1/programs/templates/", doc).status_code == 201


# --- workshops ------------------------------------------------------------------------------------------------------


def test_workshops_of_their_programme_only(world):
    client = client_for(world.regional)
    mine, theirs = world.temuco, world.concepcion
    create = reverse("workshops:create")
    assert client.get(create, {"programa": mine.program.slug}).status_code == 200
    assert client.get(create, {"programa": theirs.program.slug}).status_code == 403
    refused = client.post(create, {"programa": theirs.program.slug, "kind": "vision", "title": "Taller ajeno"})
    assert refused.status_code == 403
    assert client.get(reverse("workshops:edit", args=[mine.workshop.slug])).status_code == 200
    assert client.get(reverse("workshops:edit", args=[theirs.workshop.slug])).status_code == 403
    output = {"title": "Acta del taller", "description": "Lo que se acordó."}
    action = reverse("workshops:action", args=[theirs.workshop.slug, "producto"])
    assert client.post(action, output).status_code == 403
    for name in ("workshops:plan",):
        assert client.get(reverse(name, args=[mine.program.slug])).status_code == 200
        assert client.get(reverse(name, args=[theirs.program.slug])).status_code == 403
    detail = client.get(reverse("workshops:detail", args=[theirs.workshop.slug]))
    assert detail.status_code == 200 and not detail.context["can_manage"]  # public, read-only for them
    listing = client.get(reverse("workshops:list"))
    assert listing.context["manageable"] == {mine.program.pk}
    assert not Workshop.objects.filter(title="Taller ajeno").exists()
    assert not theirs.workshop.outputs.exists()
    # The named manager runs Gran Concepción's workshops too.
    named = client_for(world.named)
    assert named.get(reverse("workshops:edit", args=[theirs.workshop.slug])).status_code == 200
    assert named.get(reverse("workshops:list")).context["manageable"] == {mine.program.pk, theirs.program.pk}


def test_workshops_of_a_programme_not_public_yet_are_its_managers(world):
    hidden = workshop_services.workshop_create(actor=world.national, program=world.draft, kind="vision", title="Visión")
    for who, status in (("regional", 404), ("named", 404), ("national", 200)):
        client = client_for(getattr(world, who))
        assert client.get(f"/api/v1/workshops/{hidden.slug}").status_code == status
        assert client.get(reverse("workshops:detail", args=[hidden.slug])).status_code == status
        listed = {w["slug"] for w in client.get("/api/v1/workshops/").json()["items"]}
        assert (hidden.slug in listed) is (status == 200)


# --- competitions ---------------------------------------------------------------------------------------------------


def test_competitions_of_their_programme_only(world):
    client = client_for(world.regional)
    mine, theirs = world.temuco.competition, world.concepcion.competition
    assert client.get(reverse("competitions:manage", args=[mine.slug])).status_code == 200
    assert client.get(reverse("competitions:manage", args=[theirs.slug])).status_code == 403
    refused = client.post(reverse("competitions:manage_action", args=[theirs.slug, "close-registration"]))
    assert refused.status_code == 403
    theirs.refresh_from_db()
    assert theirs.registration_open
    done = client.post(reverse("competitions:manage_action", args=[mine.slug, "close-registration"]))
    assert done.status_code == 302
    mine.refresh_from_db()
    assert not mine.registration_open
    # The competition's public page stays public.
    assert client.get(reverse("competitions:detail", args=[theirs.slug])).status_code == 200
    assert client_for(world.named).get(reverse("competitions:manage", args=[theirs.slug])).status_code == 200


def test_results_exports_refuse_managers_of_other_regions(world):
    """Results not published yet: the organizers download them; another region's manager gets 404, like anyone."""
    client = client_for(world.regional)
    for name in ("competitions:results_csv", "competitions:results_xlsx", "competitions:results"):
        assert client.get(reverse(name, args=[world.temuco.competition.slug])).status_code == 200
        assert client.get(reverse(name, args=[world.concepcion.competition.slug])).status_code == 404
        assert client_for(world.named).get(reverse(name, args=[world.concepcion.competition.slug])).status_code == 200
    assert client.get(f"/api/v1/competitions/{world.temuco.competition.slug}/results").status_code == 200
    assert client.get(f"/api/v1/competitions/{world.concepcion.competition.slug}/results").status_code == 404
    # An unpublished competition of another region is not there at all.
    competition_services.competition_set_flags(
        actor=world.national, competition=world.concepcion.competition, is_published=False
    )
    assert client.get(reverse("competitions:detail", args=[world.concepcion.competition.slug])).status_code == 404
    assert client.get(f"/api/v1/competitions/{world.concepcion.competition.slug}").status_code == 404
    slugs = {c["slug"] for c in client.get("/api/v1/competitions/").json()["items"]}
    assert slugs == {world.temuco.competition.slug}


# --- challenges -----------------------------------------------------------------------------------------------------


def test_challenges_of_their_programme_only(world):
    client = client_for(world.regional)
    mine, theirs = world.temuco, world.concepcion
    # Internal challenges: theirs to see in Temuco only.
    assert client.get(reverse("challenges:detail", args=[mine.internal.slug])).status_code == 200
    assert client.get(reverse("challenges:detail", args=[theirs.internal.slug])).status_code == 404
    assert client.get(f"/api/v1/challenges/{theirs.internal.slug}").status_code == 404
    listed = {c["slug"] for c in client.get("/api/v1/challenges/").json()["items"]}
    assert mine.internal.slug in listed and theirs.internal.slug not in listed and theirs.public.slug in listed
    # Another region's public challenge: readable, not theirs to move or edit.
    move = {"to_status": Status.ADDRESSING, "addressed_via": "competition"}
    assert client.post(reverse("challenges:transition", args=[theirs.public.slug]), move).status_code == 403
    assert post_json(client, f"/api/v1/challenges/{theirs.public.slug}/transition", move).status_code == 403
    assert patch_json(client, f"/api/v1/challenges/{theirs.public.slug}", {"description": "Otra"}).status_code == 403
    assert client.get(reverse("challenges:edit", args=[theirs.public.slug])).status_code == 403
    theirs.public.refresh_from_db()
    assert (theirs.public.status, theirs.public.description) == (Status.PUBLISHED, "")
    assert post_json(client, f"/api/v1/challenges/{mine.public.slug}/transition", move).status_code == 200
    # Filing a challenge: in their programmes only (a field error names the programme, nothing is stored).
    new = {"program": theirs.program.slug, "title": "¿Cómo cruzar el puente?", "owner": "ufro", "kind": "concrete"}
    refused = post_json(client, "/api/v1/challenges/", new)
    assert refused.status_code == 400 and refused.json()["errors"]["program"]
    assert not Challenge.objects.filter(title="¿Cómo cruzar el puente?").exists()
    # The named manager moves Gran Concepción's.
    assert (
        post_json(client_for(world.named), f"/api/v1/challenges/{theirs.public.slug}/transition", move).status_code
        == 200
    )


def test_an_official_acts_where_their_institution_takes_part(world, make_user):
    """The university takes part in Temuco's programme (it is one of its actors): its official sees the internal
    challenges there and edits the university's own; in Gran Concepción, where it takes no part, only public ones."""
    client = client_for(world.official)
    mine, theirs = world.temuco, world.concepcion
    assert client.get(reverse("challenges:detail", args=[mine.internal.slug])).status_code == 200
    assert client.get(reverse("challenges:detail", args=[theirs.internal.slug])).status_code == 404
    listed = {c["slug"] for c in client.get("/api/v1/challenges/").json()["items"]}
    assert listed == {mine.internal.slug, mine.public.slug, theirs.public.slug}
    page = client.get(reverse("challenges:list")).content.decode()
    assert mine.internal.title in page and theirs.internal.title not in page
    assert (
        patch_json(client, f"/api/v1/challenges/{mine.internal.slug}", {"description": "Nuestro."}).status_code == 200
    )
    refused = patch_json(client, f"/api/v1/challenges/{theirs.public.slug}", {"description": "Ajeno."})
    assert refused.status_code == 403
    assert client.get(reverse("challenges:edit", args=[theirs.public.slug])).status_code == 403
    theirs.public.refresh_from_db()
    assert theirs.public.description == ""
    # The full dossier of Temuco's programme; the public version of Gran Concepción's.
    assert "Versión completa" in client.get(reverse("portal:dossier", args=[mine.program.slug])).content.decode()
    assert "Versión pública" in client.get(reverse("portal:dossier", args=[theirs.program.slug])).content.decode()
    # An official of the same university without any scope acts everywhere (the national level).
    everywhere = make_user(Role.OFFICIAL, organization=world.official.organization)
    assert client_for(everywhere).get(reverse("challenges:detail", args=[theirs.internal.slug])).status_code == 200


# --- the programme dossier (HTML, PDF, its texts) -------------------------------------------------------------------


def test_the_full_dossier_and_its_texts_are_for_the_programmes_managers(world):
    client = client_for(world.regional)
    mine, theirs = world.temuco.program, world.concepcion.program
    assert "Versión completa" in client.get(reverse("portal:dossier", args=[mine.slug])).content.decode()
    assert "Versión pública" in client.get(reverse("portal:dossier", args=[theirs.slug])).content.decode()
    pdf = client.get(reverse("portal:dossier_pdf", args=[mine.slug]))
    assert pdf.status_code == 200 and pdf["Content-Disposition"] == f'attachment; filename="informe-{mine.slug}.pdf"'
    pdf = client.get(reverse("portal:dossier_pdf", args=[theirs.slug]))
    assert pdf["Content-Disposition"] == f'attachment; filename="informe-{theirs.slug}-publico.pdf"'
    assert client.get(reverse("portal:dossier_edit", args=[mine.slug])).status_code == 200
    assert client.get(reverse("portal:dossier_edit", args=[theirs.slug])).status_code == 403
    refused = client.post(reverse("portal:dossier_edit", args=[theirs.slug]), {"summary": "Escrito desde Temuco."})
    assert refused.status_code == 403
    assert not hasattr(Program.objects.get(pk=theirs.pk), "report_narrative")
    assert client.get(reverse("portal:dossier_pdf", args=[world.draft.slug])).status_code == 404
    assert client_for(world.named).get(reverse("portal:dossier_edit", args=[theirs.slug])).status_code == 200


# --- the back office ------------------------------------------------------------------------------------------------


def test_the_back_office_lists_and_opens_their_programmes_rows_only(world):
    client = client_for(world.regional)
    mine, theirs = world.temuco, world.concepcion
    programs = client.get(reverse("admin:programs_program_changelist"))
    assert [p.pk for p in programs.context["cl"].result_list] == [mine.program.pk]
    for model, region_obj in (
        ("programs_program", lambda r: r.program),
        ("challenges_challenge", lambda r: r.internal),
        ("competitions_competition", lambda r: r.competition),
    ):
        listed = client.get(reverse(f"admin:{model}_changelist")).context["cl"].result_list
        assert region_obj(theirs).pk not in {o.pk for o in listed} and region_obj(mine).pk in {o.pk for o in listed}
        assert client.get(reverse(f"admin:{model}_change", args=[region_obj(mine).pk])).status_code == 200
        assert client.get(reverse(f"admin:{model}_change", args=[region_obj(theirs).pk])).status_code == 403
        assert client.get(reverse(f"admin:{model}_history", args=[region_obj(theirs).pk])).status_code == 403
        assert client.get(reverse(f"admin:{model}_delete", args=[region_obj(theirs).pk])).status_code == 403
    assert client.get(reverse("admin:competitions_team_changelist")).status_code == 200
    refused = client.post(
        reverse("admin:programs_program_change", args=[theirs.program.pk]), {"name": "Tomado desde Temuco"}
    )
    assert refused.status_code == 403
    assert Program.objects.get(pk=theirs.program.pk).name == "Smart City Gran Concepción"
    assert (
        client.post(reverse("admin:programs_program_delete", args=[theirs.program.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Program.objects.filter(pk=theirs.program.pk).exists()
    # A new programme can only be in their jurisdiction, a new competition only for one of their programmes; who
    # manages a programme and where it lies is the national unit's to change.
    form = client.get(reverse("admin:programs_program_add")).context["adminform"].form
    assert [j.slug for j in form.fields["jurisdiction"].queryset] == ["temuco"]
    form = client.get(reverse("admin:programs_program_change", args=[mine.program.pk])).context["adminform"].form
    assert "managers" not in form.fields and "jurisdiction" not in form.fields
    form = client.get(reverse("admin:competitions_competition_add")).context["adminform"].form
    assert list(form.fields["program"].queryset) == [mine.program]
    # The named manager opens Gran Concepción's rows; the national unit everything.
    named = client_for(world.named)
    assert named.get(reverse("admin:programs_program_change", args=[theirs.program.pk])).status_code == 200
    assert named.get(reverse("admin:programs_program_change", args=[world.draft.pk])).status_code == 403
    everything = client_for(world.national).get(reverse("admin:programs_program_changelist")).context["cl"].result_list
    assert {p.pk for p in everything} == {mine.program.pk, theirs.program.pk, world.draft.pk}


def test_comments_are_moderated_by_the_programmes_team_only(world, make_user):
    citizen = make_user(Role.CITIZEN)  # no confirmed e-mail: the comment waits for a moderator
    held = {
        region: challenge_services.comment_create(
            author=citizen, challenge=getattr(world, region).public, text=f"Una opinión sobre {region}."
        )
        for region in ("temuco", "concepcion")
    }
    assert {c.status for c in held.values()} == {Comment.Status.PENDING}
    for who in ("regional", "official"):
        client = client_for(getattr(world, who))
        queue = client.get(reverse("challenges:moderation"))
        assert [c.pk for c in queue.context["comments"]] == [held["temuco"].pk]
        decide = reverse("challenges:moderation_decide", args=[held["concepcion"].pk, "publicar"])
        assert client.post(decide).status_code == 404
    held["concepcion"].refresh_from_db()
    assert held["concepcion"].status == Comment.Status.PENDING
    client = client_for(world.named)
    decide = reverse("challenges:moderation_decide", args=[held["concepcion"].pk, "publicar"])
    assert client.post(decide).status_code == 302
    held["concepcion"].refresh_from_db()
    assert held["concepcion"].status == Comment.Status.PUBLISHED
