"""Moderation before publication: citizens' photos (and, where the service asks for it, their texts) wait in the
control centre's queue; until an operator approves them the public sees neither, and a photo's address is neither
guessable nor cacheable. Every decision is recorded."""

import io
import random

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image, ImageFilter, ImageStat

from mueve.accounts.models import Role
from mueve.reports import services
from mueve.reports.models import ReportPhoto, ReportStatusChange
from tests.conftest import PASSWORD, ROLES_AND_ANONYMOUS

QUEUE = "/control/moderacion/"
STAFF = {Role.OPERATOR, Role.MANAGER, Role.ADMIN}


def photo_action(token: str, action: str) -> str:
    return f"{QUEUE}fotos/{token}/{action}/"


def text_action(public_id: str, action: str) -> str:
    return f"{QUEUE}reportes/{public_id}/{action}/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def noisy_jpeg(size=(320, 240), seed=7) -> bytes:
    # Fine detail (noise) is what a blur removes: a flat photo would look the same before and after.
    rng = random.Random(seed)
    image = Image.new("RGB", size)
    image.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(size[0] * size[1])])
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95)
    return out.getvalue()


def sharpness(data: bytes) -> float:
    with Image.open(io.BytesIO(data)) as image:
        return ImageStat.Stat(image.convert("L").filter(ImageFilter.FIND_EDGES)).mean[0]


@pytest.fixture
def report_with_photo(pothole, submit):
    return submit(pothole, photo=SimpleUploadedFile("IMG_1.jpg", noisy_jpeg(), content_type="image/jpeg"))


@pytest.fixture
def operator_client(make_user):
    client = Client()
    client.force_login(make_user(Role.OPERATOR))
    return client


def body(response) -> str:
    return b"".join(response.streaming_content) if response.streaming else response.content


def public_pages(client, report) -> dict[str, str]:
    return {
        "tracking": client.get(reverse("reports:track", args=[report.token])).content.decode(),
        "open311": client.get(f"/open311/v2/requests/{report.public_id}.json").content.decode(),
        "open311_list": client.get("/open311/v2/requests.json").content.decode(),
        "map": client.get(reverse("control:public_map")).content.decode(),
        "geojson": client.get(reverse("control:public_geojson")).content.decode(),
        "atom": client.get(reverse("control:public_atom")).content.decode(),
    }


def test_a_waiting_photo_is_on_no_public_page_and_only_operators_may_fetch_it(
    client, operator_client, make_user, report_with_photo
):
    photo = ReportPhoto.objects.get()
    url = reverse("reports:photo", args=[photo.token])
    pages = public_pages(client, report_with_photo)
    for name, text in pages.items():
        assert photo.token not in text, name
    assert client.get(f"/open311/v2/requests/{report_with_photo.public_id}.json").json()[0]["media_url"] == ""
    assert "foto en revisión" in pages["tracking"]
    assert client.get(url).status_code == 404
    citizen = Client()
    citizen.force_login(make_user(Role.CITIZEN))
    assert citizen.get(url).status_code == 404
    seen = operator_client.get(url)
    assert seen.status_code == 200 and seen["Cache-Control"] == "private, no-store"
    # The operator's queue shows it.
    assert url in operator_client.get(QUEUE).content.decode()


def test_approval_publishes_the_photo_with_cacheable_headers(client, operator_client, report_with_photo):
    photo = ReportPhoto.objects.get()
    url = reverse("reports:photo", args=[photo.token])
    answer = operator_client.post(photo_action(photo.token, "approve"))
    assert answer.status_code == 302
    served = client.get(url)
    assert served.status_code == 200 and served["Cache-Control"].startswith("public, max-age=")
    assert url in client.get(reverse("reports:track", args=[report_with_photo.token])).content.decode()
    media_url = client.get(f"/open311/v2/requests/{report_with_photo.public_id}.json").json()[0]["media_url"]
    assert media_url == f"http://testserver{url}"


