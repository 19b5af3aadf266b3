from pathlib import Path

import pytest

from mueve.config.env import database_from_url


def test_sqlite_is_the_default_with_wal():
    db = database_from_url("", Path("/tmp/x.sqlite3"))
    assert db["ENGINE"] == "django.db.backends.sqlite3"
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
