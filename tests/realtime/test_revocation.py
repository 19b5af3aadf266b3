"""Two real server processes on one SQLite database: what is revoked through one stops working on the other
within a second, and neither tells the world which server software it runs."""

import http.cookiejar
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.realtime.servers import OPERATOR_PASSWORD, PYTHON, ROOT, LiveSite, StreamReader, post_report


@pytest.fixture(scope="module")
def site():
    with LiveSite() as live:
        live.start(2)
        yield live


def _signed_in(base: str, username: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/cuentas/entrar/", timeout=10).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"username": username, "password": OPERATOR_PASSWORD, "csrfmiddlewaretoken": csrf}
    opener.open(
        urllib.request.Request(
            base + "/cuentas/entrar/", data=urllib.parse.urlencode(form).encode(), headers={"Referer": base + "/"}
        ),
        timeout=10,
    )
    assert any(cookie.name == "sessionid" for cookie in jar)
    return opener


def _post_status(base: str, api_key: str) -> int:
    try:
        post_report(base, api_key)
        return 201
    except urllib.error.HTTPError as error:
        return error.code


def test_a_key_revoked_through_one_process_is_refused_by_the_other_within_a_second(site):
    first, second = site.urls
    assert _post_status(second, site.api_key) == 201  # the second process now holds the key in memory

    manager = _signed_in(first, "gestora-viva")
    page = manager.open(first + "/desarrolladores/gestion/", timeout=10).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    pk = re.search(r"Prueba en vivo.*?/desarrolladores/gestion/(\d+)/revocar/", page, re.DOTALL).group(1)
    manager.open(
        urllib.request.Request(
            f"{first}/desarrolladores/gestion/{pk}/revocar/",
            data=urllib.parse.urlencode({"csrfmiddlewaretoken": csrf}).encode(),
            headers={"Referer": first + "/"},
        ),
        timeout=10,
    )
    time.sleep(1.0)
    assert _post_status(second, site.api_key) == 403
    assert _post_status(first, site.api_key) == 403


def test_a_revoked_api_token_is_refused_by_every_process_within_a_second(site):
    first, second = site.urls
    for base in (first, second):
        stream = StreamReader(base, token=site.operator_token)
        assert stream.status == 200
        stream.close()
    revoke = (
        "import django; django.setup(); from mueve.api import services; from mueve.api.models import ApiKey\n"
        "for key in ApiKey.objects.filter(application__owner__username='operadora-viva'):\n"
        "    services.key_revoke(api_key=key, actor=key.application.owner)"
    )
    subprocess.run([PYTHON, "-c", revoke], env=site.env, cwd=ROOT, check=True)
    time.sleep(1.0)
    for base in (first, second):
        stream = StreamReader(base, token=site.operator_token)
        assert stream.status == 403
        stream.close()


def test_no_server_banner(site):
    with urllib.request.urlopen(site.urls[0] + "/open311/v2/discovery.json", timeout=10) as response:
        assert response.status == 200
        assert response.headers.get("server") is None
