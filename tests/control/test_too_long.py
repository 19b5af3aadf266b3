"""Operators' and citizens' texts over their limit are refused with the limit and the length, never cut."""

import pytest
from django.core.exceptions import ValidationError

from mueve.reports import services


def test_an_operators_note_over_its_limit_is_refused_not_cut(client, incident, operator):
    client.force_login(operator)
    assert "maxlength" not in client.get("/control/").content.decode()  # the browser must not cut it silently
    response = client.post(f"/control/incidentes/{incident.pk}/acknowledge/", {"public_reply": "r" * 2001})
    assert response.status_code == 400
    assert response.json()["errors"] == {"public_reply": ["Máximo 2000 caracteres (tiene 2001)."]}
    incident.refresh_from_db()
    assert incident.status == "open"


def test_a_report_description_over_its_limit_is_refused_not_cut(accident):
    with pytest.raises(ValidationError) as exc:
        services.report_submit(service=accident, lat=-36.8270, lon=-73.0503, description="d" * 4001)
    assert exc.value.message_dict["description"] == ["Máximo 4000 caracteres (tiene 4001)."]


def test_the_report_page_says_the_limit_of_the_description(client, accident):
    response = client.post(
        "/reportes/nuevo/",
        {"service_code": accident.code, "lat": "-36.8270", "lon": "-73.0503", "description": "d" * 4001},
    )
    assert response.status_code == 400
    assert "Máximo 4000 caracteres (tiene 4001)." in response.content.decode()
