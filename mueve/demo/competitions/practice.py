"""An open first-selection round of generated teams for the demo's juror, in the Temuco replica."""

from mueve.accounts.models import Role, User
from mueve.competitions import services
from mueve.competitions.models import (
    Competition,
    ConflictReason,
    Skill,
    StageKind,
)

# --- the jury's practice round -------------------------------------------------------------------------------------
from mueve.demo.competitions.muevett import CRITERIA, FIRST_NAMES, TIE_BREAK, _at, _pdf, _user
from mueve.programs.models import Program

PRACTICE_SLUG = "muevett-temuco-practica-jurado"
REPLICA_PROGRAM_SLUG = "muevett-temuco"
PRACTICE_TEAMS = [
    ("Bus Claro (generado)", "Pantallas con el tiempo de llegada en los paraderos de Temuco."),
    ("Cruce Seguro (generado)", "Aviso a conductores de cruces escolares con balizas de bajo costo."),
    ("Ruta Rural (generado)", "Direcciones rurales con coordenadas para ambulancias y bomberos."),
    ("Pedalea Temuco (generado)", "Estacionamientos de bicicletas con candado conectado."),
]
CONFLICTED_PRACTICE_TEAM = "Ruta Rural (generado)"


def load_jury_practice() -> None:
    """An open first-selection round of generated teams for the demo juror (`jurado`), so the jury's work can be
    tried: MueveTT 2014's rounds are closed, as the seed tells. It belongs to the Temuco replica, not to Gran
    Concepción, whose report stays the seed's. The juror declared a conflict with one team: the jury page shows it
    apart and never offers it for scoring. Loading twice changes nothing."""
    jurado = User.objects.filter(username="jurado").first()
    program = Program.objects.filter(slug=REPLICA_PROGRAM_SLUG).first()
    if jurado is None or program is None or Competition.objects.filter(slug=PRACTICE_SLUG).exists():
        return
    gestora = User.objects.get(username="gestora")
    competition = services.competition_create(
        actor=gestora,
        program=program,
        name="MueveTT Temuco: ronda de práctica del jurado",
        slug=PRACTICE_SLUG,
        summary=(
            "Ronda de práctica con equipos generados para que el jurado pruebe la evaluación antes de la competencia "
            "de Temuco. Todos sus datos son generados."
        ),
        min_team_size=3,
        max_team_size=4,
        is_generated=True,
    )
    for kind, start, end in (
        (StageKind.HACKATHON, _at(2027, 6, 10, 9), _at(2027, 6, 11, 16)),
        (StageKind.FIRST_SELECTION, _at(2027, 6, 11, 17), _at(2027, 6, 11, 20)),
    ):
        services.stage_set(actor=gestora, competition=competition, kind=kind, starts_at=start, ends_at=end)
    services.competition_set_flags(actor=gestora, competition=competition, is_published=True, registration_open=True)
    skills = [Skill.DESIGN, Skill.BUSINESS, Skill.TECHNOLOGY]
    teams = {}
    for t, (name, concept) in enumerate(PRACTICE_TEAMS):
        members = [
            services.participant_register(
                actor=_user(f"practica-p{t}{i}", Role.PARTICIPANT, FIRST_NAMES[(t * 3 + i) % 20], "(generado)"),
                competition=competition,
                skills=[skills[i]],
                is_generated=True,
            )
            for i in range(3)
        ]
        day = _at(2027, 6, 10, 11)
        team = services.team_create(
            actor=members[0].user, competition=competition, name=name, is_generated=True, now=day
        )
        for member in members[1:]:
            invitation = services.team_invite(actor=members[0].user, team=team, participant=member, now=day)
            services.invitation_respond(actor=member.user, invitation=invitation, accept=True, now=day)
        services.submission_create(
            actor=team.captain,
            team=team,
            stage=StageKind.HACKATHON,
            concept=concept,
            deck=_pdf(f"practica-{t}.pdf"),
            now=_at(2027, 6, 11, 12, t * 5),
        )
        teams[name] = team
    services.competition_set_flags(actor=gestora, competition=competition, registration_open=False)
    second = _user("practica-jurado-2", Role.JUROR, FIRST_NAMES[15], "(jurado generado)")
    round_ = services.round_create(
        actor=gestora,
        competition=competition,
        stage=StageKind.FIRST_SELECTION,
        name="Primera selección (práctica)",
        tie_break=TIE_BREAK,
        criteria=CRITERIA,
        jurors=[jurado, second],
        top_n=2,
        impact_m=0,
    )
    services.conflict_declare(
        actor=jurado,
        team=teams[CONFLICTED_PRACTICE_TEAM],
        reason=ConflictReason.OTHER,
        note="Asesoró al equipo (generado).",
    )
    services.round_open(actor=gestora, round=round_)
