"""Who reads a dataset's resources: access.check() for every access level × who asks, the access log it feeds, and
the request-level helper that finds the organization from the API key (or the signed-in person)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import timezone

from mueve.accounts.models import Role
from mueve.datasets import access
from mueve.datasets.models import AccessLogEntry, AccessRights, Dataset, Distribution
from mueve.datasets.services import agreements as services
from mueve.stakeholders.models import Level, Organization, Sector

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def org(name: str) -> Organization:
    return Organization.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), sector=Sector.ACADEMIA, level=Level.REGIONAL
    )


def agreement(manager, *, parties, dataset, grantees=(), end=None, start=None, status="active", title=None):
    """An agreement taken to `status` through the services (end dates in the past are stored as the demo does:
    activated while it was in force)."""
    today = timezone.localdate()
    start = start or today - datetime.timedelta(days=30)
    made = services.agreement_save(
        actor=manager,
        title=title or "Convenio " + " y ".join(p.name for p in parties),
        purpose="Investigación de la congestión.",
        parties=parties,
        grantees=grantees,
        datasets=[dataset],
        start_date=start,
        end_date=end,
    )
    services.agreement_sign(
        actor=manager,
        agreement=made,
        signed_on=min(start, today),
        document=SimpleUploadedFile("c.pdf", PDF),
    )
    if status in ("active", "revoked"):
        services.agreement_activate(actor=manager, agreement=made, today=start)
    if status == "revoked":
        services.agreement_revoke(actor=manager, agreement=made, reason="Incumplimiento de las condiciones.")
    return made


@pytest.fixture
def world(make_user, organization):
    """UOCT publishes a dataset; the university is a party of an agreement in force; the institute's agreement
    ended yesterday (still stored as active); the foundation's was revoked; the consultancy has none."""
    manager = make_user(Role.MANAGER)
    dataset = Dataset.objects.create(
        title="Conteos de flujo", slug="conteos", publisher=organization, status=Dataset.Status.PUBLISHED
    )
    orgs = {
        "party": org("Universidad de Concepción"),
        "expired": org("Instituto de Transporte"),
        "revoked": org("Fundación Ciudad"),
        "outsider": org("Consultora Externa"),
    }
    today = timezone.localdate()
    agreement(manager, parties=[organization, orgs["party"]], dataset=dataset)
    agreement(
        manager,
        parties=[organization, orgs["expired"]],
        dataset=dataset,
        start=today - datetime.timedelta(days=400),
        end=today - datetime.timedelta(days=1),
    )
    agreement(manager, parties=[organization, orgs["revoked"]], dataset=dataset, status="revoked")
    return {"dataset": dataset, "orgs": orgs, "manager": manager, "publisher": organization}


# (access level, who) -> (allowed, status, words the reason must hold)
EXPECTED = {
    ("public", None): (True, 200, ""),
    ("public", "party"): (True, 200, ""),
    ("public", "expired"): (True, 200, ""),
    ("public", "revoked"): (True, 200, ""),
    ("public", "outsider"): (True, 200, ""),
    ("registered", None): (False, 401, "requiere registro"),
    ("registered", "party"): (True, 200, ""),
    ("registered", "expired"): (True, 200, ""),
    ("registered", "revoked"): (True, 200, ""),
    ("registered", "outsider"): (True, 200, ""),
    ("restricted", None): (False, 401, "es restringido"),
    ("restricted", "party"): (True, 200, "Convenio"),
    ("restricted", "expired"): (False, 403, "no está vigente (vencido)"),
    ("restricted", "revoked"): (False, 403, "no está vigente (revocado)"),
    ("restricted", "outsider"): (False, 403, "no tiene un convenio vigente"),
    ("non_public", None): (False, 403, "no es público"),
    ("non_public", "party"): (False, 403, "no es público"),
    ("non_public", "expired"): (False, 403, "no es público"),
    ("non_public", "revoked"): (False, 403, "no es público"),
    ("non_public", "outsider"): (False, 403, "no es público"),
}


@pytest.mark.parametrize(("level", "who"), list(EXPECTED))
def test_check_for_every_access_level_and_organization(world, level, who):
    dataset = world["dataset"]
    dataset.access_rights = level
    dataset.save()
    organization = world["orgs"][who] if who else None
    decision = access.check(dataset, user=None, organization=organization)
    allowed, status, words = EXPECTED[(level, who)]
    assert (decision.allowed, decision.status) == (allowed, status), decision.reason
    assert words in decision.reason


def test_explicit_grantees_replace_the_parties(world, make_user):
    dataset, orgs = world["dataset"], world["orgs"]
    dataset.access_rights = AccessRights.RESTRICTED
    dataset.save()
    other = Dataset.objects.create(
        title="Incidentes", slug="incidentes", publisher=world["publisher"], access_rights=AccessRights.RESTRICTED
    )
    agreement(
        world["manager"],
        parties=[world["publisher"], orgs["outsider"]],
        grantees=[orgs["party"]],
        dataset=other,
        title="Convenio con autorizada",
    )
    # The consultancy signed, but named the university as the one that reads the data.
    assert not access.check(other, user=None, organization=orgs["outsider"]).allowed
    assert access.check(other, user=None, organization=orgs["party"]).allowed


def test_an_agreement_that_starts_tomorrow_does_not_open_the_data_yet(world):
    dataset, orgs = world["dataset"], world["orgs"]
    dataset.access_rights = AccessRights.RESTRICTED
    dataset.save()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    agreement(world["manager"], parties=[world["publisher"], orgs["outsider"]], dataset=dataset, start=tomorrow)
    decision = access.check(dataset, user=None, organization=orgs["outsider"])
    assert decision.status == 403 and "comienza el" in decision.reason
    assert access.check(dataset, user=None, organization=orgs["outsider"], today=tomorrow).allowed


