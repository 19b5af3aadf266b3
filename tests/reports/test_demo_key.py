"""The demo's Open311 key is published: it works only on a server in demo mode, and only the demo makes one."""

from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from mueve.api import services as api_services
from mueve.api.keys import approved_key
from mueve.demo.reports import DEMO_API_KEY
from mueve.reports import selectors


def _post(key: str):
    body = urlencode(
        {
            "api_key": key,
            "service_code": "semaforo-falla",
            "lat": "-36.8270",
            "long": "-73.0500",
            "attribute[falla]": "apagado",
        }
    )
    return Client().post("/open311/v2/requests.json", body, content_type="application/x-www-form-urlencoded")


def test_the_demo_key_works_in_demo_mode_only(demo_db):
    selectors.forget_reference_data()
    with override_settings(MUEVE_DEMO=True):
        assert _post(DEMO_API_KEY).status_code == 200
    selectors.forget_reference_data()
    with override_settings(MUEVE_DEMO=False):
        refused = _post(DEMO_API_KEY)
    assert refused.status_code == 403
    assert "api_key" in refused.json()[0]["description"]


def test_only_the_demo_gets_a_fixed_key(db, manager):
    application = api_services.application_add(actor=manager, name="Copia", contact_email="dev@example.org")
    with pytest.raises(ValidationError) as info:
        api_services.key_create(application=application, actor=manager, key="o311_mi_clave_fija_que_elegi_yo")
    assert "key" in info.value.message_dict
    _api_key, key = api_services.key_create(application=application, actor=manager)
    assert not key.startswith("o311_demo_")
    with override_settings(MUEVE_DEMO=False):
        assert approved_key(key).application == application  # a real key works outside the demo
