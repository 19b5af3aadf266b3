"""MueveTT 2014 as the seed tells it: partners, clinics, teams, rounds, the selection and the winners."""

import datetime as dt
import random

from django.core.files.base import ContentFile
from django.utils import timezone

from mueve.accounts.models import Role, User
from mueve.accounts.services import user_create
from mueve.challenges.models import Challenge
from mueve.competitions import services
from mueve.competitions.models import (
    Competition,
    ConflictReason,
    Contribution,
    MentorProfile,
    Skill,
    StageKind,
    Team,
)
from mueve.programs.models import Program
from mueve.stakeholders.models import Organization

SLUG = "muevett-2014"
PROGRAM_SLUG = "smart-city-gran-concepcion"
SEED = 2014

BOX3 = {
    "vandalism": "¿Cómo reducir el vandalismo en paraderos, buses y semáforos?",
    "drivers": "¿Cómo incentivar a los conductores a respetar las normas de tránsito?",
    "traffic_info": "¿Cómo recolectar información de tránsito para hacer la ciudad más sustentable?",
    "experience": "¿Cómo mejorar la experiencia de viaje en el transporte público?",
    "rural": "¿Cómo reducir la mortalidad en accidentes de tránsito en zonas rurales?",
    "alternative": "¿Cómo fomentar modos de transporte alternativos para hacer la ciudad más sustentable?",
}

# Table 6: (organization slug, contribution, detail). Contributions per partner are illustrative:
# the report says partners gave sponsorship, in-kind contributions and mentorship.
PARTNERS = [
    ("movistar", Contribution.SPONSORSHIP, "Sector privado"),
    ("wayra", Contribution.MENTORSHIP, "Aceleradora: mentoría, jurado final y gira de estudio"),
    ("microsoft", Contribution.IN_KIND, "Sector privado"),
    ("indra", Contribution.MENTORSHIP, "Sector privado"),
    ("cvx-r", Contribution.IN_KIND, "Sector privado"),
    ("mci-electronics", Contribution.IN_KIND, "Materiales electrónicos"),
    ("universidad-del-bio-bio", Contribution.INCUBATION, "Universidad con incubadora"),
    ("duoc-uc", Contribution.IN_KIND, "Academia"),
    ("inacap", Contribution.IN_KIND, "Academia"),
    ("universidad-del-desarrollo", Contribution.INCUBATION, "Universidad con incubadora"),
    ("universidad-de-concepcion", Contribution.INCUBATION, "Universidad con incubadora"),
    ("pais-digital", Contribution.MENTORSHIP, "Fundación"),
    ("red-plus", Contribution.MENTORSHIP, "ONG"),
    ("observatorio-metropolitano", Contribution.MENTORSHIP, "ONG"),
    ("no-mas-abusos", Contribution.MENTORSHIP, "ONG"),
    ("cidere", Contribution.SPONSORSHIP, "Cámara de comercio"),
    ("corbiobio", Contribution.SPONSORSHIP, "Corporación de desarrollo regional"),
]

