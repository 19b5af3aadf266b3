"""The pages and API of Cuida tu Luz and Cuido mi Barrio: what a visitor, a citizen and the municipality see, and
clear refusals for bad input."""

import pytest

from mueve.accounts.models import Role
from mueve.neighbourhood import services
from mueve.neighbourhood.models import RewardGrant
from mueve.reports import services as reports
from mueve.reports.models import Adoption
from tests.neighbourhood.conftest import report_at

pytestmark = pytest.mark.django_db


def test_visitors_see_the_map_and_list_but_must_sign_in_to_adopt(client, street_light):
    page = client.get("/barrio/luz/")
    assert page.status_code == 200
    html = page.content.decode()
    assert street_light.name in html and 'id="lights-map"' in html and "<script>" not in html
    assert "Entrar para adoptarla" in client.get(f"/barrio/luz/{street_light.pk}/").content.decode()
    response = client.post(f"/barrio/luz/{street_light.pk}/adoptar/", {"name": "Mía"})
    assert response.status_code == 302 and response["Location"].startswith("/cuentas/entrar/")
    assert not Adoption.objects.exists()
    api = client.post(f"/api/v1/neighbourhood/assets/{street_light.pk}/adoption", {}, content_type="application/json")
    assert api.status_code == 401


def test_the_list_filters_by_street(client, metro, lights, street_light):
    reports.asset_upsert(
        jurisdiction=metro, kind="bus_stop", code="pc-1", name="Paradero Tucapel", lat=-36.83, lon=-73.045
    )
    html = client.get("/barrio/luz/", {"q": "tucapel"}).content.decode()
    assert "Paradero Tucapel" in html and street_light.name not in html
    html = client.get("/barrio/luz/", {"kind": "street_light"}).content.decode()
    assert "Paradero Tucapel" not in html and street_light.name in html


def test_a_citizen_adopts_names_and_leaves_a_light(client, street_light, ana):
    client.force_login(ana)
    response = client.post(f"/barrio/luz/{street_light.pk}/adoptar/", {"name": "La luz de mi pasaje"})
    assert response.status_code == 302 and response["Location"] == "/barrio/luz/mis-adopciones/"
    mine = client.get("/barrio/luz/mis-adopciones/").content.decode()
    assert "La luz de mi pasaje" in mine and street_light.name in mine
    assert "/barrio/luz/mis-adopciones/" in client.get("/cuentas/perfil/").content.decode()
    # Adopting it again: a clear 400, not a silent success.
    again = client.post(f"/barrio/luz/{street_light.pk}/adoptar/", {"name": ""})
    assert again.status_code == 400 and "Usted ya adoptó" in again.content.decode()
    client.post(f"/barrio/luz/{street_light.pk}/dejar/")
    assert not Adoption.objects.filter(user=ana).exists()


def test_bad_input_is_refused_with_a_message(client, street_light, ana):
    client.force_login(ana)
    assert client.post("/barrio/luz/999999/adoptar/", {"name": "x"}).status_code == 404
    too_long = client.post(f"/barrio/luz/{street_light.pk}/adoptar/", {"name": "x" * 61})
    assert too_long.status_code == 400 and "Máximo 60 caracteres (tiene " in too_long.content.decode()
    assert client.get("/barrio/luz/999999/").status_code == 404
    assert client.get("/barrio/ranking/", {"month": "diciembre"}).status_code == 400


def test_the_api_adopts_refuses_twice_and_a_missing_asset(client, street_light, ana):
    client.force_login(ana)
    url = f"/api/v1/neighbourhood/assets/{street_light.pk}/adoption"
    too_long = client.post(url, {"name": "x" * 61}, content_type="application/json")
    assert too_long.status_code == 422 and "name" in too_long.json()["errors"]
    created = client.post(url, {"name": "Mi poste"}, content_type="application/json")
    assert created.status_code == 201 and created.json() == {
        "asset": street_light.pk,
        "name": "Mi poste",
        "adopted": True,
    }
    twice = client.post(url, {"name": "Otra vez"}, content_type="application/json")
    assert twice.status_code == 409 and "ya adoptó" in twice.json()["errors"]["asset"][0]
    missing = client.post("/api/v1/neighbourhood/assets/999999/adoption", {}, content_type="application/json")
    assert missing.status_code == 404
    listed = client.get("/api/v1/neighbourhood/assets").json()
    assert listed[0]["mine"] is True and listed[0]["adopted"] is True and "user" not in listed[0]
    assert client.delete(url).json()["adopted"] is False
    gone = client.delete(url)  # not adopted any more
    assert gone.status_code == 404 and "no ha adoptado" in gone.json()["detail"]


