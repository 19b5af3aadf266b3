"""Data-sharing agreements through their life, their public pages (the signed document only for parties and
managers), a dataset's access log for its steward, and the governance page with the open data policy."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from mueve.accounts.models import Role, RoleScope
from mueve.datasets import access
from mueve.datasets.models import AccessLogEntry, AccessRights, Agreement, DataPolicy, Dataset
from mueve.datasets.selectors import agreements as selectors
from mueve.datasets.services import agreements as services
from mueve.programs.models import Program
from mueve.stakeholders.models import Level, Organization, Sector
from mueve.territory.models import Jurisdiction

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = timezone.localdate


def pdf(name="convenio.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def university():
    return Organization.objects.create(
        name="Universidad de Concepción", slug="udec", sector=Sector.ACADEMIA, level=Level.REGIONAL
    )


@pytest.fixture
def dataset(organization):
    return Dataset.objects.create(
        title="Conteos de flujo vehicular",
        slug="conteos",
        publisher=organization,
        status=Dataset.Status.PUBLISHED,
        access_rights=AccessRights.RESTRICTED,
    )


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER)  # without a scope: the national unit


@pytest.fixture
def draft(manager, organization, university, dataset):
    return services.agreement_save(
        actor=manager,
        title="Convenio UOCT – UdeC",
        purpose="Investigar la congestión en los ejes principales.",
        terms="Sin redistribución de datos crudos.",
        license="other-closed",
        parties=[organization, university],
        datasets=[dataset],
        start_date=TODAY() - datetime.timedelta(days=10),
        end_date=TODAY() + datetime.timedelta(days=365),
    )


def make_program(slug: str, name: str) -> Program:
    jurisdiction = Jurisdiction.objects.create(name=name, slug=slug, kind=Jurisdiction.Kind.METROPOLITAN_AREA)
    return Program.objects.create(
        name=name,
        slug=slug,
        jurisdiction=jurisdiction,
        start_date=datetime.date(2013, 1, 1),
        end_date=datetime.date(2014, 12, 31),
        is_public=True,
    )


def _messages(exc) -> str:
    return " ".join(m for ms in exc.value.message_dict.values() for m in ms)


# --- transitions ------------------------------------------------------------------------------------------------


def test_an_agreement_goes_from_draft_to_signed_to_active_to_revoked_with_history(manager, draft):
    signed = services.agreement_sign(actor=manager, agreement=draft, document=pdf())
    assert signed.status == "signed" and signed.signed_on == TODAY()
    active = services.agreement_activate(actor=manager, agreement=signed)
    assert active.status == "active" and selectors.is_in_force(active)
    revoked = services.agreement_revoke(actor=manager, agreement=active, reason="Uso fuera del propósito.")
    assert revoked.status == "revoked" and revoked.revoked_reason == "Uso fuera del propósito."
    statuses = [h.status for h in Agreement.history.filter(id=draft.pk).order_by("history_date")]
    assert statuses[-3:] == ["signed", "active", "revoked"]


def test_illegal_transitions_are_refused_in_spanish(manager, draft):
    with pytest.raises(ValidationError) as exc:
        services.agreement_activate(actor=manager, agreement=draft)
    assert "«borrador» no se puede activar" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.agreement_revoke(actor=manager, agreement=draft, reason="x")
    assert "no se puede revocar" in _messages(exc)
    services.agreement_sign(actor=manager, agreement=draft)  # the document can come later...
    with pytest.raises(ValidationError) as exc:
        services.agreement_activate(actor=manager, agreement=draft)
    # ...but not after activation
    assert exc.value.message_dict["signed_document"] == ["No se activa un convenio sin su documento firmado (PDF)."]
    with pytest.raises(ValidationError) as exc:
        services.agreement_sign(actor=manager, agreement=draft)
    assert "«firmado» no se puede firmar" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.agreement_save(
            actor=manager, agreement=draft, title="Otro", purpose="x", parties=draft.parties.all(), datasets=[]
        )
    assert "solo se modifican los borradores" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.agreement_revoke(actor=manager, agreement=draft, reason="  ")
    assert exc.value.message_dict == {"reason": ["Indique el motivo de la revocación."]}
    assert Agreement.objects.get(pk=draft.pk).status == "signed"


def test_an_incomplete_or_misdated_agreement_is_refused(manager, organization, dataset):
    with pytest.raises(ValidationError) as exc:
        services.agreement_save(
            actor=manager,
            title="",
            purpose="",
            parties=[organization],
            datasets=[dataset],
            license="MIT-inventada",
            start_date=datetime.date(2025, 5, 1),
            end_date=datetime.date(2025, 4, 30),
        )
    errors = exc.value.message_dict
    assert errors["parties"] == ["Un convenio necesita al menos dos partes."]
    assert errors["end_date"] == ["El término no puede ser anterior al inicio."]
    assert set(errors) == {"title", "purpose", "parties", "license", "end_date"}
    assert not Agreement.objects.exists()


def test_an_agreement_that_already_ended_cannot_be_activated(manager, draft):
    draft.start_date, draft.end_date = datetime.date(2014, 1, 1), datetime.date(2015, 1, 1)
    draft.save()
    services.agreement_sign(actor=manager, agreement=draft, document=pdf())
    with pytest.raises(ValidationError) as exc:
        services.agreement_activate(actor=manager, agreement=draft)
    assert exc.value.message_dict["end_date"] == ["El convenio ya terminó: no se puede activar."]


def test_the_signed_document_must_be_a_pdf_by_its_bytes_and_not_too_big(manager, draft):
    with pytest.raises(ValidationError) as exc:
        services.agreement_attach_document(
            actor=manager, agreement=draft, document=pdf("convenio.pdf", b"<html>no soy un pdf</html>")
        )
    assert exc.value.message_dict == {"signed_document": ["El documento debe ser un PDF."]}
    big = PDF + b"0" * services.MAX_PDF_BYTES
    with pytest.raises(ValidationError) as exc:
        services.agreement_attach_document(actor=manager, agreement=draft, document=pdf("grande.pdf", big))
    assert exc.value.message_dict == {"signed_document": ["El archivo pesa más de 10 MB."]}
    assert not Agreement.objects.get(pk=draft.pk).signed_document
    services.agreement_attach_document(actor=manager, agreement=draft, document=pdf("x.exe"))
    assert Agreement.objects.get(pk=draft.pk).signed_document.read().startswith(b"%PDF-")


def test_only_catalog_managers_of_the_programme_move_agreements(make_user, manager, draft):
    program = make_program("temuco", "Temuco")
    draft.program = make_program("gc", "Gran Concepción")
    draft.save()
    elsewhere = make_user(Role.MANAGER)
    RoleScope.objects.create(user=elsewhere, program=program)
    for actor in (make_user(Role.OFFICIAL), make_user(Role.CITIZEN), elsewhere):
        with pytest.raises(PermissionDenied):
            services.agreement_sign(actor=actor, agreement=draft, document=pdf())
    here = make_user(Role.MANAGER)
    RoleScope.objects.create(user=here, program=draft.program)
    assert services.agreement_sign(actor=here, agreement=draft, document=pdf()).status == "signed"


def test_an_active_agreement_past_its_end_reads_expired_and_the_command_stores_it(manager, draft, university, dataset):
    services.agreement_sign(actor=manager, agreement=draft, document=pdf())
    services.agreement_activate(actor=manager, agreement=draft)
    assert access.check(dataset, user=None, organization=university).allowed
    Agreement.objects.filter(pk=draft.pk).update(end_date=TODAY() - datetime.timedelta(days=1))
    draft.refresh_from_db()
    assert draft.status == "active" and selectors.effective_status(draft) == "expired"
    assert [a.effective_status for a in selectors.agreements_for_dataset(dataset)] == ["expired"]
    refused = access.check(dataset, user=None, organization=university)
    assert refused.status == 403 and "vencido" in refused.reason
    assert selectors.effective_status(draft, today=TODAY() - datetime.timedelta(days=1)) == "active"
    call_command("expire_agreements", stdout=(out := __import__("io").StringIO()))
    assert "convenios vencidos: 1" in out.getvalue()
    assert Agreement.objects.get(pk=draft.pk).status == "expired"
    assert services.agreements_expire() == 0


# --- pages ------------------------------------------------------------------------------------------------------


@pytest.fixture
def active(manager, draft):
    services.agreement_sign(actor=manager, agreement=draft, document=pdf())
    return services.agreement_activate(actor=manager, agreement=draft)


def test_the_public_list_and_page_show_public_fields_but_not_the_signed_document(client, active, dataset):
    listing = client.get("/datos/convenios/").content.decode()
    assert "Convenio UOCT – UdeC" in listing and "Universidad de Concepción" in listing and dataset.title in listing
    page = client.get(f"/datos/convenios/{active.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Investigar la congestión" in html and "Vigente" in html and "Uso sujeto a convenio" in html
    assert f"/datos/convenios/{active.pk}/convenio.pdf" not in html
    assert "disponible para las partes" in html
    assert client.get(f"/datos/convenios/{active.pk}/convenio.pdf").status_code == 302  # to the login


def test_a_party_downloads_the_signed_document_and_an_outsider_does_not(client, make_user, active, university):
    outsider_org = Organization.objects.create(name="Otra", slug="otra", sector=Sector.PRIVATE, level=Level.LOCAL)
    client.force_login(make_user(Role.OFFICIAL, organization=outsider_org))
    assert client.get(f"/datos/convenios/{active.pk}/convenio.pdf").status_code == 403
    client.force_login(make_user(Role.OFFICIAL, organization=university))
    html = client.get(f"/datos/convenios/{active.pk}/").content.decode()
    assert f"/datos/convenios/{active.pk}/convenio.pdf" in html
    response = client.get(f"/datos/convenios/{active.pk}/convenio.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_drafts_are_not_public(client, draft, manager):
    assert client.get(f"/datos/convenios/{draft.pk}/").status_code == 404
    assert "Convenio UOCT" not in client.get("/datos/convenios/").content.decode()
    client.force_login(manager)
    assert client.get(f"/datos/convenios/{draft.pk}/").status_code == 200


def test_a_manager_moves_an_agreement_from_its_page(client, manager, draft):
    client.force_login(manager)
    bad = client.post(f"/datos/convenios/{draft.pk}/firmar", {"signed_document": pdf("falso.pdf", b"GIF89a")})
    assert bad.status_code == 400 and "El documento debe ser un PDF." in bad.content.decode()
    assert Agreement.objects.get(pk=draft.pk).status == "draft"
    assert client.post(f"/datos/convenios/{draft.pk}/firmar", {"signed_on": ""}).status_code == 302
    refused = client.post(f"/datos/convenios/{draft.pk}/activar")
    assert refused.status_code == 400 and "sin su documento firmado" in refused.content.decode()
    client.post(f"/datos/convenios/{draft.pk}/documento", {"signed_document": pdf()})
    assert client.post(f"/datos/convenios/{draft.pk}/activar").status_code == 302
    assert Agreement.objects.get(pk=draft.pk).status == "active"
    empty = client.post(f"/datos/convenios/{draft.pk}/revocar", {"reason": ""})
    assert empty.status_code == 400 and "Indique el motivo" in empty.content.decode()
    client.post(f"/datos/convenios/{draft.pk}/revocar", {"reason": "Fin del estudio."})
    assert "Fin del estudio." in client.get(f"/datos/convenios/{draft.pk}/").content.decode()


def test_a_citizen_cannot_post_transitions(client, make_user, draft):
    client.force_login(make_user(Role.CITIZEN))
    assert client.post(f"/datos/convenios/{draft.pk}/firmar", {}).status_code == 403
    assert Agreement.objects.get(pk=draft.pk).status == "draft"


def test_the_agreements_include_for_the_dataset_page(active, dataset):
    from django.template.loader import render_to_string

    html = render_to_string("datasets/_agreements.html", {"agreements": selectors.agreements_for_dataset(dataset)})
    assert "Convenio UOCT – UdeC" in html and f"/datos/convenios/{active.pk}/" in html and "Vigente" in html


# --- the access log ---------------------------------------------------------------------------------------------


def test_the_steward_reads_the_access_log_and_exports_it_safely(client, make_user, active, dataset):
    steward = make_user(Role.OFFICIAL)
    dataset.steward = steward
    dataset.save()
    sneaky = Organization.objects.create(
        name='=HYPERLINK("http://x")', slug="sneaky", sector=Sector.PRIVATE, level=Level.LOCAL
    )
    for organization in (active.parties.get(slug="udec"), sneaky):
        decision = access.check(dataset, user=None, organization=organization)
        access.log(
            dataset,
            organization=organization,
            surface="datastore",
            allowed=decision.allowed,
            status=decision.status,
            reason=decision.reason,
        )
    assert client.get(f"/datos/{dataset.slug}/accesos/").status_code == 302
    client.force_login(make_user(Role.OFFICIAL))
    assert client.get(f"/datos/{dataset.slug}/accesos/").status_code == 403
    client.force_login(steward)
    html = client.get(f"/datos/{dataset.slug}/accesos/").content.decode()
    assert "Universidad de Concepción" in html and "Rechazado" in html and "Permitido" in html
    refused_only = client.get(f"/datos/{dataset.slug}/accesos/?permitido=no").content.decode()
    assert "Universidad de Concepción" not in refused_only
    csv = client.get(f"/datos/{dataset.slug}/accesos/?formato=csv")
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Disposition"].startswith("attachment")
    assert "'=HYPERLINK" in text and "Consulta al almacén" in text and ";no;403;" in text


# --- governance and the open data policy ------------------------------------------------------------------------


@pytest.fixture
def program():
    return make_program("gc", "Gran Concepción")


def test_the_governance_page_shows_the_current_policy_earlier_versions_and_agreements(client, manager, program, active):
    services.policy_publish(actor=manager, program=program, title="Política", body="Versión vieja.", version="1.0")
    services.policy_publish(
        actor=manager,
        program=program,
        title="Política de datos abiertos",
        body=(
            "# Abiertos por defecto\nTodo se publica.\n\n- CC-BY-4.0\n- sin datos personales\n\n"
            "<script>alert(1)</script>"
        ),
        version="1.1",
    )
    html = client.get("/datos/gobernanza/").content.decode()
    assert "Política de datos abiertos" in html and "<h2>Abiertos por defecto</h2>" in html
    assert "<li>CC-BY-4.0</li>" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "Versión 1.0" in html and "Convenio UOCT – UdeC" in html
    old = DataPolicy.objects.get(version="1.0")
    assert "Versión vieja." in client.get(f"/datos/gobernanza/politica/{old.pk}/").content.decode()


def test_a_manager_publishes_a_new_version_from_the_page(client, manager, make_user, program):
    client.force_login(make_user(Role.CITIZEN))
    assert client.get("/datos/gobernanza/politica/nueva/").status_code == 403
    client.force_login(manager)
    data = {"program": program.pk, "title": "Política", "version": "1.0", "body": "Abiertos por defecto."}
    assert client.post("/datos/gobernanza/politica/nueva/", data).status_code == 302
    again = client.post("/datos/gobernanza/politica/nueva/", data | {"document": pdf("p.pdf", b"no")})
    html = again.content.decode()
    assert again.status_code == 400
    assert "Esa versión ya fue publicada" in html and "El documento debe ser un PDF." in html
    blank = client.post("/datos/gobernanza/politica/nueva/", {"program": program.pk})
    assert blank.status_code == 400 and "No se guardó nada" in blank.content.decode()
    assert DataPolicy.objects.count() == 1


def test_the_demo_publishes_a_policy_and_agreements(demo_db, client):
    html = client.get("/datos/gobernanza/").content.decode()
    assert "Política de datos abiertos del Gran Concepción" in html and "CC-BY-4.0" in html
    assert "Convenio UOCT – Universidad de Concepción" in html
    statuses = dict(Agreement.objects.values_list("title", "status"))
    assert statuses["Convenio SECTRA – Universidad del Bío-Bío: encuesta origen-destino"] == "expired"
    counts = Dataset.objects.get(title="Conteos de flujo vehicular en intersecciones semaforizadas")
    udec = Organization.objects.get(slug="universidad-de-concepcion")
    assert access.check(counts, user=None, organization=udec).allowed
    assert AccessLogEntry.objects.count() == 0
