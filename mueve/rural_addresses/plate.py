"""The printable plate of a place (A5 landscape): plus code in large type, short code with locality, road and km, and
a QR code to the place's page. The QR's URL is also a link on the page, so a reader without a camera can follow it."""

import io

import segno
from django.utils.translation import gettext as _
from fpdf import FPDF

from mueve.rural_addresses import selectors
from mueve.rural_addresses.models import RuralPlace


def plate_pdf(place: RuralPlace, *, url: str) -> bytes:
    short, locality = selectors.short_code(place)
    pdf = FPDF(orientation="L", format=(148, 210))
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_title(f"{_('Placa')} {place.plus_code}")
    pdf.set_creator("Mueve")
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 14)
    pdf.cell(0, 8, _("Dirección rural · emergencias 131 · 132 · 133"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "B", 44)
    pdf.cell(0, 24, place.plus_code, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 20)
    if locality:
        pdf.cell(0, 12, f"{short} {locality}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "B", 22)
    pdf.cell(0, 14, f"{place.road.name}, km {selectors.km_text(place.km)}", new_x="LMARGIN", new_y="NEXT")
    qr = segno.make(url, error="m")
    image = io.BytesIO()
    qr.save(image, kind="png", scale=8, border=2)
    image.seek(0)
    pdf.image(image, x=pdf.w - 70, y=pdf.h - 75, w=58, h=58, link=url)
    pdf.set_font("helvetica", "", 8)
    pdf.set_xy(10, pdf.h - 14)
    pdf.cell(0, 5, url, link=url)
    if place.generated:
        pdf.set_xy(10, pdf.h - 20)
        pdf.cell(0, 5, _("Dato generado para la demostración"))
    return bytes(pdf.output())
