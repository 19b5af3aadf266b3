"""Two real server processes on one database: a key revoked through one is refused by the other at its very next
request, with the key lookups each process remembers (under a version stamp in Redis) and without (no shared
cache: every lookup reads the database)."""

import os
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.realtime.servers import LiveSite, redis_reachable
from tests.realtime.test_revocation import _signed_in

REDIS_URL = os.environ.get("MUEVE_TEST_C_REDIS_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture(scope="module", params=["sin-cache-compartida", "redis"])
def site(request):
    redis_url = ""
    if request.param == "redis":
        if not redis_reachable(REDIS_URL):
            pytest.skip("needs Redis")
        redis_url = REDIS_URL
    with LiveSite(redis_url=redis_url) as live:
        live.start(2)
        yield live


def _status(base: str, key: str) -> int:
    request = urllib.request.Request(base + "/api/v1/organizations/", headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_key_revoked_through_one_process_is_refused_by_the_other_at_its_next_request(site):
    first, second = site.urls
    key = site.operator_token
    for base in (first, second):  # each process has now read the key (and, with Redis, remembers it)
        assert [_status(base, key), _status(base, key)] == [200, 200]

    manager = _signed_in(first, "gestora-viva")
    page = manager.open(first + "/desarrolladores/gestion/", timeout=10).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    pk = re.search(r"Pantalla del centro de control.*?/desarrolladores/gestion/(\d+)/revocar/", page, re.DOTALL).group(
        1
    )
    manager.open(
        urllib.request.Request(
            f"{first}/desarrolladores/gestion/{pk}/revocar/",
            data=urllib.parse.urlencode({"csrfmiddlewaretoken": csrf}).encode(),
            headers={"Referer": first + "/"},
        ),
        timeout=10,
    )

    assert _status(second, key) == 403
    assert _status(first, key) == 403
