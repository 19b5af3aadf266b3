"""The data inventory of Component 2's diagnosis, and the catalog it grew into.

The seed says an inventory was made of the databases and datasets of the institutions interviewed (Table 4)
but does not list them; these entries are ILLUSTRATIVE, labelled as generated, and typical of those
institutions. Those whose access is not "non public" are published, with themes, an SPDX licence (restricted
ones: "use under agreement"), a contact point, the Gran Concepción area and a temporal coverage. One public entry
carries a small generated table in the datastore, so the dataset page shows its preview and charts.
"""

import hashlib
from datetime import date, datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from mueve.accounts.models import User
from mueve.datasets import datastore, services
from mueve.datasets.models import AccessRights, Dataset, Distribution, Periodicity
from mueve.programs.models import Program
from mueve.stakeholders.models import Organization
from mueve.territory.models import Jurisdiction
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

# What the catalog adds when an entry is published: themes, SPDX licence, contact point (an institutional desk),
# temporal coverage (from; to), version. Illustrative, like the entries.
CATALOG = {
    "Conteos de flujo vehicular en intersecciones semaforizadas": (
        ["TRAN"],
        "other-closed",
        ("Mesa de datos UOCT (ilustrativa)", "datos@uoct.example.cl"),
        (date(2012, 1, 1), None),
        "",
    ),
    "Recorridos y paraderos del transporte público mayor": (
        ["TRAN", "REGI"],
        "CC-BY-4.0",
        ("Mesa de datos de la Seremitt (ilustrativa)", "datos@seremitt.example.cl"),
        (date(2013, 3, 1), None),
        "2014.1",
    ),
    "Registro de flota del transporte público": (
        ["TRAN"],
        "other-closed",
        ("Mesa de datos de la Seremitt (ilustrativa)", "datos@seremitt.example.cl"),
        (date(2013, 1, 1), None),
        "",
    ),
    "Horarios de Biotren": (
        ["TRAN"],
        "CC-BY-4.0",
        ("Atención de pasajeros Fesub (ilustrativa)", "pasajeros@fesub.example.cl"),
        (date(2014, 1, 1), date(2014, 12, 31)),
        "",
    ),
    "Encuesta origen-destino de viajes del Gran Concepción": (
        ["TRAN", "SOCI"],
        "other-closed",
        ("Sectra Sur (ilustrativa)", "sectra@example.cl"),
        (date(2013, 4, 1), date(2013, 11, 30)),
        "2013",
    ),
    "Proyectos urbanos y de vialidad en ejecución": (
        ["REGI", "TRAN"],
        "CC-BY-4.0",
        ("Mesa de datos Minvu Biobío (ilustrativa)", "datos@minvu.example.cl"),
        (date(2014, 1, 1), None),
        "",
    ),
}
# The dataset's data last changed on the last day of the diagnosis (the demo lives in 2013–2014).
DATA_MODIFIED = datetime(2014, 6, 30, 12, 0)

# A generated table for the bus-stop dataset: municipality, stops, services, sheltered stops, share with
# shelter. ILLUSTRATIVE numbers.
STOPS_TITLE = "Paraderos por comuna (tabla)"
STOPS_FIELDS = [
    {"id": "comuna", "type": "text"},
    {"id": "paraderos", "type": "int"},
    {"id": "servicios", "type": "int"},
    {"id": "con_refugio", "type": "int"},
    {"id": "porcentaje_refugio", "type": "numeric"},
]
STOPS = [
    ("Concepción", 612, 48, 301),
    ("Talcahuano", 388, 31, 150),
    ("Hualpén", 205, 19, 77),
    ("San Pedro de la Paz", 301, 22, 118),
    ("Chiguayante", 190, 15, 64),
    ("Penco", 122, 9, 31),
    ("Tomé", 140, 8, 29),
    ("Coronel", 260, 14, 70),
    ("Lota", 118, 7, 22),
    ("Hualqui", 64, 4, 10),
]


def _stops_rows() -> list[tuple]:
    return [(c, p, s, r, round(100 * r / p, 1)) for c, p, s, r in STOPS]


def _stops_distribution(actor, dataset: Dataset) -> None:
    if dataset.distributions.filter(title=STOPS_TITLE).exists():
        return
    rows = _stops_rows()
    header = ",".join(f["id"] for f in STOPS_FIELDS)
    body = (header + "\n" + "\n".join(",".join(str(v) for v in row) for row in rows) + "\n").encode()
    distribution = Distribution(
        dataset=dataset,
        title=STOPS_TITLE,
        description="Paraderos, servicios y refugios por comuna." + NOTE,
        kind=Distribution.Kind.FILE,
        format="CSV",
        media_type="text/csv",
        byte_size=len(body),
        checksum_sha256=hashlib.sha256(body).hexdigest(),
        position=1,
    )
    distribution.file.save("paraderos-por-comuna.csv", ContentFile(body), save=False)
    distribution.save()
    datastore.load(distribution, STOPS_FIELDS, rows)
    services.distribution_add_link(
        actor=actor,
        dataset=dataset,
        title="Consulta de la tabla en la API del almacén de datos",
        access_url="https://datos.mueve.example.cl/api/3/action/datastore_search?resource_id=" + str(distribution.uuid),
        kind=Distribution.Kind.API,
        format="JSON",
        description="La misma tabla, fila a fila, por la API compatible con CKAN." + NOTE,
    )


def load() -> None:
    actor = User.objects.get(username="gestora")
    program = Program.objects.get(slug="smart-city-gran-concepcion")
    diagnosis = Workshop.objects.filter(program=program, format_key="vision-diagnosis").first()
    area = Jurisdiction.objects.filter(slug="gran-concepcion").first()
    modified = timezone.make_aware(DATA_MODIFIED)
    for slug, title, content, fmt, periodicity, access, licence, keywords in INVENTORY:
        dataset = services.dataset_create(
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
        if access == AccessRights.NON_PUBLIC or title not in CATALOG:
            continue
        themes, spdx, (contact_name, contact_email), (start, end), version = CATALOG[title]
        dataset = services.dataset_save(
            actor=actor,
            dataset=dataset,
            themes=themes,
            license=spdx,
            contact_name=contact_name,
            contact_email=contact_email,
            spatial_jurisdiction=area,
            temporal_start=start,
            temporal_end=end,
            version=version,
            data_modified=modified,
        )
        if not dataset.is_published:
            services.dataset_publish(actor=actor, dataset=dataset)
        if title == "Recorridos y paraderos del transporte público mayor":
            _stops_distribution(actor, dataset)
