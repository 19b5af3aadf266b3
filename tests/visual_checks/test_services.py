"""Visual checks through the services and the endpoints: what is offered, what is refused (with a clear error and
nothing stored), the pilot's steps, footage (validated, never public, pruned after the retention period)."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from mueve.accounts.models import Role
from mueve.reports import services as report_services
from mueve.visual_checks import selectors, services
from mueve.visual_checks.models import Drone, Footage, Mission, RetentionPolicy
from tests.scoping import logged_in, scoped
from tests.visual_checks.conftest import CONCEPCION, TALCAHUANO_BASE

pytestmark = pytest.mark.django_db

PLAYLIST = b"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nseg0.ts\n"


def _png(size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def _flying(mission, pilot):
    for status in ("accepted", "in_flight", "on_scene"):
        services.mission_advance(mission=mission, pilot=pilot, status=status)
    return Mission.objects.get(pk=mission.pk)


@pytest.fixture
def drone_mission(incident, operator, drone):
    return services.mission_request(incident=incident, actor=operator, drone=drone)


def test_covering_cameras_are_offered_first_and_a_camera_check_has_its_feed_at_once(
    incident, operator, drone, metro, settings
):
    settings.MUEVE_VISUAL_STREAM_ORIGINS = ["https://video.uoct.example"]
    camera = services.camera_upsert(
        jurisdiction=metro,
        name="Plaza",
        lat=CONCEPCION[0],
        lon=CONCEPCION[1] + 0.001,
        range_m=200,
        stream_url="https://video.uoct.example/plaza/index.m3u8",
    )
    answer = logged_in(operator).get(reverse("visual_checks:incident", args=[incident.pk])).json()
    assert [(o["kind"], o["name"]) for o in answer["offers"]] == [("camera", "Plaza")]  # no drone while a camera sees
    mission = services.mission_request(incident=incident, actor=operator, camera=camera)
    assert mission.status == Mission.Status.ON_SCENE
    assert mission.stream_url.endswith("index.m3u8") and mission.first_image_at is not None


def test_without_a_camera_the_nearest_drone_is_offered_and_requested(incident, operator, drone):
    client = logged_in(operator)
    answer = client.get(reverse("visual_checks:incident", args=[incident.pk])).json()
    assert [(o["kind"], o["id"]) for o in answer["offers"]] == [("drone", drone.pk)]
    assert 0 < answer["offers"][0]["flight_minutes"] < 30
    response = client.post(reverse("visual_checks:request", args=[incident.pk]), {"drone": drone.pk})
    assert response.status_code == 201
    assert response.json()["mission"]["status"] == "requested"
    assert Drone.objects.get(pk=drone.pk).status == Drone.Status.BUSY
    # The drone is now busy: nothing more to offer, and a second request is refused.
    assert client.get(reverse("visual_checks:incident", args=[incident.pk])).json()["offers"] == []
    again = client.post(reverse("visual_checks:request", args=[incident.pk]), {"drone": drone.pk})
    assert again.status_code == 422
    assert again.json()["errors"]["drone"] == ["El dron no está disponible."]


def test_a_drone_request_for_a_resolved_incident_is_refused_and_stores_nothing(incident, operator, drone):
    report_services.incident_resolve(incident=incident, actor=operator)
    response = logged_in(operator).post(reverse("visual_checks:request", args=[incident.pk]), {"drone": drone.pk})
    assert response.status_code == 422
    assert "ya está cerrado" in response.json()["errors"]["incident"][0]
    assert Mission.objects.count() == 0
    assert Drone.objects.get(pk=drone.pk).status == Drone.Status.AVAILABLE


def test_a_drone_whose_path_crosses_a_no_fly_zone_is_neither_offered_nor_accepted(incident, operator, drone):
    # 13 km away, well within a 60-minute endurance: only the zone stands in the way.
    Drone.objects.filter(pk=drone.pk).update(base_lat=TALCAHUANO_BASE[0], base_lon=TALCAHUANO_BASE[1], endurance_min=60)
    # A band across the whole way from Talcahuano to Concepción's centre.
    services.no_fly_zone_upsert(
        name="Aeródromo", polygon=[[-73.12, -36.78], [-73.00, -36.78], [-73.00, -36.76], [-73.12, -36.76]]
    )
    client = logged_in(operator)
    assert client.get(reverse("visual_checks:incident", args=[incident.pk])).json()["offers"] == []
    with pytest.raises(ValidationError) as refused:
        services.mission_request(incident=incident, actor=operator, drone=drone)
    assert "zona de exclusión" in str(refused.value)
    assert Mission.objects.count() == 0


def test_a_drone_too_far_for_its_endurance_is_refused(incident, operator, drone):
    Drone.objects.filter(pk=drone.pk).update(endurance_min=8)  # 0.8 × 8 = 6.4 min: 5 on the scene, 1.4 to fly
    response = logged_in(operator).post(reverse("visual_checks:request", args=[incident.pk]), {"drone": drone.pk})
    assert response.status_code == 422
    assert "autonomía" in response.json()["errors"]["drone"][0]
    assert Mission.objects.count() == 0


def test_another_jurisdictions_operator_sees_nothing(incident, drone, make_user, temuco):
    outsider = scoped(make_user, Role.OPERATOR, temuco)
    client = logged_in(outsider)
    assert client.get(reverse("visual_checks:incident", args=[incident.pk])).status_code == 404
    assert client.post(reverse("visual_checks:request", args=[incident.pk]), {"drone": drone.pk}).status_code == 404
    assert Mission.objects.count() == 0


def test_the_pilot_takes_the_steps_in_order_and_shares_position(drone_mission, pilot, make_user):
    client = logged_in(pilot)
    step = reverse("visual_checks:step", args=[drone_mission.pk])
    assert client.post(step, {"status": "on_scene"}).status_code == 422  # not before accepting and flying
    assert client.post(step, {"status": "accepted"}).json()["mission"]["status"] == "accepted"
    position = reverse("visual_checks:position", args=[drone_mission.pk])
    assert client.post(position, {"lat": "-36.82", "lon": "-73.05"}).json()["mission"]["pilot_position"] == [
        -36.82,
        -73.05,
    ]
    assert client.post(position, {"lat": "95", "lon": "-73.05"}).status_code == 422
    # Someone else cannot move the mission.
    stranger = logged_in(make_user(Role.OFFICIAL))
    assert stranger.post(step, {"status": "in_flight"}).status_code == 404
    for status in ("in_flight", "on_scene", "returned"):
        assert client.post(step, {"status": status}).status_code == 200
    mission = Mission.objects.get(pk=drone_mission.pk)
    assert mission.returned_at is not None and mission.drone.status == Drone.Status.AVAILABLE


def test_a_stream_url_that_is_not_hls_is_refused_and_nothing_is_stored(drone_mission, pilot, video_server):
    origin, root = video_server
    (root / "pagina").write_text("<html><body>no es un video</body></html>")
    (root / "vivo").write_bytes(PLAYLIST)
    (root / "carpeta").mkdir()
    (root / "carpeta" / "index.html").write_bytes(PLAYLIST)
    mission = _flying(drone_mission, pilot)
    client = logged_in(pilot)
    url = reverse("visual_checks:stream", args=[mission.pk])
    refused = {
        f"{origin}/pagina": "no es un video HLS",
        "ftp://127.0.0.1/video.m3u8": "http:// o https://",
        "https://otro-servidor.example/video.m3u8": "no está autorizado",
        f"{origin}/no-existe": "No se pudo leer",
        f"{origin}/carpeta": "No se pudo leer",  # the server redirects to /carpeta/: not followed
    }
    for bad, message in refused.items():
        response = client.post(url, {"stream_url": bad})
        assert response.status_code == 422, bad
        assert message in response.json()["errors"]["stream_url"][0]
    assert Footage.objects.count() == 0
    assert Mission.objects.get(pk=mission.pk).stream_url == ""
    assert Mission.objects.get(pk=mission.pk).first_image_at is None
    # A playlist is accepted by its content, and an .m3u8 address by its name.
    assert client.post(url, {"stream_url": f"{origin}/vivo"}).json()["mission"]["stream_url"] == f"{origin}/vivo"
    assert client.post(url, {"stream_url": f"{origin}/cam/index.m3u8"}).status_code == 200
    assert Footage.objects.filter(kind=Footage.Kind.STREAM).count() == 2


def test_snapshots_are_validated_and_never_public(
    drone_mission, pilot, operator, make_user, temuco, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client = logged_in(pilot)
    url = reverse("visual_checks:snapshot", args=[drone_mission.pk])
    early = client.post(url, {"image": SimpleUploadedFile("a.png", _png(), content_type="image/png")})
    assert early.status_code == 422  # not flying yet
    mission = _flying(drone_mission, pilot)
    for name, data in (
        ("a.gif", b"GIF89a" + b"\0" * 100),
        ("a.png", b"no soy una imagen"),
        ("big.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (services.SNAPSHOT_MAX_BYTES + 1)),
    ):
        response = client.post(url, {"image": SimpleUploadedFile(name, data, content_type="image/png")})
        assert response.status_code == 422, name
        assert response.json()["errors"]["image"]
    assert Footage.objects.count() == 0
    ok = client.post(url, {"image": SimpleUploadedFile("a.png", _png(), content_type="image/png")})
    assert ok.status_code == 200
    shot = ok.json()["mission"]["snapshots"][0]["url"]
    assert Mission.objects.get(pk=mission.pk).first_image_at is not None
    # The control centre and the pilot see it; nobody else, not even another region's operator.
    assert logged_in(operator).get(shot).status_code == 200
    seen = client.get(shot)
    assert seen.status_code == 200 and seen["Cache-Control"] == "private, no-store"
    assert logged_in(make_user(Role.CITIZEN)).get(shot).status_code == 404
    assert logged_in(scoped(make_user, Role.OPERATOR, temuco)).get(shot).status_code == 404
    assert Client().get(shot).status_code == 404
    token = shot.rstrip("/").rsplit("/", 1)[1]
    public = Client().get(reverse("control:public_geojson")).content.decode()
    assert token not in public and "/drones/" not in public


def test_footage_is_pruned_after_the_jurisdictions_retention(
    drone_mission, pilot, metro, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    mission = _flying(drone_mission, pilot)
    old = services.footage_add_snapshot(
        mission=mission, pilot=pilot, upload=SimpleUploadedFile("a.png", _png(), content_type="image/png")
    )
    new = services.footage_add_snapshot(
        mission=mission, pilot=pilot, upload=SimpleUploadedFile("b.png", _png(), content_type="image/png")
    )
    Footage.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    RetentionPolicy.objects.create(jurisdiction=metro, footage_days=7)
    old_file = tmp_path / "media" / old.image.name
    assert old_file.exists()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("prune_footage", stdout=out)
    assert "1 archivo" in out.getvalue()
    assert list(Footage.objects.values_list("pk", flat=True)) == [new.pk]
    assert not old_file.exists() and (tmp_path / "media" / new.image.name).exists()


def test_statistics_compare_first_image_with_physical_dispatch(drone_mission, pilot, operator, video_server):
    origin, _root = video_server
    mission = _flying(drone_mission, pilot)
    Mission.objects.filter(pk=mission.pk).update(requested_at=timezone.now() - timedelta(minutes=4))
    services.footage_set_stream(mission=mission, pilot=pilot, url=f"{origin}/v/index.m3u8")
    incident = mission.incident
    type(incident).objects.filter(pk=incident.pk).update(
        opened_at=timezone.now() - timedelta(minutes=40), dispatched_at=timezone.now() - timedelta(minutes=10)
    )
    stats = selectors.statistics(jurisdictions=None)
    assert stats.missions == 1
    assert 3.9 <= stats.to_first_image.median_min <= 4.1
    assert 29.9 <= stats.to_physical.median_min <= 30.1
    page = logged_in(operator).get(reverse("visual_checks:statistics")).content.decode()
    assert "Hasta la primera imagen" in page and f"#{incident.pk}" in page


def test_the_pilot_page_is_the_pilots_and_the_panel_csp_allows_the_video_servers(
    pilot, drone, operator, make_user, settings
):
    settings.MUEVE_VISUAL_STREAM_ORIGINS = ["https://video.uoct.example"]
    assert logged_in(pilot).get(reverse("visual_checks:pilot")).status_code == 200
    assert logged_in(make_user(Role.CITIZEN)).get(reverse("visual_checks:pilot")).status_code == 403
    csp = logged_in(operator).get(reverse("control:dashboard"))["Content-Security-Policy"]
    assert "media-src 'self' blob:" in csp
    assert "connect-src 'self' https://video.uoct.example" in csp
    assert "worker-src 'self';" in csp and "script-src 'self' 'nonce-" in csp
