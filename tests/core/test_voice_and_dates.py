"""One voice and one date style (docs/architecture.md, «Voz y fechas»): the product says «usted», never «tú», and
writes dates «5 de diciembre de 2026» (long) or «05-12-2026» (short), never «5 Dic 2026» nor «05/12/2026»."""

import re
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

import mueve

ROOT = Path(mueve.__file__).resolve().parent

# The seed's project names keep their own words.
PROPER_NAMES = re.compile(r"Cuida tu Luz|Ciudadano te Informa|Tu Colectivo|Cuido mi Barrio", re.I)
# Common informal forms: the pronouns and possessives of «tú» and verbs that only «tú» uses.
INFORMAL = re.compile(
    r"\b(tú|tu|tus|te|ti|contigo|tuyo|tuya|tienes|puedes|quieres|necesitas|debes|estás|eres|sabes|podrás|tendrás|"
    r"recibirás|verás|haz|dinos|cuéntanos|avísanos|regístrate|inscríbete|asegúrate|únete|inténtalo|"
    r"vuelve a intentarlo)\b",
    re.I,
)
# Despierta (transit/despierta.*) is rewritten in «usted» on its own branch, with the trip planner.
NOT_YET = {"transit/templates/transit/despierta.html", "static/transit/despierta.js"}
JS_STRING = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'")
# The Spanish source strings of the Python code: the argument of _(), gettext(), ngettext() and friends.
GETTEXT_CALL = re.compile(
    r"\b(?:_|gettext|gettext_lazy|ngettext|ngettext_lazy|pgettext)\(\s*"
    r"((?:\"(?:[^\"\\]|\\.)*\"\s*,?\s*)+)"
)
TEMPLATE_COMMENT = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}|<!--.*?-->", re.S)


def _user_facing_texts():
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        yield path, TEMPLATE_COMMENT.sub("", path.read_text())
    for path in sorted((ROOT / "static").glob("**/*.js")):
        if "vendor" not in path.parts:
            yield path, "\n".join(JS_STRING.findall(path.read_text()))
    for path in sorted(ROOT.glob("**/*.py")):
        if not {"migrations", "demo"} & set(path.parts):
            yield path, "\n".join(GETTEXT_CALL.findall(path.read_text()))


def _informal(text: str) -> list[str]:
    return sorted({match.group(0) for match in INFORMAL.finditer(PROPER_NAMES.sub("", text))})


def test_no_template_nor_script_addresses_the_person_as_tu():
    found = {
        str(path.relative_to(ROOT)): words
        for path, text in _user_facing_texts()
        if str(path.relative_to(ROOT)) not in NOT_YET and (words := _informal(text))
    }
    assert found == {}


def test_the_check_sees_informal_spanish():
    assert _informal("Toca el mapa para marcar tu destino; puedes cambiarlo.") == ["puedes", "tu"]
    assert _informal("Toque el mapa para marcar su destino; puede cambiarlo. Cuida tu Luz.") == []


@pytest.mark.parametrize(
    ("format_name", "expected"),
    [
        ("DATE_FORMAT", "5 de diciembre de 2026"),
        ("SHORT_DATE_FORMAT", "05-12-2026"),
        ("YEAR_MONTH_FORMAT", "diciembre de 2026"),
    ],
)
def test_the_date_formats(format_name, expected):
    import datetime as dt

    with translation.override("es"):
        assert date_format(dt.date(2026, 12, 5), format_name) == expected


def test_no_template_writes_its_own_abbreviated_date():
    abbreviated = {
        str(path.relative_to(ROOT))
        for path in ROOT.glob("**/templates/**/*.html")
        if re.search(r"\|date:[\"'][^\"']*\bM\b", path.read_text())
    }
    assert abbreviated == set()


def test_program_page_dates_in_the_long_and_the_short_style(client, demo_db):
    from mueve.programs.models import Program

    program = Program.objects.get(slug="smart-city-gran-concepcion")
    html = client.get(f"/programas/{program.slug}/").content.decode()
    long = f"{date_format(program.start_date, 'DATE_FORMAT')} – {date_format(program.end_date, 'DATE_FORMAT')}"
    assert re.fullmatch(r"\d{1,2} de [a-z]+ de \d{4} – \d{1,2} de [a-z]+ de \d{4}", long)
    assert long in html
    component = program.components.exclude(start_date=None).order_by("order").first()
    short = component.start_date.strftime("%d-%m-%Y")
    assert short in html
    assert component.start_date.strftime("%d/%m/%Y") not in html


def test_competition_pages_dates_in_the_long_style(client, demo_db):
    from mueve.competitions.models import Competition

    competition = Competition.objects.get(slug="muevett-2014")
    stage = competition.stages.order_by("starts_at").first()
    html = client.get(f"/competencias/{competition.slug}/").content.decode()
    assert f">{date_format(timezone.localtime(stage.starts_at), 'DATE_FORMAT')}</time>" in html
    months = "ene|feb|mar|abr|may|jun|jul|ago|sep|oct|nov|dic"
    assert not re.search(rf"\b\d{{1,2}} ({months}|{months.title()})\.? \d{{4}}\b", html)


def test_the_check_reads_python_source_strings():
    source = 'raise ValidationError(_("Elige una categoría: tienes que marcar una."))\nname = "tu"\n'
    assert _informal("\n".join(GETTEXT_CALL.findall(source))) == ["tienes"]


def test_date_inputs_keep_the_iso_value_a_browser_needs(demo_db):
    """An <input type="date"> shows nothing unless its value is ISO: the short style is for reading, not for it."""
    import datetime as dt

    from mueve.competitions.forms import MilestoneForm
    from mueve.programs.models import Program
    from mueve.workshops.forms import WorkshopForm

    program = Program.objects.get(slug="smart-city-gran-concepcion")

    with translation.override("es"):
        assert 'value="2026-12-05"' in str(MilestoneForm(initial={"due_on": dt.date(2026, 12, 5)})["due_on"])
        start = dt.datetime(2026, 12, 5, 9, 30)
        assert 'value="2026-12-05T09:30"' in str(
            WorkshopForm(initial={"starts_at": start}, program=program)["starts_at"]
        )
