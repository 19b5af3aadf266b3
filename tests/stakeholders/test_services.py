import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mueve.programs.models import ActivityLogEntry
from mueve.stakeholders import services
from mueve.stakeholders.models import (
    Champion,
    Commitment,
    Engagement,
    EngagementLevel,
    Level,
    Membership,
    Organization,
    ProgramRole,
    ProgramStakeholder,
    Sector,
)


def test_create_makes_slug_from_name_and_keeps_it_unique(make_org):
    # Two different names ("I+D" is not "ID") whose slugs come out the same.
    first = make_org("Centro de I+D Biobío", sector=Sector.ACADEMIA)
    second = make_org("Centro de ID Biobío", sector=Sector.ACADEMIA)
    assert first.slug == "centro-de-id-biobio"
    assert second.slug == "centro-de-id-biobio-2"


def test_long_names_that_only_differ_at_the_end_get_different_slugs(make_org):
    stem = "Corporación Regional para el Desarrollo Productivo y la Innovación Tecnológica de la Región del Biobío"
    first = make_org(f"{stem}, sede Concepción", sector=Sector.CIVIL_SOCIETY)
    second = make_org(f"{stem}, sede Los Ángeles", sector=Sector.CIVIL_SOCIETY)
    assert first.slug != second.slug
    assert second.slug == f"{first.slug}-2"
    assert len(second.slug) <= Organization._meta.get_field("slug").max_length


def test_create_never_hands_out_a_slug_the_pages_use(make_org):
    assert make_org("Mapa").slug == "mapa-2"
    with pytest.raises(ValidationError) as exc:
        make_org("Importadora", slug="importar")
    assert "slug" in exc.value.message_dict


def test_create_rejects_bad_values_in_spanish_and_writes_nothing(db):
    with pytest.raises(ValidationError) as exc:
        services.organization_create(name="  ", sector="gobierno-central", level=Level.NATIONAL)
    errors = exc.value.message_dict
    assert "name" in errors
    assert "sector" in errors
    assert "válida" in errors["sector"][0]
    assert not Organization.objects.exists()


def test_create_refuses_a_name_that_differs_only_in_case(make_org):
    make_org("Universidad de Concepción", sector=Sector.ACADEMIA)
    with pytest.raises(ValidationError) as exc:
        make_org("universidad de concepción", sector=Sector.ACADEMIA)
    assert exc.value.message_dict["name"] == ["Ya existe una organización con ese nombre."]
    assert Organization.objects.count() == 1


@pytest.mark.parametrize(
    "twin", ["municipalidad de concepcion", "MUNICIPALIDAD DE CONCEPCIÓN", "Municipalidad  de Concepción."]
)
def test_create_refuses_a_name_that_differs_only_in_accents_or_punctuation(make_org, twin):
    make_org("Municipalidad de Concepción", level=Level.MUNICIPAL)
    with pytest.raises(ValidationError) as exc:
        make_org(twin, level=Level.MUNICIPAL)
    assert exc.value.message_dict["name"] == ["Ya existe una organización con ese nombre."]
    assert Organization.objects.count() == 1


def test_update_refuses_a_name_that_differs_only_in_accents(make_org):
    make_org("Municipalidad de Concepción", level=Level.MUNICIPAL)
    other = make_org("Municipalidad de Talcahuano", level=Level.MUNICIPAL)
    with pytest.raises(ValidationError) as exc:
        services.organization_update(organization=other, name="Municipalidad de Concepcion")
    assert "name" in exc.value.message_dict
    other.refresh_from_db()
    assert other.name == "Municipalidad de Talcahuano"
    # Its own name, re-spelt, is not a clash with itself.
    services.organization_update(organization=other, name="MUNICIPALIDAD DE TALCAHUANO")


def test_parent_loop_check_reads_the_chain_in_one_query(make_org, django_assert_num_queries):
    top = make_org("Nivel 0")
    chain = [top]
    for depth in range(1, 8):
        chain.append(make_org(f"Nivel {depth}", parent=chain[-1]))
    with django_assert_num_queries(1), pytest.raises(ValidationError):
        services.check_parent(top, chain[-1])
    other_root = make_org("Otra raíz")
    with django_assert_num_queries(1):
        services.check_parent(chain[3], other_root)


def test_create_checks_the_actor_role(citizen, manager):
    with pytest.raises(PermissionDenied):
        services.organization_create(name="CORFO", sector=Sector.GOVERNMENT, level=Level.NATIONAL, actor=citizen)
    created = services.organization_create(name="CORFO", sector=Sector.GOVERNMENT, level=Level.NATIONAL, actor=manager)
    assert created.slug == "corfo"


