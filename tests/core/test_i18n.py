"""English is the second language: the catalogue is complete, and choosing "en" turns the interface into English.

Spanish is the source language and stays the default for a visitor who has not chosen a language.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

PO_PATH = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>")

ENGLISH_NAV = [
    "Programs",
    "Challenges",
    "Stakeholders",
    "Workshops",
    "Competitions",
    "Reports",
    "Incident map",
    "My neighbourhood",
    "Transport",
    "Territory",
    "Data",
]
SPANISH_NAV = [
    "Programas",
    "Desafíos",
    "Actores",
    "Talleres",
    "Competencias",
    "Reportes",
    "Mapa de incidentes",
    "Mi barrio",
    "Transporte",
    "Territorio",
    "Datos",
]

# page -> (English headings that must appear, Spanish interface strings that must not)
PAGES = {
    "/": (
        ["Mueve: the bottom-up smart city", "Current and recent programs", "Latest public challenges"],
        ["la ciudad inteligente de abajo hacia arriba", "Programas actuales y recientes", "Últimos desafíos públicos"],
    ),
    "/desafios/": (["Challenges"], ["Filtrar desafíos", "Quitar filtros"]),
    "/actores/": (["Stakeholders", "Search organizations"], ["Buscar organizaciones", "Descargar CSV"]),
}


# --- a minimal .po reader (polib is not a project dependency) ------------------------------------


def _unquote(line: str) -> str:
    return ast.literal_eval(line.strip())


def read_po(path: Path) -> list[dict]:
    """Entries as dicts: "msgid", optional "msgid_plural", "msgstr" or "msgstr[n]", and "flags"."""
    entries: list[dict] = []
    entry: dict = {"flags": set()}
    key = None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if "msgid" in entry:
                entries.append(entry)
            entry, key = {"flags": set()}, None
        elif line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += _unquote(line)
        else:
            key, _, rest = line.partition(" ")
            entry[key] = _unquote(rest)
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    return read_po(PO_PATH)


def _nav(html: str) -> str:
    match = re.search(r'<nav[^>]*class="main-nav"[^>]*>(.*?)</nav>', html, re.S)
    assert match, "the main navigation is missing"
    return match.group(1)


def _link_texts(fragment: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", text).strip() for text in re.findall(r"<a\b[^>]*>(.*?)</a>", fragment, re.S)]


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- the pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_spanish_is_the_default(client, demo_db, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert _link_texts(_nav(html)) == SPANISH_NAV
    assert "Saltar al contenido" in html
    assert "Entrar" in html
    assert "Skip to content" not in html


def test_choosing_english_with_the_language_form(client, demo_db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/desafios/"})
    assert response.status_code == 302
    assert response.url == "/desafios/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get("/desafios/").content.decode()  # the client keeps the cookie
    assert '<html lang="en">' in html
    assert _link_texts(_nav(html)) == ENGLISH_NAV
    assert "<h1>Challenges</h1>" in html

    client.post("/i18n/setlang/", {"language": "es", "next": "/desafios/"})
    assert "<h1>Desafíos</h1>" in client.get("/desafios/").content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_pages_in_english(english, demo_db, url):
    response = english.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en">' in html
    nav = _nav(html)
    assert _link_texts(nav) == ENGLISH_NAV
    for spanish in SPANISH_NAV:
        assert spanish not in nav
    assert 'aria-label="Main"' in html
    assert "Skip to content" in html and "Saltar al contenido" not in html
    assert ">Log in / Sign up<" in html and ">Entrar / Crear cuenta<" not in html
    assert "Open API" in html and "API abierta" not in html
    english_headings, spanish_strings = PAGES[url]
    for heading in english_headings:
        assert heading in html
    for spanish in spanish_strings:
        assert spanish not in html


def test_english_navigation_for_a_signed_in_user(english, demo_db, make_user):
    english.force_login(make_user())
    html = english.get("/").content.decode()
    assert ">Log out<" in html and ">Salir<" not in html
    assert "Change language" in html and "Cambiar idioma" not in html
    assert "View challenges" in html and "City stakeholders" in html


# --- the catalogue ------------------------------------------------------------------------------


def test_catalogue_header(catalogue):
    header = catalogue[0]
    assert header["msgid"] == ""
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header["msgstr"]
    assert "Content-Type: text/plain; charset=UTF-8\n" in header["msgstr"]


def test_every_msgid_has_an_english_translation(catalogue):
    entries = catalogue[1:]
    assert len(entries) > 600
    missing = []
    for entry in entries:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        if "msgid_plural" in entry:
            forms = [entry.get("msgstr[0]", ""), entry.get("msgstr[1]", "")]
        else:
            forms = [entry.get("msgstr", "")]
        if not all(form.strip() for form in forms):
            missing.append(entry["msgid"])
    assert missing == []


def test_translations_keep_placeholders_and_markup(catalogue):
    for entry in catalogue[1:]:
        if "msgid_plural" in entry:
            pairs = [(entry["msgid"], entry["msgstr[0]"]), (entry["msgid_plural"], entry["msgstr[1]"])]
        else:
            pairs = [(entry["msgid"], entry["msgstr"])]
        for source, target in pairs:
            assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(target)), source


def test_compiled_catalogue_matches_the_po(catalogue):
    """django.mo is committed: it must be compiled from the current django.po."""
    with translation.override("en"):
        for entry in catalogue[1:]:
            if "msgid_plural" in entry:
                assert translation.ngettext(entry["msgid"], entry["msgid_plural"], 1) == entry["msgstr[0]"]
                assert translation.ngettext(entry["msgid"], entry["msgid_plural"], 2) == entry["msgstr[1]"]
            else:
                assert translation.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]
        assert translation.gettext("Desafíos") == "Challenges"
        assert translation.gettext("Actores") == "Stakeholders"
        assert translation.gettext("Gestor/a de programa") == "Program manager"
    with translation.override("es"):
        assert translation.gettext("Desafíos") == "Desafíos"
