"""Server time of the main pages with the Gran Concepción demo loaded.

    .venv/bin/python bench/pages.py [--runs 30] [--database-url postgres://...] [--scale N]
                                    [--regions N | --compare-regions 2,6]

Builds a fresh database (SQLite in a temporary folder unless --database-url is given), loads the
demo, warms each page once, then requests it --runs times in-process through Django's test
client and prints the median and 95th percentile of the server time and the SQL query count.
The issue's budget is 200 ms server time per page.

The demo has two regions (Gran Concepción and the Temuco replica). `--regions N` opens more, up to N,
each with the demo's data shape, through the platform's own services (see `_open_regions`), before
timing. `--compare-regions 2,6` times the pages at each count in one run (the regions are added
between the timings) and prints every page's query count side by side, flagging any that grows:
no page's query count may grow with the number of regions (issue 20).
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _fresh_postgres_database(url: str) -> str:
    """Creates an empty database beside the one named in `url` (dropping an old bench copy)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = (parts.path.lstrip("/") or "mueve") + "_bench"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path="/" + name))


def _grow(n: int) -> None:
    """More data of the same shape, through the services, to see how pages scale."""
    from mueve.accounts.models import User
    from mueve.challenges.models import Kind, Status
    from mueve.challenges.services import challenge_create, challenge_transition
    from mueve.programs.models import Program
    from mueve.stakeholders.models import Level, Sector
    from mueve.stakeholders.services import organization_create

    manager = User.objects.get(username="gestora")
    program = Program.objects.get(slug="smart-city-gran-concepcion")
    sectors, levels = list(Sector.values), list(Level.values)
    for i in range(n):
        org = organization_create(
            name=f"Organización de prueba {i}",
            sector=sectors[i % len(sectors)],
            level=levels[i % len(levels)],
            actor=manager,
        )
        challenge = challenge_create(
            actor=manager,
            program=program,
            title=f"¿Cómo resolver el problema número {i} del transporte?",
            owner=org,
            kind=Kind.ABSTRACT if i % 2 else Kind.CONCRETE,
        )
        challenge_transition(actor=manager, challenge=challenge, to_status=Status.VALIDATED)
        challenge_transition(actor=manager, challenge=challenge, to_status=Status.PUBLISHED)


# --- more regions, each with the demo's data shape ------------------------------------------------------------------

ORIGIN_SLUG = "gran-concepcion"
ORIGIN_PROGRAM = "smart-city-gran-concepcion"
# The seed's replication: "Temuco, Puerto Montt, Concepción, Antofagasta, Coquimbo y Valparaíso". The demo has the
# first two programmes; these are the next ones (approximate centres). Past them, numbered test regions.
EXTRA_REGIONS = [
    ("Valparaíso", -33.047, -71.612),
    ("Antofagasta", -23.650, -70.400),
    ("Coquimbo", -29.953, -71.343),
    ("Puerto Montt", -41.469, -72.942),
]


def _region_count() -> int:
    """Regions as the ministry's view counts them: jurisdictions with a programme."""
    from mueve.programs.models import Program

    return Program.objects.values("jurisdiction_id").distinct().count()


def _extra_region(k: int) -> tuple[str, float, float]:
    if k < len(EXTRA_REGIONS):
        return EXTRA_REGIONS[k]
    n = k - len(EXTRA_REGIONS) + 1
    return f"Región de prueba {n}", -30.0 - 0.5 * n, -71.0


def _areas(name: str, dlat: float, dlon: float) -> str:
    """The demo's five illustrative communes (hexagons), moved to the new region's centre."""
    from mueve.demo.territory import MUNICIPALITIES, _hexagon

    features = [
        {
            "type": "Feature",
            "properties": {"name": f"{name}, sector {i}", "code": f"sector-{i}"},
            "geometry": _hexagon(lat + dlat, lon + dlon, radius),
        }
        for i, (_name, _slug, lat, lon, radius) in enumerate(MUNICIPALITIES, start=1)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features})


class _Moved:
    """Temporarily sets module attributes (the demo's loaders read their constants at call time)."""

    def __init__(self, module, **values):
        self.module, self.values, self.saved = module, values, {}

    def __enter__(self):
        for key, value in self.values.items():
            self.saved[key] = getattr(self.module, key)
            setattr(self.module, key, value)

    def __exit__(self, *exc):
        for key, value in self.saved.items():
            setattr(self.module, key, value)


