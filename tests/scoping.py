"""What the scoped-role tests of every app share (issue 20): a second region, Temuco, beside Gran Concepción; a
person whose role is limited to one place; a logged-in client. The `temuco` fixture (tests/conftest.py) makes the
region; each app's conftest makes its own Gran Concepción (`metro`) and objects."""

from django.test import Client

from mueve.accounts.services import role_scope_grant
from mueve.territory.models import Jurisdiction
from mueve.territory.services import jurisdiction_upsert

TEMUCO = (-38.7359, -72.5904)


def temuco_jurisdiction() -> Jurisdiction:
    return jurisdiction_upsert(
        slug="temuco",
        name="Temuco",
        kind=Jurisdiction.Kind.METROPOLITAN_AREA,
        center_lat=TEMUCO[0],
        center_lon=TEMUCO[1],
        default_zoom=13,
    )


def scoped(make_user, role: str, jurisdiction=None, *, program=None, **extra):
    """A new account of `role` whose role holds only in `jurisdiction` (or `program`)."""
    user = make_user(role, **extra)
    role_scope_grant(user=user, actor=None, jurisdiction=jurisdiction, program=program)
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
