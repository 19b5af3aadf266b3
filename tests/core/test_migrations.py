"""The real migrations, from zero, on the database the suite runs on (the other tests start from a cached schema:
see tests/dbcontents.py), and no model change without its migration."""

import io
import json
import os
import re
import subprocess
import sys
import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from tests.realtime.servers import ROOT, recreate_postgres

PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable


def test_every_model_change_has_its_migration(db):
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(f"models changed without a migration (exit {exit_.code}):\n{out.getvalue()}")


# The catalog's datastore keeps each loaded table as a table of its own (mueve.datasets.datastore), made at run
# time, not by a migration: tests that load one and commit (live servers) leave theirs behind.
DATASTORE_TABLE = re.compile(r"^ds_[0-9a-f]{32}_[0-9a-f]{8}$")


def _tables_and_columns() -> dict[str, list[str]]:
    introspection = connection.introspection
    with connection.cursor() as cursor:
        return {
            table.name: sorted(column.name for column in introspection.get_table_description(cursor, table.name))
            for table in introspection.get_table_list(cursor)
            if table.type == "t" and not DATASTORE_TABLE.match(table.name)
        }


def test_migrations_from_zero_build_the_schema_the_suite_runs_on(db, tmp_path):
    """`mueve migrate` on a new database, in its own process, as a deployment runs it; every migration applies and the
    tables and columns are those the suite's cached schema has."""
    env = {**os.environ, "MUEVE_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    if connection.vendor == "postgresql":
        settings_dict = connection.settings_dict
        url = (
            f"postgres://{settings_dict['USER'] or 'postgres'}@{settings_dict['HOST'] or '127.0.0.1'}:"
            f"{settings_dict['PORT'] or 5432}/mueve_c_migrations_{uuid.uuid4().hex[:8]}"
        )
        recreate_postgres(url)
        env["MUEVE_DATABASE_URL"] = url
    else:
        env["MUEVE_DATABASE_URL"] = ""
    try:
        migrate = [PYTHON, "-m", "mueve.cli", "migrate", "--noinput", "-v", "1"]
        done = subprocess.run(migrate, env=env, cwd=ROOT, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stderr
        assert "Applying accounts.0001_initial... OK" in done.stdout
        plan = subprocess.run(
            [PYTHON, "-m", "mueve.cli", "showmigrations", "--plan"], env=env, cwd=ROOT, capture_output=True, text=True
        )
        assert plan.returncode == 0, plan.stderr
        steps = [line for line in plan.stdout.splitlines() if line.strip()]
        assert steps and all(line.startswith("[X]") for line in steps), plan.stdout
        migrated = subprocess.run(
            [PYTHON, "-c", _DESCRIBE], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
        )
        assert migrated.returncode == 0, migrated.stderr
        fresh = json.loads(migrated.stdout.strip().splitlines()[-1])
    finally:
        if connection.vendor == "postgresql":
            recreate_postgres(env["MUEVE_DATABASE_URL"], drop_only=True)
    assert fresh == _tables_and_columns()


_DESCRIBE = """
import json
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    print(json.dumps({t.name: sorted(c.name for c in connection.introspection.get_table_description(cursor, t.name))
                      for t in connection.introspection.get_table_list(cursor) if t.type == "t"}))
"""


def test_the_cached_schema_is_named_for_the_migrations_that_built_it(tmp_path):
    """Any installed app's new or changed migration gives another cache key, so no run starts from a schema older
    than its migrations (the libraries' count: django-axes' tables came that way)."""
    from tests import dbcontents

    files = dbcontents.migration_files()
    assert any("axes" in str(path) for path in files) and any("/mueve/reports/" in str(path) for path in files)
    before = dbcontents.schema_key(files)
    assert dbcontents.schema_key(list(reversed(files))) == before
    extra = tmp_path / "reports" / "migrations" / "0099_new.py"
    extra.parent.mkdir(parents=True)
    extra.write_text("# a new migration\n")
    assert dbcontents.schema_key([*files, extra]) != before
    changed = tmp_path / "copy" / files[0].parent.parent.name / "migrations" / files[0].name
    changed.parent.mkdir(parents=True)
    changed.write_bytes(files[0].read_bytes() + b"\n# changed\n")
    assert dbcontents.schema_key([changed, *files[1:]]) != before
