import re

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from mueve.stakeholders import charts, selectors, services
from mueve.stakeholders.models import Level, Sector


@pytest.fixture
def linked(program, components, make_org, mtt, wayra):
    """MTT and a municipality (government), Wayra (private) and a university, engaged in components."""
    muni = make_org("Municipalidad de Concepción", level=Level.MUNICIPAL)
    udec = make_org("Universidad de Concepción", acronym="UdeC", sector=Sector.ACADEMIA, level=Level.REGIONAL)
    links = {
        mtt: (["main_counterpart"], 5, 5, ["codesign", "vision", "competition"]),
        muni: (["government_counterpart"], 5, 3, ["codesign"]),
        wayra: (["sponsor", "jury"], 4, 4, ["competition"]),
        udec: (["partner"], 2, 2, ["competition", "hub"]),
    }
    for org, (roles, interest, influence, keys) in links.items():
        services.program_stakeholder_set(
            program=program, organization=org, roles=roles, interest=interest, influence=influence
        )
        for key in keys:
            services.engagement_set(program=program, organization=org, component=components[key], level="involved")
    return {"mtt": mtt, "muni": muni, "wayra": wayra, "udec": udec}


def test_matrix_counts_organizations_per_sector_and_component(program, linked):
    matrix = selectors.stakeholder_matrix(program=program)
    assert [c.key for c in matrix.components] == ["codesign", "vision", "competition", "hub", "results"]
    assert [row.sector for row in matrix.rows] == list(Sector.values)
    rows = {row.sector: row for row in matrix.rows}
    assert [cell.count for cell in rows["government"].cells] == [2, 1, 1, 0, 0]
    assert [cell.count for cell in rows["private"].cells] == [0, 0, 1, 0, 0]
    assert [cell.count for cell in rows["academia"].cells] == [0, 0, 1, 1, 0]
    assert rows["international"].total == 0
    assert rows["government"].total == 2
    assert [o.name for o in rows["government"].cells[0].organizations] == [
        "Ministerio de Transportes y Telecomunicaciones",
        "Municipalidad de Concepción",
    ]
    assert matrix.column_totals == [2, 1, 3, 1, 0]
    assert matrix.total == 4


def test_matrix_of_a_program_without_stakeholders_is_all_zeros(program):
    matrix = selectors.stakeholder_matrix(program=program)
    assert matrix.total == 0
    assert all(cell.count == 0 for row in matrix.rows for cell in row.cells)


def test_points_come_with_their_quadrant(program, linked):
    points = selectors.interest_influence_points(program=program)
    by_name = {p.organization.acronym or p.organization.name: p for p in points}
    assert by_name["MTT"].quadrant == "manage_closely"
    assert by_name["Wayra"].quadrant == "manage_closely"
    assert by_name["Municipalidad de Concepción"].quadrant == "keep_informed"
    assert by_name["UdeC"].quadrant == "monitor"
    assert by_name["UdeC"].quadrant_label == "Monitorear"
    assert points[0].organization.acronym == "MTT"  # most influential first
    assert selectors.quadrant_of(interest=2, influence=5) == "keep_satisfied"


def test_organization_list_filters(program, linked, make_org):
    make_org("Observatorio Metropolitano", sector=Sector.CIVIL_SOCIETY, level=Level.LOCAL, description="ONG urbana")
    assert [o.acronym for o in selectors.organization_list(sector="private")] == ["Wayra"]
    assert {o.name for o in selectors.organization_list(level="municipal")} == {"Municipalidad de Concepción"}
    assert [o.name for o in selectors.organization_list(q="ong urb")] == ["Observatorio Metropolitano"]
    assert [o.name for o in selectors.organization_list(q="udec")] == ["Universidad de Concepción"]
    in_program = list(selectors.organization_list(program=program.slug))
    assert len(in_program) == 4
    assert [r.role for r in in_program[0].links_in_program[0].roles.all()]
    assert len(list(selectors.organization_list(program=program, sector="government"))) == 2


