"""Writes of Cuida tu Luz and Cuido mi Barrio. Adoption and points themselves are the reports app's
(`asset_adopt`, `asset_confirm_repair`, `award_points`); here: the name a person gives their adoption, the notice
of a report on it, and the municipality's rewards."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.accounts import scopes
from mueve.accounts.models import User
from mueve.core.permissions import ensure_perm
from mueve.neighbourhood.models import AdoptionName, Reward, RewardGrant
from mueve.notifications import kinds
from mueve.notifications import services as notifications
from mueve.reports import services as reports
from mueve.reports.models import Adoption, Asset, Incident, IncidentChange, Report
from mueve.territory.models import Jurisdiction

NAME_MAX = AdoptionName._meta.get_field("name").max_length


@transaction.atomic
def adopt(*, asset: Asset, user: User, name: str = "") -> Adoption:
    """A signed-in person adopts a light or stop and may give it a name. Adopting it twice is refused, so the
    person knows it is already theirs."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    name = (name or "").strip()
    if len(name) > NAME_MAX:
        raise ValidationError({"name": [_("El nombre puede tener hasta %(n)s caracteres.") % {"n": NAME_MAX}]})
    if Adoption.objects.filter(asset=asset, user=user).exists():
        raise ValidationError({"asset": [_("Usted ya adoptó %(asset)s.") % {"asset": asset.name}]})
    adoption = reports.asset_adopt(asset=asset, user=user)
    if name:
        AdoptionName.objects.update_or_create(adoption=adoption, defaults={"name": name})
    return adoption


@transaction.atomic
def unadopt(*, asset: Asset, user: User) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    if not Adoption.objects.filter(asset=asset, user=user).exists():
        raise ValidationError({"asset": [_("Usted no ha adoptado %(asset)s.") % {"asset": asset.name}]})
    reports.asset_unadopt(asset=asset, user=user)


def confirm_repair(*, asset: Asset, user: User, note: str = "") -> Incident:
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    if not Adoption.objects.filter(asset=asset, user=user).exists():
        raise ValidationError(
            {"asset": [_("Solo quien adoptó %(asset)s puede confirmar su reparación.") % {"asset": asset.name}]}
        )
    return reports.asset_confirm_repair(asset=asset, user=user, note=(note or "").strip()[:500])


def adopters_notify(*, report: Report) -> int:
    """Each person who adopted the report's light or stop (other than its sender) hears about it, by the channels
    they chose for "incidente cerca de mi adopción", once per report (it may be told at submission and again when
    a moderator accepts it). Returns how many notices were made."""
    if report.asset_id is None or report.moderation != Report.Moderation.ACCEPTED:
        return 0
    adoptions = list(
        Adoption.objects.filter(asset_id=report.asset_id)
        .exclude(user_id=report.reporter_id)
        .select_related("user", "asset", "given_name")
    )
    if not adoptions:
        return 0
    url = settings.MUEVE_SITE_URL.rstrip("/") + reverse("neighbourhood:asset", args=[report.asset_id])

    def context(label: str) -> dict[str, str]:
        return {
            "title": _("Nuevo reporte en %(asset)s") % {"asset": label},
            "body": _(
                "Alguien reportó «%(service)s» en %(asset)s, que usted cuida. Cuando lo reparen, "
                "podrá confirmar la reparación."
            )
            % {"service": report.service.name, "asset": label},
            "url": url,
        }

    asset_name = adoptions[0].asset.name
    named = {
        a.user_id: context(f"«{a.given_name.name}» ({asset_name})")
        for a in adoptions
        if getattr(a, "given_name", None) is not None
    }
    made = notifications.notify_many(
        users=[a.user for a in adoptions],
        kind=kinds.ADOPTION_INCIDENT,
        context=context(asset_name),
        contexts=named,
        ref=f"report:{report.public_id}",
    )
    return len(made)


def repair_confirmed_notify(*, change: IncidentChange) -> int:
    """An adopter confirmed a repair: the light or stop's other adopters hear it. Returns how many were told."""
    asset = Asset.objects.filter(jurisdiction_id=change.incident.jurisdiction_id, code=change.data.get("asset")).first()
    if asset is None:
        return 0
    users = [
        a.user for a in Adoption.objects.filter(asset=asset).exclude(user_id=change.actor_id).select_related("user")
    ]
    made = notifications.notify_many(
        users=users,
        kind=kinds.ADOPTION_INCIDENT,
        context={
            "title": _("Reparación confirmada en %(asset)s") % {"asset": asset.name},
            "body": _("Otra persona que cuida %(asset)s confirmó que quedó reparado.") % {"asset": asset.name},
            "url": settings.MUEVE_SITE_URL.rstrip("/") + reverse("neighbourhood:asset", args=[asset.pk]),
        },
        ref=f"repair:{change.pk}",
    )
    return len(made)


_KEEP = object()


@transaction.atomic
def reward_define(
    *,
    actor: User,
    name: str,
    description: str = "",
    active: bool = True,
    jurisdiction: Jurisdiction | None | object = _KEEP,
    reward: Reward | None = None,
) -> Reward:
    """Defines a reward, or changes `reward`. `jurisdiction`: where it is offered (None: national, which only the
    national level may define); a new reward without one given is national, a changed one keeps its own. Staff
    scoped to some jurisdictions define and change only their jurisdictions' rewards."""
    ensure_perm(actor, "neighbourhood.manage_rewards")
    if reward is not None:
        ensure_perm(actor, "neighbourhood.manage_rewards", reward)
    if jurisdiction is _KEEP:
        jurisdiction = reward.jurisdiction if reward is not None else None
    if jurisdiction is None and not scopes.is_national(actor):
        raise ValidationError({"jurisdiction": [_("Indique la jurisdicción donde se ofrece el premio.")]})
    if jurisdiction is not None and not scopes.in_jurisdiction(actor, jurisdiction.pk):
        raise ValidationError({"jurisdiction": [_("Usted no gestiona premios en esa jurisdicción.")]})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Indique el nombre del premio.")]})
    clash = Reward.objects.filter(name__iexact=name, jurisdiction=jurisdiction)
    if reward is not None:
        clash = clash.exclude(pk=reward.pk)
    if clash.exists():
        raise ValidationError({"name": [_("Ya existe un premio con ese nombre.")]})
    reward = reward or Reward(created_by=actor)
    reward.name, reward.description, reward.active = name, (description or "").strip(), active
    reward.jurisdiction = jurisdiction
    reward.full_clean(validate_constraints=False)
    reward.save()
    return reward


@transaction.atomic
def reward_grant(*, actor: User, reward: Reward, recipient: User, granted_on=None, note: str = "") -> RewardGrant:
    """Records that `recipient` received `reward`: by the staff who manage the reward (its jurisdiction's, or the
    national level for a national one)."""
    ensure_perm(actor, "neighbourhood.manage_rewards", reward)
    if not reward.active:
        raise ValidationError({"reward": [_("Ese premio ya no está vigente.")]})
    if not recipient.is_active:
        raise ValidationError({"recipient": [_("Esa cuenta no está activa.")]})
    grant = RewardGrant(
        reward=reward,
        user=recipient,
        granted_on=granted_on or timezone.localdate(),
        note=(note or "").strip(),
        granted_by=actor,
    )
    grant.full_clean()
    grant.save()
    return grant


def recipient_find(*, identifier: str) -> User | None:
    """The account a reward goes to, by its user name or its e-mail."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    return (
        User.objects.filter(username__iexact=identifier).first()
        or User.objects.filter(email__iexact=identifier).order_by("pk").first()
    )
