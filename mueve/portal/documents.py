"""The programme dossier as served to visitors: built once per change of the data it shows (mueve.core.documents),
not once per request.

The data version is one read of every table the dossier draws on: its row count, highest id and latest
`updated_at`. An edit, an addition or a removal anywhere changes it (so a change to one programme rebuilds every
dossier: programmes' data changes seldom, and this needs no bookkeeping in the apps). The day is part of it (the
dossier prints its date), and so is the language.
"""

import pickle
import time
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone, translation

from mueve.core import documents
from mueve.portal import dossier
from mueve.programs.models import Program

SOURCE_APPS = ("programs", "stakeholders", "workshops", "challenges", "competitions", "datasets", "territory")
# Within this many seconds a change reaches the dossiers of this process (the version is not re-read per request).
VERSION_TTL_SECONDS = 1.0
_version: list = [0.0, ""]

NotReady = documents.NotReady


def data_version() -> str:
    now = time.monotonic()
    # Remembered only where building is in the background: a request that builds inline (tests, tools) must see
    # the change it has just made.
    if _version[0] > now and settings.MUEVE_DOCUMENTS_BUILD == "background":
        return _version[1]
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        rows = sorted(cursor.fetchall())
    value = "|".join([str(timezone.localdate()), *(":".join(str(cell) for cell in row) for row in rows)])
    _version[:] = [now + VERSION_TTL_SECONDS, value]
    return value


def _version_sql() -> str:
    """One statement for every table (a UNION ALL of one aggregate each): a few milliseconds, not one query each."""
    quote = connection.ops.quote_name
    selects = []
    for label in SOURCE_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            meta = model._meta
            pk = meta.pk
            top = f"CAST(MAX({quote(pk.column)}) AS TEXT)" if pk.get_internal_type().endswith("AutoField") else "NULL"
            fields = {field.name: field for field in meta.concrete_fields}
            changed = f"CAST(MAX({quote(fields['updated_at'].column)}) AS TEXT)" if "updated_at" in fields else "NULL"
            # The table's name as a literal too: rows are sorted by it (a UNION ALL promises no order).
            selects.append(f"SELECT '{meta.db_table}', COUNT(*), {top}, {changed} FROM {quote(meta.db_table)}")
    return " UNION ALL ".join(selects)


def forget_data_version() -> None:
    _version[:] = [0.0, ""]


def _name(kind: str, program: Program, public: bool) -> str:
    return f"dossier:{kind}:{program.pk}:{'public' if public else 'full'}:{translation.get_language()}"


@dataclass(frozen=True)
class PageDossier:
    """What the dossier's page needs: its title, which version it is, and its body already rendered (by the
    autoescaping template portal/dossier/_body.html: the whole cost of the page is in building and rendering it)."""

    program_name: str
    public: bool
    body: str


def program_dossier_page(program: Program, *, public: bool) -> tuple[PageDossier, bool]:
    """(dossier for the page, fresh); NotReady while the first copy is built."""
    language = translation.get_language()

    def build() -> bytes:
        with translation.override(language):
            built = dossier.build_dossier(Program.objects.get(pk=program.pk), public=public)
            body = str(dossier.render_html(built, standalone=False))
            return pickle.dumps(PageDossier(program_name=built.program_name, public=built.public, body=body))

    content, fresh = documents.fetch(_name("page", program, public), data_version(), build)
    # Our own files under DATA_DIR, written by this code only.
    return pickle.loads(content), fresh


def program_dossier_pdf(program: Program, *, public: bool) -> tuple[bytes, bool]:
    """(PDF, fresh); NotReady while the first copy is built."""
    language = translation.get_language()

    def build() -> bytes:
        with translation.override(language):
            return dossier.render_pdf(dossier.build_dossier(Program.objects.get(pk=program.pk), public=public))

    return documents.fetch(_name("pdf", program, public), data_version(), build)
