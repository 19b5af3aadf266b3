from pathlib import Path

import pytest

from mueve.core.env import database_from_url


def test_sqlite_is_the_default_with_wal():
    db = database_from_url("", Path("/tmp/x.sqlite3"))
    assert db["ENGINE"] == "mueve.core.sqlite"  # Django's SQLite backend with pooled connections
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]


def test_postgres_url_is_parsed():
    db = database_from_url("postgres://mueve:s%40cret@db.example:6543/ciudad?sslmode=require", Path("/tmp/x"))
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "mueve",
        "s@cret",
        "db.example",
        "6543",
        "ciudad",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="unsupported scheme"):
        database_from_url("mysql://x/y", Path("/tmp/x"))


def test_postgres_connections_are_not_kept_by_default_and_pool_is_opt_in():
    # Under ASGI, persistent per-thread connections pile up until PostgreSQL refuses clients.
    assert database_from_url("postgres://db/x", Path("/tmp/x"))["CONN_MAX_AGE"] == 0
    pooled = database_from_url("postgres://db/x?pool=true", Path("/tmp/x"))
    assert pooled["OPTIONS"] == {"pool": {"min_size": 4, "max_size": 16}}  # above the 8 request threads
    assert pooled["CONN_MAX_AGE"] == 0
    assert database_from_url("postgres://db/x?conn_max_age=30", Path("/tmp/x"))["CONN_MAX_AGE"] == 30


def test_health_check_answers_without_touching_the_database(client):
    # No database access is allowed in this test: touching it would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_whole_number_settings_name_the_variable_when_wrong(monkeypatch):
    from mueve.core.env import env_int

    monkeypatch.delenv("MUEVE_REQUEST_THREADS", raising=False)
    assert env_int("MUEVE_REQUEST_THREADS", 8) == 8
    monkeypatch.setenv("MUEVE_REQUEST_THREADS", "16")
    assert env_int("MUEVE_REQUEST_THREADS", 8) == 16
    for wrong in ("ocho", "0"):
        monkeypatch.setenv("MUEVE_REQUEST_THREADS", wrong)
        with pytest.raises(ValueError, match="MUEVE_REQUEST_THREADS"):
            env_int("MUEVE_REQUEST_THREADS", 8)
