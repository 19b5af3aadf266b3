"""Report photos: checked by content, cleaned of EXIF (GPS included), resized and re-encoded."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import ExifTags, Image, JpegImagePlugin

from mueve.reports import services
from mueve.reports.models import Incident, Report, ReportPhoto
from mueve.reports.photos import MAX_BYTES, MAX_SIDE, process_photo, sniff_type
from mueve.reports.services import submission

GPS_IFD = ExifTags.IFD.GPSInfo


def jpeg_with_gps(size=(2400, 1800), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Fabricante"
    exif[ExifTags.Base.Model] = "Teléfono de Ana"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (36.0, 49.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (73.0, 2.0, 40.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=90)
    return out.getvalue()


def upload(data: bytes, name="foto.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def encoded(fmt: str, mode="RGB", size=(800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (10, 120, 200, 128) if mode == "RGBA" else (10, 120, 200)).save(out, format=fmt)
    return out.getvalue()


def test_the_input_really_carries_gps():
    # Guards the other tests: the fixture photo must have the data we claim to strip.
    with Image.open(io.BytesIO(jpeg_with_gps())) as image:
        assert image.getexif().get_ifd(GPS_IFD)[ExifTags.GPS.GPSLatitudeRef] == "S"


def test_exif_and_gps_are_stripped_and_the_photo_resized():
    content, width, height, content_type = process_photo(upload(jpeg_with_gps()))
    assert content_type == "image/jpeg"
    assert (width, height) == (MAX_SIDE, 1200)
    data = content.read()
    assert b"Exif" not in data and "Teléfono de Ana".encode() not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size == (MAX_SIDE, 1200)
        assert len(image.getexif()) == 0
        assert "exif" not in image.info
        assert not image.getexif().get_ifd(GPS_IFD)


def test_orientation_is_applied_before_the_exif_goes():
    # Orientation 6 = "rotate 90° clockwise to display": a landscape sensor image shown as portrait.
    content, width, height, _type = process_photo(upload(jpeg_with_gps(size=(1200, 800), orientation=6)))
    assert (width, height) == (800, 1200)


def test_a_phone_sized_photo_is_decoded_reduced_turned_the_right_way_and_keeps_its_colours(monkeypatch):
    # 12 megapixels, stored sideways, red on the left and blue on the right of the sensor image.
    sensor = Image.new("RGB", (4000, 3000), (200, 30, 30))
    sensor.paste((30, 30, 200), (2000, 0, 4000, 3000))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90° clockwise to display": the sensor's left becomes the top
    out = io.BytesIO()
    sensor.save(out, format="JPEG", exif=exif, quality=90)
    decoded_at = []
    draft = JpegImagePlugin.JpegImageFile.draft

    def recording_draft(self, mode, size):
        result = draft(self, mode, size)
        decoded_at.append(self.size)
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", recording_draft)
    content, width, height, _type = process_photo(upload(out.getvalue()))
    assert decoded_at == [(2000, 1500)]  # the decoder skipped three quarters of the pixels
    assert (width, height) == (1200, MAX_SIDE)
    with Image.open(content) as image:
        assert image.size == (1200, MAX_SIDE)
        top, bottom = image.getpixel((600, 200)), image.getpixel((600, 1400))
        assert top[0] > 170 and top[2] < 70  # red on top
        assert bottom[2] > 170 and bottom[0] < 70  # blue below


def test_small_photos_are_not_enlarged():
    _content, width, height, _type = process_photo(upload(encoded("JPEG", size=(640, 480))))
    assert (width, height) == (640, 480)


def test_png_without_transparency_becomes_jpeg_and_with_it_stays_png():
    assert process_photo(upload(encoded("PNG"), "a.png", "image/png"))[3] == "image/jpeg"
    content, _w, _h, content_type = process_photo(upload(encoded("PNG", mode="RGBA"), "b.png", "image/png"))
    assert content_type == "image/png"
    with Image.open(content) as image:
        assert image.mode == "RGBA"


def test_webp_is_accepted():
    content, _w, _h, content_type = process_photo(upload(encoded("WEBP"), "c.webp", "image/webp"))
    assert content_type == "image/webp"
    assert content.name.endswith(".webp")


def message(exc: pytest.ExceptionInfo) -> str:
    return " ".join(exc.value.message_dict["photo"])


def test_an_exe_renamed_jpg_is_refused_by_content():
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 2000
    with pytest.raises(ValidationError) as exc:
        process_photo(upload(exe, "foto.jpg", "image/jpeg"))
    assert "no es una foto JPEG, PNG o WebP" in message(exc)


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_image_formats_are_refused(fmt):
    with pytest.raises(ValidationError) as exc:
        process_photo(upload(encoded(fmt), "foto.jpg"))
    assert "JPEG, PNG o WebP" in message(exc)


def test_more_than_10_mb_is_refused():
    big = b"\xff\xd8\xff\xe0" + b"\x00" * MAX_BYTES
    with pytest.raises(ValidationError) as exc:
        process_photo(upload(big))
    assert "10 MB" in message(exc)


@pytest.mark.parametrize("data", [b"\xff\xd8\xff\xe0garbage" * 10, b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, b""])
def test_damaged_or_empty_files_get_a_message_not_a_crash(data):
    with pytest.raises(ValidationError) as exc:
        process_photo(upload(data))
    assert message(exc)


def test_sniffing_ignores_the_name_and_declared_type():
    assert sniff_type(encoded("PNG")[:16]) == "image/png"
    assert sniff_type(encoded("WEBP")[:16]) == "image/webp"
    assert sniff_type(b"GIF89a" + b"\x00" * 10) is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("intake", ["inline", "background"])
def test_a_photo_is_decoded_outside_the_transaction_that_stores_it(pothole, settings, monkeypatch, intake):
    """A phone photo takes ~0.2 s of CPU to decode: the report's transaction (SQLite's single write lock) must not
    wait on it, on the phone page's path (`report_submit`) or the Open311 one (`report_accept`)."""
    settings.MUEVE_REPORTS_INTAKE = intake
    monkeypatch.setattr(submission, "_wake_intake", lambda: None)  # the report waits in the queue
    in_transaction = []
    decode = submission.process_photo

    def watched(upload):
        in_transaction.append(connection.in_atomic_block)
        return decode(upload)

    monkeypatch.setattr(submission, "process_photo", watched)
    report = services.report_accept(
        service=pothole, lat=-36.827, lon=-73.05, device_id="tel-1", photo=upload(jpeg_with_gps()), check_abuse=False
    )
    assert in_transaction == [False]
    assert report.photos.get().width == MAX_SIDE  # and stored with the report


def test_a_photo_confirming_an_incident_closed_meanwhile_leaves_no_file_behind(pothole, settings, tmp_path):
    """The "me too" of a citizen whose page showed the incident open, closed by an operator before the report is
    processed: refused, and neither the report nor its photo (row or file) is kept."""
    settings.MEDIA_ROOT = tmp_path / "media"
    first = services.report_submit(service=pothole, lat=-36.827, lon=-73.05)
    seen_open = first.incident
    Incident.objects.filter(pk=seen_open.pk).update(status=Incident.Status.RESOLVED)
    with pytest.raises(ValidationError) as refused:
        services.report_submit(
            service=pothole, lat=-36.827, lon=-73.05, confirms=seen_open, photo=upload(jpeg_with_gps())
        )
    assert "confirms" in refused.value.message_dict
    assert Report.objects.count() == 1 and ReportPhoto.objects.count() == 0
    assert [path for path in (tmp_path / "media").rglob("*") if path.is_file()] == []
