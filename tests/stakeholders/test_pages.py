import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mueve.accounts.models import Role
from mueve.stakeholders import services
from mueve.stakeholders.models import Level, Organization, ProgramStakeholder, Sector

HEADER = "name,acronym,sector,level,is_international,parent,website,description\n"


@pytest.fixture
def stakeholders(program, components, mtt, wayra, make_org):
    udec = make_org("Universidad de Concepción", acronym="UdeC", sector=Sector.ACADEMIA, level=Level.REGIONAL)
    services.program_stakeholder_set(
        program=program, organization=mtt, roles=["main_counterpart"], interest=5, influence=5
    )
    services.program_stakeholder_set(program=program, organization=wayra, roles=["jury"], interest=4, influence=3)
    services.engagement_set(program=program, organization=mtt, component=components["codesign"], level="leading")
    services.engagement_set(program=program, organization=wayra, component=components["competition"], level="involved")
    return {"mtt": mtt, "wayra": wayra, "udec": udec}


def _names(response) -> list[str]:
    return [org.name for org in response.context["page"].object_list]


def test_list_is_public_and_filters(client, program, stakeholders):
    url = reverse("stakeholders:list")
    response = client.get(url)
    assert response.status_code == 200
    assert len(_names(response)) == 3
    assert _names(client.get(url, {"sector": "private"})) == ["Wayra Chile"]
    assert _names(client.get(url, {"level": "regional"})) == ["Universidad de Concepción"]
    assert _names(client.get(url, {"q": "udec"})) == ["Universidad de Concepción"]
    response = client.get(url, {"program": program.slug})
    assert sorted(_names(response)) == ["Ministerio de Transportes y Telecomunicaciones", "Wayra Chile"]
    content = response.content.decode()
    assert "Jurado" in content  # the program's roles appear in their own column
    assert reverse("stakeholders:map", args=[program.slug]) in content


def test_list_shows_a_bad_filter_next_to_its_field_and_keeps_working(client, stakeholders):
    response = client.get(reverse("stakeholders:list"), {"sector": "marciano", "level": "regional"})
    assert response.status_code == 200
    assert response.context["form"].errors["sector"]
    assert 'aria-invalid="true"' in response.content.decode()
    assert _names(response) == ["Universidad de Concepción"]


def test_list_hides_private_programs_from_the_public(client, private_program, stakeholders, manager):
    content = client.get(reverse("stakeholders:list")).content.decode()
    assert "Programa interno" not in content
    client.force_login(manager)
    assert "Programa interno" in client.get(reverse("stakeholders:list")).content.decode()


