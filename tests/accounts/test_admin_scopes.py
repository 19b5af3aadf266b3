"""Issue 20: an account made in the admin by a staff member scoped to a region holds its role there, never everywhere.

Temuco's manager has the admin's permissions over accounts and their scopes. The account they make gets at most
their scope: Temuco when they give it none, an error in Spanish when they name another region, never the
administrator's role; they cannot strip an account's last scope (it would hold its role in every region), and they
neither list nor open accounts of other regions or of the national level. The national unit makes unscoped
accounts, as before."""

import pytest
from django.contrib.auth.models import Permission
from django.forms import CheckboxInput, MultiWidget
from django.urls import reverse

from mueve.accounts import scopes
from mueve.accounts.models import Role, RoleScope, User
from mueve.territory.models import Jurisdiction
from mueve.territory.services import jurisdiction_upsert
from tests.scoping import logged_in, scoped

pytestmark = pytest.mark.django_db

PASSWORD = "una-clave-larga-de-prueba-2014"
ADD = reverse("admin:accounts_user_add")
CODENAMES = [f"{action}_{model}" for model in ("user", "rolescope") for action in ("add", "change", "delete", "view")]


@pytest.fixture
def concepcion():
    return jurisdiction_upsert(slug="gran-concepcion", name="Gran Concepción", kind=Jurisdiction.Kind.METROPOLITAN_AREA)


def with_account_perms(user: User) -> User:
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="accounts", codename__in=CODENAMES))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def temuco_staff(make_user, temuco) -> User:
    return with_account_perms(scoped(make_user, Role.MANAGER, temuco))


@pytest.fixture
def national_staff(make_user) -> User:
    return with_account_perms(make_user(Role.MANAGER))


def _management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def add_account(client, username: str, *, role: str = Role.OPERATOR, places: list[Jurisdiction] = ()):
    """Posts the admin's "add user" form as a browser would, with one scope row per place."""
    page = client.get(ADD)
    assert page.status_code == 200
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data = {
        "username": username,
        "usable_password": "true",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role": role,
        "organization": "",
        **_management(prefix, len(places)),
    }
    for n, place in enumerate(places):
        data.update({f"{prefix}-{n}-jurisdiction": place.pk, f"{prefix}-{n}-program": "", f"{prefix}-{n}-id": ""})
    return client.post(ADD, data)


def change_data(page) -> dict:
    """What the change form posts back unchanged, scope rows included."""
    data = {}
    for field in page.context["adminform"].form:
        value, widget = field.value(), field.field.widget
        if isinstance(widget, MultiWidget):
            for n, part in enumerate(widget.decompress(value)):
                data[f"{field.html_name}_{n}"] = "" if part is None else str(part)
        elif isinstance(widget, CheckboxInput):
            if value:
                data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(v) for v in value]
        else:
            data[field.html_name] = "" if value is None else value
    formset = page.context["inline_admin_formsets"][0].formset
    data.update(_management(formset.prefix, len(formset.forms), formset.initial_form_count()))
    for form in formset.forms:
        for name in ("id", "jurisdiction", "program", "user"):
            value = form[name].value()
            data[form.add_prefix(name)] = "" if value is None else value
    return data


def test_an_account_a_scoped_staff_member_makes_holds_its_role_in_their_region(temuco_staff, temuco):
    client = logged_in(temuco_staff)
    response = add_account(client, "operadora.temuco")
    assert response.status_code == 302, response.content.decode()[:2000]
    made = User.objects.get(username="operadora.temuco")
    assert list(RoleScope.objects.filter(user=made).values_list("jurisdiction_id", "program_id", "granted_by_id")) == [
        (temuco.pk, None, temuco_staff.pk)
    ]
    assert not scopes.is_national(made) and scopes.jurisdiction_filter(made) == {temuco.pk}
    # Naming Temuco itself in a row: the same. The scope rows are on the form, limited to theirs.
    rows = client.get(ADD).context["inline_admin_formsets"][0].formset.empty_form
    assert list(rows.fields["jurisdiction"].queryset) == [temuco]
    assert add_account(client, "operador.temuco", places=[temuco]).status_code == 302
    assert scopes.jurisdiction_filter(User.objects.get(username="operador.temuco")) == {temuco.pk}


def test_another_region_or_the_administrators_role_is_refused_in_spanish(temuco_staff, temuco, concepcion):
    client = logged_in(temuco_staff)
    refused = add_account(client, "operador.ajeno", places=[concepcion])
    assert refused.status_code == 200
    assert "Escoja una opción válida" in refused.content.decode()  # Gran Concepción is no choice of theirs
    refused = add_account(client, "administradora", role=Role.ADMIN)
    assert refused.status_code == 200 and "Escoja una opción válida" in refused.content.decode()
    assert not User.objects.filter(username__in=["operador.ajeno", "administradora"]).exists()


def test_the_last_scope_cannot_be_removed_by_a_scoped_staff_member(temuco_staff, make_user, temuco):
    operator = scoped(make_user, Role.OPERATOR, temuco)
    client = logged_in(temuco_staff)
    url = reverse("admin:accounts_user_change", args=[operator.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "is_superuser" not in page.context["adminform"].form.fields  # shown, not editable
    data = change_data(page)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    response = client.post(url, {**data, f"{prefix}-0-DELETE": "on"})
    assert response.status_code == 200
    assert "Deje al menos un ámbito" in response.content.decode()
    assert RoleScope.objects.filter(user=operator, jurisdiction=temuco).exists()
    # Nor does it become a superuser by a field it does not show.
    assert client.post(url, {**data, "is_superuser": "on"}).status_code == 302
    operator.refresh_from_db()
    assert not operator.is_superuser and scopes.jurisdiction_filter(operator) == {temuco.pk}


def test_a_scoped_staff_member_lists_and_opens_their_regions_accounts_only(
    temuco_staff, national_staff, make_user, temuco, concepcion
):
    own = scoped(make_user, Role.OPERATOR, temuco)
    other = scoped(make_user, Role.OPERATOR, concepcion)
    both = scoped(make_user, Role.OPERATOR, temuco)
    RoleScope.objects.create(user=both, jurisdiction=concepcion)
    everywhere = make_user(Role.OPERATOR)
    client = logged_in(temuco_staff)
    listed = {u.pk for u in client.get(reverse("admin:accounts_user_changelist")).context["cl"].result_list}
    assert own.pk in listed and temuco_staff.pk in listed
    assert not listed & {other.pk, both.pk, everywhere.pk, national_staff.pk}
    for user in (other, both, everywhere, national_staff):
        for view in ("accounts_user_change", "auth_user_password_change", "accounts_user_history"):
            response = client.get(reverse(f"admin:{view}", args=[user.pk]))
            assert response.status_code in (302, 404), (user, view)  # "does not exist"
    assert client.get(reverse("admin:accounts_user_change", args=[own.pk])).status_code == 200


def test_the_national_unit_still_makes_unscoped_accounts(national_staff):
    response = add_account(logged_in(national_staff), "operadora.nacional")
    assert response.status_code == 302
    made = User.objects.get(username="operadora.nacional")
    assert not RoleScope.objects.filter(user=made).exists() and scopes.is_national(made)
