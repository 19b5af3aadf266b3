"""Events recorded before roles were scoped carry no `jurisdiction_id`: the live stream's replay then refuses them to
every scoped operator (it cannot tell whose they are), and the event log's admin hides them from scoped staff. This
gives them the jurisdiction their payload leads to, where it leads to one:
- an incident's events: the incident (`incident.jurisdiction_id`, or the incident row by `incident.id`);
- a report's: the report (`public_id`), or its incident (`incident_id`);
- the catalogue's and the routing rules': the jurisdiction's slug (`jurisdiction`).
Events about nothing regional (Open311 keys, banned contacts...) stay without one: national users only."""

from django.db import migrations

BATCH = 1000


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _leads(payload: dict) -> dict:
    """What the payload names that has a jurisdiction: {"jurisdiction_id"|"incident"|"report"|"slug": value}."""
    nested = payload.get("incident")
    if isinstance(nested, dict):
        if _int(nested.get("jurisdiction_id")) is not None:
            return {"jurisdiction_id": nested["jurisdiction_id"]}
        if _int(nested.get("id")) is not None:
            return {"incident": nested["id"]}
    if isinstance(payload.get("public_id"), str) and payload["public_id"]:
        return {"report": payload["public_id"]}
    if _int(payload.get("incident_id")) is not None:
        return {"incident": payload["incident_id"]}
    if isinstance(payload.get("jurisdiction"), str) and payload["jurisdiction"]:
        return {"slug": payload["jurisdiction"]}
    return {}


def backfill(apps, schema_editor) -> int:
    """Returns how many events got a jurisdiction (the tests call it on today's models)."""
    Event = apps.get_model("realtime", "Event")
    Incident = apps.get_model("reports", "Incident")
    Report = apps.get_model("reports", "Report")
    Jurisdiction = apps.get_model("territory", "Jurisdiction")
    done, cursor = 0, 0
    while True:
        rows = list(
            Event.objects.filter(id__gt=cursor)
            .exclude(payload__has_key="jurisdiction_id")
            .order_by("id")
            .only("id", "payload")[:BATCH]
        )
        if not rows:
            return done
        cursor = rows[-1].id
        leads = [(row, _leads(row.payload if isinstance(row.payload, dict) else {})) for row in rows]
        wanted = {kind: {lead[kind] for _row, lead in leads if kind in lead} for kind in ("incident", "report", "slug")}
        found = {
            "jurisdiction_id": None,
            "incident": dict(Incident.objects.filter(pk__in=wanted["incident"]).values_list("pk", "jurisdiction_id")),
            "report": dict(
                Report.objects.filter(public_id__in=wanted["report"]).values_list("public_id", "jurisdiction_id")
            ),
            "slug": dict(Jurisdiction.objects.filter(slug__in=wanted["slug"]).values_list("slug", "pk")),
        }
        changed = []
        for row, lead in leads:
            if not lead:
                continue
            ((kind, value),) = lead.items()
            jurisdiction_id = value if kind == "jurisdiction_id" else found[kind].get(value)
            if jurisdiction_id is not None:
                row.payload = {**row.payload, "jurisdiction_id": jurisdiction_id}
                changed.append(row)
        Event.objects.bulk_update(changed, ["payload"], batch_size=200)
        done += len(changed)


class Migration(migrations.Migration):
    dependencies = [
        ("realtime", "0002_spanish_verbose_names"),
        ("reports", "0009_fold_notifications_into_their_app"),
        ("territory", "0003_spanish_verbose_names"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
