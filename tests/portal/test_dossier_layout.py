"""The dossier's PDF as a reader turns its pages: no blank page, headings whole and never at a page's foot,
and the charts of the site's pages drawn in it."""

import io
import re

import pytest
from pypdf import PdfReader

from mueve.portal import dossier
from mueve.programs.models import Program

pytestmark = pytest.mark.django_db

SLUG = "smart-city-gran-concepcion"
FOOTER = re.compile(r"^Página \d+ de \d+$")


@pytest.fixture(scope="module")
def built(demo_db_shared, django_db_blocker) -> dossier.ProgramDossier:
    with django_db_blocker.unblock():
        return dossier.build_dossier(Program.objects.get(slug=SLUG))


@pytest.fixture(scope="module")
def pages(built) -> list[list[str]]:
    """Each page's text lines, without the running header and the page number."""
    reader = PdfReader(io.BytesIO(dossier.render_pdf(built)))
    header = f"{built.program_name} — Informe de cierre"
    out = []
    for page in reader.pages:
        lines = [line.strip() for line in page.extract_text().split("\n")]
        out.append([line for line in lines if line and line != header and not FOOTER.match(line)])
    return out


def headings(built) -> list[str]:
    found = [s.title for s in built.all_sections()]
    for section in built.all_sections():
        for block in section.blocks:
            if isinstance(block, (dossier.Table, dossier.Figure)):
                found.append(block.title)
            elif isinstance(block, dossier.ListBlock):
                found.append(block.title)
    return found


def test_no_page_is_blank(pages):
    blank = [n for n, lines in enumerate(pages, start=1) if not lines]
    assert blank == []


def test_the_contents_page_is_followed_by_the_first_section(pages):
    assert pages[1][0] == "Contenido"
    assert pages[2][0] == "Resumen ejecutivo"


def test_no_heading_is_the_last_line_of_a_page(pages, built):
    titles = headings(built)
    for n, lines in enumerate(pages[2:], start=3):
        last = lines[-1]
        for title in titles:
            # A heading may wrap: its first line alone at the foot of the page is just as orphaned.
            assert not title.startswith(last) or len(last) < 4, f"page {n} ends with the heading «{title}»"
        assert not re.match(r"^(Tabla|Figura) \d+:", last), f"page {n} ends with «{last}»"


def test_table_headings_never_split_a_word(pages, built):
    text = "\n".join(line for lines in pages for line in lines)
    for table in built.tables():
        if table.empty:
            continue
        for column in table.columns:
            for word in column.split():
                # A split word shows as its head at a line's end ("Actualizaci") with the rest on the next line.
                assert re.search(rf"(^|\s){re.escape(word)}(\s|$)", text, re.M), f"«{word}» of {table.title} split"


def test_the_datasets_and_results_headings_are_whole(pages):
    text = "\n".join(line for lines in pages for line in lines)
    assert "Actualización" in text and "Resultado" in text
    assert not re.search(r"Actualizaci\s*\n", text) and not re.search(r"Resultad\s*\n", text)


def test_the_charts_of_the_pages_are_figures_with_captions_and_labels(pages, built):
    charts = {f.chart for f in built.figures()}
    assert {"timeline", "stakeholder_map", "funnel", "indicators", "roadmap"} <= charts
    assert [f.number for f in built.figures()] == list(range(1, len(built.figures()) + 1))
    for figure in built.figures():
        page = next((lines for lines in pages if figure.title in lines), None)
        assert page is not None, f"{figure.title} not in the PDF"
        assert any(line.startswith("Descripción del gráfico:") for lines in pages for line in lines)
    text = "\n".join(line for lines in pages for line in lines)
    # Words drawn on the charts themselves, not only in the tables beside them.
    timeline_page = next(lines for lines in pages if any(line.startswith("Figura 1:") for line in lines))
    assert any(line.split()[0] in {"ene", "feb", "mar", "abr", "nov"} for line in timeline_page if line.split())
    assert "Planificado" in "\n".join(timeline_page) and "Terminado" in "\n".join(timeline_page)
    map_page = next(lines for lines in pages if any("Mapa de actores: interés e influencia" in line for line in lines))
    for label in ("Gestionar de cerca", "Mantener satisfecho", "Monitorear", "Interés en el programa →"):
        assert label in "\n".join(map_page)
    funnel_page = next(
        lines for lines in pages if any(line.startswith("Figura") and "Embudo" in line for line in lines)
    )
    assert "Inscritos 50" in funnel_page and "Ganadores 2" in funnel_page
    roadmap_page = next(lines for lines in pages if any("Hoja de ruta: iniciativas" in line for line in lines))
    assert "Línea 2015 2019 2025" in roadmap_page
    assert "Regiones con competencias MueveTT (regiones)" in text


def test_each_figure_has_a_text_alternative_with_its_data(built):
    funnel = next(f for f in built.figures() if f.chart == "funnel")
    assert "Inscritos 50" in funnel.alt and "Ganadores 2" in funnel.alt
    stakeholder_map = next(f for f in built.figures() if f.chart == "stakeholder_map")
    assert "60 organizaciones" in stakeholder_map.alt
    roadmap = next(f for f in built.figures() if f.chart == "roadmap")
    assert "3 líneas y 22 iniciativas" in roadmap.alt


def test_the_html_dossier_draws_the_same_figures(built):
    html = dossier.render_html(built)
    assert html.count('<figure class="report-figure"') == len(built.figures())
    assert 'class="chart timeline-chart"' in html and 'class="roadmap-chart"' in html
    assert 'class="chart interest-influence"' in html and "funnel-chart" in html and "line-chart" in html
