import secrets
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mueve.accounts.models import Role, RoleScope, User
from mueve.core.permissions import ensure_perm


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


# Roles a region's team is invited with (the national unit hands out the others from the admin).
INVITABLE_ROLES = (Role.MANAGER, Role.OPERATOR, Role.OFFICIAL)
# Roles a person without scopes may hold and still be invited into a region: the public's own (their scope-free
# role means nothing for the platform's work). Anyone else without scopes works across the country.
PUBLIC_ROLES = (Role.CITIZEN, Role.PARTICIPANT, Role.MENTOR, Role.JUROR)


@dataclass(frozen=True)
class Invitation:
    user: User
    created: bool
    jurisdiction_name: str


def _username_from(email: str) -> str:
    base = slugify(email.split("@")[0])[:120] or "persona"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def user_by_email(email: str) -> User | None:
    """The account that holds `email` (as its address or one of its allauth addresses)."""
    email = (email or "").strip()
    if not email:
        return None
    found = User.objects.filter(email__iexact=email).first()
    if found is None:
        address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
        found = address.user if address is not None else None
    return found


def check_invitation(*, email: str, role: str, organization=None) -> User | None:
    """Whether `email` may be invited with `role` into a region (raises ValidationError); returns the existing
    account that will get the region, or None when a new one will be made."""
    errors: dict[str, list[str]] = {}
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Escriba una dirección de correo válida.")]
    if role not in INVITABLE_ROLES:
        errors["role"] = [_("Elija gestor/a, operador/a o funcionario/a.")]
    elif role == Role.OFFICIAL and organization is None:
        errors["organization"] = [_("Un funcionario debe pertenecer a una organización.")]
    if errors:
        raise ValidationError(errors)
    user = user_by_email(email)
    if user is None:
        return None
    if user.is_platform_admin:
        raise ValidationError({"email": [_("Esa cuenta administra toda la plataforma: no se la limita a una región.")]})
    has_scopes = RoleScope.objects.filter(user=user).exists()
    if not has_scopes and user.role not in PUBLIC_ROLES:
        raise ValidationError(
            {
                "email": [
                    _(
                        "Esa cuenta es «%(role)s» en todas las regiones; darle esta región la limitaría a ella. "
                        "Cambie su rol desde la administración."
                    )
                    % {"role": user.get_role_display()}
                ]
            }
        )
    if has_scopes and user.role != role:
        raise ValidationError(
            {
                "role": [
                    _("Esa cuenta ya es «%(role)s» en otra región; invítela con ese mismo rol.")
                    % {"role": user.get_role_display()}
                ]
            }
        )
    if role == Role.OFFICIAL and has_scopes and user.organization_id not in (None, organization.pk):
        raise ValidationError(
            {"organization": [_("Esa cuenta es funcionaria de «%(org)s».") % {"org": user.organization}]}
        )
    return user


@transaction.atomic
def member_invite(*, actor: User, email: str, role: str, jurisdiction, organization=None) -> Invitation:
    """Gives `email` the role in `jurisdiction` (and only there): an account is made for a new address, an existing
    one gets the region added. After the commit they get an e-mail: a link to choose their password (a new account,
    which has none until then) or to log in. Only the ministry's national unit invites (accounts.manage_scopes)."""
    ensure_perm(actor, "accounts.manage_scopes")
    email = (email or "").strip()
    user = check_invitation(email=email, role=role, organization=organization)
    created = user is None
    if created:
        user = user_create(
            username=_username_from(email),
            password=secrets.token_urlsafe(32),
            role=role,
            email=email,
            organization=organization if role == Role.OFFICIAL else None,
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
    else:
        changed = []
        if user.role != role:
            user.role, user.is_staff = role, role == Role.MANAGER
            changed += ["role", "is_staff"]
        if role == Role.OFFICIAL and user.organization_id != organization.pk:
            user.organization = organization
            changed.append("organization")
        if changed:
            user.save(update_fields=changed)
    role_scope_grant(user=user, actor=actor, jurisdiction=jurisdiction)
    invitation = Invitation(user=user, created=created, jurisdiction_name=jurisdiction.name)
    transaction.on_commit(lambda: _invitation_send(invitation, actor=actor, email=email), robust=True)
    return invitation


def _invitation_send(invitation: Invitation, *, actor: User, email: str) -> None:
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    user = User.objects.get(pk=invitation.user.pk)
    site = settings.MUEVE_SITE_URL.rstrip("/")
    if invitation.created:
        key = default_token_generator.make_token(user)
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})
    else:
        path = reverse("account_login")
    context = {
        "user": user,
        "created": invitation.created,
        "role": user.get_role_display(),
        "jurisdiction": invitation.jurisdiction_name,
        "inviter": actor.get_full_name() or actor.username,
        "url": site + path,
        "reset_url": site + reverse("account_reset_password"),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "current_site": {"name": settings.MUEVE_SITE_NAME},
    }
    subject = " ".join(render_to_string("account/email/invitation_subject.txt", context).split())
    body = render_to_string("account/email/invitation_message.txt", context)
    EmailMessage(
        subject=settings.EMAIL_SUBJECT_PREFIX + subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[email]
    ).send()
