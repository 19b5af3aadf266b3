"""The free-text field goes; 0002 turned the names it held into links. A migration of its own so
that on PostgreSQL the column is dropped in a transaction without 0002's pending row changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("challenges", "0002_link_addressed_by_names"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="challenge",
            name="addressed_by",
        ),
        migrations.RemoveField(
            model_name="historicalchallenge",
            name="addressed_by",
        ),
    ]