def test_update_changes_only_given_fields_and_keeps_the_slug(mtt):
    services.organization_update(organization=mtt, name="Ministerio de Transportes", description="Contraparte")
    mtt.refresh_from_db()
    assert mtt.name == "Ministerio de Transportes"
    assert mtt.description == "Contraparte"
    assert mtt.acronym == "MTT"
    assert mtt.slug == "ministerio-de-transportes-y-telecomunicaciones"


def test_update_refuses_a_parent_that_would_make_a_loop(make_org, mtt):
    unit = make_org("Unidad de Ciudades Inteligentes", parent=mtt)
    with pytest.raises(ValidationError) as exc:
        services.organization_update(organization=mtt, parent=unit)
    assert "parent" in exc.value.message_dict
    mtt.refresh_from_db()
    assert mtt.parent is None


def test_update_refuses_another_organizations_name(make_org, mtt):
    other = make_org("CORFO")
    with pytest.raises(ValidationError) as exc:
        services.organization_update(organization=other, name=mtt.name.upper())
    assert "name" in exc.value.message_dict
    other.refresh_from_db()
    assert other.name == "CORFO"


def test_membership_add_is_idempotent_and_checks_dates(person_with_contacts, mtt):
    services.membership_add(person=person_with_contacts, organization=mtt, position="Jefatura de unidad")
    assert Membership.objects.filter(person=person_with_contacts).count() == 1
    with pytest.raises(ValidationError) as exc:
        services.membership_add(
            person=person_with_contacts,
            organization=mtt,
            position="Asesoría",
            start_date=dt.date(2014, 5, 1),
            end_date=dt.date(2014, 1, 1),
        )
    assert "end_date" in exc.value.message_dict


def test_person_create_validates_email(db):
    with pytest.raises(ValidationError) as exc:
        services.person_create(full_name="Persona Demo", email="no-es-correo")
    assert "email" in exc.value.message_dict


def test_program_stakeholder_set_upserts_replaces_roles_and_logs_changes_once(program, mtt, manager):
    link = services.program_stakeholder_set(
        program=program,
        organization=mtt,
        roles=[ProgramRole.MAIN_COUNTERPART, ProgramRole.HOST],
        interest=5,
        influence=5,
        actor=manager,
    )
    assert set(link.roles.values_list("role", flat=True)) == {"main_counterpart", "host"}
    entry = ActivityLogEntry.objects.get(program=program)
    assert "Ministerio de Transportes y Telecomunicaciones" in entry.message
    assert entry.actor == manager

    services.program_stakeholder_set(
        program=program, organization=mtt, roles=["main_counterpart"], interest=5, influence=5, actor=manager
    )
    assert list(link.roles.values_list("role", flat=True)) == ["main_counterpart"]
    assert ProgramStakeholder.objects.count() == 1
    assert ActivityLogEntry.objects.filter(program=program).count() == 2

    # The same values again change nothing, and say nothing.
    services.program_stakeholder_set(
        program=program, organization=mtt, roles=["main_counterpart"], interest=5, influence=5, actor=manager
    )
    assert ActivityLogEntry.objects.filter(program=program).count() == 2


def test_program_stakeholder_set_rejects_bad_values_and_writes_nothing(program, mtt):
    with pytest.raises(ValidationError) as exc:
        services.program_stakeholder_set(program=program, organization=mtt, roles=["rey"], interest=6, influence=0)
    errors = exc.value.message_dict
    assert errors["roles"] == ["Rol desconocido: rey."]
    assert "interest" in errors
    assert "influence" in errors
    with pytest.raises(ValidationError) as exc:
        services.program_stakeholder_set(program=program, organization=mtt, roles=[], interest=3, influence=3)
    assert "roles" in exc.value.message_dict
    assert not ProgramStakeholder.objects.exists()
    assert not ActivityLogEntry.objects.exists()


def test_program_stakeholder_set_needs_the_manager_role(program, mtt, citizen):
    with pytest.raises(PermissionDenied):
        services.program_stakeholder_set(
            program=program, organization=mtt, roles=["partner"], interest=3, influence=3, actor=citizen
        )