@pytest.mark.parametrize("role", [None, Role.CITIZEN, Role.OFFICIAL, Role.MENTOR])
def test_detail_never_shows_contacts_to_non_managers(client, make_user, person_with_contacts, mtt, role):
    if role:
        client.force_login(make_user(role))
    response = client.get(reverse("stakeholders:detail", args=[mtt.slug]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Persona Demo Prueba" in content
    assert "persona.prueba@ejemplo.cl" not in content
    assert "1234 5678" not in content


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_detail_shows_contacts_to_managers(client, make_user, person_with_contacts, mtt, role):
    client.force_login(make_user(role))
    content = client.get(reverse("stakeholders:detail", args=[mtt.slug])).content.decode()
    assert "persona.prueba@ejemplo.cl" in content
    assert "+56 9 1234 5678" in content


def test_detail_shows_program_roles_and_links_to_the_map(client, program, stakeholders):
    content = client.get(reverse("stakeholders:detail", args=[stakeholders["mtt"].slug])).content.decode()
    assert "Contraparte principal" in content
    assert "Lidera" in content
    assert reverse("stakeholders:map", args=[program.slug]) in content
    assert client.get(reverse("stakeholders:detail", args=["no-existe"])).status_code == 404


def test_map_renders_matrix_svg_chart_and_table_alternative(client, program, stakeholders):
    response = client.get(reverse("stakeholders:map", args=[program.slug]))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<table class="stk-matrix"' in content
    assert '<th scope="row">' in content
    assert "<svg" in content and 'role="img"' in content
    assert "<title id=" in content and "<desc id=" in content
    for label in ["Gestionar de cerca", "Mantener satisfecho", "Mantener informado", "Monitorear"]:
        assert label in content
    assert "Sector privado" in content  # legend
    assert 'id="tabla-interes-influencia"' in content
    assert content.count("<circle") == 2


def test_map_of_a_private_program_is_only_for_managers(client, private_program, manager):
    url = reverse("stakeholders:map", args=[private_program.slug])
    assert client.get(url).status_code == 404
    client.force_login(manager)
    assert client.get(url).status_code == 200


def test_import_page_permissions(client, make_user):
    url = reverse("stakeholders:import")
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    client.force_login(make_user(Role.CITIZEN))
    assert client.get(url).status_code == 403
    client.force_login(make_user(Role.MANAGER))
    assert client.get(url).status_code == 200


def _upload(text: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("organizaciones.csv", text.encode(encoding), content_type="text/csv")


def test_import_good_file_reports_counts(client, manager, mtt):
    client.force_login(manager)
    text = HEADER + "CORFO,,Gobierno,Nacional,no,,,\n" + f"{mtt.name},MTT,government,national,no,,,\n"
    response = client.post(reverse("stakeholders:import"), {"file": _upload(text)})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Se creó 1 organización." in content
    assert "Se actualizó 1 organización." in content
    assert Organization.objects.filter(name="CORFO").exists()


def test_import_windows_1252_semicolon_file(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("stakeholders:import"),
        {"file": _upload("name;sector;level\nInnova Biobío;gobierno;regional\n", "cp1252")},
    )
    assert response.status_code == 200
    assert Organization.objects.filter(name="Innova Biobío").exists()


def test_import_bad_file_lists_each_bad_line_and_writes_nothing(client, manager):
    client.force_login(manager)
    text = HEADER + "Buena,,government,national,no,,,\nMala,,nada,national,no,,,\nPeor,,government,nivel-x,no,,,\n"
    response = client.post(reverse("stakeholders:import"), {"file": _upload(text)})
    assert response.status_code == 400
    content = response.content.decode()
    assert "No se importó nada." in content
    assert '<th scope="row" class="num">3</th>' in content
    assert '<th scope="row" class="num">4</th>' in content
    assert "Sector desconocido «nada»" in content
    assert not Organization.objects.filter(name="Buena").exists()


def test_import_without_file_shows_the_field_error(client, manager):
    client.force_login(manager)
    response = client.post(reverse("stakeholders:import"), {})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


def test_export_is_a_csv_download(client, stakeholders):
    response = client.get(reverse("stakeholders:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[0] == "nombre;sigla;sector;nivel;internacional;depende_de;sitio_web;descripcion"
    assert "Wayra Chile;Wayra;Sector privado;Nacional;sí" in body


def test_create_form_errors_are_next_to_fields_and_nothing_is_saved(client, manager, mtt):
    client.force_login(manager)
    url = reverse("stakeholders:create")
    response = client.post(url, {"name": mtt.name.lower(), "sector": "", "level": "national", "website": "nope"})
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"sector", "website"}
    content = response.content.decode()
    assert 'aria-describedby="id_sector_error"' in content
    assert 'id="id_sector_error"' in content
    assert Organization.objects.filter(name__iexact=mtt.name).count() == 1

    # The name clash is found by the service and shown on the name field.
    response = client.post(url, {"name": mtt.name.lower(), "sector": "government", "level": "national"})
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["Ya existe una organización con ese nombre."]
    assert Organization.objects.filter(name__iexact=mtt.name).count() == 1


def test_create_form_creates_and_redirects(client, manager, mtt):
    client.force_login(manager)
    response = client.post(
        reverse("stakeholders:create"),
        {"name": "Unidad de Ciudades Inteligentes", "sector": "government", "level": "national", "parent": mtt.slug},
    )
    org = Organization.objects.get(name="Unidad de Ciudades Inteligentes")
    assert response.status_code == 302
    assert response["Location"] == reverse("stakeholders:detail", args=[org.slug])
    assert org.parent == mtt


def test_create_and_edit_forms_are_for_managers(client, make_user, mtt):
    client.force_login(make_user(Role.OFFICIAL))
    assert client.get(reverse("stakeholders:create")).status_code == 403
    assert client.post(reverse("stakeholders:edit", args=[mtt.slug]), {"name": "X"}).status_code == 403
    mtt.refresh_from_db()
    assert mtt.name == "Ministerio de Transportes y Telecomunicaciones"


def test_edit_form_updates_and_refuses_a_loop(client, manager, mtt, make_org):
    unit = make_org("Unidad de Ciudades Inteligentes", parent=mtt)
    client.force_login(manager)
    url = reverse("stakeholders:edit", args=[mtt.slug])
    response = client.post(url, {"name": mtt.name, "sector": "government", "level": "national", "parent": unit.slug})
    assert response.status_code == 400
    assert response.context["form"].errors["parent"]
    mtt.refresh_from_db()
    assert mtt.parent is None
    response = client.post(url, {"name": mtt.name, "acronym": "MTT", "sector": "government", "level": "regional"})
    assert response.status_code == 302
    mtt.refresh_from_db()
    assert mtt.level == "regional"


def test_program_link_form(client, manager, program, wayra):
    client.force_login(manager)
    url = reverse("stakeholders:program_link", args=[program.slug])
    response = client.post(url, {"organization": wayra.slug, "interest": "4", "influence": "3"})
    assert response.status_code == 400
    assert response.context["form"].errors["roles"]
    assert not ProgramStakeholder.objects.exists()
    response = client.post(
        url, {"organization": wayra.slug, "roles": ["sponsor", "jury"], "interest": "4", "influence": "3"}
    )
    assert response.status_code == 302
    link = ProgramStakeholder.objects.get()
    assert {r.role for r in link.roles.all()} == {"sponsor", "jury"}
    response = client.get(url, {"organizacion": wayra.slug})
    assert set(response.context["form"].initial["roles"]) == {"sponsor", "jury"}


def test_program_link_form_is_for_managers(client, make_user, program):
    client.force_login(make_user(Role.JUROR))
    assert client.get(reverse("stakeholders:program_link", args=[program.slug])).status_code == 403
