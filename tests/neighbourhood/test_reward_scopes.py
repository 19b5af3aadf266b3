"""Issue 20: Cuido mi Barrio's rewards respect scoped roles.

Two regions, each with a reward and a neighbour who received it: Gran Concepción (its certificate, granted to
Ana) and Temuco (its visit, granted to Tomás); and a national reward, offered everywhere. Temuco's staff list,
define, edit and grant Temuco's rewards only and see only who received those, through the page and the admin;
Gran Concepción's reward and the national one are 404 to them, and every attempt on them changes nothing. The
national level sees and manages every one. Citizens see the national rewards and those where they take part."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mueve.accounts.models import Role, User
from mueve.neighbourhood import selectors
from mueve.neighbourhood import services as neighbourhood
from mueve.neighbourhood.models import Reward, RewardGrant
from mueve.programs.models import Program
from mueve.reports import services as reports
from mueve.reports.models import RewardPoint
from tests.neighbourhood.conftest import report_at
from tests.scoping import TEMUCO, logged_in, scoped

pytestmark = pytest.mark.django_db

URL = "/barrio/premios/"


@pytest.fixture
def national(make_user) -> User:
    return make_user(Role.MANAGER)


@pytest.fixture
def tomas(make_user) -> User:
    return make_user(Role.CITIZEN, first_name="Tomás", last_name="Huenchullán", email="tomas@example.org")


@pytest.fixture
def temuco_lights(temuco):
    return reports.service_upsert(
        jurisdiction=temuco,
        code="luminaria-apagada",
        name="Luminaria apagada",
        alert_category="security",
        attributes=[],
    )


@pytest.fixture
def world(national, metro, temuco, ana, tomas):
    gc = neighbourhood.reward_define(
        actor=national, name="Certificado de Vecina Cuidadora", description="De Concepción.", jurisdiction=metro
    )
    tem = neighbourhood.reward_define(actor=national, name="Visita al centro de control de Temuco", jurisdiction=temuco)
    everywhere = neighbourhood.reward_define(actor=national, name="Reconocimiento del Ministerio", jurisdiction=None)
    neighbourhood.reward_grant(actor=national, reward=gc, recipient=ana, note="Entregado en Concepción")
    neighbourhood.reward_grant(actor=national, reward=tem, recipient=tomas, note="Entregado en Temuco")
    neighbourhood.reward_grant(actor=national, reward=everywhere, recipient=ana, note="Entrega nacional")
    return {"gc": gc, "temuco": tem, "national": everywhere}


@pytest.fixture(params=[Role.MANAGER, Role.OFFICIAL])
def regional(request, make_user, temuco) -> User:
    """Temuco's staff: a manager or an official whose role holds in Temuco only."""
    return scoped(make_user, request.param, temuco)


# --- the rewards page ---------------------------------------------------------------------------------------------


def test_a_scoped_person_lists_and_grants_their_jurisdictions_rewards_only(world, regional, tomas, ana):
    client = logged_in(regional)
    page = client.get(URL)
    assert page.status_code == 200
    assert {r.name for r in page.context["rewards"]} == {world["temuco"].name}
    assert [g.user for g in page.context["grants"]] == [tomas]
    html = page.content.decode()
    assert world["temuco"].name in html and "Tomás" in html
    text = " ".join(re.sub(r"<[^>]*>", " ", html).split())  # what is read, not a CSRF token that spells "Ana"
    for hidden in (world["gc"].name, world["national"].name, "Ana", "Entregado en Concepción", "Entrega nacional"):
        assert not re.search(rf"\b{re.escape(hidden)}\b", text), hidden
    assert page.context["grant_form"].fields["reward"].choices == [(world["temuco"].pk, world["temuco"].name)]

    # Granting another region's reward, or the national one, is an invalid choice: nothing recorded.
    for other in (world["gc"], world["national"]):
        refused = client.post(
            URL, {"action": "grant", "grant-reward": other.pk, "grant-recipient": "tomas@example.org"}
        )
        assert refused.status_code == 400 and refused.context["grant_form"].errors["reward"]
        assert not RewardGrant.objects.filter(reward=other, user=tomas).exists()
    # Their own: recorded, and listed.
    done = client.post(URL, {"action": "grant", "grant-reward": world["temuco"].pk, "grant-recipient": ana.email})
    assert done.status_code == 302
    assert RewardGrant.objects.filter(reward=world["temuco"], user=ana).exists()
    assert len(client.get(URL).context["grants"]) == 2


