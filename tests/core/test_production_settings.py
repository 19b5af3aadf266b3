"""What a deployment gets from its environment: no start without a secret key (outside the demo), and HTTPS
hardening (HSTS, Secure cookies) when it says it is served over HTTPS. Each case in a fresh process, as a server
would read its settings."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import json, django
django.setup()
from django.test import Client
from django.conf import settings
client = Client(raise_request_exception=False)
direct = client.get("/healthz", secure=True)
proxied = client.get("/healthz", HTTP_X_FORWARDED_PROTO="https")
plain = client.get("/healthz")
login = client.get("/cuentas/entrar/", secure=True)
print(json.dumps({
    "direct": direct.headers.get("Strict-Transport-Security"),
    "proxied": proxied.headers.get("Strict-Transport-Security"),
    "plain": plain.headers.get("Strict-Transport-Security"),
    "csrf_cookie_secure": bool(login.cookies["csrftoken"]["secure"]),
    "session_secure": settings.SESSION_COOKIE_SECURE,
}))
"""


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MUEVE_")}
    environment.update(
        {
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "mueve.config.settings",
            "MUEVE_DATA_DIR": os.environ.get("MUEVE_DATA_DIR", str(ROOT / "var")),
            **env,
        }
    )
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=120)


def test_the_server_refuses_to_start_without_a_secret_key():
    result = _run("import django; django.setup()")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "MUEVE_SECRET_KEY is not set" in result.stderr


def test_the_demo_and_a_configured_server_start():
    assert _run("import django; django.setup()", MUEVE_DEMO="1").returncode == 0
    assert _run("import django; django.setup()", MUEVE_SECRET_KEY="una-clave-larga-de-verdad-" * 2).returncode == 0


def test_over_https_browsers_are_told_to_stay_on_https_and_cookies_are_secure():
    result = _run(_PROBE, MUEVE_SECRET_KEY="k" * 50, MUEVE_HTTPS="1", MUEVE_HSTS_INCLUDE_SUBDOMAINS="1")
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["direct"] == "max-age=31536000; includeSubDomains"
    assert seen["proxied"] == seen["direct"]  # behind a proxy that says X-Forwarded-Proto: https
    assert seen["plain"] is None  # never over plain HTTP
    assert seen["csrf_cookie_secure"] and seen["session_secure"]


def test_without_https_no_hsts():
    result = _run(_PROBE, MUEVE_SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["direct"] is None and not seen["session_secure"]
