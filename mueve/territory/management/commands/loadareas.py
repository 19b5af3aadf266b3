from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from mueve.territory.models import Jurisdiction
from mueve.territory.services import areas_load_geojson


class Command(BaseCommand):
    help = "Carga áreas (polígonos) desde un archivo GeoJSON en una jurisdicción."

    def add_arguments(self, parser):
        parser.add_argument("jurisdiction", help="identificador (slug) de la jurisdicción")
        parser.add_argument("file", type=Path)
        parser.add_argument("--name-property", default="name")
        parser.add_argument("--code-property", default="code")
        parser.add_argument("--approximate", action="store_true", help="marca los polígonos como ilustrativos")
        parser.add_argument("--source", default="")

    def handle(self, *args, **options):
        jurisdiction = Jurisdiction.objects.filter(slug=options["jurisdiction"]).first()
        if jurisdiction is None:
            raise CommandError(f"No existe la jurisdicción {options['jurisdiction']!r}.")
        try:
            text = options["file"].read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"No se puede leer {options['file']}: {exc}") from exc
        try:
            areas = areas_load_geojson(
                jurisdiction=jurisdiction,
                text=text,
                name_property=options["name_property"],
                code_property=options["code_property"],
                approximate=options["approximate"],
                source=options["source"] or options["file"].name,
            )
        except ValidationError as exc:
            lines = [f"  {key}: {'; '.join(msgs)}" for key, msgs in exc.message_dict.items()]
            raise CommandError("El archivo tiene errores; no se cargó nada:\n" + "\n".join(lines)) from exc
        self.stdout.write(self.style.SUCCESS(f"{len(areas)} áreas cargadas en {jurisdiction}."))