def test_organization_list_by_program_is_one_row_per_organization_and_respects_visibility(
    program, second_program, private_program, linked
):
    mtt = linked["mtt"]
    for other in (second_program, private_program):
        services.program_stakeholder_set(program=other, organization=mtt, roles=["partner"], interest=2, influence=2)
    in_program = list(selectors.organization_list(program=program.slug, programs=selectors.PUBLIC))
    assert len(in_program) == len({o.pk for o in in_program}) == 4
    mine = next(o for o in in_program if o.pk == mtt.pk)
    assert [link.program_id for link in mine.links_in_program] == [program.pk]
    assert list(selectors.organization_list(program=private_program.slug, programs=selectors.PUBLIC)) == []
    assert list(selectors.organization_list(program=private_program, programs=selectors.PUBLIC)) == []
    hidden = list(selectors.organization_list(program=private_program.slug))
    assert [o.pk for o in hidden] == [mtt.pk]
    assert [link.program_id for link in hidden[0].links_in_program] == [private_program.pk]


def test_lookups_by_slug_for_writes(linked, jurisdiction):
    mtt = linked["mtt"]
    assert selectors.organization_get_by_slug(mtt.slug) == mtt
    with pytest.raises(Http404):
        selectors.organization_get_by_slug("no-existe")
    assert selectors.organization_from_reference(mtt.slug) == mtt
    assert selectors.organization_from_reference("") is None
    with pytest.raises(ValidationError) as exc:
        selectors.organization_from_reference("no-existe", field="parent")
    assert "parent" in exc.value.message_dict
    assert selectors.jurisdiction_from_reference(jurisdiction.slug) == jurisdiction
    with pytest.raises(ValidationError) as exc:
        selectors.jurisdiction_from_reference("no-existe")
    assert "jurisdiction" in exc.value.message_dict


def test_organization_get_hides_links_to_private_programs_unless_asked(private_program, program, linked):
    services.program_stakeholder_set(
        program=private_program, organization=linked["mtt"], roles=["partner"], interest=1, influence=1
    )
    public = selectors.organization_get(linked["mtt"].slug)
    assert [link.program for link in public.program_roles] == [program]
    everything = selectors.organization_get(linked["mtt"].slug, programs=None)
    assert len(everything.program_roles) == 2
    with pytest.raises(Http404):
        selectors.organization_get("no-existe")


def test_organization_get_does_not_repeat_queries_per_row(program, linked, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        org = selectors.organization_get(linked["mtt"].slug)
        for link in org.program_roles:
            list(link.roles.all())
            [e.component.name for e in link.engagement_list]


def test_jitter_is_deterministic_and_separates_points_on_the_same_spot():
    first = charts.jitter_offsets(6)
    assert first == charts.jitter_offsets(6)
    assert len(set(first)) == 6
    assert charts.jitter_offsets(1) == [(0.0, 0.0)]


def test_chart_has_title_desc_quadrants_and_one_point_per_organization(program, linked):
    points = selectors.interest_influence_points(program=program)
    svg = str(charts.interest_influence_svg(points))
    assert svg.startswith("<svg")
    assert re.search(r"<title id=\"[^\"]+-title\">", svg)
    assert "<desc" in svg and "4 organizaciones" in svg
    for label in ["Gestionar de cerca", "Mantener satisfecho", "Mantener informado", "Monitorear"]:
        assert label in svg
    assert svg.count("<circle") == 4
    assert "#7a3e9d" in svg  # the private sector's colour


def test_chart_escapes_names(program, make_org):
    org = make_org("<script>alert(1)</script> & Cía")
    services.program_stakeholder_set(program=program, organization=org, roles=["partner"], interest=3, influence=3)
    svg = str(charts.interest_influence_svg(selectors.interest_influence_points(program=program)))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_institution_counts_of_many_programmes_agree_with_each_one_in_one_query(demo_db, django_assert_num_queries):
    from mueve.programs.models import Program
    from mueve.stakeholders import selectors as stakeholder_selectors

    programs = list(Program.objects.all())
    with django_assert_num_queries(1):
        counts = stakeholder_selectors.program_institution_counts(programs)
    assert counts and all(counts.get(p.pk, 0) == stakeholder_selectors.program_institution_count(p) for p in programs)
