"""The toolkit: a methodology template as a guide a city prints and follows (HTML page and PDF).

For each component: its objective, who joins, its steps (the template's phases) and its workshop formats (the
workshops app's WorkshopFormat: agenda, structure), with the roles and the sector mix that earlier programmes
built from the template invited to each format. Then models of an invitation letter and a collaboration
agreement, with «[placeholders]» to fill in, and the lessons earlier programmes recorded (the "lecciones
aprendidas" of their report, workshops.ReportNarrative). Only public programmes feed a guide, and only counts of
institutions by role and sector: a guide names no person.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mueve.portal.dossier.formatting import period_text
from mueve.portal.printing import Printer
from mueve.programs.models import MethodologyTemplate, Program
from mueve.stakeholders.models import Sector
from mueve.workshops.models import (
    Invitation,
    Kind,
    ParticipantRole,
    Quadrant,
    ReportNarrative,
    Workshop,
    WorkshopStatus,
)


@dataclass
class FormatGuide:
    title: str
    kind: str
    agenda: list[str]
    structure: list[str]
    planned_sectors: list[str]
    roles: list[str]  # "Participante: 12 instituciones", from earlier programmes
    sectors: list[str]  # "Gobierno: 10", from earlier programmes
    held: int  # workshops of this format held in earlier programmes

    @property
    def earlier(self) -> str:
        if not self.roles and not self.held:
            return _("Aún no hay talleres de este formato en programas anteriores.")
        return ngettext(
            "En programas anteriores: %(n)d taller realizado con este formato.",
            "En programas anteriores: %(n)d talleres realizados con este formato.",
            self.held,
        ) % {"n": self.held}


@dataclass
class StepGuide:
    name: str
    description: str


@dataclass
class ComponentGuide:
    order: int
    key: str
    name: str
    theme: str
    objective: str
    audience: str
    steps: list[StepGuide]
    formats: list[FormatGuide] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return _("Componente %(n)d: %(name)s") % {"n": self.order, "name": self.name}


@dataclass
class DocumentModel:
    key: str
    title: str
    purpose: str
    paragraphs: list[str]


@dataclass
class LessonGuide:
    program: str
    jurisdiction: str
    period: str
    paragraphs: list[str]


@dataclass
class Guide:
    name: str
    slug: str
    description: str
    source: str
    components: list[ComponentGuide]
    documents: list[DocumentModel]
    lessons: list[LessonGuide]
    program_count: int
    generated_at: str


def _structure_lines(structure: dict) -> list[str]:
    lines = []
    quadrant_labels = dict(Quadrant.choices)
    if structure.get("quadrants"):
        labels = [str(quadrant_labels.get(q, q)) for q in structure["quadrants"]]
        lines.append(_("Cuadrantes del FODA: %(list)s.") % {"list": ", ".join(labels)})
    session = structure.get("session")
    if session == "institution":
        lines.append(_("Una sesión por institución; sus resultados se fusionan después en la sesión común."))
    elif session == "validation":
        lines.append(_("Sesión común: se fusionan los duplicados, se vota y se valida el FODA."))
    if structure.get("personas"):
        lines.append(
            _("Grupos mixtos, cada uno en el rol de un usuario: %(list)s.")
            % {"list": ", ".join(str(p) for p in structure["personas"])}
        )
    if structure.get("horizon_year"):
        lines.append(_("Visión al año %(year)s.") % {"year": structure["horizon_year"]})
    if structure.get("horizons"):
        lines.append(
            _("Horizontes de la hoja de ruta: %(list)s.") % {"list": ", ".join(str(h) for h in structure["horizons"])}
        )
    if structure.get("phases"):
        names = [str(p.get("name", "")) if isinstance(p, dict) else str(p) for p in structure["phases"]]
        lines.append(_("Fases del taller: %(list)s.") % {"list": "; ".join(n for n in names if n)})
    if structure.get("dots_per_participant"):
        lines.append(
            ngettext(
                "Cada participante vota con %(n)d punto entre los conceptos.",
                "Cada participante vota con %(n)d puntos entre los conceptos.",
                structure["dots_per_participant"],
            )
            % {"n": structure["dots_per_participant"]}
        )
    return lines


def _earlier_use(template: MethodologyTemplate, keys: list[str]):
    """What earlier public programmes of the template did with each format: workshops held, and institutions
    invited by role and by sector (two grouped queries)."""
    workshops = Workshop.objects.filter(program__template=template, program__is_public=True, format_key__in=keys)
    held = {
        row["format_key"]: row["n"]
        for row in workshops.values("format_key")
        .annotate(n=Count("id", filter=Q(status=WorkshopStatus.HELD)))
        .order_by()
    }
    roles: dict[str, Counter] = defaultdict(Counter)
    sectors: dict[str, Counter] = defaultdict(Counter)
    invitations = (
        Invitation.objects.filter(workshop__in=workshops.exclude(status=WorkshopStatus.CANCELLED))
        .values("workshop__format_key", "role", "organization__sector")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in invitations:
        roles[row["workshop__format_key"]][row["role"]] += row["n"]
        sectors[row["workshop__format_key"]][row["organization__sector"]] += row["n"]
    return held, roles, sectors


def _counted(counter: Counter, choices) -> list[str]:
    labels = dict(choices)
    return [
        ngettext("%(label)s: %(n)d institución", "%(label)s: %(n)d instituciones", n)
        % {"label": labels.get(value, value), "n": n}
        for value, n in sorted(counter.items(), key=lambda item: (-item[1], str(labels.get(item[0], item[0]))))
    ]


def document_models() -> list[DocumentModel]:
    """The invitation and the agreement, with «[placeholders]» a city fills in before sending them."""
    return [
        DocumentModel(
            key="invitacion",
            title=_("Modelo de carta de invitación a un taller"),
            purpose=_(
                "Para invitar a una institución a un taller de la metodología. Reemplace cada «[texto entre "
                "corchetes]» antes de enviarla."
            ),
            paragraphs=[
                _("«[Ciudad]», «[fecha]»"),
                _("Señor/a «[nombre de la persona invitada]»\n«[cargo]»\n«[nombre de la institución]»\nPresente"),
                _("De nuestra consideración:"),
                _(
                    "El programa «[nombre del programa]», que impulsa «[institución convocante]» junto a sus socios, "
                    "tiene el agrado de invitar a «[nombre de la institución]» a participar en el «[nombre del "
                    "taller]», parte del componente «[nombre del componente]» de la metodología de innovación "
                    "abierta para servicios locales y municipales."
                ),
                _(
                    "El taller se realizará el «[fecha del taller]», de «[hora de inicio]» a «[hora de término]», "
                    "en «[lugar y dirección]». Su objetivo es «[objetivo del taller]»."
                ),
                _(
                    "Le solicitamos designar a «[número de cupos]» representante(s) que conozca(n) de cerca "
                    "«[servicio o área de trabajo]». Su experiencia es clave para «[resultado esperado del taller]»."
                ),
                _(
                    "Le agradeceremos confirmar la asistencia antes del «[fecha límite de confirmación]» a «[correo o "
                    "teléfono de contacto]», indicando el nombre y el cargo de cada participante y cualquier "
                    "necesidad de accesibilidad."
                ),
                _("Saluda atentamente a usted,"),
                _("«[nombre y cargo de quien firma]»\n«[institución convocante]»"),
            ],
        ),
        DocumentModel(
            key="convenio",
            title=_("Modelo de convenio de colaboración"),
            purpose=_(
                "Para formalizar el aporte de un socio (institución pública, empresa, universidad u organización "
                "de la sociedad civil) al programa. Revíselo con su área jurídica antes de firmarlo."
            ),
            paragraphs=[
                _("CONVENIO DE COLABORACIÓN PARA EL PROGRAMA «[nombre del programa]»"),
                _(
                    "En «[ciudad]», a «[fecha]», entre «[institución convocante]», representada por «[nombre y cargo "
                    "de su representante]», y «[nombre de la institución]», representada por «[nombre y cargo de su "
                    "representante]», se acuerda lo siguiente:"
                ),
                _(
                    "Primero. Objeto. Las partes colaboran en el programa «[nombre del programa]» para introducir la "
                    "innovación abierta en «[servicio o sector]» de «[jurisdicción]», según la metodología descrita "
                    "en esta guía."
                ),
                _(
                    "Segundo. Compromisos de «[nombre de la institución]»: designar a «[nombre y cargo de la "
                    "contraparte]» como contraparte; participar en «[talleres, clínicas o actividades]»; y aportar "
                    "«[datos, espacios, mentores, premios u otro aporte]»."
                ),
                _(
                    "Tercero. Compromisos de «[institución convocante]»: convocar y facilitar los talleres; publicar "
                    "en la plataforma los resultados y su avance; e informar a «[nombre de la institución]» de cada "
                    "etapa del programa."
                ),
                _(
                    "Cuarto. Datos y resultados. Los datos que las partes compartan para el programa se publican como "
                    "datos abiertos, salvo «[datos personales o información reservada que se excluye]». Las "
                    "soluciones pertenecen a los equipos que las crean, salvo lo que digan las bases de la "
                    "competencia."
                ),
                _(
                    "Quinto. Costos. Cada parte asume sus propios costos, salvo «[aportes en dinero o especie "
                    "acordados]»."
                ),
                _(
                    "Sexto. Vigencia. Este convenio rige desde su firma hasta el «[fecha de término]». Cualquiera de "
                    "las partes puede ponerle término avisando por escrito con «[número]» días de anticipación."
                ),
                _(
                    "«[nombre, cargo y firma]»\n«[institución convocante]»\n\n«[nombre, cargo y firma]»\n«[nombre "
                    "de la institución]»"
                ),
            ],
        ),
    ]


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]


def build_guide(template: MethodologyTemplate) -> Guide:
    """The guide of `template` (from programs.selectors.template_get: components and phases prefetched)."""
    formats = list(template.workshop_formats.order_by("order"))
    held, roles, sectors = _earlier_use(template, [f.key for f in formats])
    kinds = dict(Kind.choices)
    sector_labels = dict(Sector.choices)
    by_component: dict[str, list[FormatGuide]] = defaultdict(list)
    for fmt in formats:
        structure = fmt.structure if isinstance(fmt.structure, dict) else {}
        by_component[fmt.component_key].append(
            FormatGuide(
                title=fmt.title,
                kind=str(kinds.get(fmt.kind, fmt.kind)),
                agenda=[line.strip() for line in fmt.agenda.splitlines() if line.strip()],
                structure=_structure_lines(structure),
                planned_sectors=[str(sector_labels.get(s, s)) for s in structure.get("sectors") or []],
                roles=_counted(roles.get(fmt.key, Counter()), ParticipantRole.choices),
                sectors=_counted(sectors.get(fmt.key, Counter()), Sector.choices),
                held=held.get(fmt.key, 0),
            )
        )
    components = [
        ComponentGuide(
            order=component.order,
            key=component.key,
            name=component.name,
            theme=component.theme,
            objective=component.objective,
            audience=component.audience,
            steps=[StepGuide(phase.name, phase.description) for phase in component.phases.all()],
            formats=by_component.get(component.key, []),
        )
        for component in template.components.all()
    ]
    narratives = (
        ReportNarrative.objects.filter(program__template=template, program__is_public=True)
        .exclude(lessons="")
        .select_related("program__jurisdiction")
        .order_by("program__start_date", "program__name")
    )
    lessons = [
        LessonGuide(
            program=n.program.name,
            jurisdiction=n.program.jurisdiction.name,
            period=period_text(n.program.start_date, n.program.end_date),
            paragraphs=_paragraphs(n.lessons),
        )
        for n in narratives
    ]
    return Guide(
        name=template.name,
        slug=template.slug,
        description=template.description,
        source=template.source,
        components=components,
        documents=document_models(),
        lessons=lessons,
        program_count=Program.objects.filter(template=template, is_public=True).count(),
        generated_at=date_format(timezone.localdate(), "DATE_FORMAT"),
    )


def render_pdf(guide: Guide, *, font="auto") -> bytes:
    title = _("Guía de la metodología: %(name)s") % {"name": guide.name}
    printer = Printer(title=title, running_head=_("Guía de la metodología"), font=font)
    lines = [_("Generada por Mueve el %(d)s.") % {"d": guide.generated_at}]
    if guide.source:
        lines.insert(0, _("Fuente: %(s)s") % {"s": guide.source})
    printer.title(title, lines)
    if guide.description:
        printer.paragraph(guide.description)
    printer.heading(_("Cómo usar esta guía"))
    printer.paragraph(
        _(
            "Los componentes se realizan en orden: cada uno se apoya en los resultados y en la comunidad de socios "
            "del anterior. Para cada componente encontrará su objetivo, quiénes se suman, sus pasos y los formatos "
            "de taller, con los roles y la mezcla de sectores que invitaron los programas anteriores."
        )
    )
    printer.items([c.heading for c in guide.components], ordered=False)
    for component in guide.components:
        printer.heading(component.heading)
        if component.theme:
            printer.paragraph(_("Eje: %(t)s") % {"t": component.theme}, muted=True)
        if component.objective:
            printer.paragraph(_("Objetivo: %(o)s") % {"o": component.objective})
        if component.audience:
            printer.paragraph(_("Quiénes se suman: %(a)s") % {"a": component.audience})
        printer.heading(_("Pasos"), 2)
        steps = [f"{s.name}: {s.description}" if s.description else s.name for s in component.steps]
        printer.items(steps, ordered=True)
        if component.formats:
            printer.heading(_("Formatos de taller"), 2)
        for fmt in component.formats:
            printer.heading(f"{fmt.title} ({fmt.kind})", 3)
            if fmt.agenda:
                printer.paragraph(_("Agenda:"), size=9.5)
                printer.items(fmt.agenda)
            if fmt.structure:
                printer.items(fmt.structure)
            if fmt.planned_sectors:
                printer.paragraph(
                    _("Mezcla de sectores prevista (grupos equilibrados): %(list)s.")
                    % {"list": ", ".join(fmt.planned_sectors)},
                    size=9.5,
                )
            printer.paragraph(fmt.earlier, muted=True, size=9)
            if fmt.roles:
                printer.paragraph(_("Roles: %(list)s.") % {"list": "; ".join(fmt.roles)}, size=9.5)
            if fmt.sectors:
                printer.paragraph(_("Sectores invitados: %(list)s.") % {"list": "; ".join(fmt.sectors)}, size=9.5)
    printer.heading(_("Modelos de documentos"))
    for document in guide.documents:
        printer.heading(document.title, 2)
        printer.paragraph(document.purpose, muted=True, size=9)
        for paragraph in document.paragraphs:
            printer.paragraph(paragraph, size=9.5)
    printer.heading(_("Lecciones de programas anteriores"))
    if not guide.lessons:
        printer.paragraph(_("Aún no hay lecciones registradas por programas que usen esta plantilla."), muted=True)
    for lesson in guide.lessons:
        printer.heading(f"{lesson.program} ({lesson.jurisdiction}, {lesson.period})", 2)
        for paragraph in lesson.paragraphs:
            printer.paragraph(paragraph)
    return printer.output()
