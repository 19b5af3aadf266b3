"""The dossier written to disk, for `mueve programreport`."""

from pathlib import Path

from mueve.portal.dossier.build import build_dossier
from mueve.portal.dossier.html import render_html
from mueve.portal.dossier.pdf import render_pdf
from mueve.programs.models import Program


def write_dossier(program: Program, out_dir: Path, *, public: bool = False) -> tuple[Path, Path]:
    """`mueve programreport`: report.html and report.pdf in `out_dir` (created if missing)."""
    dossier = build_dossier(program, public=public)
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path, pdf_path = out_dir / "report.html", out_dir / "report.pdf"
    html_path.write_text(render_html(dossier), encoding="utf-8")
    pdf_path.write_bytes(render_pdf(dossier))
    return html_path, pdf_path
