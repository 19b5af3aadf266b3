"""What a citizen's photo costs the server: `reports.photos.process_photo` on phone-sized photos, in-process.

    .venv/bin/python bench/photos.py [--runs 7]

Generates photo-like images (gradients under sensor-like noise, so they compress like camera photos, not like flat
colour) of 12 megapixels (4000 × 3000, a common phone camera) and 3 megapixels: a JPEG as a phone's camera saves
it (quality 90, EXIF orientation "rotate 90°" and GPS), a PNG screenshot and a WebP. Each one goes through the
whole check (content sniffing, decoding, EXIF orientation, resize to 1600 px, re-encoding without metadata) --runs
times. Prints the CPU milliseconds per photo (median and fastest) and the stored size, and, for the 12-megapixel
JPEG, the same photo the previous way (decoded at full size, then Pillow's default reducing gap for the resize):
the ratio of the two, measured in one run, is the saving.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _photo_like(size: tuple[int, int]):
    from PIL import Image

    red = Image.linear_gradient("L").resize(size)
    green = Image.linear_gradient("L").rotate(90).resize(size)
    blue = Image.radial_gradient("L").resize(size)
    noise = Image.effect_noise(size, 24)
    return Image.merge("RGB", [Image.blend(band, noise, 0.25) for band in (red, green, blue)])


def _encoded(image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def _phone_jpeg(image) -> bytes:
    from PIL import ExifTags, Image

    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (36.0, 49.0, 12.0)
    return _encoded(image, "JPEG", quality=90, exif=exif)


def _time(function, runs: int) -> tuple[float, float, object]:
    function()  # warm-up: imports, codecs
    costs, result = [], None
    for _ in range(runs):
        started = time.process_time()
        result = function()
        costs.append((time.process_time() - started) * 1000)
    return statistics.median(costs), min(costs), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mueve.config.settings")
    os.environ.setdefault("MUEVE_DEMO", "1")  # the development secret key: a throwaway database
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mueve.reports import photos

    big, small = _photo_like((4000, 3000)), _photo_like((2000, 1500))
    cases = [
        ("JPEG 4000×3000, rotated, GPS", _phone_jpeg(big), "image/jpeg"),
        ("JPEG 2000×1500, rotated, GPS", _phone_jpeg(small), "image/jpeg"),
        ("PNG 2000×1500", _encoded(small, "PNG"), "image/png"),
        ("WebP 4000×3000", _encoded(big, "WEBP", quality=85), "image/webp"),
    ]
    print(f"process_photo, CPU per photo over {args.runs} runs (median / fastest):")
    medians = {}
    for label, data, content_type in cases:
        median, fastest, result = _time(
            lambda data=data, content_type=content_type: photos.process_photo(
                SimpleUploadedFile("foto", data, content_type=content_type)
            ),
            args.runs,
        )
        medians[label] = median
        content, width, height, stored_type = result
        print(
            f"  {label:32} {len(data) / 1e6:5.1f} MB → {width}×{height} {stored_type} {content.size / 1e3:6.0f} kB: "
            f"{median:6.0f} / {fastest:6.0f} ms"
        )

    label, data, _type = cases[0]
    # The previous way, in this same run: every pixel decoded (no `draft`), then Pillow's default reducing gap.
    from PIL import JpegImagePlugin

    jpeg_draft, gap = JpegImagePlugin.JpegImageFile.draft, photos.REDUCING_GAP
    JpegImagePlugin.JpegImageFile.draft = lambda self, mode, size: None
    photos.REDUCING_GAP = 2.0
    try:
        median, fastest, _result = _time(
            lambda: photos.process_photo(SimpleUploadedFile("foto", data, content_type="image/jpeg")), args.runs
        )
    finally:
        JpegImagePlugin.JpegImageFile.draft, photos.REDUCING_GAP = jpeg_draft, gap
    print(f"  {label:32} the previous way (full-size decoding): {median:6.0f} / {fastest:6.0f} ms")
    print(f"now / the previous way, medians of this run: {medians[label] / median:.2f}")


if __name__ == "__main__":
    main()
