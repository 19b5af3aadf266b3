"""Property-based fuzzing of the whole API with Schemathesis, against the demo data.

The schema comes from the app itself (`api.get_openapi_schema()`) and every request goes in-process
through Django's WSGI handler (no test client shortcuts: CSRF is enforced as in production), on the
test database. For every operation, with valid and invalid input:

- anonymous callers never get a 5xx, writes answer 401, and documented responses match the schema;
- a program manager with a bearer token never gets a 5xx, nor a 401/403 (so the writes really run);
- a 4xx answer to a write leaves the data as it was.

Generated slugs, ids and choices are swapped for real ones about half of the time, so requests get
past the lookups and reach the services. Each example runs in a savepoint that is rolled back: every
example starts from the demo data, and `derandomize=True` makes a failure replay the same way.
"""

from dataclasses import dataclass

import pytest
import schemathesis
from django.apps import apps
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import CHECKS as CHECK_REGISTRY
from schemathesis.checks import load_all_checks, positive_data_acceptance

from mueve.accounts.models import User
from mueve.challenges.models import AddressedVia, Challenge, Interview, Kind
from mueve.challenges.models import Status as ChallengeStatus
from mueve.competitions.models import Competition
from mueve.config.api import api
from mueve.datasets.models import AccessRights
from mueve.programs.models import Component, MethodologyTemplate, Phase, Program
from mueve.programs.models import Sector as ProgramSector
from mueve.programs.models import Status as PhaseStatus
from mueve.programs.services import TEMPLATE_FORMAT, TEMPLATE_VERSION
from mueve.stakeholders.models import Level, Organization
from mueve.stakeholders.models import Sector as OrganizationSector
from mueve.territory.models import Jurisdiction
from mueve.transit.models import Feed, Route
from mueve.workshops.models import Kind as WorkshopKind
from mueve.workshops.models import Workshop
from tests.keys import issue_key

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = WSGIHandler()

load_all_checks()
# Every check Schemathesis has. Some only act where they have something to work on: use_after_free and
# ensure_resource_availability on stateful runs (the API has no DELETE and no links), object_level_authorization
# with a second identity configured, missing_required_header and unsupported_method in the coverage phase.
CHECKS = [check for check in CHECK_REGISTRY.get_all() if not isinstance(check, type)]
# Input rules no schema can state: references that must exist (program, owner, parent, template, stop...),
# unique names, dates in order and inside the programme's, the challenge's one-step transitions, a template
# document's inner structure, a journey between places the network reaches. Schema-valid input to these may
# get a 400 with field messages; positive_data_acceptance gives way to the narrower check below.
RULES_BEYOND_SCHEMA = {
    "POST /api/v1/organizations/",
    "PATCH /api/v1/organizations/{slug}",
    "POST /api/v1/programs/templates/",
    "POST /api/v1/programs/",
    "PATCH /api/v1/programs/{slug}/phases/{phase_id}",
    "POST /api/v1/challenges/",
    "PATCH /api/v1/challenges/{slug}",
    "POST /api/v1/challenges/{slug}/transition",
    "POST /api/v1/challenges/{slug}/comments",  # a comment of spaces only is empty
    "GET /api/v1/transit/plan",
    "GET /api/v1/rural/lookup",  # one of code, road + km, words or a position; a short code needs its locality
    # Only workshops open to the public, before they start, take a registration; only a registration can be cancelled.
    "POST /api/v1/workshops/{slug}/registration",
    "DELETE /api/v1/workshops/{slug}/registration",
}


def schema_valid_input_is_well_formed(ctx, response, case):
    """Input the schema allows is never refused as malformed (422) or of the wrong media type (415)."""
    if case.meta is not None and case.meta.generation.mode.is_positive:
        assert response.status_code not in (415, 422), f"schema-valid input refused with {response.status_code}"


