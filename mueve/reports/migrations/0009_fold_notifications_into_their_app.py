"""The reports app's own notice list goes: its notices move to the notifications app, where the person chooses
how to hear each kind, and the reports app stops writing them."""

from django.db import migrations

# The old kinds, as the notifications app's kinds.
KIND = {"asset_report": "adoption_incident", "asset_repaired": "adoption_incident", "report_status": "report_update"}


def move_notices(apps, schema_editor):
    Old = apps.get_model("reports", "Notification")
    New = apps.get_model("notifications", "Notification")
    batch = []
    for old in Old.objects.order_by("id").iterator(chunk_size=2000):
        batch.append(
            New(
                user_id=old.user_id,
                kind=KIND.get(old.kind, "report_update"),
                title=old.message[:200],
                created_at=old.created_at,
                read_at=old.read_at,
                listed=True,
            )
        )
        if len(batch) >= 2000:
            New.objects.bulk_create(batch)
            batch = []
    New.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_report_feedback"),
        ("notifications", "0003_spanish_name_of_delivery_error"),
    ]

    operations = [
        migrations.RunPython(move_notices, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notification"),
    ]
