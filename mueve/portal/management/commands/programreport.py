"""mueve programreport <program-slug> --out DIR: the programme's dossier as report.html and report.pdf.

The command keeps its documented name (README); in code the document is the dossier.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mueve.portal.dossier import write_dossier
from mueve.programs.models import Program


class Command(BaseCommand):
    help = "Genera el informe de cierre de un programa (report.html y report.pdf)."

    def add_arguments(self, parser):
        parser.add_argument("program", help="identificador (slug) del programa")
        parser.add_argument("--out", default=".", help="carpeta de salida (se crea si no existe)")
        parser.add_argument(
            "--public", action="store_true", help="versión pública: sin nombres de personas ni resultados no publicados"
        )

    def handle(self, *args, program: str, out: str, public: bool, **options):
        found = Program.objects.select_related("jurisdiction", "template").filter(slug=program).first()
        if found is None:
            raise CommandError(f"No existe el programa «{program}».")
        html_path, pdf_path = write_dossier(found, Path(out), public=public)
        self.stdout.write(f"{html_path}\n{pdf_path}\n")