# Table 7: (name, category, challenge key, concept, social-impact pick?, quality for generated scores)
SELECTED = [
    (
        "911-R",
        "Aplicación móvil",
        "rural",
        "Sistema que georreferencia las viviendas de los caminos rurales para ubicar emergencias donde no hay "
        "direcciones uniformes.",
        False,
        0.80,
    ),
    (
        "Despierta",
        "Aplicación móvil",
        "experience",
        "Alarma programada según la ubicación del destino que avisa a quien viaja en micro que se acerca a su "
        "parada; responde a la falta de paraderos formales. En la aceleración se rediseñó para personas ciegas: "
        "el teléfono avisa por voz cuándo llega la micro y 200 metros antes del destino.",
        False,
        0.92,
    ),
    (
        "Refugio Inteligente",
        "Materiales inteligentes",
        "vandalism",
        "Paradero modular con piezas y materiales inteligentes resistentes al vandalismo, con servicios "
        "adicionales como wifi o cargadores USB.",
        False,
        0.88,
    ),
    (
        "i-BiciPark",
        "Sensores",
        "alternative",
        "Estacionamiento de bicicletas con cámara IP y sensores de peso que detectan un robo y envían una "
        "alarma al celular o a la conserjería del edificio.",
        False,
        0.76,
    ),
    (
        "Ya Voy",
        "Aplicación móvil",
        "experience",
        "Planificador de viajes para el transporte público del Gran Concepción, ante la falta de información "
        "de recorridos en la calle.",
        False,
        0.72,
    ),
    (
        "Alerta Drone",
        "Robótica",
        "traffic_info",
        "Drones que entregan video al control de tránsito donde no hay cámaras; sirven para incidentes y "
        "reducen las inspecciones en terreno.",
        True,
        0.52,
    ),
    (
        "Tu Colectivo",
        "Aplicación móvil",
        "experience",
        "Aplicación que coordina oferta y demanda de taxis colectivos, para que no esperen llenos en su "
        "parada inicial congestionando el tránsito.",
        True,
        0.48,
    ),
]
OTHER_TEAMS = [
    ("Paradero Seguro (generado)", "vandalism", 0.55),
    ("Conduce Bien (generado)", "drivers", 0.50),
    ("Semáforo Amigo (generado)", "drivers", 0.45),
    ("Datos en Ruta (generado)", "traffic_info", 0.42),
    ("Pedalea Conce (generado)", "alternative", 0.40),
    ("Camino Rural (generado)", "rural", 0.38),
    ("Micro a Tiempo (generado)", "experience", 0.35),
]
FINALISTS = ["Despierta", "Refugio Inteligente", "911-R", "i-BiciPark"]
WINNERS = {
    "Despierta": "Solución ingeniosa a una brecha del transporte público: personas ciegas pueden tomar la micro y "
    "bajarse donde necesitan, escalable a toda la conurbación sin costo para el gobierno.",
    "Refugio Inteligente": (
        "Paradero modular resistente al vandalismo, con servicios que reducen el incentivo a dañarlo."
    ),
}
FIRST_NAMES = [
    "Ana", "Benjamín", "Carla", "Diego", "Esteban", "Fernanda", "Gabriel", "Héctor", "Isidora", "Javiera",
    "Karen", "Lucas", "Martina", "Nicolás", "Óscar", "Paz", "Rocío", "Sebastián", "Tamara", "Valentina",
]  # fmt: skip
CRITERIA = [
    ("Impacto en el desafío", 25, 1, 5),
    ("Factibilidad", 20, 1, 5),
    ("Innovación", 15, 1, 5),
    ("Modelo de negocios", 15, 1, 5),
    ("Equipo", 10, 1, 5),
    ("Impacto social", 15, 1, 5),
]
TIE_BREAK = (
    "Ranking principal por Kemeny (óptimo exacto). Si dos equipos empatan, gana el que entregó primero "
    "su concepto; el orden de entrega queda publicado al abrir la evaluación."
)


def _at(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, h, mi))


def _pdf(name: str) -> ContentFile:
    # A minimal PDF: enough for the type check and a link on the page.
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return ContentFile(body, name=name)


def _user(username: str, role: str, first: str, last: str, organization=None) -> User:
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    # Generated people cannot log in: no password.
    return user_create(
        username=username, password=None, role=role, first_name=first, last_name=last, organization=organization
    )


