"""The roadmap's GovLab as a programme object: managers set it up and track its projects on the programme's own
government challenges; the public reads it; bad input and outsiders change nothing."""

import pytest

from mueve.accounts.models import Role
from mueve.challenges import services as challenge_services
from mueve.challenges.models import Kind
from mueve.programs.models import GovLab, GovLabProject
from tests.programs.factories import make_program

pytestmark = pytest.mark.django_db


def url(program) -> str:
    return f"/programas/{program.slug}/govlab/"


@pytest.fixture
def challenge(program, manager, organization):
    return challenge_services.challenge_create(
        actor=manager,
        program=program,
        owner=organization,
        title="¿Cómo priorizar los buses en los cruces?",
        kind=Kind.CONCRETE,
    )


def test_a_manager_sets_up_the_lab_and_tracks_a_project_the_public_reads_it(client, program, manager, challenge):
    client.force_login(manager)
    response = client.post(
        url(program),
        {"form": "lab", "lab-name": "Laboratorio de Gobierno", "lab-mission": "Innovar en servicios públicos"},
    )
    assert response.status_code == 302
    lab = GovLab.objects.get(program=program)
    response = client.post(
        url(program),
        {
            "form": "project",
            "lab": lab.pk,
            f"project-{lab.pk}-title": "Prioridad de buses",
            f"project-{lab.pk}-challenge": challenge.pk,
            f"project-{lab.pk}-status": "active",
        },
    )
    assert response.status_code == 302
    project = GovLabProject.objects.get(lab=lab)
    assert project.challenge == challenge and project.status == "active"
    client.post(url(program), {"form": "status", "project": project.pk, "status": "adopted"})
    project.refresh_from_db()
    assert project.status == "adopted" and project.history.count() >= 2  # each step kept

    client.logout()
    page = client.get(url(program)).content.decode()
    assert "Laboratorio de Gobierno" in page and "Prioridad de buses" in page and "Adoptado" in page
    assert "Guardar laboratorio" not in page  # no forms for visitors
    assert "/govlab/" in client.get(f"/programas/{program.slug}/").content.decode()


def test_bad_input_and_outsiders_change_nothing(client, program, manager, make_user, template, organization):
    client.force_login(manager)
    assert client.post(url(program), {"form": "lab", "lab-name": ""}).status_code == 400
    assert not GovLab.objects.exists()
    client.post(url(program), {"form": "lab", "lab-name": "GobLab"})
    lab = GovLab.objects.get()
    twice = client.post(url(program), {"form": "lab", "lab-name": "goblab"})
    assert twice.status_code == 400 and "ya tiene un laboratorio con ese nombre" in twice.content.decode()
    other = make_program(manager, template=template, name="Otro programa", slug="otro-programa")
    foreign = challenge_services.challenge_create(
        actor=manager, program=other, owner=organization, title="¿Desafío de otra región?", kind=Kind.CONCRETE
    )
    response = client.post(
        url(program),
        {"form": "project", "lab": lab.pk, f"project-{lab.pk}-title": "X", f"project-{lab.pk}-challenge": foreign.pk,
         f"project-{lab.pk}-status": "active"},
    )  # fmt: skip
    assert response.status_code == 400 and not GovLabProject.objects.exists()
    assert client.post(url(program), {"form": "status", "project": 999, "status": "active"}).status_code == 404
    for role in (Role.CITIZEN, Role.OFFICIAL, Role.OPERATOR):
        client.force_login(make_user(role))
        assert client.post(url(program), {"form": "lab", "lab-name": "Intruso"}).status_code == 403
    assert GovLab.objects.count() == 1
