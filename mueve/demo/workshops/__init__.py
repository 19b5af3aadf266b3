"""Demo workshops of Smart City Gran Concepción: Components 1, 2 and 4 of the seed (Tables 2–5, 8–10, Box 2).

Institutions, concepts, roadmap initiatives, hub models and action lines are the seed's. People's names,
SWOT items, visions, votes, pilot feedback and progress figures are GENERATED for the demo (the seed does
not publish them) and say so. Loading twice changes nothing."""

from datetime import date

from mueve.accounts.models import User
from mueve.challenges.models import Challenge
from mueve.demo.workshops.codesign import _codesign
from mueve.demo.workshops.common import PROGRAM_SLUG, _at, _org
from mueve.demo.workshops.hub import _hub
from mueve.demo.workshops.vision import _vision_component
from mueve.programs.models import Program
from mueve.workshops import methodology, services

REPLICA_SLUG = "muevett-temuco"
PUBLIC_WORKSHOPS = {
    # format key: (start, end, registrations close, seats, place)
    "vision-vision": (
        (date(2027, 5, 12), 9),
        (date(2027, 5, 12), 13),
        (date(2027, 5, 10), 18),
        3,
        "Temuco, sede por confirmar (dato generado para la demostración)",
    ),
    "hub-cocreation": (
        (date(2027, 11, 10), 9),
        (date(2027, 11, 10), 18),
        (date(2027, 11, 5), 18),
        5,
        "Temuco, sede por confirmar (dato generado para la demostración)",
    ),
}


def _open_replica_workshops(actor) -> None:
    replica = Program.objects.filter(slug=REPLICA_SLUG).first()
    if replica is None:
        return
    for key, (start, end, closes, seats, place) in PUBLIC_WORKSHOPS.items():
        workshop = replica.workshops.filter(format_key=key, public_registration=False).first()
        if workshop is None:  # opened already (loading twice changes nothing) or not planned
            continue
        services.workshop_update(
            actor=actor,
            workshop=workshop,
            starts_at=_at(*start),
            ends_at=_at(*end),
            registration_closes_at=_at(*closes),
            venue_address=place,
            status="scheduled",
            public_registration=True,
            capacity=seats,
        )


def load() -> None:
    actor = User.objects.get(username="gestora")
    program = Program.objects.get(slug=PROGRAM_SLUG)
    _codesign(actor, program)
    _vision_component(actor, program)
    _hub(actor, program)
    services.narrative_update(
        actor=actor,
        program=program,
        executive_summary=(
            "Smart City Gran Concepción introdujo la innovación abierta en los servicios locales y municipales de "
            "transporte con cuatro componentes: demostración y campeones, visión y socios, innovación abierta "
            "práctica y un mecanismo de sostenibilidad. Las tablas de este informe salen de la plataforma."
        ),
        background=(
            "Asistencia técnica del Banco Mundial pedida por el Ministerio de Transportes y Telecomunicaciones, "
            "financiada por el Fondo Español para Latinoamérica y el Caribe (SFLAC), entre noviembre de 2013 y "
            "noviembre de 2014."
        ),
        impact=(
            "La Unidad de Ciudades Inteligentes del MTT adoptó la metodología y la replicó en seis regiones; los "
            "funcionarios de la UOCT se volvieron campeones de la actividad."
        ),
        replication=(
            "La metodología, con sus formatos de taller, se exporta como JSON desde la plataforma y se importa en "
            "otra jurisdicción para crear un programa listo para planificar."
        ),
        # The seed's lessons, in its own terms (it names them; it does not list them): they feed the toolkit.
        lessons=(
            "Empezar con un grupo acotado de funcionarios locales y municipales y formar entre ellos campeones: "
            "son el ancla de los componentes siguientes y la semilla de una comunidad de innovación abierta dentro "
            "del gobierno local.\n\n"
            "Ordenar los componentes en secuencia, cada uno sobre los resultados y la comunidad de socios del "
            "anterior: los actores de la ciudad se suman en el diagnóstico y la visión; los emprendedores y la "
            "ciudadanía, en la competencia.\n\n"
            "Separar los desafíos concretos, que la tecnología existente resuelve pronto, de los abstractos, que "
            "piden una competencia abierta.\n\n"
            "Cerrar con un mecanismo de sostenibilidad cocreado por toda la coalición, el hub local de innovación, "
            "para que el proceso continúe cuando termine la asistencia técnica.\n\n"
            "La metodología de Colombia (2012) se aplicó aquí con las mejoras que dejó esa primera experiencia; el "
            "taller del hub fue la primera iteración de su propia metodología, mejorada después en Beirut."
        ),
    )
    if program.template is not None and not program.template.workshop_formats.exists():
        methodology.methodology_capture(actor=actor, program=program)
    # Replicas created from the template get the workshop formats, empty and undated, named for their own city (the
    # copy renames Gran Concepción, its communes and its region by itself, and drops what names its landmarks).
    for replica in Program.objects.filter(template=program.template).exclude(pk=program.pk):
        methodology.program_plan_workshops(actor=actor, program=replica)
    _open_replica_workshops(actor)
    _govlab(actor, program)


# The seed: "Chile's GovLab, in collaboration with the Smart City Unit of MTT, is working on three government
# challenges in the area of transport". Which three is not said: the demo takes three of its transport challenges.
GOVLAB_CHALLENGES = 3


def _govlab(actor, program: Program) -> None:
    from mueve.programs import services as program_services
    from mueve.programs.models import GovLab, GovLabProject
    from mueve.workshops.models import Initiative

    initiative = Initiative.objects.filter(line__program=program, name__startswith="Creación del GobLab").first()
    lab = GovLab.objects.filter(program=program, name="Laboratorio de Gobierno (GobLab)").first()
    lab = program_services.govlab_save(
        actor=actor,
        program=program,
        lab=lab,
        name="Laboratorio de Gobierno (GobLab)",
        host=_org("mtt-smart-cities"),
        initiative=initiative,
        mission=(
            "Llevar la innovación abierta y la cocreación a los servicios públicos más allá del transporte, junto a "
            "la Unidad de Ciudades Inteligentes del MTT."
        ),
    )
    GovLab.objects.filter(pk=lab.pk).update(is_generated=True)
    challenges = Challenge.objects.filter(program=program, title__icontains="transporte").order_by("pk")
    for challenge in challenges[:GOVLAB_CHALLENGES]:
        existing = GovLabProject.objects.filter(lab=lab, challenge=challenge).first()
        project = program_services.govlab_project_save(
            actor=actor,
            lab=lab,
            project=existing,
            title=challenge.title[:200],
            challenge=challenge,
            lead=_org("mtt-smart-cities"),
            status=GovLabProject.Status.ACTIVE,
        )
        GovLabProject.objects.filter(pk=project.pk).update(is_generated=True)