def load() -> None:
    if Competition.objects.filter(slug=SLUG).exists():
        return
    program = Program.objects.get(slug=PROGRAM_SLUG)
    gestora = User.objects.get(username="gestora")
    rng = random.Random(SEED)
    challenges = {key: Challenge.objects.filter(program=program, title=title).first() for key, title in BOX3.items()}
    challenges = {k: c for k, c in challenges.items() if c is not None}

    competition = services.competition_create(
        actor=gestora,
        program=program,
        name="MueveTT 2014",
        slug=SLUG,
        summary=(
            "Competencia de innovación abierta de Smart City Gran Concepción: equipos de diseño, negocios y "
            "tecnología proponen soluciones tecnológicas a seis desafíos de transporte presentados por "
            "funcionarios locales y municipales. 50 participantes en 14 equipos; cinco conceptos seleccionados "
            "más dos por impacto social; cuatro terminaron la aceleración y dos ganaron."
        ),
        rules_text=(
            "Cada equipo reúne habilidades de diseño, negocios y tecnología y presenta el concepto de una solución "
            "tecnológica (software, hardware u otra) para uno de los desafíos, en un pitch de tres minutos.\n"
            "Un jurado de profesionales técnicos y de emprendimiento, junto con funcionarios públicos, elige cinco "
            "conceptos y hasta dos más por su impacto social.\n"
            "Los seleccionados desarrollan en tres meses un prototipo mínimo viable, un plan de negocios básico y "
            "un pitch para la final."
        ),
        challenges=list(challenges.values()),
        min_team_size=3,
        max_team_size=5,
        team_changes_until=_at(2014, 6, 13, 14),
        is_generated=True,
    )
    stages = [
        (StageKind.CLINICS, _at(2014, 5, 20, 9), _at(2014, 5, 28, 18), None, "Dos clínicas preparatorias."),
        (StageKind.HACKATHON, _at(2014, 6, 13, 9), _at(2014, 6, 14, 16), _at(2014, 6, 14, 17), "Dos días."),
        (StageKind.FIRST_SELECTION, _at(2014, 6, 14, 17), _at(2014, 6, 14, 20), None, "Pitch de tres minutos."),
        (StageKind.ACCELERATION, _at(2014, 7, 1), _at(2014, 10, 15, 23, 59), None, "Tres meses con mentoría."),
        (StageKind.FINAL, _at(2014, 10, 23, 9), _at(2014, 10, 23, 18), None, "Pitch final ante el jurado."),
    ]
    for kind, start, end, late, text in stages:
        services.stage_set(
            actor=gestora,
            competition=competition,
            kind=kind,
            starts_at=start,
            ends_at=end,
            late_until=late,
            description=text,
        )
    services.prize_set(
        actor=gestora,
        competition=competition,
        title="Gira de estudio a Madrid y Barcelona",
        description=(
            "Febrero de 2015: encuentros con emprendedores, mentores e inversionistas, aceleradoras Wayra de "
            "Barcelona y Madrid y la conferencia Four Years From Now (4YFN)."
        ),
    )
    for slug, contribution, detail in PARTNERS:
        org = Organization.objects.filter(slug=slug).first()
        if org is not None:
            services.partner_set(
                actor=gestora, competition=competition, organization=org, contribution=contribution, detail=detail
            )

    # Clinics: officials present the challenges (May 2014).
    official = User.objects.filter(username="funcionario").first()
    clinic_plan = [
        (
            "Clínica 1: vandalismo, información de tránsito y modos alternativos",
            (2014, 5, 20),
            ["vandalism", "traffic_info", "alternative"],
        ),
        (
            "Clínica 2: experiencia de viaje, conductores y zonas rurales",
            (2014, 5, 27),
            ["experience", "drivers", "rural"],
        ),
    ]
    for title, (y, m, d), keys in clinic_plan:
        key = next((k for k in keys if k in challenges), None)
        if key is None:
            continue
        clinic = services.clinic_create(
            actor=gestora,
            competition=competition,
            challenge=challenges[key],
            title=title,
            starts_at=_at(y, m, d, 18),
            presenter=official,
            place="Concepción",
        )
        question = services.clinic_ask(
            actor=gestora, clinic=clinic, question="¿Se puede proponer hardware además de aplicaciones? (generada)"
        )
        services.clinic_answer(
            actor=gestora, question=question, answer="Sí: cualquier tecnología, software, hardware u otra."
        )

    services.competition_set_flags(actor=gestora, competition=competition, is_published=True, registration_open=True)

    # 50 participants (49 generated + emprendedora) in 14 teams: 8 of four and 6 of three.
    specs = [(name, cat, key, concept, impact, q) for name, cat, key, concept, impact, q in SELECTED]
    specs += [(name, "", key, "", False, q) for name, key, q in OTHER_TEAMS]
    sizes = [4] * 8 + [3] * 6
    skills_cycle = [Skill.DESIGN, Skill.BUSINESS, Skill.TECHNOLOGY]
    hackathon_day = _at(2014, 6, 13, 11)
    emprendedora = User.objects.filter(username="emprendedora").first()
    teams: dict[str, Team] = {}
    quality: dict[int, float] = {}
    n = 0
    for (name, category, key, concept, _impact, q), size in zip(specs, sizes, strict=True):
        members = []
        for i in range(size):
            n += 1
            if name == "Despierta" and i == 0 and emprendedora is not None:
                user = emprendedora
            else:
                first = FIRST_NAMES[n % len(FIRST_NAMES)]
                user = _user(f"muevett14-p{n:02d}", Role.PARTICIPANT, first, "(generado)")
            skills = [skills_cycle[i % 3]] + ([Skill.OTHER] if i == 3 else [])
            participant = services.participant_register(
                actor=user,
                competition=competition,
                skills=skills,
                other_skill="Comunicación" if i == 3 else "",
                is_generated=user != emprendedora,
            )
            members.append(participant)
        team = services.team_create(
            actor=members[0].user,
            competition=competition,
            name=name,
            challenge=challenges.get(key),
            category=category,
            is_generated=not concept,
            now=hackathon_day,
        )
        for member in members[1:]:
            invitation = services.team_invite(actor=members[0].user, team=team, participant=member, now=hackathon_day)
            services.invitation_respond(actor=member.user, invitation=invitation, accept=True, now=hackathon_day)
        teams[name] = team
        quality[team.pk] = q
    # The clinics gathered the community of entrepreneurs before the hackathon (generated: who went to which).
    clinics = list(competition.clinics.order_by("starts_at"))
    for i, team in enumerate(teams.values()):
        if not clinics:
            break
        clinic = clinics[i % len(clinics)]
        for member in team.members.select_related("user"):
            services.clinic_register(actor=member.user, clinic=clinic)
    for clinic in clinics:
        services.clinic_mark_attendance(
            actor=gestora, clinic=clinic, users=list(clinic.registrations.values_list("user_id", flat=True))
        )
    services.competition_set_flags(actor=gestora, competition=competition, registration_open=False)

    # Mentors: the demo mentor plus generated ones, by expertise (the report: more than 10 mentors).
    mentor = User.objects.filter(username="mentor").first()
    mentors = [mentor] if mentor else []
    for i in range(12):
        mentors.append(_user(f"muevett14-m{i + 1:02d}", Role.MENTOR, FIRST_NAMES[(i * 7) % 20], "(mentor generado)"))
    for i, m in enumerate(mentors):
        if not MentorProfile.objects.filter(user=m).exists():
            services.mentor_profile_set(
                actor=gestora,
                user=m,
                expertise=["business", "technology"] if m == mentor else [["design", "business", "technology"][i % 3]],
                bio="Emprendimiento y aceleración." if m == mentor else "Perfil generado.",
                max_teams=2,
            )
    if mentor is not None:
        for name in ("Despierta", "Refugio Inteligente"):
            services.mentor_assign(actor=gestora, team=teams[name], mentor=mentor)
    services.mentors_assign_balanced(actor=gestora, competition=competition)

    # Hackathon submissions: concept + deck, in the order the teams finished (it fixes the tie-break).
    order = list(teams.values())
    rng.shuffle(order)
    for i, team in enumerate(order):
        concept = next((c for n_, _c, _k, c, _i, _q in specs if n_ == team.name), "") or (
            "Concepto generado para la demostración."
        )
        services.submission_create(
            actor=team.captain,
            team=team,
            stage=StageKind.HACKATHON,
            concept=concept,
            deck=_pdf(f"pitch-{team.pk}.pdf"),
            now=_at(2014, 6, 14, 12, 0) + dt.timedelta(minutes=7 * i),
        )
    if mentor is not None:
        services.mentor_session_log(
            actor=mentor,
            team=teams["Despierta"],
            held_on=dt.date(2014, 6, 13),
            notes="Sugerencia: considerar a personas ciegas como usuarias; el aviso por voz cambia el alcance.",
        )

    # First selection: a panel of five (the demo juror plus generated professionals and officials).
    jurado = User.objects.filter(username="jurado").first()
    panel = [jurado] if jurado else []
    panel += [_user(f"muevett14-j{i}", Role.JUROR, FIRST_NAMES[i + 10], "(jurado generado)") for i in range(1, 5)]
    first = services.round_create(
        actor=gestora,
        competition=competition,
        stage=StageKind.FIRST_SELECTION,
        name="Primera selección (hackatón)",
        tie_break=TIE_BREAK,
        criteria=CRITERIA,
        jurors=panel,
        top_n=5,
        impact_m=2,
    )
    # A generated juror declares a conflict (illustrative): recusal shows in the aggregate.
    services.conflict_declare(
        actor=panel[-1], team=teams["i-BiciPark"], reason=ConflictReason.FAMILY, note="Dato generado."
    )
    services.round_open(actor=gestora, round=first)
    _generated_scores(first, panel, quality, rng)
    services.round_close(actor=gestora, round=first)
    impact = {
        teams["Alerta Drone"].pk: "Potencial de impacto social: video para incidentes donde no hay cámaras.",
        teams["Tu Colectivo"].pk: "Potencial de impacto social: menos congestión de colectivos en espera.",
    }
    services.selection_record(actor=gestora, round=first, impact_picks=impact)

    # Acceleration (July–October): milestones with mentor sign-off; three teams withdraw (illustrative).
    for name, team in teams.items():
        if name not in {s[0] for s in SELECTED}:
            continue
        if name not in FINALISTS:
            services.team_withdraw(
                actor=team.captain, team=team, reason="No terminó la aceleración (cuáles tres no terminaron: generado)."
            )
            continue
        signer = mentor if team.mentor_assignments.filter(mentor=mentor).exists() else None
        signer = signer or team.mentor_assignments.first().mentor
        for title, due in (
            ("Prototipo mínimo viable", dt.date(2014, 8, 29)),
            ("Plan de negocios básico", dt.date(2014, 9, 30)),
            ("Pitch final", dt.date(2014, 10, 15)),
        ):
            milestone = services.milestone_add(actor=team.captain, team=team, title=title, due_on=due)
            services.milestone_mark_done(actor=team.captain, milestone=milestone, evidence_url="https://example.org/")
            services.milestone_sign_off(actor=signer, milestone=milestone)
        slug = team.name.lower().replace(" ", "-")
        services.submission_create(
            actor=team.captain,
            team=team,
            stage=StageKind.ACCELERATION,
            prototype_url=f"https://example.org/{slug}/prototipo",
            repository_url=f"https://example.org/{slug}/codigo",
            demo_url=f"https://example.org/{slug}/demo",
            business_plan=_pdf(f"plan-{team.pk}.pdf"),
            deck=_pdf(f"pitch-final-{team.pk}.pdf"),
            now=_at(2014, 10, 14, 18),
        )

    # Final: head of Wayra Chile (the demo juror), the Vice-minister of Transport, a World Bank member.
    final_panel = [jurado] if jurado else []
    final_panel += [
        _user("muevett14-viceministro", Role.JUROR, "Viceministro de Transportes", "(generado)"),
        _user("muevett14-banco-mundial", Role.JUROR, "Equipo del Banco Mundial", "(generado)"),
    ]
    final = services.round_create(
        actor=gestora,
        competition=competition,
        stage=StageKind.FINAL,
        name="Final",
        tie_break=TIE_BREAK.replace("su concepto", "su entrega de aceleración"),
        criteria=CRITERIA,
        jurors=final_panel,
        top_n=2,
        impact_m=0,
    )
    services.round_open(actor=gestora, round=final)
    _generated_scores(final, final_panel, quality, rng)
    services.round_close(actor=gestora, round=final)
    services.winners_record(
        actor=gestora, round=final, winners={teams[name].pk: text for name, text in WINNERS.items()}
    )
    services.competition_set_flags(actor=gestora, competition=competition, results_published=True)


def _generated_scores(round_, panel, quality: dict[int, float], rng: random.Random) -> None:
    """Integer scores around each team's generated quality, ±1 of noise, marked as generated."""
    from mueve.competitions import selectors

    criteria = list(round_.criteria.all())
    for juror in panel:
        for team in selectors.teams_for_juror(round_=round_, user=juror):
            values = {}
            for c in criteria:
                base = c.scale_min + quality[team.pk] * (c.scale_max - c.scale_min)
                values[c.pk] = max(c.scale_min, min(c.scale_max, round(base + rng.choice((-1, 0, 0, 1)) * 0.6)))
            services.score_set(
                actor=juror,
                round=round_,
                team=team,
                values=values,
                comment="Puntaje generado para la demostración.",
                is_generated=True,
            )
