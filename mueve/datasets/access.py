"""Who may read a dataset's resources (its files, its datastore rows), on every surface alike: the catalog's pages
and downloads, the CKAN API and the datastore.

- public: everyone;
- registered: whoever presents an approved key of the developer portal, or is signed in;
- restricted: an organization named by a restricted agreement in force today (status active, between its start
  and end dates) that covers the dataset, and the publisher itself; besides, the dataset's steward, the
  platform's administrators and the national unit, who manage it;
- non_public: only those who manage it.

`check()` decides; `log()` writes the access log the steward reads (every access to a registered, restricted or
non-public dataset's resources, allowed or refused); `for_request()` does both for a request, finding the
organization from the API key it presents (or, without a key, from the signed-in person's organization, which
only the platform's managers assign).
"""

import datetime
import importlib
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mueve.datasets.models import AccessLogEntry, AccessRights, Dataset
from mueve.datasets.selectors import agreements as agreement_selectors

SURFACES = tuple(AccessLogEntry.Surface.values)
# The developer portal counts a key's use per surface of its own: downloads (pages and files) and the CKAN API
# (the datastore is one of its actions).
KEY_SURFACES = {"page": "download", "download": "download", "ckan": "ckan", "datastore": "ckan"}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    status: int  # 200 when allowed; 401 (identify yourself) or 403 (not you) when refused; 429 from a key's quota
    reason: str
    organization: object = None  # the organization the decision was taken for (for_request found it)
    user: object = None
    retry_after: int | None = None

    def __bool__(self) -> bool:
        return self.allowed


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def manages(user, dataset: Dataset) -> bool:
    """The dataset's steward, the platform's administrators and the national unit read every dataset they manage."""
    if not _signed_in(user):
        return False
    if user.is_superuser or dataset.steward_id == user.pk:
        return True
    from mueve.accounts.rules import is_manager, is_national, is_platform_admin

    return bool(is_platform_admin(user) or (is_manager(user) and is_national(user)))


def _allow(reason: str = "", **extra) -> Decision:
    return Decision(True, 200, reason, **extra)


def check(
    dataset: Dataset,
    *,
    user=None,
    organization=None,
    key=None,
    today: datetime.date | None = None,
) -> Decision:
    """May `user` (signed in or None), acting for `organization` (or None), with `key` (an approved key, if one was
    presented) read `dataset`'s resources today?"""
    extra = {"organization": organization, "user": user if _signed_in(user) else None}
    access = dataset.access_rights
    if access == AccessRights.PUBLIC:
        return _allow(**extra)
    if manages(user, dataset):
        return _allow(_("Responsable o administración del catálogo."), **extra)
    identified = _signed_in(user) or organization is not None or key is not None
    if access == AccessRights.REGISTERED:
        if identified:
            return _allow(**extra)
        return Decision(
            False,
            401,
            _(
                "Este conjunto de datos requiere registro: presente una clave de la API del portal de "
                "desarrolladores o inicie sesión."
            ),
            **extra,
        )
    if access == AccessRights.RESTRICTED:
        return _restricted(dataset, organization=organization, identified=identified, today=today, extra=extra)
    return Decision(False, 403, _("Este conjunto de datos no es público: solo lo consultan sus responsables."), **extra)


def _restricted(dataset: Dataset, *, organization, identified: bool, today, extra: dict) -> Decision:
    if organization is not None and organization.pk == dataset.publisher_id:
        return _allow(_("Institución dueña de los datos."), **extra)
    if organization is None:
        return Decision(
            False,
            403 if identified else 401,
            _(
                "Este conjunto de datos es restringido: solo lo leen las organizaciones con un convenio vigente "
                "que lo cubra. Presente la clave de la API de una de ellas."
            ),
            **extra,
        )
    grant = agreement_selectors.grant_in_force(dataset, organization, today)
    if grant is not None:
        return _allow(_("Convenio «%(title)s».") % {"title": grant.title}, **extra)
    lapsed = agreement_selectors.granting_agreements(dataset, organization).exclude(status="draft").order_by("-pk")
    latest = lapsed.first()
    if latest is not None:
        return Decision(
            False,
            403,
            _("El convenio «%(title)s» que autorizaba a %(org)s no está vigente (%(status)s).")
            % {
                "title": latest.title,
                "org": organization,
                "status": _status_words(latest, today),
            },
            **extra,
        )
    return Decision(
        False,
        403,
        _("%(org)s no tiene un convenio vigente que cubra este conjunto de datos.") % {"org": organization},
        **extra,
    )


def _status_words(agreement, today) -> str:
    status = agreement_selectors.effective_status(agreement, today)
    if status == "active" and agreement.start_date and agreement.start_date > (today or timezone.localdate()):
        return _("comienza el %(date)s") % {"date": date_format(agreement.start_date, "SHORT_DATE_FORMAT")}
    return str(agreement.Status(status).label).lower()


def log(
    dataset: Dataset,
    *,
    distribution=None,
    user=None,
    organization=None,
    surface: str,
    allowed: bool,
    status: int | None = None,
    reason: str = "",
) -> AccessLogEntry | None:
    """Records an access to `dataset`'s resources. Public data is not logged (there is nothing to account for, and
    every public download would grow the table); every other access is, allowed or refused."""
    if surface not in SURFACES:
        raise ValueError(f"unknown surface {surface!r}")
    if dataset.access_rights == AccessRights.PUBLIC:
        return None
    return AccessLogEntry.objects.create(
        dataset=dataset,
        distribution=distribution,
        user=user if _signed_in(user) else None,
        organization=organization,
        surface=surface,
        allowed=allowed,
        status=status if status is not None else (200 if allowed else 403),
        reason=(reason or "")[:300],
    )


def _key_of(request, surface: str):
    """(key, refusal): the approved key the request presents (None without one), or the portal's refusal."""
    try:
        keys = importlib.import_module("mueve.api.keys")
    except ModuleNotFoundError as exc:
        if exc.name != "mueve.api.keys":
            raise
        return None, None  # the developer portal is not installed: no key can be presented
    try:
        return keys.key_for_request(request, surface=KEY_SURFACES[surface]), None
    except keys.KeyRefused as refused:
        return None, refused


def for_request(request, dataset: Dataset, *, surface: str, distribution=None, record: bool = True) -> Decision:
    """`check()` for the request's key (its application's organization) or signed-in person, and `log()` of the
    outcome (unless `record` is False). A key the portal refuses (unknown, revoked, over its quota) refuses the
    request with the portal's status and message, whatever the dataset."""
    if surface not in SURFACES:
        raise ValueError(f"unknown surface {surface!r}")
    user = getattr(request, "user", None)
    user = user if _signed_in(user) else None
    key, refused = _key_of(request, surface)
    if refused is not None:
        decision = Decision(
            False, refused.status, refused.message, user=user, retry_after=getattr(refused, "retry_after", None)
        )
    else:
        if key is not None:
            application = getattr(key, "application", None)
            organization = getattr(application, "organization", None)
        else:
            organization = user.organization if user is not None and user.organization_id else None
        decision = check(dataset, user=user, organization=organization, key=key)
    if record:
        log(
            dataset,
            distribution=distribution,
            user=user,
            organization=decision.organization,
            surface=surface,
            allowed=decision.allowed,
            status=decision.status,
            reason="" if decision.allowed else decision.reason,
        )
    return decision
