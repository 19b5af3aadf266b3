"""Password guessing on the login page: a (address, username) pair is locked out after a few wrong passwords."""

import pytest
from django.conf import settings
from django.test import Client

from mueve.accounts.models import Role
from tests.conftest import PASSWORD

LOGIN = "/cuentas/entrar/"


def _post(client: Client, username: str, password: str, address: str):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def limit():
    return settings.AXES_FAILURE_LIMIT


def test_wrong_passwords_lock_the_pair_out_but_nobody_else(db, make_user, limit):
    victim, other = make_user(Role.CITIZEN), make_user(Role.CITIZEN)
    attacker = Client()
    answers = [_post(attacker, victim.username, "adivinando", "203.0.113.9").status_code for _ in range(limit)]
    assert answers == [200] * (limit - 1) + [429]  # the last wrong one already says so

    refused = _post(attacker, victim.username, PASSWORD, "203.0.113.9")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == int(settings.AXES_COOLOFF_TIME.total_seconds())
    page = refused.content.decode()
    assert "Demasiados intentos fallidos" in page and "15 minutos" in page
    assert "_auth_user_id" not in attacker.session

    # The victim, elsewhere, still gets in; so does another person behind the attacker's address.
    victim_client = Client()
    assert _post(victim_client, victim.username, PASSWORD, "198.51.100.7").status_code == 302
    assert victim_client.get("/cuentas/perfil/").status_code == 200
    neighbour = Client()
    assert _post(neighbour, other.username, PASSWORD, "203.0.113.9").status_code == 302


def test_a_right_password_before_the_limit_starts_the_count_again(db, make_user, limit):
    user = make_user(Role.CITIZEN)
    client = Client()
    for _ in range(limit - 1):
        _post(client, user.username, "mala", "192.0.2.1")
    assert _post(client, user.username, PASSWORD, "192.0.2.1").status_code == 302
    client.logout()
    for _ in range(limit - 1):
        _post(client, user.username, "mala", "192.0.2.1")
    assert _post(client, user.username, PASSWORD, "192.0.2.1").status_code == 302


def test_logins_without_a_request_are_not_throttled(db, make_user, limit):
    # Django's test client `login()` calls authenticate() without a request: it is neither refused nor counted.
    user = make_user(Role.CITIZEN)
    client = Client()
    for _ in range(limit + 2):
        assert not client.login(username=user.username, password="mala")
    assert client.login(username=user.username, password=PASSWORD)