def test_a_scoped_person_defines_rewards_in_their_jurisdiction_only(world, regional, temuco, metro):
    client = logged_in(regional)
    form = client.get(URL).context["reward_form"]
    assert list(form.fields["jurisdiction"].queryset) == [temuco]
    assert form.fields["jurisdiction"].required  # no "national" choice for them

    for place in ("gran-concepcion", "", "no-existe"):
        refused = client.post(URL, {"action": "define", "reward-name": "Premio ajeno", "reward-jurisdiction": place})
        assert refused.status_code == 400 and refused.context["reward_form"].errors["jurisdiction"], place
    assert not Reward.objects.filter(name="Premio ajeno").exists()

    # A name Gran Concepción already uses is free in Temuco (a name is unique within one jurisdiction).
    same = {"action": "define", "reward-name": "certificado de vecina cuidadora", "reward-jurisdiction": "temuco"}
    assert client.post(URL, same).status_code == 302
    assert Reward.objects.get(name="certificado de vecina cuidadora").jurisdiction == temuco
    twice = client.post(URL, {**same, "reward-name": "Visita al centro de control de TEMUCO"})
    assert twice.status_code == 400 and "Ya existe un premio con ese nombre." in twice.content.decode()


def test_another_regions_reward_is_404_to_edit_and_stays_as_it_was(world, regional, temuco):
    client = logged_in(regional)
    change = {"reward-name": "Tomado desde Temuco", "reward-jurisdiction": "temuco", "reward-active": "on"}
    for other in (world["gc"], world["national"]):
        url = reverse("neighbourhood:reward_edit", args=[other.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, change).status_code == 404
        stored = Reward.objects.get(pk=other.pk)
        assert (stored.name, stored.jurisdiction_id) == (other.name, other.jurisdiction_id)
    assert client.get(reverse("neighbourhood:reward_edit", args=[999999])).status_code == 404

    # Their own: edited; moving it to another region is refused with the field's message.
    own = reverse("neighbourhood:reward_edit", args=[world["temuco"].pk])
    page = client.get(own)
    assert page.status_code == 200 and world["temuco"].name in page.content.decode()
    moved = client.post(own, {**change, "reward-jurisdiction": "gran-concepcion"})
    assert moved.status_code == 400 and moved.context["form"].errors["jurisdiction"]
    assert (
        client.post(
            own, {"reward-name": "Visita guiada a la UOCT de Temuco", "reward-jurisdiction": "temuco"}
        ).status_code
        == 302
    )
    world["temuco"].refresh_from_db()
    assert world["temuco"].name == "Visita guiada a la UOCT de Temuco" and not world["temuco"].active
    assert world["temuco"].jurisdiction == temuco


def test_the_services_refuse_another_regions_reward(world, regional, tomas, metro):
    refused = [
        lambda: neighbourhood.reward_grant(actor=regional, reward=world["gc"], recipient=tomas),
        lambda: neighbourhood.reward_grant(actor=regional, reward=world["national"], recipient=tomas),
        lambda: neighbourhood.reward_define(actor=regional, name="Otro", reward=world["gc"]),
        lambda: neighbourhood.reward_define(actor=regional, name="Otro", reward=world["national"]),
    ]
    for call in refused:
        with pytest.raises(PermissionDenied):
            call()
    for place in (metro, None):
        with pytest.raises(ValidationError) as error:
            neighbourhood.reward_define(actor=regional, name="Otro", jurisdiction=place)
        assert "jurisdiction" in error.value.message_dict
    assert not Reward.objects.filter(name="Otro").exists()
    assert RewardGrant.objects.filter(user=tomas).count() == 1


def test_a_programme_scoped_manager_holds_no_jurisdictions_rewards(world, make_user, temuco):
    program = Program.objects.create(
        name="MueveTT Temuco",
        slug="muevett-temuco",
        jurisdiction=temuco,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    client = logged_in(scoped(make_user, Role.MANAGER, program=program))
    page = client.get(URL)
    assert page.status_code == 200
    assert list(page.context["rewards"]) == [] and list(page.context["grants"]) == []
    html = page.content.decode()
    assert all(reward.name not in html for reward in world.values())
    assert not re.search(r"\b(Tomás|Ana)\b", " ".join(re.sub(r"<[^>]*>", " ", html).split()))
    refused = client.post(URL, {"action": "define", "reward-name": "X", "reward-jurisdiction": "temuco"})
    assert refused.status_code == 400 and not Reward.objects.filter(name="X").exists()
    assert client.get(reverse("neighbourhood:reward_edit", args=[world["temuco"].pk])).status_code == 404


def test_the_national_level_sees_and_manages_every_reward(world, national, tomas, metro):
    client = logged_in(national)
    page = client.get(URL)
    assert {r.name for r in page.context["rewards"]} == {r.name for r in world.values()}
    assert len(page.context["grants"]) == 3
    form = page.context["reward_form"]
    assert not form.fields["jurisdiction"].required  # empty: a national reward
    assert client.post(URL, {"action": "define", "reward-name": "Medalla nacional"}).status_code == 302
    assert Reward.objects.get(name="Medalla nacional").jurisdiction is None
    for reward in world.values():
        assert client.get(reverse("neighbourhood:reward_edit", args=[reward.pk])).status_code == 200
    grant = {"action": "grant", "grant-reward": world["gc"].pk, "grant-recipient": tomas.email}
    assert client.post(URL, grant).status_code == 302


# --- what citizens see --------------------------------------------------------------------------------------------


def test_citizens_see_the_national_rewards_and_those_where_they_take_part(
    world, client, make_user, tomas, ana, lights, temuco_lights
):
    report_at(temuco_lights, tomas, lat=TEMUCO[0], lon=TEMUCO[1])
    report_at(lights, ana)
    names = lambda user: {r.name for r in selectors.rewards_offered_to(user=user)}  # noqa: E731
    assert names(tomas) == {world["temuco"].name, world["national"].name}
    assert names(ana) == {world["gc"].name, world["national"].name}

    home = logged_in(tomas).get("/barrio/").content.decode()
    assert world["temuco"].name in home and world["national"].name in home
    assert world["gc"].name not in home
    ana_home = logged_in(ana).get("/barrio/").content.decode()
    assert world["gc"].name in ana_home and world["temuco"].name not in ana_home

    # Someone who has taken part nowhere yet (a visitor too) sees every region's offer, each with its place.
    for viewer in (client, logged_in(make_user(Role.CITIZEN))):
        html = viewer.get("/barrio/").content.decode()
        assert all(reward.name in html for reward in world.values())
        assert "Temuco" in html and "todo el país" in html


# --- the admin ----------------------------------------------------------------------------------------------------

ADMIN_PERMS = [
    ("neighbourhood", "reward"),
    ("neighbourhood", "rewardgrant"),
    ("reports", "rewardpoint"),
]


def _with_admin_perms(user: User) -> User:
    for app, model in ADMIN_PERMS:
        user.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app, codename__in=[f"{a}_{model}" for a in ("view", "change", "add", "delete")]
            )
        )
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return User.objects.get(pk=user.pk)


