"""Reading agreements, the access log and the open data policy.

The date decides what is in force: an agreement stored as active is in force from its start date to its end date
(both included); past its end it reads as expired here, whether or not `expire_agreements` has stored it yet.
"""

import datetime
import re

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from mueve.datasets.models import AccessLogEntry, Agreement, DataPolicy, Dataset

S = Agreement.Status
# What the public list shows: a draft is the managers' work in progress.
PUBLIC_STATUSES = (S.SIGNED, S.ACTIVE, S.EXPIRED, S.REVOKED)


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def effective_status(agreement: Agreement, today: datetime.date | None = None) -> str:
    if agreement.status == S.ACTIVE and agreement.end_date and agreement.end_date < _today(today):
        return S.EXPIRED
    return agreement.status


def effective_status_label(agreement: Agreement, today: datetime.date | None = None) -> str:
    return str(S(effective_status(agreement, today)).label)


def in_force_q(today: datetime.date | None = None) -> Q:
    today = _today(today)
    return Q(status=S.ACTIVE) & Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))


def agreements_in_force(today: datetime.date | None = None) -> QuerySet[Agreement]:
    return Agreement.objects.filter(in_force_q(today))


def is_in_force(agreement: Agreement, today: datetime.date | None = None) -> bool:
    today = _today(today)
    return (
        agreement.status == S.ACTIVE
        and agreement.start_date is not None
        and agreement.start_date <= today
        and (agreement.end_date is None or agreement.end_date >= today)
    )


def _granting(organization) -> Q:
    """Agreements that grant `organization`: it is named a grantee, or, none being named, it is a party."""
    has_grantees = Exists(Agreement.grantees.through.objects.filter(agreement_id=OuterRef("pk")))
    explicit = Agreement.grantees.through.objects.filter(agreement_id=OuterRef("pk"), organization_id=organization.pk)
    party = Agreement.parties.through.objects.filter(agreement_id=OuterRef("pk"), organization_id=organization.pk)
    return Q(Exists(explicit)) | (~Q(has_grantees) & Q(Exists(party)))


def granting_agreements(dataset: Dataset, organization) -> QuerySet[Agreement]:
    """Every restricted agreement (in any status) covering `dataset` that names `organization` among those it grants."""
    return Agreement.objects.filter(
        _granting(organization), datasets=dataset, access_level=Agreement.AccessLevel.RESTRICTED
    ).distinct()


def grant_in_force(dataset: Dataset, organization, today: datetime.date | None = None) -> Agreement | None:
    """The agreement in force through which `organization` reads the restricted `dataset`, or None."""
    if organization is None or organization.pk is None:
        return None
    return granting_agreements(dataset, organization).filter(in_force_q(today)).order_by("pk").first()


def grantees_of(agreement: Agreement) -> list:
    return list(agreement.grantees.all()) or list(agreement.parties.all())


def _with_relations(qs: QuerySet[Agreement]) -> QuerySet[Agreement]:
    return qs.select_related("program").prefetch_related("parties", "grantees", "datasets")


def agreement_list(*, include_drafts: bool = False, status: str | None = None, today=None) -> list[Agreement]:
    """Agreements with `.effective_status` (and its label) set; `status` filters by the effective status."""
    qs = Agreement.objects.all() if include_drafts else Agreement.objects.filter(status__in=PUBLIC_STATUSES)
    rows = list(_with_relations(qs).order_by("-start_date", "title"))
    for agreement in rows:
        agreement.effective_status = effective_status(agreement, today)
        agreement.effective_status_label = str(S(agreement.effective_status).label)
    return [a for a in rows if status is None or a.effective_status == status]


def agreement_get(pk: int, *, include_drafts: bool = False, today=None) -> Agreement | None:
    qs = Agreement.objects.all() if include_drafts else Agreement.objects.filter(status__in=PUBLIC_STATUSES)
    agreement = _with_relations(qs).filter(pk=pk).first()
    if agreement is not None:
        agreement.effective_status = effective_status(agreement, today)
        agreement.effective_status_label = str(S(agreement.effective_status).label)
    return agreement


def agreements_for_dataset(dataset: Dataset, *, today: datetime.date | None = None) -> list[Agreement]:
    """The agreements (signed or later) under which `dataset` flows, those in force first; for the dataset page
    (template include datasets/_agreements.html, which expects them as `agreements`)."""
    rows = list(
        _with_relations(Agreement.objects.filter(datasets=dataset, status__in=PUBLIC_STATUSES)).order_by(
            "-start_date", "title"
        )
    )
    for agreement in rows:
        agreement.effective_status = effective_status(agreement, today)
        agreement.effective_status_label = str(S(agreement.effective_status).label)
        agreement.in_force = is_in_force(agreement, today)
    rows.sort(key=lambda a: not a.in_force)
    return rows


def may_see_document(user, agreement: Agreement) -> bool:
    """The signed document is for the parties (people of a party organization) and the catalog's managers."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.has_perm("datasets.manage_catalog", agreement):
        return True
    return bool(user.organization_id and agreement.parties.filter(pk=user.organization_id).exists())


# --- the access log ---------------------------------------------------------------------------------------------


def may_read_access_log(user, dataset: Dataset) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return dataset.steward_id == user.pk or user.has_perm("datasets.manage_catalog", dataset)


def access_log(dataset: Dataset, *, allowed: bool | None = None, surface: str | None = None) -> QuerySet:
    qs = AccessLogEntry.objects.filter(dataset=dataset).select_related("distribution", "organization", "user")
    if allowed is not None:
        qs = qs.filter(allowed=allowed)
    if surface:
        qs = qs.filter(surface=surface)
    return qs.order_by("-at", "-pk")


# --- the open data policy ---------------------------------------------------------------------------------------


def policies_of(program) -> list[DataPolicy]:
    """Every published version, the current (latest) first."""
    return list(DataPolicy.objects.filter(program=program).order_by("-published_at", "-pk"))


def current_policy(program) -> DataPolicy | None:
    return DataPolicy.objects.filter(program=program).order_by("-published_at", "-pk").first()


def programs_with_policy() -> list:
    from mueve.programs.models import Program

    return list(Program.objects.filter(is_public=True, data_policies__isnull=False).distinct().order_by("name"))


_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_ITEM = re.compile(r"^\s*[-*]\s+(.*)$")


def policy_blocks(body: str) -> list[dict]:
    """The policy's text as blocks for the template, which prints them as text (autoescaped: no HTML from the body
    ever reaches the page): paragraphs separated by blank lines, "# " headings, "- " list items."""
    blocks: list[dict] = []
    for chunk in re.split(r"\n\s*\n", (body or "").replace("\r\n", "\n").strip()):
        lines = [line.rstrip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        heading = _HEADING.match(lines[0])
        if heading:
            blocks.append({"kind": "heading", "level": len(heading.group(1)), "text": heading.group(2).strip()})
            lines = lines[1:]
            if not lines:
                continue
        if all(_ITEM.match(line) for line in lines):
            blocks.append({"kind": "list", "items": [_ITEM.match(line).group(1).strip() for line in lines]})
        else:
            blocks.append({"kind": "paragraph", "lines": lines})
    return blocks
