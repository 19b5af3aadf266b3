"""How often the hub's group assignment leaves a sector unbalanced (one table with two more of it than another).

    .venv/bin/python bench/grouping_balance.py [--populations 300] [--seed 2014]

Draws random populations like the hub cocreation workshop's (component 4 of the seed): 2 to 5 tables,
every sector present at least once per table, 0 to 6 more per sector, half of the populations with
everyone from a different organization and half with organizations drawn from a small pool (so the
same-organization rule has work to do). Prints how many assignments were unbalanced: some sector's
count differs by more than one between two tables. A balanced assignment always exists when sizes may
differ by one (deal each sector's remainder round the tables), so the right figure is 0.
"""

import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def population(rng: random.Random):
    from mueve.workshops.grouping import SECTORS, Participant

    k = rng.randint(2, 5)
    distinct = rng.random() < 0.5
    pool = [f"org{i}" for i in range(rng.randint(3, 8))]
    people = []
    for sector in SECTORS:
        for _ in range(k + rng.randint(0, 6)):
            organization = f"own{len(people)}" if distinct else rng.choice(pool)
            people.append(Participant(id=len(people), sector=sector, organization=organization))
    return people, k


def unbalanced(assignment) -> bool:
    sectors = {p.sector for g in assignment.groups for p in g.participants}
    for sector in sectors:
        counts = [sum(1 for p in g.participants if p.sector == sector) for g in assignment.groups]
        if max(counts) - min(counts) > 1:
            return True
    return False


def main() -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mueve.config.settings")
    os.environ.setdefault("MUEVE_DEMO", "1")
    import django

    django.setup()
    from mueve.workshops.grouping import assign_groups

    total = int(sys.argv[sys.argv.index("--populations") + 1]) if "--populations" in sys.argv else 300
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 2014
    rng = random.Random(seed)
    bad = 0
    clashes = Counter()
    for _ in range(total):
        people, k = population(rng)
        staff = {"experts": [f"x{i}" for i in range(k)], "facilitators": [f"f{i}" for i in range(k)]}
        result = assign_groups(people, k=k, seed=rng.randrange(2**31), **staff)
        bad += unbalanced(result)
        clashes[result.organization_clashes > 0] += 1
    print(f"populations: {total} (seed {seed})")
    print(f"unbalanced assignments: {bad} of {total}")
    print(f"assignments with a same-organization pair at a table: {clashes[True]} of {total}")


if __name__ == "__main__":
    main()
