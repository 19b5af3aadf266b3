import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.accounts.models import ApiToken, Role, RoleScope, User
from mueve.core.permissions import ensure_perm

LAST_USED_RESOLUTION = timedelta(minutes=1)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str = Role.CITIZEN,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    organization=None,
    is_staff: bool | None = None,
) -> User:
    if role not in Role.values:
        raise ValidationError({"role": [_("Rol desconocido: %(role)s.") % {"role": role}]})
    if role == Role.OFFICIAL and organization is None:
        raise ValidationError({"organization": [_("Un funcionario debe pertenecer a una organización.")]})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": [_("Ya existe un usuario con ese nombre.")]})
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        organization=organization,
        # Managers and admins use the back office; nobody else needs it.
        is_staff=is_staff if is_staff is not None else role in (Role.MANAGER, Role.ADMIN),
        is_superuser=role == Role.ADMIN,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    if email:
        # An account made by an administrator (or the demo) carries an address the administrator vouches for: it
        # logs in, resets its password and receives notices by it without a verification round.
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@transaction.atomic
def role_scope_grant(*, user: User, actor: User | None, jurisdiction=None, program=None) -> RoleScope:
    """Limits the person's role to `jurisdiction` or `program` (one of them), besides any scope they hold. Only
    the ministry's national unit and the platform's administrators hand scopes out."""
    from mueve.accounts import scopes

    if (jurisdiction is None) == (program is None):
        raise ValidationError({"scope": [_("Indique una jurisdicción o un programa.")]})
    if actor is not None:
        ensure_perm(actor, "accounts.manage_scopes")
        allowed = (
            scopes.in_jurisdiction(actor, jurisdiction.pk)
            if jurisdiction is not None
            else scopes.in_program(actor, program)
        )
        if not allowed:
            raise PermissionDenied
    scope, _created = RoleScope.objects.get_or_create(
        user=user, jurisdiction=jurisdiction, program=program, defaults={"granted_by": actor}
    )
    scopes.forget(user)
    return scope


@transaction.atomic
def role_scope_revoke(*, scope: RoleScope, actor: User) -> None:
    """Takes one scope away. The person's last scope cannot go this way: without any they would hold their role
    everywhere; deactivate the account or change its role instead."""
    from mueve.accounts import scopes

    ensure_perm(actor, "accounts.manage_scopes")
    if RoleScope.objects.filter(user_id=scope.user_id).count() <= 1:
        raise ValidationError({"scope": [_("Es su último ámbito: sin ámbitos, el rol valdría en todas las regiones.")]})
    scope.delete()
    scopes.forget(scope.user)


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its key; the key is shown once and never stored in clear."""
    key = "mv_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash_key(key), prefix=key[:8])
    return token, key


def api_token_authenticate(*, key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked=False, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        # At most one write a minute per token: reads must not queue behind SQLite's single writer.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
