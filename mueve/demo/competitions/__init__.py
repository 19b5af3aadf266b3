"""MueveTT 2014 (component 3 of the seed: Box 3, Tables 6 and 7, Box 4), through the services.

From the report: the six challenges of Box 3 (created by the challenges demo), the partners of
Table 6, preparatory clinics in May 2014 where officials presented the challenges, a two-day
hackathon in June with 50 participants in 14 teams, a jury choosing five concepts plus two for
social impact (Table 7, with their categories), a three-month acceleration that four teams
finished, a final jury (head of Wayra Chile, the Vice-minister of Transport, a World Bank team
member) and two winners, Despierta and Refugio Inteligente, with a study tour as prize.

Generated, and labelled so (`is_generated`, "(generado)" in names): the participants, the seven
teams not named in the report, mentors other than the demo one, jurors other than the demo one,
every score, the clinics' questions, which three accelerated teams withdrew, and all dates within
a month. Demo accounts take part: emprendedora is in Despierta, mentor accompanies Despierta and
Refugio Inteligente, jurado sits on both juries, gestora organizes.

Loading twice changes nothing: the competition is found by slug and the loader stops."""

from mueve.accounts.models import User
from mueve.competitions import services
from mueve.competitions.models import Competition
from mueve.demo.competitions.muevett import CRITERIA, PROGRAM_SLUG, SLUG, TIE_BREAK, load  # noqa: F401
from mueve.demo.competitions.practice import CONFLICTED_PRACTICE_TEAM, PRACTICE_SLUG, load_jury_practice  # noqa: F401
from mueve.programs.models import Program

AWARD_SLUG = "premio-innovacion-gobierno"


def load_government_award() -> None:
    """The roadmap's "Creating the Government Innovation Award" (Table 5, 2019) as a competition of the Gran
    Concepción programme where public servants compete. The seed gives no edition of it: the text below is the
    demo's, marked as generated. Loading twice changes nothing."""
    if Competition.objects.filter(slug=AWARD_SLUG).exists():
        return
    program = Program.objects.get(slug=PROGRAM_SLUG)
    gestora = User.objects.get(username="gestora")
    competition = services.competition_create(
        actor=gestora,
        program=program,
        kind="government_award",
        name="Premio a la Innovación en Gobierno",
        slug=AWARD_SLUG,
        summary=(
            "Funcionarias y funcionarios de los servicios públicos y municipios del Gran Concepción presentan "
            "innovaciones que ya mejoraron un servicio de su institución, o que quieren probar con el GobLab."
        ),
        rules_text=(
            "Pueden inscribirse personas con cuenta de funcionario/a de una institución del programa, en equipos de "
            "1 a 4 personas. Un jurado de la Unidad de Ciudades Inteligentes y del GobLab elige las innovaciones "
            "premiadas."
        ),
        required_skills=[],
        min_team_size=1,
        max_team_size=4,
        is_generated=True,
    )
    services.competition_set_flags(actor=gestora, competition=competition, is_published=True, registration_open=True)
