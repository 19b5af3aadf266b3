"""Photos of citizen reports: checked by content (not by name), cleaned of metadata, resized, re-encoded.

A phone photo carries EXIF with the exact place and time it was taken, the device model and sometimes the owner's
name: none of that may reach a public page. Re-encoding from the decoded pixels drops every metadata block (EXIF,
XMP, ICC comments, JPEG APP segments) at once, and also any payload hidden after the image data.
"""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from mueve.reports.models import ReportPhoto, Review

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1600
# Decompression bombs: a 10 MB PNG can declare 50 000 × 50 000 pixels. 40 Mpx covers every phone camera.
MAX_PIXELS = 40_000_000
# A large PNG or WebP is first shrunk by a whole factor (box average) while the Lanczos resize after it still shrinks
# it at least this much (a JPEG is shrunk by its decoder instead, see process_photo). Pillow's default, 2.0, left a
# 12-megapixel photo to Lanczos alone; from 3.0 on, the result is indistinguishable from Lanczos alone.
REDUCING_GAP = 1.25
JPEG_QUALITY = 82

# Leading bytes of the accepted formats. Pillow would open more (BMP, TIFF, ICO...), which we refuse.
_SIGNATURES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
_PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


def sniff_type(head: bytes) -> str | None:
    """The image type the first bytes announce, or None when they are not JPEG, PNG or WebP."""
    for content_type, signatures in _SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return content_type
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _bad(message: str) -> ValidationError:
    return ValidationError({"photo": [message]})


def process_photo(upload) -> tuple[ContentFile, int, int, str]:
    """Checks and cleans an uploaded photo. Returns (file, width, height, content_type) ready to store.

    Raises ValidationError({"photo": [...]}) in Spanish for anything that is not a JPEG, PNG or WebP photo of at most
    10 MB. The output keeps the input's format except that PNGs without transparency become JPEG (much smaller).
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _bad(_("La foto pesa más de 10 MB. Elija una más liviana o envíe el reporte sin foto."))
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _bad(_("La foto pesa más de 10 MB. Elija una más liviana o envíe el reporte sin foto."))
    if not data:
        raise _bad(_("El archivo de la foto está vacío."))
    content_type = sniff_type(data[:16])
    if content_type is None:
        raise _bad(_("El archivo no es una foto JPEG, PNG o WebP. Elija otra foto o envíe el reporte sin foto."))
    try:
        with Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[content_type]]) as image:
            if image.width * image.height > MAX_PIXELS:
                raise _bad(_("La foto tiene demasiados píxeles. Elija una más pequeña."))
            # A JPEG decodes straight at 1/2, 1/4 or 1/8 of its size when that still covers the stored size: a
            # phone's 12-megapixel photo then costs less than half the CPU (bench/photos.py). No-op for PNG and WebP.
            image.draft(image.mode, _fitted(image.size))
            image.load()
            # Phones store "rotate me" in EXIF; apply it to the pixels before the EXIF is dropped.
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)
            return _encode(image, content_type)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise _bad(_("No se pudo leer la foto: el archivo está dañado o no es una imagen.")) from exc


def _fitted(size: tuple[int, int]) -> tuple[int, int]:
    """The size of a photo once it fits in MAX_SIDE × MAX_SIDE (never enlarged), as `thumbnail` makes it."""
    width, height = size
    scale = min(1.0, MAX_SIDE / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _encode(image: Image.Image, content_type: str) -> tuple[ContentFile, int, int, str]:
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if content_type == "image/png" and not has_alpha:
        content_type = "image/jpeg"
    # A fresh image from the pixels only: no info dict (EXIF, XMP, ICC, comments, text chunks) is carried over.
    if content_type == "image/jpeg":
        clean = Image.new("RGB", image.size)
        clean.paste(image.convert("RGB"))
        options = {"quality": JPEG_QUALITY, "optimize": True}
    else:
        mode = "RGBA" if has_alpha else "RGB"
        clean = Image.new(mode, image.size)
        clean.paste(image.convert(mode))
        options = {"quality": JPEG_QUALITY} if content_type == "image/webp" else {"optimize": True}
    out = io.BytesIO()
    clean.save(out, format=_PIL_FORMATS[content_type], **options)
    extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}[content_type]
    name = f"{uuid.uuid4().hex}.{extension}"
    return ContentFile(out.getvalue(), name=name), clean.width, clean.height, content_type


# A blur radius of 1/20 of the photo's longer side leaves shapes but no face, plate or handwriting readable.
BLUR_FRACTION = 20


def blur_photo(data: bytes, content_type: str, regions: list[tuple[int, int, int, int]] | None = None) -> ContentFile:
    """The photo with a Gaussian blur over the whole of it, or over each region (x, y, width, height, in the stored
    photo's pixels), re-encoded under a new random name. Raises ValidationError({"regions": [...]}) for a region
    outside the photo."""
    with Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[content_type]]) as image:
        image.load()
        radius = max(4, max(image.size) // BLUR_FRACTION)
        if not regions:
            blurred = image.filter(ImageFilter.GaussianBlur(radius))
        else:
            blurred = image.copy()
            for x, y, width, height in regions:
                if width <= 0 or height <= 0 or x < 0 or y < 0 or x + width > image.width or y + height > image.height:
                    raise ValidationError({"regions": [_("Una zona a difuminar queda fuera de la foto.")]})
                box = (x, y, x + width, y + height)
                # Blurred with a margin around it, so the region's edges are as unreadable as its middle.
                margin = (
                    max(0, x - radius),
                    max(0, y - radius),
                    min(image.width, x + width + radius),
                    min(image.height, y + height + radius),
                )
                patch = image.crop(margin).filter(ImageFilter.GaussianBlur(radius))
                inner = (x - margin[0], y - margin[1], x - margin[0] + width, y - margin[1] + height)
                blurred.paste(patch.crop(inner), box)
        content, _width, _height, _type = _encode(blurred, content_type)
    return content


def report_photo_attach(*, report, processed: tuple[ContentFile, int, int, str]) -> ReportPhoto:
    """Stores what `process_photo` returned as a photo of `report`: its file, then its row, in the caller's transaction
    (`services.report_submit` and `report_accept` store a report and its photo together, the photo last). The file
    is removed when its row cannot be stored; storage is not transactional, so a failed commit after it would still
    leave the file behind."""
    content, width, height, content_type = processed
    review = Review.PENDING if report.service.moderate_photos else Review.APPROVED
    photo = ReportPhoto(
        report=report,
        width=width,
        height=height,
        content_type=content_type,
        size_bytes=len(content),
        review=review,
    )
    photo.image.save(content.name, content, save=False)
    try:
        photo.save()
    except BaseException:
        photo.image.delete(save=False)
        raise
    return photo
