"""Moves the two old kinds of key into api.ApiKey: the Open311 keys (reports.ApiKey, each with its application)
and the platform API's bearer tokens (accounts.ApiToken, one application per person). Hashes carry over, so every
key already handed out keeps working, and so do statuses.

An Open311 key keeps its id: reports point at it (Report.api_key), and the next migration of reports repoints
that foreign key to api.ApiKey without touching a row. Tokens take the ids after them."""

from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations
from django.utils import timezone


def move_keys(apps, schema_editor):
    OldKey = apps.get_model("reports", "ApiKey")
    OldKeyHistory = apps.get_model("reports", "HistoricalApiKey")
    Token = apps.get_model("accounts", "ApiToken")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Application = apps.get_model("api", "Application")
    ApiKey = apps.get_model("api", "ApiKey")
    quota = {
        "requests_per_minute": settings.MUEVE_API_KEY_PER_MINUTE,
        "requests_per_day": settings.MUEVE_API_KEY_PER_DAY,
    }
    last_old_pk = 0
    for old in OldKey.objects.order_by("pk"):
        application = Application.objects.create(
            name=old.application_name,
            description=old.description,
            contact_email=old.contact_email,
            owner_id=old.requested_by_id,
        )
        revoked_by = (
            OldKeyHistory.objects.filter(id=old.pk, status="revoked")
            .order_by("history_date")
            .values_list("history_user_id", flat=True)
            .first()
        )
        ApiKey.objects.create(
            pk=old.pk,
            application=application,
            prefix=old.prefix,
            key_hash=old.key_hash,
            status=old.status,
            requested_by_id=old.requested_by_id,
            approved_at=old.approved_at,
            approved_by_id=old.approved_by_id,
            revoked_at=old.revoked_at,
            revoked_by_id=revoked_by,
            **quota,
        )
        # auto_now_add on create: the request's own date, set afterwards.
        Application.objects.filter(pk=application.pk).update(created_at=old.created_at, updated_at=old.updated_at)
        ApiKey.objects.filter(pk=old.pk).update(created_at=old.created_at)
        last_old_pk = old.pk

    applications: dict[int, int] = {}
    for token in Token.objects.order_by("pk"):
        if token.user_id not in applications:
            user = User.objects.get(pk=token.user_id)
            applications[token.user_id] = Application.objects.create(
                name=f"Acceso a la API de {user.username}"[:120],
                description="Los tokens de API de esta persona, traídos al portal de desarrolladores.",
                contact_email=user.email or "",
                owner_id=user.pk,
            ).pk
        pk = last_old_pk + token.pk
        ApiKey.objects.create(
            pk=pk,
            application_id=applications[token.user_id],
            name=token.name,
            prefix=token.prefix,
            key_hash=token.key_hash,
            status="revoked" if token.revoked else "approved",
            requested_by_id=token.user_id,
            approved_at=token.created_at,
            revoked_at=(token.last_used_at or timezone.now()) if token.revoked else None,
            last_used_at=token.last_used_at,
            **quota,
        )
        ApiKey.objects.filter(pk=pk).update(created_at=token.created_at)

    # Ids were given: PostgreSQL's sequences must start after them.
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Application, ApiKey]):
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("reports", "0009_fold_notifications_into_their_app"),
        ("accounts", "0004_role_scopes"),
    ]

    operations = [migrations.RunPython(move_keys, elidable=False)]
