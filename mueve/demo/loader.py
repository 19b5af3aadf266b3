"""The Gran Concepción demo (2013–2014), taken from the seed report's tables.

Every step goes through the apps' services, so the demo obeys the same rules as users do.
Loading twice updates in place: it never duplicates rows.
"""

from django.db import transaction

from mueve.datasets import own_data
from mueve.demo import (
    accounts,
    agreements,
    challenges,
    competitions,
    control,
    datasets,
    neighbourhood,
    programs,
    reports,
    rural,
    sensors,
    shared_taxis,
    stakeholders,
    territory,
    transit,
    visual_checks,
    workshops,
)


@transaction.atomic
def load_demo() -> list[accounts.DemoAccount]:
    territory.load()
    stakeholders.load_organizations()
    demo_accounts = accounts.load()
    programs.load()
    stakeholders.load_program_links()
    challenges.load()
    reports.load()
    neighbourhood.load()
    sensors.load()
    workshops.load()
    datasets.load()
    agreements.load()
    competitions.load()
    competitions.load_jury_practice()
    competitions.load_government_award()
    transit.load()
    sensors.load_shelters()  # after transit: shelters stand at its stops
    demo_accounts.append(shared_taxis.load())
    control.load()
    visual_checks.load()
    rural.load()
    # Last: the platform's own open data (incidents, GTFS, results, roadmap) is made from everything above.
    own_data.publish()
    return demo_accounts
