"""A whole competition in real Chromium: the organizer opens it, participants register and form a team,
the team submits concept and pitch, jurors (one conflicted) score, the organizer closes the round and
selects 5 + 2, milestones get a mentor's sign-off, the final is judged and the winners are published.

Other teams and most scores are seeded through the services (the same code the pages call)."""

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mueve.accounts.models import Role
from mueve.accounts.services import user_create
from mueve.challenges import services as challenge_services
from mueve.challenges.models import Kind, Status
from mueve.competitions import selectors, services
from mueve.competitions.models import Competition, Participant, StageKind, Team
from mueve.programs.models import Program
from mueve.stakeholders.models import Level, Organization, Sector
from mueve.territory.models import Jurisdiction
from tests.browser.conftest import add_axe, open_menu, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "una-clave-de-prueba"
CRITERIA = [("Impacto", 40, 1, 5), ("Factibilidad", 30, 1, 5), ("Innovación", 30, 1, 5)]
PDF = {"name": "pitch.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("pitch.pdf", PDF["buffer"], content_type="application/pdf")


def _user(username, role, **extra):
    return user_create(username=username, password=PASSWORD, role=role, first_name=username.title(), **extra)


@pytest.fixture
def world(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    uoct = Organization.objects.create(name="UOCT", slug="uoct", sector=Sector.GOVERNMENT, level=Level.REGIONAL)
    jurisdiction = Jurisdiction.objects.create(slug="gc", name="Gran Concepción", kind="metropolitan_area")
    program = Program.objects.create(
        name="Smart City", slug="smart-city", jurisdiction=jurisdiction,
        start_date=dt.date(2014, 1, 1), end_date=dt.date(2030, 1, 1),
    )  # fmt: skip
    gestora = _user("gestora", Role.MANAGER)
    challenge = challenge_services.challenge_create(
        actor=gestora, program=program, title="¿Cómo mejorar la experiencia de viaje?", owner=uoct, kind=Kind.ABSTRACT
    )
    for step in (Status.VALIDATED, Status.PUBLISHED):
        challenge_services.challenge_transition(actor=gestora, challenge=challenge, to_status=step)
    competition = services.competition_create(
        actor=gestora, program=program, name="MueveTT", slug="muevett", challenges=[challenge],
        min_team_size=3, max_team_size=4,
    )  # fmt: skip
    from django.utils import timezone

    now = timezone.now()
    day = dt.timedelta(days=1)
    for kind, start, end in [
        (StageKind.CLINICS, now - 9 * day, now - 8 * day),
        (StageKind.HACKATHON, now - day, now + day),
        (StageKind.FIRST_SELECTION, now + day, now + 2 * day),
        (StageKind.ACCELERATION, now - day, now + 60 * day),
        (StageKind.FINAL, now + 61 * day, now + 62 * day),
    ]:
        services.stage_set(actor=gestora, competition=competition, kind=kind, starts_at=start, ends_at=end)
    people = {name: _user(name, Role.PARTICIPANT) for name in ("ana", "beto", "caro")}
    jurors = [_user(f"jurado{i}", Role.JUROR) for i in (1, 2, 3)]
    mentor = _user("mentora", Role.MENTOR)
    services.mentor_profile_set(actor=mentor, expertise=["business"])
    return {
        "competition": competition, "gestora": gestora, "challenge": challenge, "people": people,
        "jurors": jurors, "mentor": mentor,
    }  # fmt: skip


def _seed_other_teams(world, n=7):
    """Seven more teams with hackathon submissions, formed through the services."""
    competition, challenge = world["competition"], world["challenge"]
    teams = []
    for i in range(n):
        members = []
        for j, skill in enumerate(("design", "business", "technology")):
            user = _user(f"t{i}p{j}", Role.PARTICIPANT)
            members.append(services.participant_register(actor=user, competition=competition, skills=[skill]))
        team = services.team_create(
            actor=members[0].user, competition=competition, name=f"Equipo {i + 1}", challenge=challenge
        )
        for p in members[1:]:
            services.team_add_member(actor=world["gestora"], team=team, participant=p)
        services.submission_create(
            actor=team.captain, team=team, stage=StageKind.HACKATHON, concept=f"Concepto {i + 1}", deck=_pdf()
        )
        teams.append(team)
    return teams


def _login(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/")
    open_menu(page)
    page.get_by_role("link", name="Entrar").click()
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    # The menu of the page after the login, not of the login page still on screen (a race under load).
    page.wait_for_url(lambda url: "/cuentas/entrar/" not in url)
    page.wait_for_load_state()
    open_menu(page)
    expect(page.get_by_role("button", name="Salir")).to_be_visible()


AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
AXE_RUN = """async () => {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
}"""


def _axe(page, name: str) -> None:
    """No WCAG 2.1 A/AA violation that axe-core can find (disclosures opened first)."""
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    add_axe(page)
    violations = page.evaluate(AXE_RUN)
    assert not violations, f"{name}: {violations}"


def _scores(round_, juror, team, v):
    services.score_set(actor=juror, round=round_, team=team, values={c.pk: v for c in round_.criteria.all()})


def test_whole_competition_flow(world, live_server, page, phone_page):
    base = live_server.url
    competition: Competition = world["competition"]
    detail = f"{base}/competencias/{competition.slug}/"
    manage = detail + "gestion/"

    # 1. The organizer opens the competition.
    _login(page, base, "gestora")
    page.goto(manage)
    page.get_by_role("button", name="Publicar y abrir inscripciones").click()
    expect(page.get_by_role("status").first).to_contain_text("publicada")
    page.goto(detail)
    expect(page.locator("svg.timeline-chart")).to_be_visible()
    screenshot(page, "competition-detail")
    _axe(page, "detail as organizer")

    # 2. Participants register with their skills and form a team by invitation.
    _login(page, base, "ana")
    page.goto(detail)
    page.get_by_label("Diseño").check()
    page.get_by_role("button", name="Inscribirme").click()
    expect(page.get_by_role("status").first).to_contain_text("Inscripción guardada")
    page.get_by_label("Nombre del equipo").fill("Despierta")
    page.get_by_label("Desafío que abordará").select_option(str(world["challenge"].pk))
    page.get_by_role("button", name="Crear equipo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Despierta")
    team = Team.objects.get(name="Despierta")
    competition.refresh_from_db()  # the organizer opened it through the page

    for name, skill in (("beto", "business"), ("caro", "technology")):
        services.participant_register(actor=world["people"][name], competition=competition, skills=[skill])
    page.reload()
    for name in ("beto", "caro"):
        participant = Participant.objects.get(user=world["people"][name])
        page.get_by_label("Invitar a").select_option(str(participant.pk))
        page.get_by_role("button", name="Enviar invitación").click()
        expect(page.get_by_role("status").first).to_contain_text("Guardado")
    # Until the invited accept, the team lacks skills and cannot submit: the page says why.
    page.get_by_label("Concepto").fill("Alarma que avisa la cercanía del destino.")
    page.get_by_role("button", name="Entregar").click()
    expect(page.locator("#form-errors").first).to_contain_text("falta negocios, tecnología")

    for name in ("beto", "caro"):
        _login(page, base, name)
        page.goto(detail)
        page.get_by_role("button", name="Aceptar invitación de Despierta").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Despierta")

    # 3. The team submits its concept and three-minute pitch.
    _login(page, base, "ana")
    page.goto(f"{detail}equipos/{team.pk}/")
    page.get_by_label("Concepto").fill("Alarma que avisa la cercanía del destino, también por voz.")
    page.get_by_label(re.compile("Presentación \\(PDF")).set_input_files(PDF)
    page.get_by_label(re.compile("Video del pitch")).fill("https://video.example.org/despierta")
    page.get_by_role("button", name="Entregar").click()
    expect(page.locator(".checklist .ok")).to_have_count(2)
    screenshot(page, "competition-team")
    _axe(page, "team page")
    _login(phone_page, base, "ana")
    phone_page.goto(f"{detail}equipos/{team.pk}/")
    expect(phone_page.locator(".checklist .ok")).to_have_count(2)
    overflow = phone_page.evaluate("document.documentElement.scrollWidth") - 360
    assert overflow <= 0, f"team page scrolls sideways by {overflow}px at 360 px"
    screenshot(phone_page, "competition-team-360")
    _axe(phone_page, "team page at 360 px")

    # 4. Jurors score; one declares a conflict with Despierta and no longer sees it.
    others = _seed_other_teams(world)
    jurors = world["jurors"]
    _login(page, base, "gestora")
    page.goto(manage)
    page.get_by_text("Crear una ronda de jurado").click()
    page.get_by_label("Nombre de la ronda").fill("Primera selección")
    page.get_by_label("Rúbrica").fill("Impacto; 40; 1; 5\nFactibilidad; 30; 1; 5\nInnovación; 30; 1; 5")
    page.get_by_label(re.compile("Regla de desempate")).fill("Gana quien entregó primero.")
    for juror in jurors:
        page.get_by_label(str(juror), exact=True).check()
    page.get_by_role("button", name="Crear ronda").click()
    expect(page.get_by_role("status").first).to_contain_text("Ronda creada")
    first = competition.rounds.get()
    page.get_by_role("button", name="Abrir evaluación: Primera selección").click()
    expect(page.get_by_role("status").first).to_contain_text("Evaluación abierta")

    _login(page, base, "jurado3")
    page.goto(f"{detail}jurado/{first.pk}/")
    expect(page.get_by_role("heading", name="Despierta")).to_be_visible()
    page.get_by_text("Declarar un conflicto de interés").click()
    page.locator("#id_team").select_option(str(team.pk))
    page.get_by_label("Motivo").select_option("family")
    page.get_by_role("button", name="Declarar conflicto").click()
    expect(page.get_by_role("heading", name="Despierta")).to_have_count(0)

    _login(page, base, "jurado1")
    page.goto(f"{detail}jurado/{first.pk}/")
    card = page.locator(f"#equipo-{team.pk}")
    card.get_by_label("Impacto (40 %)").fill("9")
    card.get_by_label("Factibilidad (30 %)").fill("5")
    card.get_by_label("Innovación (30 %)").fill("5")
    card.get_by_role("button", name="Guardar evaluación de Despierta").click()
    card = page.locator(f"#equipo-{team.pk}")
    expect(card.locator(".errorlist").first).to_contain_text("va de 1 a 5")
    card.get_by_label("Impacto (40 %)").fill("5")
    card.get_by_role("button", name="Guardar evaluación de Despierta").click()
    expect(page.get_by_role("status").first).to_contain_text("Evaluación de Despierta guardada")
    screenshot(page, "competition-jury")
    _axe(page, "jury page")

    quality = [4, 4, 4, 3, 3, 2, 2]
    first.refresh_from_db()  # opened through the page
    _scores(first, jurors[1], team, 5)
    for juror in jurors:
        for other, v in zip(others, quality, strict=True):
            _scores(first, juror, other, v)

    # 5. The organizer closes the round and selects the top 5 plus 2 for social impact.
    _login(page, base, "gestora")
    page.goto(manage)
    page.get_by_role("button", name="Cerrar ronda: Primera selección").click()
    expect(page.get_by_role("status").first).to_contain_text("ranking quedó congelado")
    ranking = page.locator("table.ranking").first
    expect(ranking.locator("tbody tr").first).to_contain_text("Despierta")
    impact = [o for o in others if o.name in ("Equipo 6", "Equipo 7")]
    for other in impact:
        page.get_by_label(other.name, exact=True).check()
        page.get_by_label(f"Justificación para {other.name}").fill(f"Impacto social de {other.name}.")
    page.get_by_role("button", name="Registrar selección").click()
    expect(page.get_by_role("status").first).to_contain_text("Selección registrada")
    expect(page.locator("table.ranking tr.selected")).to_have_count(7)
    screenshot(page, "competition-manage")
    _axe(page, "manage page")

    # 6. Acceleration: a milestone done by the team, signed off by its mentor.
    services.mentor_assign(actor=world["gestora"], team=team, mentor=world["mentor"])
    _login(page, base, "ana")
    page.goto(f"{detail}equipos/{team.pk}/")
    page.get_by_label("Hito:", exact=True).fill("Prototipo mínimo viable")
    page.get_by_label("Fecha comprometida").fill(dt.date.today().isoformat())
    page.get_by_role("button", name="Agregar hito").click()
    page.get_by_role("button", name="Marcar hecho: Prototipo mínimo viable").click()
    _login(page, base, "mentora")
    page.goto(f"{detail}equipos/{team.pk}/")
    page.get_by_role("button", name="Dar visto bueno: Prototipo mínimo viable").click()
    expect(page.locator(".milestone-signed_off")).to_have_count(1)

    # Four teams finish the acceleration (Despierta through the page), the rest withdraw.
    _login(page, base, "ana")
    page.goto(f"{detail}equipos/{team.pk}/")
    block = page.locator("#entrega-acceleration")
    block.get_by_label("Prototipo (enlace)").fill("https://example.org/prototipo")
    block.get_by_label("Repositorio (enlace)").fill("https://example.org/codigo")
    block.get_by_label("Demostración (enlace)").fill("https://example.org/demo")
    block.get_by_label(re.compile("Plan de negocios")).set_input_files(PDF)
    block.get_by_label(re.compile("Pitch final")).set_input_files(PDF)
    block.get_by_role("button", name="Entregar").click()
    expect(page.locator("#entrega-acceleration .checklist .ok")).to_have_count(5)
    selected = [o for o in others if selectors.selected_in_first_round(o)]
    finalists = selected[:3]
    for other in finalists:
        services.submission_create(
            actor=other.captain, team=other, stage=StageKind.ACCELERATION,
            prototype_url="https://example.org/p", repository_url="https://example.org/r",
            demo_url="https://example.org/d", business_plan=_pdf(), deck=_pdf(),
        )  # fmt: skip
    for other in selected[3:]:
        services.team_withdraw(actor=other.captain, team=other, reason="No terminó la aceleración.")

    # 7. Final: scored, closed, winners chosen and published by the organizer.
    final = services.round_create(
        actor=world["gestora"], competition=competition, stage=StageKind.FINAL, name="Final",
        tie_break="Gana quien entregó primero.", criteria=CRITERIA, jurors=jurors[:2], top_n=2, impact_m=0,
    )  # fmt: skip
    services.round_open(actor=world["gestora"], round=final)
    for juror in jurors[:2]:
        _scores(final, juror, team, 5)
        for other, v in zip(finalists, (4, 3, 2), strict=True):
            _scores(final, juror, other, v)
    _login(page, base, "gestora")
    page.goto(manage)
    page.get_by_role("button", name="Cerrar ronda: Final").click()
    winners_form = page.locator("form", has=page.get_by_role("button", name="Registrar ganadores"))
    winners_form.get_by_label("Despierta", exact=True).check()
    winners_form.get_by_label(finalists[0].name, exact=True).check()
    winners_form.get_by_label("Justificación del jurado").fill("Las dos mejores soluciones de la final.")
    winners_form.get_by_role("button", name="Registrar ganadores").click()
    expect(page.get_by_role("status").first).to_contain_text("Ganadores registrados")
    page.get_by_role("button", name="Publicar resultados").click()
    funnel = page.locator("svg.funnel-chart title").first
    expect(funnel).to_contain_text("Inscritos 24")
    expect(funnel).to_contain_text("Ganadores 2")

    # 8. Anyone reads the results; the sheet prints without the site's chrome.
    page.context.clear_cookies()
    page.goto(detail + "resultados/")
    winners = page.locator(".winners")
    expect(winners).to_contain_text("Despierta")
    expect(winners).to_contain_text(finalists[0].name)
    expect(page.get_by_role("table").first).to_contain_text("Impacto social de Equipo 6")
    screenshot(page, "competition-results")
    _axe(page, "results page")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    page.emulate_media(media="screen")
    phone_page.context.clear_cookies()
    phone_page.goto(detail + "resultados/")
    overflow = phone_page.evaluate("document.documentElement.scrollWidth") - 360
    assert overflow <= 0, f"results scroll sideways by {overflow}px at 360 px"
    screenshot(phone_page, "competition-results-360")
    phone_page.goto(detail)
    overflow = phone_page.evaluate("document.documentElement.scrollWidth") - 360
    assert overflow <= 0, f"competition page scrolls sideways by {overflow}px at 360 px"
    screenshot(phone_page, "competition-detail-360")
