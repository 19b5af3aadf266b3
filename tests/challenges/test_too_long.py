"""A challenge title over its limit is refused for its length, with the limit and the length, through the page, the
API and the service alike; it is never cut to fit (the page's input used to cut a pasted title to 255 characters
without a word, and the cut title was then refused for not ending in "?")."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mueve.challenges import services
from mueve.challenges.models import Challenge

API = "/api/v1/challenges/"
LONG_TITLE = ("¿Cómo reducir los tiempos de viaje " * 30)[:999] + "?"
MESSAGE = "Máximo 255 caracteres (tiene 1000)."


def test_the_title_is_1000_characters():
    assert len(LONG_TITLE) == 1000


def test_the_page_refuses_a_long_title_with_its_length(client, manager, program, organization):
    client.force_login(manager)
    url = reverse("challenges:create")
    assert "maxlength" not in client.get(url).content.decode()  # the browser must not cut it silently
    data = {"program": program.slug, "title": LONG_TITLE, "owner": organization.slug, "kind": "concrete"}
    html = client.post(url, data).content.decode()
    assert MESSAGE in html
    assert "Formule el desafío como una pregunta" not in html
    assert not Challenge.objects.exists()


def test_the_api_refuses_a_long_title_with_its_length(client, manager, program, organization):
    client.force_login(manager)
    data = {"program": program.slug, "title": LONG_TITLE, "owner": organization.slug, "kind": "concrete"}
    response = client.post(API, json.dumps(data), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == {"title": [MESSAGE]}
    assert not Challenge.objects.exists()


def test_the_api_schema_states_the_limit(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schema["ChallengeIn"]["properties"]["title"]["maxLength"] == 255


def test_the_service_checks_the_length_before_the_question_mark(manager, program, organization):
    with pytest.raises(ValidationError) as caught:
        services.challenge_create(actor=manager, program=program, title="x" * 300, owner=organization, kind="concrete")
    assert caught.value.message_dict["title"] == ["Máximo 255 caracteres (tiene 300)."]
