"""The data inventory of Component 2's diagnosis: the seed of the open-data catalogue.

The seed says an inventory was made of the databases and datasets of the institutions interviewed (Table 4)
but does not list them; these entries are ILLUSTRATIVE, labelled as generated, and typical of those
institutions.
"""

from mueve.accounts.models import User
from mueve.datasets import services
from mueve.datasets.models import AccessRights, Periodicity
from mueve.programs.models import Program
from mueve.stakeholders.models import Organization
from mueve.workshops.models import Workshop

NOTE = " (Entrada ilustrativa generada para la demostración.)"
# publisher slug, title, content, format, periodicity, access, licence, keywords
INVENTORY = [
    (
        "uoct",
        "Conteos de flujo vehicular en intersecciones semaforizadas",
        "Conteos por intersección y por período de 15 minutos de los detectores de la red semafórica.",
        "CSV",
        Periodicity.CONTINUOUS,
        AccessRights.RESTRICTED,
        "",
        "tránsito, semáforos, sensores",
    ),
    (
        "uoct",
        "Registro de incidentes de tránsito del centro de control",
        "Incidentes atendidos por la UOCT con hora, lugar y tipo.",
        "XLS",
        Periodicity.DAILY,
        AccessRights.NON_PUBLIC,
        "",
        "incidentes, tránsito",
    ),
    (
        "seremitt",
        "Recorridos y paraderos del transporte público mayor",
        "Trazados, paraderos y frecuencias de los servicios de buses licitados del Gran Concepción.",
        "SHP",
        Periodicity.MONTHLY,
        AccessRights.PUBLIC,
        "CC BY 4.0",
        "buses, recorridos, paraderos",
    ),
    (
        "seremitt",
        "Registro de flota del transporte público",
        "Vehículos inscritos por línea y operador.",
        "XLS",
        Periodicity.MONTHLY,
        AccessRights.RESTRICTED,
        "",
        "flota, buses",
    ),
    (
        "fesub",
        "Horarios de Biotren",
        "Horarios de las líneas Corto Laja y Biotren.",
        "PDF",
        Periodicity.IRREGULAR,
        AccessRights.PUBLIC,
        "",
        "tren, horarios",
    ),
    (
        "sectra",
        "Encuesta origen-destino de viajes del Gran Concepción",
        "Viajes por propósito, modo y hora de hogares encuestados.",
        "CSV",
        Periodicity.IRREGULAR,
        AccessRights.RESTRICTED,
        "",
        "viajes, demanda",
    ),
    (
        "minvu",
        "Proyectos urbanos y de vialidad en ejecución",
        "Obras con ubicación, plazo y desvíos.",
        "SHP",
        Periodicity.MONTHLY,
        AccessRights.PUBLIC,
        "",
        "obras, vialidad",
    ),
]


def load() -> None:
    actor = User.objects.get(username="gestora")
    program = Program.objects.get(slug="smart-city-gran-concepcion")
    diagnosis = Workshop.objects.filter(program=program, format_key="vision-diagnosis").first()
    for slug, title, content, fmt, periodicity, access, licence, keywords in INVENTORY:
        services.dataset_create(
            actor=actor,
            title=title,
            publisher=Organization.objects.get(slug=slug),
            description=content + NOTE,
            format=fmt,
            accrual_periodicity=periodicity,
            access_rights=access,
            license=licence,
            keyword=keywords,
            program=program,
            identified_in=diagnosis,
        )
