"""Full-text search on the dataset's search_text: an FTS5 table kept by triggers on SQLite, a GIN expression index
on PostgreSQL (see mueve.datasets.fulltext). Nothing on other databases."""

from django.db import migrations

from mueve.datasets import fulltext


def forwards(apps, schema_editor):
    fulltext.install(schema_editor.connection)
    fulltext.rebuild(schema_editor.connection)


def backwards(apps, schema_editor):
    fulltext.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("datasets", "0004_incoming")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
