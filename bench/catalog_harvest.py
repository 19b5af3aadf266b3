"""The time to harvest 1,000 datasets from another Mueve instance.

    .venv/bin/python bench/catalog_harvest.py [--datasets 1000] [--kind dcat|ckan]

Two instances, each with its own fresh SQLite database: the source (`mueve serve`, seeded with N published datasets
of two distributions each) and the harvester (no server; the harvest runs in a process of its own, as
`mueve harvest` would). Prints the time of the first run (every dataset created), of a second run (nothing
changed) and of a third after the source withdrew a tenth of them; with --kind ckan, through the source's CKAN
action API (ckanapi, package_search paged by 100), else through its /catalogo/dcat.ttl.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.realtime.servers import PYTHON, LiveSite, free_port  # noqa: E402

HARVESTER_SEED = """
import django, json
django.setup()
from mueve.datasets.models import HarvestSource
from mueve.stakeholders.models import Organization
org = Organization.objects.create(name="Ministerio", slug="ministerio", sector="government", level="national")
HarvestSource.objects.create(name="bench", kind={kind!r}, url={url!r}, publisher=org)
print(json.dumps({{"api_key": "", "operator_token": ""}}))
"""
RUN = """
import django, json
django.setup()
from mueve.datasets.dcat import harvest
from mueve.datasets.models import HarvestSource
print(json.dumps(harvest.harvest(HarvestSource.objects.get(name="bench"))))
"""
WITHDRAW = """
import django
django.setup()
from mueve.datasets.models import Dataset
Dataset.objects.filter(pk__in=Dataset.objects.order_by("pk").values("pk")[: {count}]).update(status="withdrawn")
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", type=int, default=1000)
    parser.add_argument("--kind", choices=["dcat", "ckan"], default="dcat")
    args = parser.parse_args()
    # This process only finds (or builds) the migrated schema that both instances start from.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mueve.config.settings")
    os.environ.setdefault("MUEVE_DEMO", "1")
    import django

    django.setup()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    seed = f"from tests.datasets.harvest_source import seed_many; seed_many({args.datasets})"
    with LiveSite(seed_with=seed, extra_env={"MUEVE_SITE_URL": base}) as source:
        source.start(1, ports=[port])
        print(f"source: {args.datasets} datasets seeded and served in {time.perf_counter() - started:.1f} s")
        if args.kind == "ckan":
            try:
                urlopen(f"{base}/api/3/action/status_show", timeout=10).read()
            except OSError:
                print(
                    "the source has no CKAN action API at /api/3/action/ (branch cat-ckan not merged): use --kind dcat"
                )
                return
        t0 = time.perf_counter()
        body = urlopen(f"{base}/catalogo/dcat.ttl", timeout=300).read()
        print(f"source export /catalogo/dcat.ttl: {len(body) / 1e6:.1f} MB in {time.perf_counter() - t0:.2f} s")
        url = base if args.kind == "ckan" else f"{base}/catalogo/dcat.ttl"
        with LiveSite(seed_with=HARVESTER_SEED.format(kind=args.kind, url=url)) as harvester:
            for label in ("first run (all new)", "second run (unchanged)", "third run (a tenth withdrawn)"):
                if label.startswith("third"):
                    code = WITHDRAW.format(count=args.datasets // 10)
                    subprocess.run([PYTHON, "-c", code], env=source.env, cwd=ROOT, check=True)
                t0 = time.perf_counter()
                out = subprocess.run(
                    [PYTHON, "-c", RUN], env=harvester.env, cwd=ROOT, check=True, capture_output=True, text=True
                ).stdout
                wall = time.perf_counter() - t0
                result = json.loads(out.strip().splitlines()[-1])
                counts = {k: result.get(k) for k in ("created", "updated", "withdrawn", "errors")}
                print(
                    f"{args.kind} {label}: harvest {result['seconds']:.2f} s (process {wall:.2f} s) {counts}"
                    + ("" if result["ok"] else f" ERROR {result['error']}")
                )


if __name__ == "__main__":
    main()
