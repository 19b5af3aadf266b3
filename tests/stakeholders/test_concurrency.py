"""Two requests writing the same thing at once (PostgreSQL only: SQLite lets one writer in at a time).

The first writer inserts and holds its transaction open until the second one is waiting on the
same unique key; then it commits, and the second must end well instead of with a 500.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from mueve.stakeholders import services
from mueve.stakeholders.models import Champion, Level, Organization, ProgramStakeholder, Sector

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"),
]

WAIT_SECONDS = 10


def _someone_is_waiting_for_a_lock() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


def _race(first, second) -> dict:
    """Runs `first` in an open transaction, then `second` in another thread while `first` has not committed."""
    results: dict = {}
    first_done = threading.Event()

    def run_second():
        try:
            first_done.wait(WAIT_SECONDS)
            results["second"] = second()
        except Exception as exc:  # reported by the test, not lost in the thread
            results["second_error"] = exc
        finally:
            connections.close_all()

    def run_first():
        try:
            with transaction.atomic():
                results["first"] = first()
                first_done.set()
                # Hold the insert until the second writer queues behind it (or give up waiting).
                deadline = time.monotonic() + WAIT_SECONDS
                while not _someone_is_waiting_for_a_lock() and time.monotonic() < deadline:
                    time.sleep(0.02)
        except Exception as exc:
            results["first_error"] = exc
            first_done.set()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(3 * WAIT_SECONDS)
    assert "first_error" not in results and "second_error" not in results, results
    return results


def test_two_organizations_whose_names_give_the_same_slug_created_at_once():
    def create(name):
        return lambda: services.organization_create(name=name, sector=Sector.ACADEMIA, level=Level.REGIONAL)

    results = _race(create("Centro de I+D Biobío"), create("Centro de ID Biobío"))
    slugs = {results["first"].slug, results["second"].slug}
    assert slugs == {"centro-de-id-biobio", "centro-de-id-biobio-2"}
    assert Organization.objects.filter(slug__in=slugs).count() == 2


def test_the_same_name_created_twice_at_once_is_a_field_error_for_the_second():
    def create():
        return services.organization_create(name="Wayra Chile", sector=Sector.PRIVATE, level=Level.NATIONAL)

    def second():
        try:
            return create()
        except Exception as exc:
            return exc

    results = _race(create, second)
    assert results["second"].message_dict == {"name": ["Ya existe una organización con ese nombre."]}
    assert Organization.objects.filter(name="Wayra Chile").count() == 1


def test_program_stakeholder_set_twice_at_once_makes_one_link(program, wayra):
    def set_roles(roles, interest):
        return lambda: services.program_stakeholder_set(
            program=program, organization=wayra, roles=roles, interest=interest, influence=3
        )

    results = _race(set_roles(["sponsor"], 4), set_roles(["jury", "sponsor"], 5))
    link = ProgramStakeholder.objects.get(program=program, organization=wayra)
    assert results["first"].pk == results["second"].pk == link.pk
    assert (link.interest, sorted(link.roles.values_list("role", flat=True))) == (5, ["jury", "sponsor"])


@pytest.mark.parametrize("kind", ["engagement", "champion", "membership"])
def test_other_upserts_twice_at_once_make_one_row(program, components, wayra, kind):
    services.program_stakeholder_set(program=program, organization=wayra, roles=["jury"], interest=4, influence=3)
    person = services.person_create(full_name="Persona Carrera")
    calls = {
        "engagement": lambda level: services.engagement_set(
            program=program, organization=wayra, component=components["competition"], level=level
        ),
        "champion": lambda notes: services.champion_add(
            program=program, person=person, kind=Champion.Kind.CHAMPION, organization=wayra, notes=notes
        ),
        "membership": lambda _value: services.membership_add(
            person=person, organization=wayra, position="Mentoría", start_date=None, end_date=None
        ),
    }
    values = {"engagement": ("involved", "leading"), "champion": ("uno", "dos"), "membership": ("a", "b")}[kind]
    call = calls[kind]
    results = _race(lambda: call(values[0]), lambda: call(values[1]))
    assert results["first"].pk == results["second"].pk
    model = type(results["first"])
    assert model.objects.count() == 1