def _open_region(name: str, lat: float, lon: float, *, actor) -> None:
    """One more region shaped like Gran Concepción, each part through the platform's services:
    - the national unit's wizard service (portal.services.region_open): the jurisdiction with five areas, its
      programme from the demo's methodology template (with its template workshops) and Gran Concepción's report
      catalogue copied, each local agency replaced by a new one of the region;
    - the programme's schedule, as Gran Concepción's (components and phases, status and dates);
    - the demo's interviews and challenges (mueve.demo.challenges), owned by the region's own counterparts;
    - the demo's generated citizen reports and the operator's work (mueve.demo.reports.generated), moved to the
      new centre;
    - the demo's workshops of components 1, 2 and 4, with their roadmap and GobLab (mueve.demo.workshops), the
      programme's stakeholders (mueve.demo.stakeholders.link_program) and the MueveTT competition with its teams,
      rounds and winners (mueve.demo.competitions).
    """
    from django.utils.text import slugify

    from mueve.core.text import fold
    from mueve.demo import challenges as demo_challenges
    from mueve.demo import competitions as demo_competitions
    from mueve.demo import stakeholders as demo_stakeholders
    from mueve.demo import workshops as demo_workshops
    from mueve.demo.reports import generated as demo_reports
    from mueve.portal.services import AgencyChoice, RegionPlan, agency_suggestions, region_open
    from mueve.programs import services as program_services
    from mueve.programs.models import Program
    from mueve.reports.services import catalogue_plan
    from mueve.stakeholders.models import Level, Organization
    from mueve.stakeholders.services import organization_create
    from mueve.territory.models import Jurisdiction
    from mueve.territory.selectors import renaming_between
    from mueve.workshops import services as workshop_services

    origin = Jurisdiction.objects.get(slug=ORIGIN_SLUG)
    origin_program = Program.objects.get(slug=ORIGIN_PROGRAM)
    dlat, dlon = lat - origin.center_lat, lon - origin.center_lon
    catalogue = catalogue_plan(origin)
    suggestions = agency_suggestions(catalogue, name)
    # National agencies stay; each local one is replaced by a new one, named as the wizard proposes.
    agencies = {
        agency.pk: AgencyChoice(organization=agency)
        if catalogue.may_stay(agency)
        else AgencyChoice(new_name=suggestions[agency.pk])
        for agency in catalogue.agencies
    }
    opened = region_open(
        actor=actor,
        plan=RegionPlan(
            name=name,
            slug=f"bench-{slugify(name)}",
            kind=origin.kind,
            center_lat=lat,
            center_lon=lon,
            areas_geojson=_areas(name, dlat, dlon),
            template=origin_program.template,
            program_name=f"MueveTT {name}",
            sector=origin_program.sector,
            start_date=origin_program.start_date,
            end_date=origin_program.end_date,
            summary=f"Réplica de la metodología de Smart City Gran Concepción en {name} (generada para medir).",
            catalogue_source=origin,
            agencies=agencies,
        ),
    )
    jurisdiction, program = opened.jurisdiction, opened.program

    # The schedule of Gran Concepción: each component (by key) and its phases (in order), status and dates.
    program_services.program_update(actor=actor, program=program, status=origin_program.status)
    theirs = {c.key: c for c in origin_program.components.prefetch_related("phases")}
    for component in program.components.prefetch_related("phases"):
        model = theirs.get(component.key)
        if model is None:
            continue
        program_services.component_update(
            actor=actor, component=component, status=model.status, start_date=model.start_date, end_date=model.end_date
        )
        for phase, model_phase in zip(component.phases.all(), model.phases.all(), strict=False):
            program_services.phase_update(
                actor=actor,
                phase=phase,
                status=model_phase.status,
                start_date=model_phase.start_date,
                end_date=model_phase.end_date,
            )
    demo_stakeholders.link_program(program, actor=actor)

    # Interviews and challenges: the region's counterpart of each local institution (national ones stay).
    renaming = renaming_between(origin, jurisdiction)
    counterparts: dict[int, Organization] = {}

    def counterpart(organization: Organization) -> Organization:
        if organization.level == Level.NATIONAL:
            return organization
        if organization.pk not in counterparts:
            # As the wizard names new agencies (portal.services.agency_suggestions): those of the catalogue exist.
            renamed = renaming.line(organization.name)
            if fold(renamed) == fold(organization.name):
                renamed = f"{organization.name} ({name})"
            counterparts[organization.pk] = Organization.objects.filter(name=renamed).first() or organization_create(
                name=renamed,
                acronym=organization.acronym,
                sector=organization.sector,
                level=organization.level,
                jurisdiction=jurisdiction,
                actor=actor,
            )
        return counterparts[organization.pk]

    components = {c.key: c for c in program.components.all()}
    interviews = {}
    for slug, *rest in demo_challenges.INTERVIEWS:
        institution = counterpart(demo_challenges._organization(slug, actor))
        interviews[slug] = demo_challenges._interview(program, institution, components, actor, *rest)
    for spec in demo_challenges.CHALLENGES:
        owner = counterpart(demo_challenges._organization(spec["owner"], actor))
        demo_challenges._challenge(program, owner, components, [interviews[s] for s in spec["interviews"]], spec, actor)

    # Citizen reports: the demo's generator, its hotspots moved to the new centre.
    hotspots = [
        (commune, place, round(p_lat + dlat, 6), round(p_lon + dlon, 6), codes)
        for commune, place, p_lat, p_lon, codes in demo_reports.HOTSPOTS
    ]
    with _Moved(demo_reports, HOTSPOTS=hotspots):
        demo_reports._generated_reports(jurisdiction)

    # Workshops of components 1, 2 and 4: the template's planned ones get Gran Concepción's dates, status and
    # minutes, then the demo fills them (participants, groups, concepts, SWOT, roadmap, hub), and the GobLab.
    held = {w.format_key: w for w in origin_program.workshops.all()}
    for workshop in program.workshops.all():
        model = held.get(workshop.format_key)
        if model is not None:
            workshop_services.workshop_update(
                actor=actor,
                workshop=workshop,
                starts_at=model.starts_at,
                ends_at=model.ends_at,
                dots_per_participant=model.dots_per_participant,
                minutes=renaming.text(model.minutes),
                status=model.status,
            )
    demo_workshops._codesign(actor, program)
    demo_workshops._vision_component(actor, program)
    demo_workshops._hub(actor, program)
    demo_workshops._govlab(actor, program)

    # The MueveTT competition, whole: clinics, 50 participants in 14 teams, two rounds, winners.
    with _Moved(demo_competitions, SLUG=f"muevett-2014-{program.slug}", PROGRAM_SLUG=program.slug):
        demo_competitions.load()