def test_rejection_deletes_the_file_and_the_address_answers_404(
    client, operator_client, report_with_photo, django_capture_on_commit_callbacks
):
    photo = ReportPhoto.objects.get()
    name = photo.image.name
    assert default_storage.exists(name)
    # The file goes once the decision is committed.
    with django_capture_on_commit_callbacks(execute=True):
        answer = operator_client.post(photo_action(photo.token, "reject"), {"reason": "Se ve la cara de un niño"})
    assert answer.status_code == 302
    assert not default_storage.exists(name)
    url = reverse("reports:photo", args=[photo.token])
    assert client.get(url).status_code == 404 and operator_client.get(url).status_code == 404
    assert client.get(f"/open311/v2/requests/{report_with_photo.public_id}.json").json()[0]["media_url"] == ""
    assert url not in operator_client.get(QUEUE).content.decode()


def test_a_rejection_without_reason_is_refused_in_spanish_and_changes_nothing(operator_client, report_with_photo):
    photo = ReportPhoto.objects.get()
    answer = operator_client.post(photo_action(photo.token, "reject"), {"reason": " "})
    assert answer.status_code == 400
    assert "Indique el motivo del rechazo." in answer.content.decode()
    photo.refresh_from_db()
    assert photo.review == "pending" and default_storage.exists(photo.image.name)
    assert not ReportStatusChange.objects.filter(field="photo").exists()