def test_the_admin_lists_opens_and_offers_only_their_jurisdictions_rewards(
    world, make_user, temuco, metro, national, tomas, ana, lights, temuco_lights
):
    for report, user in (
        (report_at(lights, ana), ana),
        (report_at(temuco_lights, tomas, lat=TEMUCO[0], lon=TEMUCO[1]), tomas),
    ):
        RewardPoint.objects.create(user=user, report=report, points=10)
    client = logged_in(_with_admin_perms(scoped(make_user, Role.MANAGER, temuco)))

    listed = client.get(reverse("admin:neighbourhood_reward_changelist"))
    assert listed.status_code == 200
    assert set(listed.context["cl"].result_list) == {world["temuco"]}
    grants = client.get(reverse("admin:neighbourhood_rewardgrant_changelist")).context["cl"].result_list
    assert {g.user for g in grants} == {tomas}
    points = client.get(reverse("admin:reports_rewardpoint_changelist")).context["cl"].result_list
    assert {p.user for p in points} == {tomas}

    for other in (world["gc"], world["national"]):
        for view in ("change", "delete", "history"):
            response = client.get(reverse(f"admin:neighbourhood_reward_{view}", args=[other.pk]))
            assert response.status_code in (302, 403, 404), (other, view)
            assert other.name not in response.content.decode()
        client.post(reverse("admin:neighbourhood_reward_delete", args=[other.pk]), {"post": "yes"})
        assert Reward.objects.filter(pk=other.pk).exists()
    gc_grant = RewardGrant.objects.get(reward=world["gc"])
    response = client.get(reverse("admin:neighbourhood_rewardgrant_change", args=[gc_grant.pk]))
    assert response.status_code in (302, 403, 404) and "Ana" not in response.content.decode()
    assert client.get(reverse("admin:neighbourhood_reward_change", args=[world["temuco"].pk])).status_code == 200

    # The add forms offer Temuco only, and a reward cannot be left national (out of their reach).
    form = client.get(reverse("admin:neighbourhood_reward_add")).context["adminform"].form
    assert list(form.fields["jurisdiction"].queryset) == [temuco] and form.fields["jurisdiction"].required
    grant_form = client.get(reverse("admin:neighbourhood_rewardgrant_add")).context["adminform"].form
    assert list(grant_form.fields["reward"].queryset) == [world["temuco"]]
    base = {
        "name": "Desde el admin",
        "description": "",
        "active": "on",
        "created_at_0": "06-12-2026",
        "created_at_1": "10:00:00",
    }
    for place in (metro.pk, ""):
        response = client.post(reverse("admin:neighbourhood_reward_add"), {**base, "jurisdiction": place})
        assert response.status_code == 200 and response.context["adminform"].form.errors["jurisdiction"]
    assert not Reward.objects.filter(name="Desde el admin").exists()
    response = client.post(
        reverse("admin:neighbourhood_rewardgrant_add"),
        {
            "reward": world["gc"].pk,
            "user": tomas.pk,
            "granted_on": "06-12-2026",
            "note": "",
            "created_at_0": "06-12-2026",
            "created_at_1": "10:00:00",
        },
    )
    assert response.status_code == 200 and response.context["adminform"].form.errors["reward"]
    assert RewardGrant.objects.filter(reward=world["gc"]).count() == 1

    # The national level's admin lists every reward and grant.
    national_client = logged_in(_with_admin_perms(national))
    everything = national_client.get(reverse("admin:neighbourhood_reward_changelist")).context["cl"].result_list
    assert set(everything) == set(world.values())
    assert (
        len(national_client.get(reverse("admin:neighbourhood_rewardgrant_changelist")).context["cl"].result_list) == 3
    )


# --- the migration ------------------------------------------------------------------------------------------------


def test_existing_rewards_go_to_the_only_jurisdiction_or_stay_national(metro, national):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("mueve.neighbourhood.migrations.0002_reward_jurisdiction")
    old = Reward.objects.create(name="Premio de antes", created_by=national)
    migration.existing_rewards_to_the_only_jurisdiction(apps, None)
    old.refresh_from_db()
    assert old.jurisdiction == metro  # the only jurisdiction

    from tests.scoping import temuco_jurisdiction

    temuco_jurisdiction()
    older = Reward.objects.create(name="Otro premio de antes", created_by=national)
    migration.existing_rewards_to_the_only_jurisdiction(apps, None)
    older.refresh_from_db()
    assert older.jurisdiction is None  # two regions: nobody can tell whose; national
