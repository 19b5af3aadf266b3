"""The dossier as HTML: a standalone printable document, or its body for the site's own page."""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from mueve.portal.dossier.document import MARK, Figure, ProgramDossier
from mueve.stakeholders.charts import interest_influence_svg
from mueve.workshops.charts import roadmap_svg


def figure_svg(figure: Figure) -> SafeString:
    """The chart as the site's own page draws it (same templates and functions)."""
    data = figure.data
    if figure.chart == "timeline":
        return mark_safe(
            render_to_string(
                "programs/_timeline_chart.html",
                {"chart": data["chart"], "program": {"name": data["program_name"]}},
            )
        )
    if figure.chart == "stakeholder_map":
        return interest_influence_svg(data["points"], chart_id=f"figura-{figure.number}-mapa")
    if figure.chart == "funnel":
        return mark_safe(render_to_string("competitions/_funnel.html", {"funnel": data["funnel"]}))
    if figure.chart == "roadmap":
        return roadmap_svg(data["grid"], title=figure.caption)
    return mark_safe(
        "".join(
            render_to_string("programs/_line_chart.html", {"chart": chart, "indicator": indicator})
            for _name, _unit, chart, indicator in data["charts"]
        )
    )


def render_html(dossier: ProgramDossier, *, standalone: bool = True) -> str:
    """The printable document (standalone) or just its body, for the page that wraps it in the site."""
    template = "portal/dossier/document.html" if standalone else "portal/dossier/_body.html"
    figures = {f.key: figure_svg(f) for f in dossier.figures()}
    return render_to_string(template, {"dossier": dossier, "MARK": MARK, "figure_svgs": figures})
