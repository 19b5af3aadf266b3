"""One demo user per role. The password is the same for all and printed by `make demo`."""

from dataclasses import dataclass

from mueve.accounts.models import Role, User
from mueve.accounts.services import user_create
from mueve.stakeholders.models import Organization

DEMO_PASSWORD = "mueve2014"


@dataclass
class DemoAccount:
    username: str
    password: str
    role_label: str
    hint: str = ""


# What each account can try first (printed with the accounts when the demo loads).
HINTS = {
    "gestora": "organiza programas, talleres y competencias",
    "jurado": "tiene una ronda abierta para evaluar en «MueveTT Temuco: ronda de práctica del jurado» "
    "(/competencias/muevett-temuco-practica-jurado/), con un equipo en conflicto declarado",
    "mentor": "acompaña a Despierta y Refugio Inteligente en MueveTT 2014",
    "emprendedora": "integra el equipo Despierta de MueveTT 2014",
    "operadora": "atiende los incidentes del centro de control",
    "piloto": "vuela los drones de Alerta Drone: sus misiones están en /drones/piloto/",
    "seguridad-udec": "vigila las alarmas de los bicicleteros i-BiciPark de la UdeC "
    "(/bicipark/seguridad/universidad-de-concepcion/)",
    "samu": "busca direcciones rurales en /rural/despacho/ y lee sus notas para emergencias",
}


# username, role, first name, last name, organization slug (or None)
USERS = [
    ("gestora", Role.MANAGER, "Paula", "Gestora", "mtt-smart-cities"),
    ("funcionario", Role.OFFICIAL, "Tomás", "Funcionario", "uoct"),
    ("operadora", Role.OPERATOR, "Olga", "Operadora", "uoct"),
    ("piloto", Role.OFFICIAL, "Pedro", "Piloto", "uoct"),
    ("seguridad-udec", Role.OPERATOR, "Sergio", "Seguridad", "universidad-de-concepcion"),
    ("ciudadana", Role.CITIZEN, "Camila", "Ciudadana", None),
    ("samu", Role.EMERGENCY, "Sergio", "Despachador SAMU", None),
    ("emprendedora", Role.PARTICIPANT, "Elena", "Emprendedora", None),
    ("mentor", Role.MENTOR, "Mario", "Mentor", "wayra"),
    ("jurado", Role.JUROR, "Julia", "Jurado", "wayra"),
    ("admin", Role.ADMIN, "Ada", "Administradora", None),
]


def load() -> list[DemoAccount]:
    accounts = []
    for username, role, first, last, org_slug in USERS:
        organization = Organization.objects.filter(slug=org_slug).first() if org_slug else None
        if not User.objects.filter(username=username).exists():
            user_create(
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.mueve.cl",
                organization=organization,
            )
        accounts.append(DemoAccount(username, DEMO_PASSWORD, str(Role(role).label), HINTS.get(username, "")))
    return accounts