def _checks(case) -> list:
    if f"{case.method} {case.operation.path}" in RULES_BEYOND_SCHEMA:
        return [c for c in CHECKS if c is not positive_data_acceptance] + [schema_valid_input_is_well_formed]
    return CHECKS


WRITES = {"POST", "PUT", "PATCH", "DELETE"}
DATA_APPS = {"territory", "stakeholders", "programs", "challenges"}  # API tokens record their last use: left out

fuzz = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    # The fixtures are meant to be shared by all examples (each one runs in a rolled-back savepoint).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@dataclass
class Demo:
    token: str
    slugs: dict[str, list[str]]  # path prefix -> slugs of the objects found under it
    phases: dict[str, list[int]]  # program slug -> ids of its phases
    values: dict[str, st.SearchStrategy]  # "<area>.<field>" or "<field>" -> real values for it


def _slugs(model) -> list[str]:
    return sorted(model.objects.values_list("slug", flat=True))


def _template_document(template_slugs: list[str]) -> st.SearchStrategy:
    """Import documents that pass the format checks, so the import really writes."""
    phase = st.fixed_dictionaries({"name": st.text(min_size=1, max_size=30)})
    component = st.fixed_dictionaries(
        {
            "key": st.from_regex(r"[a-z][a-z0-9-]{0,39}", fullmatch=True),
            "name": st.text(min_size=1, max_size=30),
            "phases": st.lists(phase, min_size=1, max_size=3),
        }
    )
    return st.fixed_dictionaries(
        {
            "format": st.just(TEMPLATE_FORMAT),
            "version": st.just(TEMPLATE_VERSION),
            "slug": st.sampled_from([*template_slugs, "plantilla-nueva"]),
            "name": st.text(min_size=1, max_size=210),
            "components": st.lists(component, min_size=1, max_size=4),
        }
    )


@pytest.fixture(scope="module")
def demo(demo_db_shared, django_db_blocker):
    """The demo data and a program manager's token for the module; what the module writes is rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            # A quota the fuzzing never reaches: it is not what is tested here (tests/api/test_keys.py is).
            _, key = issue_key(
                user=User.objects.get(username="gestora"),
                name="fuzz",
                requests_per_minute=10**6,
                requests_per_day=10**7,
            )
            phases: dict[str, list[int]] = {}
            for program_slug, phase_id in Phase.objects.values_list("component__program__slug", "pk"):
                phases.setdefault(program_slug, []).append(phase_id)
            organizations = _slugs(Organization)
            values = {
                "program": _slugs(Program),
                "program_slug": _slugs(Program),
                "feed": _slugs(Feed),
                "route_id": sorted(Route.objects.values_list("route_id", flat=True)),
                "owner": organizations,
                "parent": organizations,
                "jurisdiction": _slugs(Jurisdiction),
                "template": _slugs(MethodologyTemplate),
                "component": sorted(set(Component.objects.values_list("key", flat=True))),
                "organizations.sector": OrganizationSector.values,
                "programs.sector": ProgramSector.values,
                "level": Level.values,
                "kind": Kind.values,
                "workshops.kind": WorkshopKind.values,
                "datasets.access": AccessRights.values,
                "challenges.status": ChallengeStatus.values,
                "phases.status": PhaseStatus.values,
                "to_status": ChallengeStatus.values,
                "addressed_via": AddressedVia.values,
            }
            interviews = sorted(Interview.objects.values_list("pk", flat=True))
            yield Demo(
                token=key,
                slugs={
                    "/api/v1/organizations/": organizations,
                    "/api/v1/programs/templates/": _slugs(MethodologyTemplate),
                    "/api/v1/programs/": _slugs(Program),
                    "/api/v1/challenges/": _slugs(Challenge),
                    "/api/v1/workshops/": _slugs(Workshop),
                    "/api/v1/competitions/": _slugs(Competition),
                },
                phases=phases,
                values={
                    **{name: st.sampled_from(choices) for name, choices in values.items()},
                    "interviews": st.lists(st.sampled_from(interviews), max_size=3),
                    "title": st.text(min_size=15, max_size=200).map(lambda text: f"¿Cómo {text}?"),
                    "template-document": _template_document(_slugs(MethodologyTemplate)),
                },
            )
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def in_process_app():
    """As Django's test client does: the handler must not close the connection that holds the test transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _real_or_generated(data, generated, real: st.SearchStrategy | None):
    # Real values come first so that a failing example shrinks towards them.
    return generated if real is None else data.draw(st.one_of(real, st.just(generated)))


