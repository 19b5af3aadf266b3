"""Writes of Cuida tu Luz and Cuido mi Barrio. Adoption and points themselves are the reports app's
(`asset_adopt`, `asset_confirm_repair`, `award_points`); here: the name a person gives their adoption, the notice
of a report on it, and the municipality's rewards."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core.permissions import ensure_perm
from mueve.neighbourhood.models import AdoptionName, Reward, RewardGrant
from mueve.notifications import kinds
from mueve.notifications import services as notifications
from mueve.reports import services as reports
from mueve.reports.models import Adoption, Asset, Incident, Report

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
    they chose for "incidente cerca de mi adopción". Returns how many notices were made."""
    if report.asset_id is None or report.moderation != Report.Moderation.ACCEPTED:
        return 0
    adoptions = list(
        Adoption.objects.filter(asset_id=report.asset_id)
        .exclude(user_id=report.reporter_id)
        .select_related("user", "asset", "given_name")
    )
    made = 0
    url = settings.MUEVE_SITE_URL.rstrip("/") + reverse("neighbourhood:asset", args=[report.asset_id])
    for adoption in adoptions:
        named = getattr(adoption, "given_name", None)
        label = f"«{named.name}» ({adoption.asset.name})" if named else adoption.asset.name
        notice = notifications.notify(
            user=adoption.user,
            kind=kinds.ADOPTION_INCIDENT,
            context={
                "title": _("Nuevo reporte en %(asset)s") % {"asset": label},
                "body": _(
                    "Alguien reportó «%(service)s» en %(asset)s, que usted cuida. Cuando lo reparen, "
                    "podrá confirmar la reparación."
                )
                % {"service": report.service.name, "asset": label},
                "url": url,
            },
        )
        made += notice is not None
    return made


@transaction.atomic
def reward_define(
    *, actor: User, name: str, description: str = "", active: bool = True, reward: Reward | None = None
) -> Reward:
    ensure_perm(actor, "neighbourhood.manage_rewards")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Indique el nombre del premio.")]})
    clash = Reward.objects.filter(name__iexact=name)
    if reward is not None:
        clash = clash.exclude(pk=reward.pk)
    if clash.exists():
        raise ValidationError({"name": [_("Ya existe un premio con ese nombre.")]})
    reward = reward or Reward(created_by=actor)
    reward.name, reward.description, reward.active = name, (description or "").strip(), active
    reward.full_clean()
    reward.save()
    return reward


@transaction.atomic
def reward_grant(*, actor: User, reward: Reward, recipient: User, granted_on=None, note: str = "") -> RewardGrant:
    ensure_perm(actor, "neighbourhood.manage_rewards")
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
