"""Cuida tu Luz and Cuido mi Barrio in the demo: a few hundred street lights along the streets of Concepción's
centre, a few adoptions with the names their citizen gave them, and the municipality's rewards.

Generated, and labelled so ("(generada)" in every name, codes starting with "gen-"): the positions follow the grid
of the centre (Los Carrera to Chacabuco, Salas to Paicaví, about 130 m blocks turned 11° like the real grid) but they
are not the real lighting inventory."""

import math

from mueve.accounts.models import User
from mueve.neighbourhood import services as neighbourhood
from mueve.neighbourhood.models import Reward, RewardGrant
from mueve.reports import services
from mueve.reports.models import Adoption, Asset, Service
from mueve.territory.models import Jurisdiction

JURISDICTION_SLUG = "gran-concepcion"
PLAZA = (-36.8270, -73.0503)  # Plaza de la Independencia, between Barros Arana and O'Higgins, Caupolicán and A. Pinto
BLOCK_M = 130
TURN = math.radians(11)
# North to south, and west to east.
ALONG = ["Los Carrera", "Maipú", "Freire", "Barros Arana", "O'Higgins", "San Martín", "Cochrane", "Chacabuco"]
ACROSS = ["Salas", "Angol", "Lincoyán", "Rengo", "Caupolicán", "Aníbal Pinto", "Colo-Colo", "Castellón", "Tucapel",
          "Orompello", "Ongolmo", "Paicaví"]  # fmt: skip
PLAZA_ACROSS = 4.5  # the plaza sits between the 5th and 6th streets across (Caupolicán, Aníbal Pinto)
PLAZA_ALONG = 3.5  # and between the 4th and 5th along (Barros Arana, O'Higgins)


def _point(i_along: float, j_across: float) -> tuple[float, float]:
    """(lat, lon) of the point at street `i_along` (fractional: between streets) and cross street `j_across`."""
    u = (j_across - PLAZA_ACROSS) * BLOCK_M  # metres east along the grid
    n = (PLAZA_ALONG - i_along) * BLOCK_M  # metres north across it
    east = u * math.cos(TURN) - n * math.sin(TURN)
    north = u * math.sin(TURN) + n * math.cos(TURN)
    return round(PLAZA[0] + north / 111_320, 6), round(
        PLAZA[1] + east / (111_320 * math.cos(math.radians(PLAZA[0]))), 6
    )


def generated_lights() -> list[tuple[str, str, float, float]]:
    """(code, name, lat, lon): a light at each corner, two along each block and one midway on each cross street."""
    rows = []

    def add(name: str, i: float, j: float) -> None:
        lat, lon = _point(i, j)
        rows.append((f"gen-con-l-{len(rows) + 1:04d}", f"{name} (generada)", lat, lon))

    for i, street in enumerate(ALONG):
        for j, cross in enumerate(ACROSS):
            add(f"Luminaria {street} esquina {cross}", i, j)
            if j + 1 < len(ACROSS):
                for k, third in ((1, 1 / 3), (2, 2 / 3)):
                    add(f"Luminaria {street} entre {cross} y {ACROSS[j + 1]}, n.º {k}", i, j + third)
    for j, cross in enumerate(ACROSS):
        for i in range(len(ALONG) - 1):
            add(f"Luminaria {cross} entre {ALONG[i]} y {ALONG[i + 1]}", i + 0.5, j)
    return rows


ADOPTIONS = [("gen-con-l-0040", "La luz frente a mi casa"), ("gen-con-l-0041", "La luz de la esquina")]
REWARDS = [
    ("Certificado de Vecino/a Cuidador/a", "Un certificado de la Municipalidad de Concepción por cuidar su barrio."),
    ("Visita guiada a la UOCT", "Conozca por dentro el centro de control de tránsito del Gran Concepción."),
]


def load() -> None:
    jurisdiction = Jurisdiction.objects.get(slug=JURISDICTION_SLUG)
    lights = Service.objects.get(jurisdiction=jurisdiction, code="luminaria-apagada")
    for code, name, lat, lon in generated_lights():
        services.asset_upsert(
            jurisdiction=jurisdiction,
            kind=Asset.Kind.STREET_LIGHT,
            code=code,
            name=name,
            lat=lat,
            lon=lon,
            service=lights,
        )
    citizen = User.objects.filter(username="ciudadana").first()
    manager = User.objects.filter(username="gestora").first()
    if citizen is not None:
        for code, given in ADOPTIONS:
            asset = Asset.objects.get(jurisdiction=jurisdiction, code=code)
            if not Adoption.objects.filter(asset=asset, user=citizen).exists():
                neighbourhood.adopt(asset=asset, user=citizen, name=given)
    if manager is not None:
        for name, description in REWARDS:
            # One left national by the migration that gave rewards a jurisdiction becomes the demo's again.
            reward = (
                Reward.objects.filter(name=name, jurisdiction=jurisdiction).first()
                or Reward.objects.filter(name=name, jurisdiction__isnull=True).first()
            )
            neighbourhood.reward_define(
                actor=manager, name=name, description=description, jurisdiction=jurisdiction, reward=reward
            )
        certificate = Reward.objects.get(name=REWARDS[0][0], jurisdiction=jurisdiction)
        if citizen is not None and not RewardGrant.objects.filter(reward=certificate, user=citizen).exists():
            neighbourhood.reward_grant(
                actor=manager, reward=certificate, recipient=citizen, note="Entrega de ejemplo (generada)."
            )