def _negative_parts(case) -> set[str]:
    """The request parts Schemathesis made invalid on purpose: those must reach the server as generated."""
    meta = getattr(case, "_meta", None)
    if meta is None:
        return set()
    return {location.value for location, info in meta.components.items() if info.mode.is_negative}


def _use_demo_objects(case, data, demo: Demo) -> None:
    negative = _negative_parts(case)
    path = case.operation.path
    area = "phases" if "/phases/" in path else path.split("/")[3]
    params = (case.path_parameters or {}) if "path" not in negative else {}
    if "slug" in params:
        prefix = max((p for p in demo.slugs if path.startswith(p)), key=len)
        params["slug"] = _real_or_generated(data, params["slug"], st.sampled_from(demo.slugs[prefix]))
    for name in ("program_slug", "feed", "route_id"):
        if name in params:
            params[name] = _real_or_generated(data, params[name], demo.values[name])
    if "phase_id" in params:
        phases = demo.phases.get(params["slug"])
        params["phase_id"] = _real_or_generated(data, params["phase_id"], phases and st.sampled_from(phases))
    for part, container in (("query", case.query), ("body", case.body)):
        if isinstance(container, dict) and part not in negative:
            for name in list(container):
                real = demo.values.get(f"{area}.{name}", demo.values.get(name))
                container[name] = _real_or_generated(data, container[name], real)
    if path == "/api/v1/programs/templates/" and case.method == "POST" and "body" not in negative:
        case.body = _real_or_generated(data, case.body, demo.values["template-document"])


def _fingerprint() -> dict[str, int]:
    """Row counts of every data table; history tables included, so that updates show too."""
    return {
        model._meta.label: model.objects.count() for model in apps.get_models() if model._meta.app_label in DATA_APPS
    }


def _run(case, data, demo: Demo, *, manager: bool) -> int:
    _use_demo_objects(case, data, demo)
    # An invalid Authorization header generated on purpose stays invalid (the answer must then be 401).
    headers = {"Authorization": f"Bearer {demo.token}"} if manager and "header" not in _negative_parts(case) else None
    with transaction.atomic():
        before = _fingerprint() if case.method in WRITES else None
        response = case.call(headers=headers)
        # The headers sent tell ignored_auth that the token was given on purpose (it then checks that the
        # operation refuses the same request without it, or with a wrong one).
        case.validate_response(response, checks=_checks(case), headers=headers)
        if before is not None and 400 <= response.status_code < 500:
            assert _fingerprint() == before, f"{response.status_code} and yet the data changed: {response.text}"
        transaction.set_rollback(True)
    return response.status_code


@schema.given(data=st.data())
@schema.parametrize()
@fuzz
def test_anonymous(case, data, demo, in_process_app, db):
    status = _run(case, data, demo, manager=False)
    if case.method in WRITES:
        assert status == 401, f"an anonymous {case.method} answered {status}, not 401"


@schema.given(data=st.data())
@schema.parametrize()
@fuzz
def test_program_manager(case, data, demo, in_process_app, db):
    status = _run(case, data, demo, manager=True)
    if "header" in _negative_parts(case):
        assert status in (400, 401, 422), f"a malformed Authorization header answered {status}"
    else:
        assert status not in (401, 403), f"a program manager's token was refused with {status}"
