"""Every HTML page carries a strict Content-Security-Policy with a nonce of its own (issue 17)."""

import re

import pytest
from django.test import Client, override_settings

from mueve.core.middleware import build_policy, tile_source
from mueve.transit.models import Route

PUBLIC = [
    "/",
    "/programas/",
    "/programas/smart-city-gran-concepcion/",
    "/programas/smart-city-gran-concepcion/informe/",
    "/desafios/",
    "/actores/",
    "/talleres/",
    "/competencias/",
    "/reportes/",
    "/reportes/nuevo/",
    "/transporte/",
    "/transporte/planificar/",
    "/transporte/despierta/",
    "/territorio/",
    "/datos/",
    "/control/publico/",
    "/cuentas/entrar/",
    "/no-existe/",
]
OPERATOR = ["/control/", "/control/estadisticas/"]
MANAGER = ["/transporte/gestion/", "/programas/nuevo/", "/desafios/nuevo/"]

NONCE = re.compile(r"'nonce-([A-Za-z0-9_-]{16,})'")


def _directives(header: str) -> dict[str, str]:
    pairs = (d.strip().split(" ", 1) for d in header.split(";") if d.strip())
    return {p[0]: (p[1] if len(p) > 1 else "") for p in pairs}


def _check(response, path: str) -> str:
    assert response.status_code in (200, 404), (path, response.status_code)
    assert response["Content-Type"].startswith("text/html"), path
    header = response.get("Content-Security-Policy")
    assert header, f"{path}: no Content-Security-Policy"
    d = _directives(header)
    assert "'unsafe-inline'" not in d["script-src"] and "'unsafe-eval'" not in d["script-src"], path
    assert "'self'" in d["script-src"] and NONCE.search(d["script-src"]), path
    assert "'unsafe-inline'" not in d.get("style-src", ""), path
    assert d["object-src"] == "'none'" and d["base-uri"] == "'self'", path
    assert d["frame-ancestors"] == "'none'" and d["form-action"] == "'self'", path
    assert d["connect-src"] == "'self'" and d["worker-src"] == "'self'" and d["manifest-src"] == "'self'", path
    assert "https://tile.openstreetmap.org" in d["img-src"], path
    nonce = NONCE.search(d["script-src"]).group(1)
    body = response.content.decode()
    # Every inline script or style that the page does carry is allowed by this response's nonce, and only by it.
    for tag in re.findall(r"<(?:script|style)\b[^>]*>", body):
        if "src=" in tag or 'type="application/json"' in tag:
            continue
        assert f'nonce="{nonce}"' in tag, (path, tag)
    assert not re.search(r"\son[a-z]+\s*=", re.sub(r"<script\b.*?</script>", "", body, flags=re.S)), (
        f"{path}: inline event handler"
    )
    return nonce


def _route_path() -> str:
    route = Route.objects.select_related("feed").order_by("pk").first()
    return f"/transporte/{route.feed.slug}/rutas/{route.route_id}/"


@pytest.mark.django_db
def test_every_page_has_a_strict_policy_with_a_fresh_nonce(demo_db):
    paths = [*PUBLIC, _route_path()]
    seen = set()
    for path in paths:
        first = _check(Client().get(path), path)
        second = _check(Client().get(path), path)
        assert first != second, f"{path}: the nonce must change with every response"
        seen |= {first, second}
    assert len(seen) == 2 * len(paths)


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "paths"), [("operadora", OPERATOR), ("gestora", MANAGER)])
def test_staff_pages_have_the_policy_too(demo_db, username, paths):
    client = Client()
    assert client.login(username=username, password="mueve2014")
    for path in paths:
        _check(client.get(path), path)


@pytest.mark.django_db
def test_data_and_scripts_are_not_given_a_document_policy(demo_db):
    for path in ("/control/publico/incidentes.geojson", "/reportes/sw.js", "/reportes/manifest.webmanifest"):
        response = Client().get(path)
        assert response.status_code == 200, path
        assert "Content-Security-Policy" not in response, path


def test_the_policy_allows_the_configured_tile_host_only():
    assert tile_source("https://{s}.tiles.example.cl/{z}/{x}/{y}.png") == "https://*.tiles.example.cl"
    assert tile_source("/tiles/{z}/{x}/{y}.png") == ""
    img = _directives(build_policy("https://maps.example.cl:8443/{z}/{x}/{y}.png"))["img-src"]
    assert img == "'self' data: blob: https://maps.example.cl:8443"


@pytest.mark.django_db
def test_a_changed_tile_setting_reaches_the_header(demo_db):
    with override_settings(MUEVE_TILE_URL="https://teselas.muni.cl/{z}/{x}/{y}.png"):
        header = Client().get("/control/publico/")["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://teselas.muni.cl" in header
