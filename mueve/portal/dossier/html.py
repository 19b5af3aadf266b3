"""The dossier as HTML: a standalone printable document, or its body for the site's own page."""

from django.template.loader import render_to_string

from mueve.portal.dossier.document import MARK, ProgramDossier


def render_html(dossier: ProgramDossier, *, standalone: bool = True) -> str:
    """The printable document (standalone) or just its body, for the page that wraps it in the site."""
    template = "portal/dossier/document.html" if standalone else "portal/dossier/_body.html"
    return render_to_string(template, {"dossier": dossier, "MARK": MARK})