def test_blur_publishes_a_blurred_copy_and_deletes_the_original(
    client, operator_client, report_with_photo, django_capture_on_commit_callbacks
):
    photo = ReportPhoto.objects.get()
    original_name = photo.image.name
    url = reverse("reports:photo", args=[photo.token])
    original = body(operator_client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        answer = operator_client.post(photo_action(photo.token, "blur"))
    assert answer.status_code == 302
    served = client.get(url)
    assert served.status_code == 200 and served["Cache-Control"].startswith("public")
    blurred = body(served)
    assert blurred != original
    assert sharpness(blurred) < sharpness(original) / 3
    with Image.open(io.BytesIO(blurred)) as image:
        assert image.size == (photo.width, photo.height)
    assert not default_storage.exists(original_name)


def test_blurring_regions_leaves_the_rest_of_the_photo_sharp(operator, report_with_photo):
    photo = ReportPhoto.objects.get()
    with photo.image.open("rb") as file:
        original = file.read()
    services.report_photo_blur(photo=photo, actor=operator, regions=[(0, 0, 160, 240)])
    photo.refresh_from_db()
    with photo.image.open("rb") as file:
        data = file.read()
    with Image.open(io.BytesIO(data)) as image, Image.open(io.BytesIO(original)) as before:
        left, right = (0, 0, 150, 240), (170, 0, 320, 240)
        edges = image.convert("L").filter(ImageFilter.FIND_EDGES)
        edges_before = before.convert("L").filter(ImageFilter.FIND_EDGES)
        assert ImageStat.Stat(edges.crop(left)).mean[0] < ImageStat.Stat(edges_before.crop(left)).mean[0] / 3
        assert ImageStat.Stat(edges.crop(right)).mean[0] > ImageStat.Stat(edges_before.crop(right)).mean[0] * 0.7


def test_sequential_photo_addresses_answer_404(client, operator_client, report_with_photo):
    photo = ReportPhoto.objects.get()
    operator_client.post(photo_action(photo.token, "approve"))
    assert len(photo.token) >= 22 and str(photo.pk) != photo.token
    for guess in (photo.pk, photo.pk + 1, 1, 2):
        assert client.get(f"/reportes/fotos/{guess}/").status_code == 404
        assert operator_client.get(f"/reportes/fotos/{guess}/").status_code == 404
    assert client.get(f"/reportes/fotos/{photo.token}/").status_code == 200


def test_photos_are_public_at_once_for_a_service_that_does_not_moderate_them(client, metro, submit):
    service = services.service_upsert(
        jurisdiction=metro, code="semaforo", name="Semáforo", alert_category="traffic", moderate_photos=False
    )
    report = submit(service, photo=SimpleUploadedFile("a.jpg", noisy_jpeg(), content_type="image/jpeg"))
    photo = ReportPhoto.objects.get()
    assert photo.review == "approved"
    assert client.get(reverse("reports:photo", args=[photo.token])).status_code == 200
    assert photo.token in client.get(reverse("reports:track", args=[report.token])).content.decode()


def test_text_waits_when_the_service_requires_it_and_an_edit_keeps_the_original_for_operators(
    client, operator_client, metro, pothole, submit
):
    careful = services.service_upsert(
        jurisdiction=metro, code="acoso", name="Acoso en el transporte", alert_category="security", moderate_text=True
    )
    waiting = submit(careful, description="El chofer Juan Soto, fono +56988887777, me insultó")
    plain = submit(pothole, description="Bache grande frente al colegio")
    tracking = client.get(reverse("reports:track", args=[waiting.token])).content.decode()
    assert "Juan Soto" not in tracking and "Descripción en revisión" in tracking
    listed = client.get(f"/open311/v2/requests/{waiting.public_id}.json").json()[0]
    assert listed["description"] == "Descripción en revisión"
    # Text is public at once by default.
    assert "Bache grande" in client.get(reverse("reports:track", args=[plain.token])).content.decode()
    assert "Juan Soto" in operator_client.get(QUEUE).content.decode()

    edited = "El chofer me insultó"
    answer = operator_client.post(text_action(waiting.public_id, "edit"), {"text": edited, "reason": "Datos"})
    assert answer.status_code == 302
    tracking = client.get(reverse("reports:track", args=[waiting.token])).content.decode()
    assert edited in tracking and "Juan Soto" not in tracking and "+56988887777" not in tracking
    assert client.get(f"/open311/v2/requests/{waiting.public_id}.json").json()[0]["description"] == edited
    change = ReportStatusChange.objects.get(report=waiting, field="description")
    assert change.data == {"before": "El chofer Juan Soto, fono +56988887777, me insultó", "after": edited}
    assert not change.public
    history = operator_client.get(QUEUE).content.decode()
    assert "Juan Soto" in history and "Descripción corregida y publicada" in history


def test_a_rejected_text_never_reaches_the_public(client, operator_client, metro, submit):
    careful = services.service_upsert(
        jurisdiction=metro, code="acoso", name="Acoso", alert_category="security", moderate_text=True
    )
    report = submit(careful, description="Insultos y un número +56911112222")
    operator_client.post(text_action(report.public_id, "reject"), {"reason": "Insultos"})
    tracking = client.get(reverse("reports:track", args=[report.token])).content.decode()
    assert "+56911112222" not in tracking and "Descripción no publicada por moderación" in tracking


def test_every_decision_is_recorded_and_shown_to_operators(operator_client, make_user, pothole, submit):
    reports = [
        submit(pothole, photo=SimpleUploadedFile(f"{n}.jpg", noisy_jpeg(seed=n), content_type="image/jpeg"))
        for n in range(3)
    ]
    photos = {photo.report_id: photo for photo in ReportPhoto.objects.all()}
    first, second, third = (photos[report.pk] for report in reports)
    operator_client.post(photo_action(first.token, "approve"))
    operator_client.post(photo_action(second.token, "blur"), {"reason": "Patente"})
    operator_client.post(photo_action(third.token, "reject"), {"reason": "Rostros"})
    changes = ReportStatusChange.objects.filter(field="photo").order_by("id")
    assert [(c.report_id, c.from_value, c.to_value, c.notes) for c in changes] == [
        (reports[0].pk, "pending", "approved", ""),
        (reports[1].pk, "pending", "blurred", "Patente"),
        (reports[2].pk, "pending", "rejected", "Rostros"),
    ]
    assert all(c.changed_by.role == Role.OPERATOR and not c.public and c.changed_at for c in changes)
    page = operator_client.get(QUEUE).content.decode()
    for text in ("Foto aprobada", "Foto difuminada y aprobada", "Foto rechazada y borrada", "Rostros", "Patente"):
        assert text in page
    # Never on the public timeline.
    tracking = Client().get(reverse("reports:track", args=[reports[2].token])).content.decode()
    assert "Rostros" not in tracking


def test_the_queue_lists_what_waits_oldest_first(operator_client, pothole, submit):
    from datetime import timedelta

    from django.utils import timezone

    older = submit(pothole, photo=SimpleUploadedFile("a.jpg", noisy_jpeg(), content_type="image/jpeg"))
    newer = submit(pothole, photo=SimpleUploadedFile("b.jpg", noisy_jpeg(seed=2), content_type="image/jpeg"))
    type(older).objects.filter(pk=older.pk).update(requested_datetime=timezone.now() - timedelta(hours=2))
    nothing = submit(pothole, description="Sin foto")
    page = operator_client.get(QUEUE).content.decode()
    assert page.index(older.public_id) < page.index(newer.public_id)
    assert nothing.public_id not in page


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_role_matrix_of_the_queue(users_by_role, role, report_with_photo):
    client = Client()
    if users_by_role[role] is not None:
        assert client.login(username=users_by_role[role].username, password=PASSWORD)
    photo = ReportPhoto.objects.get()
    page = client.get(QUEUE)
    approve = client.post(photo_action(photo.token, "approve"))
    photo.refresh_from_db()
    if role in STAFF:
        assert page.status_code == 200 and approve.status_code == 302
        assert photo.review == "approved"
    else:
        expected = 302 if role == "anonymous" else 403  # anonymous visitors are sent to log in
        assert page.status_code == expected and approve.status_code == expected
        if role == "anonymous":
            assert page["Location"].startswith(reverse("accounts:login"))
        assert photo.review == "pending"


def test_the_control_centre_links_to_the_queue(operator_client):
    assert QUEUE in operator_client.get(reverse("control:dashboard")).content.decode()


def test_the_jurisdiction_sets_moderation_per_service_in_the_admin(admin_client, pothole):
    change = reverse("admin:reports_service_change", args=[pothole.pk])
    form = admin_client.get(change).content.decode()
    assert 'name="moderate_photos"' in form and 'name="moderate_text"' in form
    pothole.refresh_from_db()
    assert pothole.moderate_photos is True and pothole.moderate_text is False  # the defaults


def test_operators_get_every_photo_address_of_an_incidents_reports_in_one_query(
    operator_client, report_with_photo, django_assert_num_queries
):
    from mueve.reports import selectors

    photo = ReportPhoto.objects.get()
    with django_assert_num_queries(1):
        urls = selectors.report_photo_urls_by_report([report_with_photo.pk])
    assert urls == {report_with_photo.pk: [f"/reportes/fotos/{photo.token}/"]}
    assert operator_client.get(urls[report_with_photo.pk][0]).status_code == 200


def test_the_zones_an_operator_marks_are_the_ones_blurred(operator_client, report_with_photo):
    photo = ReportPhoto.objects.get()
    with photo.image.open("rb") as file:
        original = file.read()
    answer = operator_client.post(photo_action(photo.token, "blur"), {"regions": "0,0,100,100; 200,140,120,100"})
    assert answer.status_code == 302
    photo.refresh_from_db()
    assert photo.review == "approved"
    with photo.image.open("rb") as file:
        blurred = file.read()
    change = ReportStatusChange.objects.get(field="photo")
    assert change.data["regions"] == [[0, 0, 100, 100], [200, 140, 120, 100]]

    def edges(data, box):
        with Image.open(io.BytesIO(data)) as image:
            return ImageStat.Stat(image.convert("L").filter(ImageFilter.FIND_EDGES).crop(box)).mean[0]

    assert edges(blurred, (5, 5, 95, 95)) < edges(original, (5, 5, 95, 95)) / 3
    assert edges(blurred, (205, 145, 315, 235)) < edges(original, (205, 145, 315, 235)) / 3
    assert edges(blurred, (120, 5, 190, 95)) > edges(original, (120, 5, 190, 95)) * 0.7


@pytest.mark.parametrize(
    ("regions", "message"),
    [
        ("0,0,100", "Escriba cada zona como x,y,ancho,alto"),
        ("a,b,c,d", "Escriba cada zona como x,y,ancho,alto"),
        ("-1,0,10,10", "Escriba cada zona como x,y,ancho,alto"),
        ("300,200,100,100", "Una zona a difuminar queda fuera de la foto."),
    ],
)
def test_bad_zones_get_a_spanish_message_and_change_nothing(operator_client, report_with_photo, regions, message):
    photo = ReportPhoto.objects.get()
    name = photo.image.name
    answer = operator_client.post(photo_action(photo.token, "blur"), {"regions": regions})
    assert answer.status_code == 400 and message in answer.content.decode()
    photo.refresh_from_db()
    assert photo.review == "pending" and photo.image.name == name and default_storage.exists(name)
    assert not ReportStatusChange.objects.filter(field="photo").exists()