def _open_regions(target: int) -> None:
    """Opens regions until there are `target` (see `_open_region`); each in its own transaction."""
    from django.db import transaction

    from mueve.accounts.models import User
    from mueve.territory.models import Jurisdiction

    actor = User.objects.get(username="gestora")  # the national unit: a manager without scopes
    while (count := _region_count()) < target:
        name, lat, lon = _extra_region(Jurisdiction.objects.filter(slug__startswith="bench-").count())
        started = time.perf_counter()
        with transaction.atomic():
            _open_region(name, lat, lon, actor=actor)
        print(f"opened region {count + 1} ({name}) in {time.perf_counter() - started:.1f} s", flush=True)


def _time_pages(pages, clients, runs: int) -> list[dict]:
    """Each page warmed once, then requested `runs` times: median and p95 server time, queries of the last run."""
    from django.db import connection, reset_queries

    print(f"{'who':<8} {'page':<48} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    rows = []
    for who, url in pages:
        client = clients[who]
        response = client.get(url)  # warm caches and templates
        timings = []
        for _ in range(runs):
            reset_queries()
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        queries = len(connection.queries)
        timings.sort()
        median = statistics.median(timings)
        p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
        rows.append(
            {"who": who, "url": url, "status": response.status_code, "median": median, "p95": p95, "queries": queries}
        )
        print(f"{who:<8} {url[:48]:<48} {response.status_code:>6} {median:>10.1f} {p95:>8.1f} {queries:>8}", flush=True)
    worst = max(row["p95"] for row in rows if not row["url"].endswith(".pdf"))
    print(f"worst p95 (PDF aside): {worst:.1f} ms (budget 200 ms)")
    return rows


def _compare(results: dict[int, list[dict]]) -> None:
    """Every page's queries, median and p95 at each region count; flags the pages whose query count grows."""
    counts = sorted(results)
    first, last = counts[0], counts[-1]
    head = "".join(f" {f'q@{n}':>5}" for n in counts)
    head += "".join(f" {f'med@{n}':>7}" for n in counts) + "".join(f" {f'p95@{n}':>7}" for n in counts)
    print(f"\n{'who':<8} {'page':<48}{head}  growth")
    grew = []
    for i, (who, url) in enumerate((row["who"], row["url"]) for row in results[first]):
        rows = [results[n][i] for n in counts]
        line = "".join(f" {row['queries']:>5}" for row in rows)
        line += "".join(f" {row['median']:>7.1f}" for row in rows) + "".join(f" {row['p95']:>7.1f}" for row in rows)
        delta = rows[-1]["queries"] - rows[0]["queries"]
        per_region = delta / (last - first) if last > first else 0
        flag = f"GROWS +{delta} ({per_region:g} per region)" if delta > 0 else ("" if delta == 0 else f"{delta}")
        if delta > 0:
            grew.append((who, url, delta))
        print(f"{who:<8} {url[:48]:<48}{line}  {flag}")
    for n in counts:
        row = next((row for row in results[n] if row["url"] == "/ministerio/"), None)
        if row is not None:
            times = f"median {row['median']:.1f} ms, p95 {row['p95']:.1f} ms"
            print(f"ministry's view at {n} regions: {times} (aim: p95 under 200 ms)")
    if grew:
        print("query count grows with the regions: " + "; ".join(f"{who} {url} +{d}" for who, url, d in grew))
    else:
        print("no page's query count grows with the number of regions")


def _region_counts(text: str) -> list[int]:
    try:
        counts = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError("a list of region counts, e.g. 2,6") from None
    if not counts or counts[0] < 1:
        raise argparse.ArgumentTypeError("a list of region counts, e.g. 2,6")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--scale", type=int, default=0, help="also add this many organizations and challenges (a larger city)"
    )
    parser.add_argument(
        "--regions",
        type=int,
        default=0,
        help="open more regions shaped like Gran Concepción until there are this many (default: the demo's 2)",
    )
    parser.add_argument(
        "--compare-regions",
        type=_region_counts,
        default=None,
        metavar="N,M",
        help="time the pages at each of these region counts in one run and compare their query counts",
    )
    args = parser.parse_args()

    os.environ["MUEVE_DATA_DIR"] = tempfile.mkdtemp(prefix="mueve-bench-")
    if args.database_url:
        os.environ["MUEVE_DATABASE_URL"] = _fresh_postgres_database(args.database_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mueve.config.settings")
    os.environ.setdefault("MUEVE_DEMO", "1")  # the development secret key: a throwaway database
    # Notices handled when each loading transaction commits, not by a background reader that would compete with
    # the timed requests (and with the regions' loading, for SQLite's write lock). The timed pages only read.
    os.environ.setdefault("MUEVE_NOTIFICATIONS_DELIVERY", "inline")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.DEBUG = True  # to count queries
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    call_command("loaddemo", stdout=open(os.devnull, "w"))
    print(f"demo loaded in {time.perf_counter() - started:.1f} s ({_region_count()} regions)", flush=True)

    if args.scale:
        started = time.perf_counter()
        _grow(args.scale)
        print(f"added {args.scale} organizations and {args.scale} challenges in {time.perf_counter() - started:.1f} s")

    from mueve.challenges.models import Challenge
    from mueve.programs.models import Program
    from mueve.stakeholders.models import Organization

    challenge = Challenge.objects.filter(status__in=["published", "addressing", "solved"]).order_by("id").first()
    organization = Organization.objects.get(slug="uoct")
    template = Program.objects.get(slug=ORIGIN_PROGRAM).template
    from mueve.sensors.shelters.models import Shelter

    shelter = Shelter.objects.get(code="refugio-paicavi")
    pages = [
        ("anon", "/"),
        ("anon", "/programas/"),
        ("anon", "/programas/smart-city-gran-concepcion/"),
        ("anon", "/desafios/"),
        ("anon", f"/desafios/{challenge.slug}/"),
        ("anon", "/actores/"),
        ("anon", f"/actores/{organization.slug}/"),
        ("anon", "/actores/mapa/smart-city-gran-concepcion/"),
        ("anon", "/territorio/"),
        ("anon", "/talleres/"),
        ("anon", "/competencias/"),
        ("anon", f"/programas/plantillas/{template.slug}/guia/"),
        ("gestora", "/programas/"),
        ("gestora", "/desafios/"),
        ("gestora", "/desafios/nuevo/"),
        ("gestora", "/talleres/"),
        ("gestora", "/control/"),
        ("gestora", "/regiones/nueva/"),
        # The ministry's view: every region side by side, in a fixed number of queries (mueve/portal/selectors.py).
        ("gestora", "/ministerio/"),
        ("gestora", "/ministerio.csv"),
        ("gestora", "/ministerio.pdf"),
        ("anon", "/api/v1/programs/"),
        ("anon", "/api/v1/programs/smart-city-gran-concepcion"),
        ("anon", "/api/v1/challenges/"),
        ("anon", "/api/v1/organizations/"),
        ("anon", "/api/v1/competitions/"),
        ("anon", "/api/v1/workshops/"),
        ("anon", "/open311/v2/services.json"),
        # Refugio Inteligente: the public display (polled by the screen every 30 s) and the maintainer's pages.
        ("anon", f"/refugio/{shelter.pk}/pantalla/"),
        ("anon", f"/refugio/{shelter.pk}/pantalla/datos.json"),
        ("gestora", f"/refugio/{shelter.pk}/"),
        ("gestora", "/refugio/vandalismo/"),
    ]
    clients = {"anon": Client(), "gestora": Client()}
    clients["gestora"].login(username="gestora", password="mueve2014")

    print(f"database: {connection.vendor}; runs per page: {args.runs}")
    counts = args.compare_regions or [max(args.regions, _region_count())]
    results = {}
    for count in counts:
        _open_regions(count)
        results[count] = _time_pages(pages, clients, args.runs)
        print(f"(at {_region_count()} regions)\n", flush=True)
    if len(results) > 1:
        _compare(results)


if __name__ == "__main__":
    main()
