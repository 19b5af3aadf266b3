"""The programme's activity log: every write to a program leaves a line here. Other apps' services call it."""

from datetime import date, datetime

from django.db import transaction
from django.urls import reverse
from django.utils.formats import date_format

from mueve.core.events import publish
from mueve.programs import events
from mueve.programs.models import ActivityLogEntry, Program


def _fmt(value: date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def _program_url(program: Program) -> str:
    return reverse("programs:detail", args=[program.slug])


@transaction.atomic
def activity_record(
    *,
    program: Program,
    actor=None,
    verb: str,
    message: str,
    target_url: str = "",
    occurred_at: datetime | None = None,
    subject: str = "",
) -> ActivityLogEntry:
    """Log what happened in a program, in words a person can read. Other apps' services call this.

    `occurred_at` back-dates an entry (for history entered after the fact, e.g. the demo). `subject`
    names what the entry quotes ("challenge:12") so `activity_withdraw` can hide it later.
    """
    verb = (verb or "").strip()
    message = " ".join((message or "").split())
    if len(message) > 500:
        message = message[:499] + "…"
    entry = ActivityLogEntry(
        program=program,
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        message=message,
        target_url=target_url or "",
        subject=subject,
    )
    entry.full_clean()
    entry.save()
    if occurred_at is not None:
        # created_at is auto_now_add: set the historical date with an update after the insert.
        ActivityLogEntry.objects.filter(pk=entry.pk).update(created_at=occurred_at)
        entry.created_at = occurred_at
    publish(events.ACTIVITY, events.activity_payload(program, entry))
    return entry


def activity_withdraw(*, program: Program, subject: str) -> int:
    """Hides from the public every entry about `subject` (e.g. a challenge taken back to internal review)."""
    return ActivityLogEntry.objects.filter(program=program, subject=subject, is_public=True).update(is_public=False)