def test_engagement_set_needs_a_link_and_a_component_of_the_program(program, private_program, components, mtt):
    with pytest.raises(ValidationError) as exc:
        services.engagement_set(program=program, organization=mtt, component=components["codesign"], level="leading")
    assert "organization" in exc.value.message_dict
    services.program_stakeholder_set(program=program, organization=mtt, roles=["partner"], interest=3, influence=3)
    foreign = private_program.components.get(key="codesign")
    with pytest.raises(ValidationError) as exc:
        services.engagement_set(program=program, organization=mtt, component=foreign, level="leading")
    assert "component" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.engagement_set(program=program, organization=mtt, component=components["codesign"], level="mucho")
    assert "level" in exc.value.message_dict
    assert not Engagement.objects.exists()


def test_engagement_set_upserts_per_component(program, components, mtt):
    services.program_stakeholder_set(program=program, organization=mtt, roles=["partner"], interest=3, influence=3)
    services.engagement_set(program=program, organization=mtt, component=components["vision"], level="involved")
    engagement = services.engagement_set(
        program=program, organization=mtt, component=components["vision"], level=EngagementLevel.LEADING
    )
    assert Engagement.objects.get().level == "leading" == engagement.level


def test_commitments_are_created_and_change_status_with_a_log(program, components, wayra, manager):
    commitment = services.commitment_create(
        program=program,
        organization=wayra,
        kind=Commitment.Kind.MENTORSHIP,
        description="Mentores para los equipos",
        component=components["competition"],
        actor=manager,
    )
    assert commitment.status == "proposed"
    services.commitment_set_status(commitment=commitment, status="delivered", actor=manager)
    commitment.refresh_from_db()
    assert commitment.status == "delivered"
    messages = list(ActivityLogEntry.objects.filter(program=program).values_list("message", flat=True))
    assert any("cumplido" in m for m in messages)
    with pytest.raises(ValidationError) as exc:
        services.commitment_set_status(commitment=commitment, status="olvidado")
    assert "status" in exc.value.message_dict


def test_commitment_create_rejects_unknown_kind_and_empty_description(program, wayra):
    with pytest.raises(ValidationError) as exc:
        services.commitment_create(program=program, organization=wayra, kind="dinero", description="")
    assert {"kind", "description"} <= set(exc.value.message_dict)
    assert not Commitment.objects.exists()


def test_champion_add_takes_the_only_membership_and_keeps_people_out_of_the_log(
    program, components, person_with_contacts, mtt
):
    champion = services.champion_add(
        program=program, person=person_with_contacts, kind=Champion.Kind.CHAMPION, component=components["codesign"]
    )
    assert champion.organization == mtt
    again = services.champion_add(
        program=program, person=person_with_contacts, kind=Champion.Kind.CHAMPION, component=components["vision"]
    )
    assert again.pk == champion.pk
    assert Champion.objects.get().component.key == "vision"
    entries = list(ActivityLogEntry.objects.filter(program=program))
    assert len(entries) == 1
    assert "Persona Demo Prueba" not in entries[0].message
    assert mtt.name in entries[0].message


def test_upserts_are_idempotent_one_row_each(program, components, mtt, person_with_contacts):
    """Calling the upsert services again (a retried request, a second click) updates the same row."""
    for _round in range(2):
        link = services.program_stakeholder_set(
            program=program, organization=mtt, roles=["main_counterpart", "host"], interest=5, influence=4
        )
        engagement = services.engagement_set(
            program=program, organization=mtt, component=components["codesign"], level=EngagementLevel.LEADING
        )
        champion = services.champion_add(
            program=program, person=person_with_contacts, kind=Champion.Kind.CHAMPION, component=components["vision"]
        )
        membership = services.membership_add(
            person=person_with_contacts, organization=mtt, position="Jefatura de unidad", start_date=dt.date(2014, 1, 1)
        )
    assert ProgramStakeholder.objects.get().pk == link.pk
    assert sorted(link.roles.values_list("role", flat=True)) == ["host", "main_counterpart"]
    assert Engagement.objects.get().pk == engagement.pk
    assert Champion.objects.get().pk == champion.pk
    assert Membership.objects.get().pk == membership.pk
    assert Membership.objects.get().start_date == dt.date(2014, 1, 1)
    # One log line per thing that happened the first time; the repeat said nothing.
    assert ActivityLogEntry.objects.filter(program=program).count() == 3

    # A later call with other values updates the same rows.
    services.engagement_set(
        program=program, organization=mtt, component=components["codesign"], level=EngagementLevel.INVOLVED
    )
    services.champion_add(program=program, person=person_with_contacts, kind=Champion.Kind.CHAMPION, notes="Clave")
    assert Engagement.objects.get().level == EngagementLevel.INVOLVED
    champion = Champion.objects.get()
    assert (champion.component, champion.notes) == (None, "Clave")