def test_the_api_ranking_refuses_unknown_areas_and_months(client, barrio):
    assert client.get("/api/v1/neighbourhood/ranking", {"area": 999999}).status_code == 404
    response = client.get("/api/v1/neighbourhood/ranking", {"area": barrio.pk, "month": "2026-13"})
    assert response.status_code == 422 and "month" in response.json()["errors"]


def test_the_ranking_page_shows_points_without_full_names(client, lights, ana, operator, barrio):
    report = report_at(lights, ana)
    reports.incident_acknowledge(incident=report.incident, actor=operator)
    html = client.get("/barrio/ranking/").content.decode()
    assert "Ana P." in html and "Pérez" not in html and "ana@example.org" not in html
    data = client.get("/api/v1/neighbourhood/ranking", {"area": barrio.pk}).json()
    assert data["rows"] == [{"position": 1, "display_name": "Ana P.", "points": 10}]


def test_the_adopter_confirms_a_repair_from_their_page(client, lights, street_light, ana, bruno, operator, barrio):
    services.adopt(asset=street_light, user=ana)
    report = report_at(lights, bruno)
    reports.incident_resolve(incident=report.incident, actor=operator)
    client.force_login(ana)
    assert "Confirmar la reparación" in client.get("/barrio/luz/mis-adopciones/").content.decode()
    response = client.post(f"/barrio/luz/{street_light.pk}/confirmar-reparacion/", follow=True)
    assert "quedó registrado" in response.content.decode()
    assert "Confirmar la reparación" not in client.get("/barrio/luz/mis-adopciones/").content.decode()
    assert "5 puntos" in client.get("/barrio/").content.decode()


def test_the_municipality_sees_adopted_orphans_and_time_to_repair(client, metro, lights, street_light, ana, operator):
    reports.asset_upsert(
        jurisdiction=metro, kind="street_light", code="p-2", name="Poste huérfano", lat=-36.83, lon=-73.045
    )
    services.adopt(asset=street_light, user=ana)
    report = report_at(lights, ana)
    reports.incident_resolve(incident=report.incident, actor=operator)
    client.force_login(operator)
    html = client.get("/barrio/luz/municipio/").content.decode()
    assert "Barrio Centro" in html and "Poste huérfano" in html and "Mediana (horas)" in html
    overview = client.get("/barrio/luz/municipio/").context["overview"]
    assert ("Luminaria", 1, 1) in overview.by_kind
    [centro] = [row for row in overview.areas if row.area == "Barrio Centro"]
    assert (centro.assets, centro.adopted, centro.orphan, centro.repairs) == (
        2,
        1,
        1,
        1,
    ) and centro.median_hours is not None


def test_the_municipality_defines_rewards_and_records_who_received_them(client, make_user, ana):
    client.force_login(make_user(Role.MANAGER))
    response = client.post(
        "/barrio/premios/", {"action": "define", "reward-name": "Visita a la UOCT", "reward-description": "Guiada"}
    )
    assert response.status_code == 302
    html = client.get("/barrio/premios/").content.decode()
    assert "Visita a la UOCT" in html
    reward_id = client.get("/barrio/premios/").context["grant_form"].fields["reward"].choices[0][0]
    unknown = client.post(
        "/barrio/premios/", {"action": "grant", "grant-reward": reward_id, "grant-recipient": "nadie@example.org"}
    )
    assert unknown.status_code == 400 and "No hay una cuenta" in unknown.content.decode()
    client.post(
        "/barrio/premios/", {"action": "grant", "grant-reward": reward_id, "grant-recipient": "ana@example.org"}
    )
    assert RewardGrant.objects.get().user == ana
    client.force_login(ana)
    assert "Visita a la UOCT" in client.get("/barrio/").content.decode()


def test_my_data_holds_my_adoption_names_and_rewards_and_deleting_the_account_removes_them(
    client, street_light, ana, make_user
):
    from mueve.neighbourhood.models import AdoptionName
    from tests.conftest import PASSWORD

    manager = make_user(Role.MANAGER)
    services.adopt(asset=street_light, user=ana, name="La luz de mi pasaje")
    reward = services.reward_define(actor=manager, name="Certificado")
    services.reward_grant(actor=manager, reward=reward, recipient=ana)
    client.force_login(ana)
    data = client.get("/cuentas/mis-datos/descargar.json").json()
    assert data["adoptions"][0]["name"] == "La luz de mi pasaje"
    assert data["rewards_received"][0]["reward"] == "Certificado"
    assert "La luz de mi pasaje" in client.get("/cuentas/mis-datos/descargar.html").content.decode()
    client.post("/cuentas/eliminar/", {"password": PASSWORD, "confirm": "on"})
    assert not Adoption.objects.filter(asset=street_light).exists() and not AdoptionName.objects.exists()
    assert RewardGrant.objects.get().user.first_name == ""  # the record of the delivery names nobody any more
