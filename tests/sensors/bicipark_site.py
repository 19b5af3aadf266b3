"""The i-BiciPark live site's seed (run by tests.realtime.servers.LiveSite in its own process): the Universidad de
Concepción with one rack of three slots and a camera, its security guard, a cyclist. The devices' secrets are
written to the site's data directory (bicipark-secrets.json), which the test reads."""

import json
import os
from pathlib import Path

PASSWORD = "bicicleta-segura-2026"


def seed() -> None:
    import django

    django.setup()
    from mueve.accounts.models import Role
    from mueve.accounts.services import user_create
    from mueve.sensors.bicipark.services import rack_install
    from mueve.stakeholders.models import Level, Organization, Sector
    from mueve.territory.models import Jurisdiction
    from mueve.territory.services import jurisdiction_upsert

    metro = jurisdiction_upsert(
        slug="gran-concepcion", name="Gran Concepción", kind=Jurisdiction.Kind.METROPOLITAN_AREA
    )
    udec = Organization.objects.create(
        name="Universidad de Concepción", slug="udec", sector=Sector.ACADEMIA, level=Level.LOCAL
    )
    guard = user_create(
        username="guardia-udec", password=PASSWORD, role=Role.OPERATOR, organization=udec, first_name="Gabriel"
    )
    user_create(username="camila", password=PASSWORD, role=Role.CITIZEN, first_name="Camila")
    _rack, secrets = rack_install(
        actor=guard,
        slug="udec-biblioteca",
        name="Bicicletero Biblioteca UdeC",
        organization=udec,
        jurisdiction=metro,
        lat=-36.8290,
        lon=-73.0360,
        slots=3,
        address="Víctor Lamas 1290",
    )
    Path(os.environ["MUEVE_DATA_DIR"], "bicipark-secrets.json").write_text(json.dumps(secrets))
    print(json.dumps({"api_key": "", "operator_token": ""}))
