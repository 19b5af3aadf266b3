"""Reporters' own data (Ley 21.719): reports join the account of the person who made them, and their contact data
is erased when the person deletes their account or after the retention period once the report is closed.

Erased: names, e-mail, phone, device id, app account id and the link to the account. The report itself (what, where,
when, its public history) stays: it is the city's record. The private sender hash is replaced by a random one shared
by the reports erased together, so they still count as one source without pointing to anybody."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from mueve.accounts.models import User
from mueve.reports.models import Adoption, Report, RewardPoint

CONTACT_FIELDS = ("first_name", "last_name", "email", "phone", "device_id", "account_id")


def _random_key() -> str:
    return hashlib.sha256(b"erased:" + secrets.token_bytes(32)).hexdigest()


def _erased(reports: QuerySet[Report]) -> int:
    return reports.update(**{field: "" for field in CONTACT_FIELDS}, reporter=None, reporter_key=_random_key())


@transaction.atomic
def reports_claim(*, user: User, email: str = "", device_id: str = "") -> int:
    """Reports made without an account, from this (verified) e-mail address or this device, join the account.
    Returns how many joined."""
    email, device_id = (email or "").strip(), (device_id or "").strip()
    match = Q()
    if email:
        match |= Q(email__iexact=email)
    if device_id:
        match |= Q(device_id=device_id)
    if not match:
        return 0
    return Report.objects.filter(match, reporter__isnull=True).update(reporter=user)


@transaction.atomic
def reporter_data_erase(*, user: User) -> int:
    """The person's account is being deleted: their reports stay, anonymised; their adoptions and points go."""
    email = (user.email or "").strip()
    mine = Report.objects.filter(reporter=user)
    if email:
        mine = Report.objects.filter(Q(reporter=user) | Q(email__iexact=email))
    count = _erased(mine)
    Adoption.objects.filter(user=user).delete()
    RewardPoint.objects.filter(user=user).delete()
    return count


@transaction.atomic
def report_contact_withdraw(*, user: User, report: Report) -> None:
    """The person no longer wants e-mails about one report: its e-mail address is erased."""
    Report.objects.filter(pk=report.pk, reporter=user).update(email="")


def reporter_contacts_expire(*, days: int, now=None) -> int:
    """Erases the contact data of reports closed (and left unchanged) more than `days` ago. A report made from an
    account keeps its link to it: the person sees it among their reports until they delete the account. Returns how
    many reports it touched."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    with_contact = Q()
    for field in CONTACT_FIELDS:
        with_contact |= ~Q(**{field: ""})
    expired = Report.objects.filter(with_contact, status=Report.Status.CLOSED, updated_datetime__lt=cutoff)
    total = 0
    for pk, reporter_id in list(expired.values_list("pk", "reporter_id")):
        # The private sender hash of an anonymous report derives from its contact data: it goes too, each report
        # getting its own random one so that nothing links them any more.
        extra = {} if reporter_id else {"reporter_key": _random_key()}
        total += Report.objects.filter(pk=pk).update(**{field: "" for field in CONTACT_FIELDS}, **extra)
    return total
