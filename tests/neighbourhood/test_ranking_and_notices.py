"""The public ranking per area and month leaves out whoever opted out and never shows full names; adopters hear
about reports on their light by the channels they chose."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mueve.members.services import ranking_opt_out_set
from mueve.neighbourhood import selectors, services
from mueve.notifications import kinds
from mueve.notifications import services as notifications
from mueve.notifications.models import Notification
from mueve.reports import services as reports
from mueve.reports.models import RewardPoint
from tests.neighbourhood.conftest import HERE, report_at

pytestmark = pytest.mark.django_db


def _confirmed(lights, user, operator, n=0):
    report = report_at(lights, user, lat=HERE[0] + 0.002 * n, lon=HERE[1])
    reports.incident_acknowledge(incident=report.incident, actor=operator)
    return report


def test_ranking_leaves_out_who_opted_out_and_shows_first_name_and_initial(lights, ana, bruno, operator, barrio):
    _confirmed(lights, ana, operator, 0)
    _confirmed(lights, bruno, operator, 1)
    _confirmed(lights, bruno, operator, 2)
    month = timezone.localdate().replace(day=1)
    rows = selectors.ranking(area=barrio, month=month)
    assert [(r.display_name, r.points) for r in rows] == [("Bruno D.", 20), ("Ana P.", 10)]
    ranking_opt_out_set(user=bruno, opt_out=True)
    rows = selectors.ranking(area=barrio, month=month)
    assert [(r.position, r.display_name, r.points) for r in rows] == [(1, "Ana P.", 10)]
    assert selectors.points_of(user=bruno) == 20  # his points still count for him


def test_ranking_counts_only_the_month_asked_for(lights, ana, bruno, operator, barrio):
    _confirmed(lights, ana, operator, 0)
    _confirmed(lights, bruno, operator, 1)
    RewardPoint.objects.filter(user=bruno).update(created_at=timezone.now() - timedelta(days=40))
    this_month = timezone.localdate().replace(day=1)
    assert [r.display_name for r in selectors.ranking(area=barrio, month=this_month)] == ["Ana P."]
    last = (this_month - timedelta(days=1)).replace(day=1)
    if (timezone.localdate() - timedelta(days=40)).replace(day=1) == last:
        assert [r.display_name for r in selectors.ranking(area=barrio, month=last)] == ["Bruno D."]


def test_adopters_hear_of_a_report_on_their_light_by_their_channels(
    lights, street_light, ana, bruno, operator, after_commit, mailoutbox
):
    services.adopt(asset=street_light, user=ana, name="La luz de mi pasaje")
    services.adopt(asset=street_light, user=bruno)
    notifications.preference_set(user=ana, kind=kinds.ADOPTION_INCIDENT, channel=kinds.EMAIL, enabled=True)
    with after_commit():
        report = report_at(lights, bruno, description="Se apagó anoche")
    assert report.asset_id == street_light.pk
    notice = Notification.objects.get(user=ana, kind=kinds.ADOPTION_INCIDENT)
    assert "La luz de mi pasaje" in notice.title and "Luminaria apagada" in notice.body
    assert notice.listed and notice.url.endswith(f"/barrio/luz/{street_light.pk}/")
    assert [m.to for m in mailoutbox] == [["ana@example.org"]]
    assert "La luz de mi pasaje" in mailoutbox[0].subject
    # Bruno sent it: he is not told about his own report.
    assert not Notification.objects.filter(user=bruno, kind=kinds.ADOPTION_INCIDENT).exists()


def test_no_notice_when_the_person_withdrew_it_or_left_the_light(lights, street_light, ana, bruno, after_commit):
    services.adopt(asset=street_light, user=ana)
    notifications.preference_set(user=ana, kind=kinds.ADOPTION_INCIDENT, channel=kinds.IN_APP, enabled=False)
    with after_commit():
        report_at(lights, bruno)
    assert not Notification.objects.filter(user=ana).exists()
    notifications.preference_set(user=ana, kind=kinds.ADOPTION_INCIDENT, channel=kinds.IN_APP, enabled=True)
    services.unadopt(asset=street_light, user=ana)
    with after_commit():
        report_at(lights, bruno, lat=HERE[0] + 0.00005)
    assert not Notification.objects.filter(user=ana).exists()


def test_a_report_held_for_moderation_is_told_to_adopters_once_a_moderator_accepts_it(
    lights, street_light, ana, bruno, operator, after_commit, make_user
):
    from mueve.accounts.models import Role
    from mueve.reports.models import Report

    services.adopt(asset=street_light, user=ana)
    links = " ".join(f"https://example.org/{n}" for n in range(5))
    with after_commit():
        report = report_at(lights, bruno, description=f"Luz apagada {links}")
    assert report.moderation == Report.Moderation.SUSPECTED
    assert not Notification.objects.filter(user=ana).exists()  # not before a person looked at it
    moderator = make_user(Role.ADMIN)
    with after_commit():
        reports.report_moderate(report=report, moderation=Report.Moderation.ACCEPTED, actor=moderator)
    assert Notification.objects.filter(user=ana, kind=kinds.ADOPTION_INCIDENT).count() == 1
    # Taken out and accepted again: still one notice about it.
    with after_commit():
        reports.report_moderate(report=report, moderation=Report.Moderation.SUSPECTED, actor=moderator)
    with after_commit():
        reports.report_moderate(report=report, moderation=Report.Moderation.ACCEPTED, actor=moderator)
    assert Notification.objects.filter(user=ana, kind=kinds.ADOPTION_INCIDENT).count() == 1


def test_a_repair_confirmed_by_one_adopter_is_told_to_the_others(
    lights, street_light, ana, bruno, operator, after_commit, make_user
):
    from mueve.accounts.models import Role

    carla = make_user(Role.CITIZEN, first_name="Carla")
    services.adopt(asset=street_light, user=ana)
    services.adopt(asset=street_light, user=bruno)
    report = report_at(lights, carla)
    reports.incident_resolve(incident=report.incident, actor=operator)
    with after_commit():
        services.confirm_repair(asset=street_light, user=ana, note="Ya alumbra")
    told = Notification.objects.filter(kind=kinds.ADOPTION_INCIDENT, title__startswith="Reparación confirmada")
    assert [n.user for n in told] == [bruno]  # not Ana, who confirmed it


def test_a_chosen_alias_replaces_the_name_in_the_ranking_and_must_be_safe_to_show(
    client, lights, ana, bruno, operator, barrio
):
    from mueve.members.models import MemberSettings

    _confirmed(lights, ana, operator, 0)
    client.force_login(ana)
    response = client.post("/cuentas/permisos/", {"action": "ranking", "alias": "La Vecina del Farol"})
    assert response.status_code == 302
    names = [row.display_name for row in selectors.ranking(area=barrio, month=timezone.localdate())]
    assert names == ["La Vecina del Farol"]
    for bad in ("ana@example.org", "https://spam.example", "llame al 987654321", "x" * 31, "<b>yo</b>"):
        response = client.post("/cuentas/permisos/", {"action": "ranking", "alias": bad}, follow=True)
        assert MemberSettings.objects.get(user=ana).public_alias == "La Vecina del Farol", bad
        assert any(m.level_tag == "error" for m in response.context["messages"]), bad
    client.post("/cuentas/permisos/", {"action": "ranking", "alias": ""})
    assert [row.display_name for row in selectors.ranking(area=barrio, month=timezone.localdate())] == ["Ana P."]
