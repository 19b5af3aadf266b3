"""The data migration that moves the old keys (reports.ApiKey for Open311, accounts.ApiToken for the platform API)
into api.ApiKey, run for real: a new database migrated to just before it, rows in the old shapes, then the
migrations that follow. The keys handed out before keep working, with their statuses; reports still point at the
key they came with."""

import json
import os
import secrets
import subprocess

from tests.realtime.servers import PYTHON, ROOT

OPEN311_KEY = "o311_" + "a" * 32
TOKEN = "mv_" + "b" * 40
REVOKED_TOKEN = "mv_" + "c" * 40


def _scenario() -> None:
    """Runs in its own process on a new SQLite database (MUEVE_DATA_DIR)."""
    import hashlib

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    before = [("reports", "0009_fold_notifications_into_their_app"), ("accounts", "0004_role_scopes")]
    for app, name in before:
        call_command("migrate", app, name, verbosity=0)
    old = MigrationExecutor(connection).loader.project_state(before).apps
    sha = lambda key: hashlib.sha256(key.encode()).hexdigest()  # noqa: E731
    User = old.get_model("accounts", "User")
    manager = User.objects.create(username="gestora", role="manager", email="g@example.org")
    developer = User.objects.create(username="dev", role="citizen", email="dev@example.org")
    OldKey = old.get_model("reports", "ApiKey")
    approved = OldKey.objects.create(
        application_name="Mapa de baches",
        contact_email="dev@example.org",
        requested_by_id=developer.pk,
        status="approved",
        key_hash=sha(OPEN311_KEY),
        prefix=OPEN311_KEY[:10],
        approved_by_id=manager.pk,
        approved_at=timezone.now(),
    )
    OldKey.objects.create(application_name="Pendiente", contact_email="p@example.org", status="requested")
    revoked = OldKey.objects.create(
        application_name="Revocada", contact_email="r@example.org", status="revoked", revoked_at=timezone.now()
    )
    old.get_model("reports", "HistoricalApiKey").objects.create(
        id=revoked.pk,
        application_name="Revocada",
        contact_email="r@example.org",
        status="revoked",
        prefix="",
        created_at=revoked.created_at,
        updated_at=revoked.updated_at,
        history_date=timezone.now(),
        history_type="~",
        history_user_id=manager.pk,
    )
    Jurisdiction = old.get_model("territory", "Jurisdiction")
    metro = Jurisdiction.objects.create(slug="gran-concepcion", name="Gran Concepción", kind="metropolitan_area")
    service = old.get_model("reports", "Service").objects.create(
        jurisdiction=metro, code="bache", name="Bache", alert_category="roadSafety"
    )
    report = old.get_model("reports", "Report").objects.create(
        jurisdiction=metro, service=service, public_id="R-1", token="t" * 20, api_key_id=approved.pk, lat=-36.8, lon=-73
    )
    Token = old.get_model("accounts", "ApiToken")
    Token.objects.create(user_id=manager.pk, name="pantalla", key_hash=sha(TOKEN), prefix=TOKEN[:8])
    Token.objects.create(
        user_id=manager.pk, name="vieja", key_hash=sha(REVOKED_TOKEN), prefix=REVOKED_TOKEN[:8], revoked=True
    )

    for app in ("api", "reports", "accounts"):  # up to their latest migrations (and only what those need)
        call_command("migrate", app, verbosity=0)

    from mueve.api.keys import KeyRefused, approved_key, user_for_key
    from mueve.api.models import ApiKey
    from mueve.reports.models import Report

    def refusal(key: str) -> int:
        try:
            approved_key(key)
        except KeyRefused as refused:
            return refused.status
        return 0

    moved = approved_key(OPEN311_KEY)
    print(
        json.dumps(
            {
                "open311": [moved.application.name, moved.application.owner.username, moved.approved_by.username],
                "report_key": Report.objects.get(pk=report.pk).api_key_id == moved.pk,
                "token_user": user_for_key(key=TOKEN).username,
                "token_application": approved_key(TOKEN).application.name,
                "revoked_token": refusal(REVOKED_TOKEN),
                "statuses": sorted(ApiKey.objects.values_list("status", flat=True)),
                "revoked_by": ApiKey.objects.get(application__name="Revocada").revoked_by.username,
                "pending_has_no_key": ApiKey.objects.get(application__name="Pendiente").key_hash is None,
                "new_key_id_free": ApiKey.objects.create(application=moved.application).pk > 5,
            }
        )
    )


def test_old_keys_and_tokens_keep_working_after_the_migration(tmp_path):
    env = {
        **os.environ,
        "MUEVE_DATA_DIR": str(tmp_path),
        "MUEVE_DATABASE_URL": "",
        "MUEVE_REDIS_URL": "",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "mueve.config.settings",
        "MUEVE_SECRET_KEY": secrets.token_urlsafe(40),
    }
    code = "from tests.api.test_key_migration import _scenario; _scenario()"
    done = subprocess.run([PYTHON, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {
        "open311": ["Mapa de baches", "dev", "gestora"],
        "report_key": True,
        "token_user": "gestora",
        "token_application": "Acceso a la API de gestora",
        "revoked_token": 403,
        "statuses": ["approved", "approved", "requested", "revoked", "revoked"],
        "revoked_by": "gestora",
        "pending_has_no_key": True,
        "new_key_id_free": True,
    }
