"""The governance of the Gran Concepción catalog: its open data policy and two data-sharing agreements.

The seed's roadmap (Table 5) asks for "agreements between local organizations on a governance model and on data
sharing" and "an open data policy", but gives neither text: the policy and the agreements below are ILLUSTRATIVE,
written for the demonstration, and say so. Their signed documents are one-page PDFs that say the same.
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from mueve.accounts.models import User
from mueve.datasets.models import Agreement, DataPolicy, Dataset
from mueve.datasets.services import agreements as services
from mueve.programs.models import Program
from mueve.stakeholders.models import Organization

NOTE = "Convenio ilustrativo generado para la demostración."

POLICY_TITLE = "Política de datos abiertos del Gran Concepción"
POLICY_VERSION = "1.0"
POLICY_BODY = """\
Texto ilustrativo generado para la demostración: resume lo que una política de datos abiertos del programa \
establece, sin ser un documento oficial.

# 1. Abiertos por defecto
Los datos que las instituciones del programa producen o reúnen para el transporte y la ciudad se publican en el \
catálogo, salvo que exista una razón explícita para no hacerlo. Quien decide restringir un conjunto de datos debe \
indicar el motivo en su ficha.

# 2. Licencia
Los datos abiertos se publican con la licencia Creative Commons Atribución 4.0 (CC-BY-4.0): cualquiera puede \
usarlos, combinarlos y redistribuirlos, también con fines comerciales, citando a la institución que los publica.

# 3. Datos personales
No se publican datos personales. Los datos de quienes reportan incidentes, las bases con personas identificables \
y cualquier información protegida por la ley de protección de datos personales quedan fuera del catálogo abierto; \
se publican solo agregados o anonimizados, de forma que no permitan identificar a nadie.

# 4. Datos restringidos y convenios
Algunos datos no pueden abrirse todavía (por seguridad de la operación, por contratos vigentes o por su detalle). \
Se comparten solo bajo un convenio firmado entre instituciones, que indica:
- las partes y las organizaciones autorizadas;
- los conjuntos de datos que cubre y su propósito;
- las condiciones de uso y la licencia;
- su fecha de inicio y de término.
Solo las claves de la API de organizaciones con un convenio vigente descargan esos datos, y cada acceso queda \
registrado para la institución responsable.

# 5. Frecuencia de actualización
Cada conjunto declara cada cuánto se actualiza (en tiempo real, diaria, semanal, mensual o anual) y la \
institución responsable se compromete a cumplirla. El catálogo muestra la fecha de la última actualización y \
advierte cuando un conjunto está atrasado respecto de su frecuencia.

# 6. Calidad y formatos
Se prefieren formatos abiertos y legibles por máquina (CSV, GeoJSON, GTFS) y metadatos completos según DCAT-AP, \
para que otros portales, como datos.gob.cl, puedan cosechar el catálogo.

# 7. Contacto
Consultas, solicitudes de nuevos datos y avisos de errores: la mesa de datos del programa, en \
datos@demo.mueve.cl. Cada conjunto indica además su propio punto de contacto.
"""

# title, parties (slugs), grantees (slugs; empty: the parties), dataset titles, purpose, terms, licence,
# start, end (None: no end)
AGREEMENTS = [
    (
        "Convenio UOCT – Universidad de Concepción: conteos de flujo vehicular",
        ["uoct", "universidad-de-concepcion"],
        [],
        ["Conteos de flujo vehicular en intersecciones semaforizadas"],
        "La Unidad Operativa de Control de Tránsito comparte con la Universidad de Concepción los conteos de sus "
        "detectores para investigar la congestión en los ejes del Gran Concepción y evaluar planes de semaforización.",
        "Uso académico y de evaluación de políticas públicas. Los resultados se publican agregados; los datos "
        "crudos no se redistribuyen a terceros. La universidad informa a la UOCT de cada publicación. " + NOTE,
        "other-closed",
        datetime.date(2014, 6, 1),
        None,
    ),
    (
        "Convenio SECTRA – Universidad del Bío-Bío: encuesta origen-destino",
        ["sectra", "universidad-del-bio-bio"],
        [],
        ["Encuesta origen-destino de viajes del Gran Concepción"],
        "SECTRA comparte los microdatos anonimizados de la encuesta origen-destino para un estudio de demanda del "
        "Biotren y de los recorridos troncales.",
        "Solo para el estudio indicado, sin cruce con otras bases que permitan identificar hogares. " + NOTE,
        "other-closed",
        datetime.date(2014, 1, 15),
        datetime.date(2016, 1, 14),
    ),
]


def _pdf(title: str) -> bytes:
    """A one-page PDF that names the agreement and says it is illustrative (offsets computed, so readers open it)."""
    text = f"{title} - {NOTE}".encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 9 Tf 40 780 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def load() -> None:
    actor = User.objects.get(username="gestora")
    program = Program.objects.get(slug="smart-city-gran-concepcion")
    if not DataPolicy.objects.filter(program=program, version=POLICY_VERSION).exists():
        services.policy_publish(
            actor=actor, program=program, title=POLICY_TITLE, body=POLICY_BODY, version=POLICY_VERSION
        )
    for title, parties, grantees, datasets, purpose, terms, licence, start, end in AGREEMENTS:
        if Agreement.objects.filter(title=title).exists():
            continue
        agreement = services.agreement_save(
            actor=actor,
            program=program,
            title=title,
            purpose=purpose,
            terms=terms,
            license=licence,
            access_level=Agreement.AccessLevel.RESTRICTED,
            parties=Organization.objects.filter(slug__in=parties),
            grantees=Organization.objects.filter(slug__in=grantees),
            datasets=Dataset.objects.filter(title__in=datasets),
            start_date=start,
            end_date=end,
        )
        document = SimpleUploadedFile("convenio.pdf", _pdf(title), content_type="application/pdf")
        services.agreement_sign(actor=actor, agreement=agreement, signed_on=start, document=document)
        # Activated when it was signed: an agreement that has since ended is then stored as expired.
        services.agreement_activate(actor=actor, agreement=agreement, today=start)
    services.agreements_expire()