def test_managers_and_publisher_read_restricted_data_but_only_managers_non_public(world, make_user):
    dataset = world["dataset"]
    steward, citizen, official = make_user(Role.CITIZEN), make_user(Role.CITIZEN), make_user(Role.OFFICIAL)
    dataset.steward = steward
    dataset.access_rights = AccessRights.RESTRICTED
    dataset.save()
    national = world["manager"]  # a manager without a scope: the national unit
    assert access.check(dataset, user=steward, organization=None).allowed
    assert access.check(dataset, user=national, organization=None).allowed
    refused = access.check(dataset, user=citizen, organization=None)
    assert (refused.allowed, refused.status) == (False, 403)  # signed in, but with no organization
    # The publisher (UOCT, the official's institution) reads its own data.
    assert access.check(dataset, user=official, organization=world["publisher"]).allowed
    dataset.access_rights = AccessRights.NON_PUBLIC
    dataset.save()
    assert access.check(dataset, user=steward, organization=None).allowed
    assert not access.check(dataset, user=official, organization=world["publisher"]).allowed


def test_registered_data_opens_to_a_signed_in_person(world, make_user):
    dataset = world["dataset"]
    dataset.access_rights = AccessRights.REGISTERED
    dataset.save()
    assert access.check(dataset, user=make_user(Role.CITIZEN), organization=None).allowed
    assert access.check(dataset, user=None, organization=None).status == 401


def test_log_writes_allowed_and_refused_accesses_and_skips_public_data(world, make_user):
    dataset, orgs = world["dataset"], world["orgs"]
    distribution = Distribution.objects.create(dataset=dataset, title="conteos.csv")
    dataset.access_rights = AccessRights.RESTRICTED
    dataset.save()
    for who, surface in (("party", "download"), ("outsider", "datastore"), ("expired", "ckan")):
        decision = access.check(dataset, user=None, organization=orgs[who])
        access.log(
            dataset,
            distribution=distribution,
            user=None,
            organization=orgs[who],
            surface=surface,
            allowed=decision.allowed,
            status=decision.status,
            reason=decision.reason,
        )
    rows = {(e.organization.name, e.surface, e.allowed, e.status) for e in AccessLogEntry.objects.all()}
    assert rows == {
        ("Universidad de Concepción", "download", True, 200),
        ("Consultora Externa", "datastore", False, 403),
        ("Instituto de Transporte", "ckan", False, 403),
    }
    assert AccessLogEntry.objects.filter(distribution=distribution).count() == 3
    dataset.access_rights = AccessRights.PUBLIC
    dataset.save()
    assert access.log(dataset, surface="download", allowed=True) is None
    assert AccessLogEntry.objects.count() == 3
    with pytest.raises(ValueError):
        access.log(dataset, surface="ftp", allowed=True)


def _request(user=None, **headers):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/datos/conteos/", **headers)
    request.user = user or AnonymousUser()
    return request


def test_for_request_uses_the_signed_in_persons_organization_and_logs(world, make_user):
    dataset = world["dataset"]
    dataset.access_rights = AccessRights.RESTRICTED
    dataset.save()
    researcher = make_user(Role.OFFICIAL, organization=world["orgs"]["party"])
    outsider = make_user(Role.OFFICIAL, organization=world["orgs"]["outsider"])
    assert access.for_request(_request(researcher), dataset, surface="page").allowed
    refused = access.for_request(_request(outsider), dataset, surface="page")
    assert (refused.allowed, refused.status) == (False, 403)
    anonymous = access.for_request(_request(), dataset, surface="download")
    assert (anonymous.allowed, anonymous.status) == (False, 401)
    entries = list(AccessLogEntry.objects.order_by("pk").values_list("user_id", "organization__name", "allowed"))
    assert entries == [
        (researcher.pk, "Universidad de Concepción", True),
        (outsider.pk, "Consultora Externa", False),
        (None, None, False),
    ]


# --- with the developer portal's keys (mueve.api.keys) -----------------------------------------------------------


def _key_for(organization, make_user):
    from mueve.api import services as api_services
    from mueve.api.models import Application

    owner = make_user(Role.CITIZEN)
    application = Application.objects.create(name=f"App de {organization.name}", owner=owner, organization=organization)
    key, secret = api_services.key_create(application=application, actor=owner)
    api_services.key_approve(api_key=key, actor=make_user(Role.MANAGER))  # a citizen's key waits for a manager
    return secret


def test_for_request_with_a_key_of_an_organization_under_the_agreement(world, make_user):
    dataset = world["dataset"]
    dataset.access_rights = AccessRights.RESTRICTED
    dataset.save()
    inside = _key_for(world["orgs"]["party"], make_user)
    outside = _key_for(world["orgs"]["outsider"], make_user)
    allowed = access.for_request(_request(HTTP_X_API_KEY=inside), dataset, surface="ckan")
    assert allowed.allowed and allowed.organization == world["orgs"]["party"]
    refused = access.for_request(_request(HTTP_X_API_KEY=outside), dataset, surface="datastore")
    assert (refused.allowed, refused.status) == (False, 403)
    unknown = access.for_request(_request(HTTP_X_API_KEY="no-existe"), dataset, surface="download")
    assert not unknown.allowed and unknown.status == 401
    assert list(AccessLogEntry.objects.order_by("pk").values_list("allowed", flat=True)) == [True, False, False]
