"""Workshop services: what a facilitator records, and what is refused (with the field and nothing stored)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from mueve.workshops import selectors, services
from mueve.workshops.models import (
    AssignmentRun,
    Attachment,
    Concept,
    ConceptStatus,
    DotVote,
    ProgressUpdate,
    SwotItem,
    Workshop,
)
from tests.conftest import ROLES_AND_ANONYMOUS

pytestmark = pytest.mark.django_db
SANTIAGO = ZoneInfo("America/Santiago")


def field_errors(exc_info) -> set[str]:
    return set(exc_info.value.message_dict)


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_only_managers_create_workshops(role, users_by_role, program):
    actor = users_by_role[role]
    if role in {"manager", "admin"}:
        assert services.workshop_create(actor=actor, program=program, kind="codesign", title="Taller")
    else:
        with pytest.raises(PermissionDenied):
            services.workshop_create(actor=actor, program=program, kind="codesign", title="Taller")
        assert not Workshop.objects.exists()


def test_bad_workshop_input_names_each_field(manager, program):
    start = datetime(2014, 1, 15, 9, tzinfo=SANTIAGO)
    with pytest.raises(ValidationError) as exc:
        services.workshop_create(
            actor=manager,
            program=program,
            kind="fiesta",
            title="  ",
            starts_at=start,
            ends_at=start - timedelta(hours=1),
        )
    assert field_errors(exc) == {"kind", "title", "ends_at"}
    assert not Workshop.objects.exists()


def _codesign(manager, make_workshop, make_org, dots=3):
    workshop = make_workshop("codesign", dots_per_participant=dots)
    concepts = [
        services.concept_create(actor=manager, workshop=workshop, name=name, description="Descripción")
        for name in ("iTransConcepción", "Cuida tu Luz")
    ]
    ana = services.registration_add(
        actor=manager, workshop=workshop, full_name="Ana", organization=make_org("government")
    )
    return workshop, concepts, ana


def test_dot_voting_respects_the_dots_per_participant(manager, make_workshop, make_org):
    workshop, (itrans, luz), ana = _codesign(manager, make_workshop, make_org)
    services.dot_vote(actor=manager, concept=itrans, voter=ana, dots=2)
    services.dot_vote(actor=manager, concept=luz, voter=ana, dots=1)
    with pytest.raises(ValidationError) as exc:
        services.dot_vote(actor=manager, concept=luz, voter=ana, dots=2)
    assert field_errors(exc) == {"dots"}
    assert "le quedan 1" in str(exc.value)
    # Moving a dot is fine: the concept's own dots are replaced, not added.
    services.dot_vote(actor=manager, concept=itrans, voter=ana, dots=1)
    services.dot_vote(actor=manager, concept=luz, voter=ana, dots=2)
    totals = {c.name: c.dot_total for c in selectors.concepts_with_dots(workshop)}
    assert totals == {"iTransConcepción": 1, "Cuida tu Luz": 2}
    assert selectors.dots_left(workshop)[ana.pk] == 0


def test_a_voter_from_another_workshop_is_refused(manager, make_workshop, make_org):
    _workshop, (itrans, _luz), _ana = _codesign(manager, make_workshop, make_org)
    other = make_workshop("codesign")
    stranger = services.registration_add(actor=manager, workshop=other, full_name="Otro")
    with pytest.raises(ValidationError) as exc:
        services.dot_vote(actor=manager, concept=itrans, voter=stranger, dots=1)
    assert field_errors(exc) == {"voter"}
    assert not DotVote.objects.exists()


def test_selection_needs_a_reason_and_an_owner_and_closes_voting(manager, make_workshop, make_org):
    _workshop, (itrans, _luz), ana = _codesign(manager, make_workshop, make_org)
    with pytest.raises(ValidationError) as exc:
        services.concept_decide(actor=manager, concept=itrans, selected=True, reason="")
    assert field_errors(exc) == {"reason", "owner"}
    assert Concept.objects.get(pk=itrans.pk).status == ConceptStatus.PROPOSED
    owner = make_org("government", "Unidad de Modernización")
    services.concept_decide(actor=manager, concept=itrans, selected=True, reason="Más votado.", owner=owner)
    itrans.refresh_from_db()
    assert itrans.status == ConceptStatus.SELECTED and itrans.responsible == owner
    with pytest.raises(ValidationError):
        services.dot_vote(actor=manager, concept=itrans, voter=ana, dots=1)


def test_only_selected_concepts_go_to_pilot(manager, make_workshop, make_org):
    _workshop, (itrans, luz), _ana = _codesign(manager, make_workshop, make_org)
    with pytest.raises(ValidationError) as exc:
        services.pilot_add(actor=manager, concept=luz, description="Piloto")
    assert field_errors(exc) == {"concept"}
    services.concept_decide(actor=manager, concept=itrans, selected=True, reason="Sí", owner=make_org("government"))
    pilot = services.pilot_add(actor=manager, concept=itrans, description="Piloto con ciudadanía")
    with pytest.raises(ValidationError) as exc:
        services.pilot_feedback_add(actor=manager, pilot=pilot, tester="P1", rating=6, day=datetime(2014, 5, 1).date())
    assert field_errors(exc) == {"rating"}


def test_swot_merge_keeps_provenance_and_moves_votes(manager, make_workshop, make_org):
    uoct, muni = make_org("government", "UOCT prueba"), make_org("government", "Municipio prueba")
    first = make_workshop("swot", venue_organization=uoct)
    second = make_workshop("swot", venue_organization=muni)
    keep = services.swot_add(actor=manager, workshop=first, quadrant="W", text="Datos dispersos")
    dup = services.swot_add(actor=manager, workshop=second, quadrant="W", text="Información repartida")
    other_quadrant = services.swot_add(actor=manager, workshop=second, quadrant="S", text="Cercanía")
    services.swot_vote(actor=manager, item=dup, votes=4)
    with pytest.raises(ValidationError) as exc:
        services.swot_merge(actor=manager, target=keep, sources=[other_quadrant])
    assert field_errors(exc) == {"sources"}
    services.swot_merge(actor=manager, target=keep, sources=[dup])
    keep.refresh_from_db()
    dup.refresh_from_db()
    assert keep.votes == 4 and dup.merged_into == keep and dup.institution == muni
    with pytest.raises(ValidationError):
        services.swot_vote(actor=manager, item=dup)
    services.swot_validate(actor=manager, item=keep)
    board = {q.key: q.items for q in selectors.swot_board(first.program, validated_only=True)}
    assert [i.text for i in board["W"]] == ["Datos dispersos"]
    assert [m.text for m in board["W"][0].merged_list] == ["Información repartida"]
    assert board["S"] == []


def test_initiatives_must_sit_at_a_roadmap_horizon(manager, program, make_workshop):
    make_workshop("roadmap", structure={"horizons": [2015, 2019, 2025]})
    line = services.roadmap_line_add(actor=manager, program=program, name="Plataforma")
    with pytest.raises(ValidationError) as exc:
        services.initiative_add(actor=manager, line=line, name="API", horizon=2030)
    assert field_errors(exc) == {"horizon"}
    assert "2015, 2019, 2025" in str(exc.value)
    services.initiative_add(actor=manager, line=line, name="API", horizon=2025)
    assert selectors.roadmap_grid(program).horizons == [2015, 2019, 2025]


def _hub_with(manager, make_workshop, make_org, sectors: list[str]):
    hub = make_workshop("hub")
    for n, sector in enumerate(sectors):
        services.registration_add(actor=manager, workshop=hub, full_name=f"P{n}", organization=make_org(sector))
    return hub


def test_balanced_assignment_is_reproducible_from_its_seed(manager, make_workshop, make_org):
    sectors = ["government", "private", "academia", "civil_society"] * 3 + ["government", "academia"]
    hub = _hub_with(manager, make_workshop, make_org, sectors)
    staff = {"experts": ["E1", "E2", "E3"], "facilitators": ["F1", "F2", "F3"]}
    run = services.groups_assign(actor=manager, workshop=hub, group_count=3, seed=42, **staff)
    first = {r.full_name: r.group.number for r in hub.registrations.select_related("group")}
    sizes = sorted(g.members.count() for g in hub.groups.all())
    assert sizes[-1] - sizes[0] <= 1
    for group in hub.groups.all():
        assert {m.sector for m in group.members.all()} >= {"government", "private", "academia", "civil_society"}
        assert group.expert and group.facilitator
    services.groups_assign(actor=manager, workshop=hub, group_count=3, seed=run.seed, **staff)
    assert {r.full_name: r.group.number for r in hub.registrations.select_related("group")} == first


def test_infeasible_assignment_explains_why_in_spanish_and_keeps_groups(manager, make_workshop, make_org):
    hub = _hub_with(manager, make_workshop, make_org, ["government", "private", "academia", "civil_society"] * 2)
    services.groups_assign(
        actor=manager, workshop=hub, group_count=2, seed=1, experts=["E1", "E2"], facilitators=["F1", "F2"]
    )
    before = {r.pk: r.group_id for r in hub.registrations.all()}
    with pytest.raises(ValidationError) as exc:
        services.groups_assign(
            actor=manager,
            workshop=hub,
            group_count=3,
            seed=1,
            experts=["E1", "E2", "E3"],
            facilitators=["F1", "F2", "F3"],
        )
    assert field_errors(exc) == {"group_count"}
    assert "cada grupo necesita al menos uno" in str(exc.value)
    assert {r.pk: r.group_id for r in hub.registrations.all()} == before
    assert AssignmentRun.objects.filter(workshop=hub).count() == 1


def test_progress_rolls_up_by_weight_to_line_and_program(manager, program, make_workshop, make_org):
    make_workshop("roadmap", structure={"horizons": [2015, 2019]})
    line = services.roadmap_line_add(actor=manager, program=program, name="Gestión del cambio")
    heavy = services.initiative_add(actor=manager, line=line, name="Política de datos", horizon=2015, weight=3)
    light = services.initiative_add(actor=manager, line=line, name="Premio", horizon=2019, weight=1)
    services.progress_update(actor=manager, item=heavy, progress=100)
    services.progress_update(actor=manager, item=light, progress=40, note="Bases publicadas")
    tree = selectors.progress_tree(program)
    roadmap = tree.children[0]
    assert roadmap.children[0].progress == pytest.approx(85.0)  # (3·100 + 1·40) / 4
    assert tree.progress == pytest.approx(85.0)
    assert ProgressUpdate.objects.filter(program=program).count() == 2
    with pytest.raises(ValidationError) as exc:
        services.progress_update(actor=manager, item=light, progress=140)
    assert field_errors(exc) == {"progress"}


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_only_managers_update_progress(role, users_by_role, manager, program, make_workshop):
    make_workshop("roadmap", structure={"horizons": [2015]})
    line = services.roadmap_line_add(actor=manager, program=program, name="Línea")
    item = services.initiative_add(actor=manager, line=line, name="Iniciativa", horizon=2015)
    actor = users_by_role[role]
    if role in {"manager", "admin"}:
        services.progress_update(actor=actor, item=item, progress=10)
    else:
        with pytest.raises(PermissionDenied):
            services.progress_update(actor=actor, item=item, progress=10)
        assert not ProgressUpdate.objects.exists()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_attachments_are_checked_by_content_and_size(manager, make_workshop, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    workshop = make_workshop("hub")
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(
            actor=manager,
            workshop=workshop,
            title="Foto",
            type="photo",
            upload=SimpleUploadedFile("x.png", b"MZ\x90 not an image"),
        )
    assert field_errors(exc) == {"file"}
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(actor=manager, workshop=workshop, title="Acta", type="document", upload=big)
    assert "10 MB" in str(exc.value)
    assert not Attachment.objects.exists()
    photo = services.attachment_add(
        actor=manager, workshop=workshop, title="Grupo 1", type="photo", upload=SimpleUploadedFile("g.png", PNG)
    )
    assert photo.content_type == "image/png" and photo.size_bytes == len(PNG)


def test_swot_items_need_a_known_quadrant(manager, make_workshop):
    workshop = make_workshop("swot")
    with pytest.raises(ValidationError) as exc:
        services.swot_add(actor=manager, workshop=workshop, quadrant="X", text="")
    assert field_errors(exc) == {"quadrant", "text"}
    assert not SwotItem.objects.exists()


def test_attachments_download_through_the_workshop_page_only_for_who_may_see_it(
    client, manager, make_workshop, make_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    workshop = make_workshop("codesign")
    pdf = services.attachment_add(
        actor=manager, workshop=workshop, title="Acta", type="document", upload=SimpleUploadedFile("a.html", b"%PDF-1")
    )
    url = f"/talleres/{workshop.slug}/archivos/{pdf.pk}/"
    client.force_login(manager)
    assert f'href="{url}"' in client.get(f"/talleres/{workshop.slug}/").content.decode()
    response = client.get(url)
    assert response.status_code == 200
    # Served as the type detected on upload, whatever the uploaded name said.
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert 'filename="Acta.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1"
    assert client.get(f"/talleres/{workshop.slug}/archivos/{pdf.pk + 1}/").status_code == 404
    client.logout()
    # A visitor gets the file exactly when the workshop page itself is open to them.
    page_status = client.get(f"/talleres/{workshop.slug}/").status_code
    assert client.get(url).status_code == (200 if page_status == 200 else 404)


def test_a_progress_note_over_its_limit_is_refused_not_cut(manager, program, make_workshop):
    make_workshop("roadmap", structure={"horizons": [2015, 2019]})
    line = services.roadmap_line_add(actor=manager, program=program, name="Gestión del cambio")
    item = services.initiative_add(actor=manager, line=line, name="Política de datos", horizon=2015)
    with pytest.raises(ValidationError) as exc:
        services.progress_update(actor=manager, item=item, progress=10, note="n" * 501)
    assert exc.value.message_dict["note"] == ["Máximo 500 caracteres (tiene 501)."]
    assert not ProgressUpdate.objects.filter(program=program).exists()
    item.refresh_from_db()
    assert item.progress == 0
