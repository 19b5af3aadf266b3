"""The back office speaks Spanish: no model, field, column or app reaches an administrator under the English name
Django derives from the code (class `MentorProfile` → "mentor profile", field `created_at` → "created at"), and no
page is branded "Django".

Words spelt the same in both languages may stand; they are listed here one by one.
"""

import re
from html import unescape

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils.text import camel_case_to_spaces

from mueve.accounts.models import Role

SAME_IN_BOTH = {"sector", "color", "agenda", "variable", "id", "api", "persona", "portal", "drones"}

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: (item[0]._meta.app_label, item[0]._meta.model_name))
MUEVE_MODELS = [
    model
    for config in apps.get_app_configs()
    if config.name.startswith("mueve.")
    for model in config.get_models()
    if not model.__name__.startswith("Historical")  # django-simple-history's shadow tables, never shown
]


def _english_defaults() -> set[str]:
    """Every label Django would make up from a name in the code, lower-cased."""
    names: set[str] = set()
    models = {model for model, _ in REGISTERED} | set(MUEVE_MODELS)
    for model_admin in admin.site._registry.values():
        models |= {inline.model for inline in model_admin.inlines}
        for option in ("list_display", "list_filter", "readonly_fields", "search_fields"):
            names |= {entry.replace("_", " ") for entry in getattr(model_admin, option) or () if isinstance(entry, str)}
    for model in models:
        default = camel_case_to_spaces(model._meta.object_name)
        names |= {default, default + "s"}
        names |= {field.name.replace("_", " ") for field in model._meta.get_fields()}
    return {name.lower() for name in names} - SAME_IN_BOTH


ENGLISH = _english_defaults()
LABEL_TAGS = re.compile(r"<(label|th|caption|h1|h2|h3|title)\b([^>]*)>(.*?)</\1>", re.S)


def _labels(html: str) -> set[str]:
    labels = set()
    for _tag, attributes, inner in LABEL_TAGS.findall(html):
        if 'class="field-' in attributes:  # a changelist row's first cell: data, not a label
            continue
        text = " ".join(unescape(re.sub(r"<[^>]+>", " ", inner)).split()).rstrip(":").strip()
        text = re.sub(r"^Por ", "", text)  # a list filter's heading, "Por estado"
        if text:
            labels.add(text)
    return labels


def _english_in(html: str) -> set[str]:
    return {label for label in _labels(html) if label.lower() in ENGLISH}


def _branding(html: str) -> str:
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    header = re.search(r'id="site-name"[^>]*>(.*?)</', html, re.S)
    return title + " " + (header.group(1) if header else "")


def test_every_model_field_and_app_has_a_spanish_name():
    untranslated = []
    for config in apps.get_app_configs():
        default_names = {config.label, "demo"} - SAME_IN_BOTH
        if config.name.startswith("mueve.") and str(config.verbose_name).lower() in default_names:
            untranslated.append(f"app {config.label}")
    for model in MUEVE_MODELS:
        meta = model._meta
        default = camel_case_to_spaces(meta.object_name)
        if str(meta.verbose_name) == default:
            untranslated.append(f"{meta.label} verbose_name")
        if str(meta.verbose_name_plural) == default + "s" and default + "s" not in SAME_IN_BOTH:
            untranslated.append(f"{meta.label} verbose_name_plural")
        for field in [*meta.concrete_fields, *meta.many_to_many]:
            label = str(field.verbose_name)
            if label == field.name.replace("_", " ") and label not in SAME_IN_BOTH:
                untranslated.append(f"{meta.label}.{field.name}")
    assert untranslated == []


def test_the_check_sees_an_english_label():
    assert _english_in('<th scope="col"><div class="text"><a href="?o=1">Mentor profiles</a></div></th>')
    assert _english_in("<label>created at:</label>") == {"created at"}
    assert not _english_in("<label>Creado el:</label>")


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(Role.ADMIN))
    return client


def test_admin_index_is_in_spanish_and_branded_for_the_product(admin_client, settings):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert _english_in(html) == set()
    for english in ("Mentor profiles", "Vehicle positions", "Rounds", "Scores", "Selections", "Participants"):
        assert f">{english}<" not in html
    assert "Django" not in _branding(html)
    assert settings.MUEVE_SITE_NAME in _branding(html)
    for spanish in ("Perfiles de mentores", "Posiciones de vehículos", "Rondas de evaluación", "Paraderos"):
        assert spanish in html


def test_admin_login_is_branded_for_the_product(client, settings):
    html = client.get(reverse("admin:login")).content.decode()
    assert "Django" not in _branding(html)
    assert settings.MUEVE_SITE_NAME in _branding(html)


def test_site_login_shows_the_product_name_not_the_host(client, settings):
    settings.MUEVE_SITE_NAME = "Mueve Biobío"
    html = client.get(reverse("accounts:login"), HTTP_HOST="127.0.0.1:8101").content.decode()
    assert "127.0.0.1" not in html
    assert "<title>Entrar · Mueve Biobío</title>" in html


@pytest.mark.parametrize(
    "model, model_admin", REGISTERED, ids=[f"{m._meta.app_label}.{m._meta.model_name}" for m, _ in REGISTERED]
)
def test_admin_pages_show_no_english_default_label(demo_db, admin_client, model, model_admin):
    info = (model._meta.app_label, model._meta.model_name)
    pages = [reverse("admin:{}_{}_changelist".format(*info)), reverse("admin:{}_{}_add".format(*info))]
    first = model._default_manager.order_by("pk").first()
    if first is not None:
        pages.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    seen = []
    for url in pages:
        response = admin_client.get(url)
        if response.status_code == 403:  # a read-only log has no add page
            continue
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Django" not in _branding(html), url
        seen += [(url, label) for label in _english_in(html)]
    assert seen == []
