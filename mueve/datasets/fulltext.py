"""Full-text search over `Dataset.search_text`, on either database.

- SQLite (the embedded default): an FTS5 table `datasets_dataset_fts` (rowid = the dataset's id) with the
  `unicode61 remove_diacritics 2` tokenizer, so "transito" finds "tránsito". SQL triggers keep it in step with
  every write to the dataset table, the ORM's bulk_create and queryset.update included: no write path can forget
  it. Django rebuilds a SQLite table to alter it (create, copy, drop, rename), which drops the table's triggers:
  `install` runs again after every `migrate` (apps.DatasetsConfig.ready) and rebuilds the index if they were gone.
- PostgreSQL: a GIN index on `to_tsvector('spanish', <folded text>)`, where the folding (lower case, accents off)
  is the immutable `translate` below, applied the same way to the query. No extension (unaccent) is needed.

`match(q)` gives the Q that filters datasets by a query and `order_by_relevance` orders them, best first.
"""

import re

from django.db import connection
from django.db.models import F, Q
from django.db.models.expressions import RawSQL

FTS_TABLE = "datasets_dataset_fts"
ACCENTED = "áéíóúüñàèìòùâêîôûäëïöç"
PLAIN = "aeiouunaeiouaeiouaeioc"
# Written out whole in the migration too: the planner uses the index only for this very expression.
PG_VECTOR = (
    'to_tsvector(\'spanish\'::regconfig, translate(lower("datasets_dataset"."search_text"), '
    f"'{ACCENTED}', '{PLAIN}'))"
)
PG_INDEX = "dataset_search_fts"
MAX_TERMS = 12

_TRIGGERS = {
    "datasets_dataset_fts_ai": (
        f"AFTER INSERT ON datasets_dataset BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
    "datasets_dataset_fts_ad": (
        f"AFTER DELETE ON datasets_dataset BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END"
    ),
    "datasets_dataset_fts_au": (
        f"AFTER UPDATE OF search_text, id ON datasets_dataset BEGIN "
        f"DELETE FROM {FTS_TABLE} WHERE rowid = old.id; "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
}


def install(conn=None) -> None:
    """Creates what full-text search needs on this database, if missing (idempotent)."""
    conn = conn or connection
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                "search_text, tokenize = 'unicode61 remove_diacritics 2')"
            )
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'datasets_dataset'")
            present = {row[0] for row in cursor.fetchall()}
            missing = [name for name in _TRIGGERS if name not in present]
            for name in missing:
                cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {_TRIGGERS[name]}")
            if missing:
                rebuild(conn)
        elif conn.vendor == "postgresql":
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON datasets_dataset USING GIN (({PG_VECTOR}))")


def uninstall(conn=None) -> None:
    conn = conn or connection
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            for name in _TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif conn.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


def rebuild(conn=None) -> None:
    """Indexes every dataset afresh (SQLite; PostgreSQL's index is always current)."""
    conn = conn or connection
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
        cursor.execute(f"INSERT INTO {FTS_TABLE}(rowid, search_text) SELECT id, search_text FROM datasets_dataset")


def fold(text: str) -> str:
    return text.lower().translate(str.maketrans(ACCENTED, PLAIN))


def terms(q: str) -> list[str]:
    """The words of a query: letters and digits only, so no query syntax of either engine gets through."""
    return [t for t in re.findall(r"\w+", fold(q or "")) if t.strip("_")][:MAX_TERMS]


def _sqlite_query(words: list[str]) -> str:
    # Every word, each also as a prefix ("semaforo" finds "semáforos"); FTS5 joins them with AND.
    return " ".join(f'"{w}"*' for w in words)


def _pg_query(words: list[str]) -> str:
    return " & ".join(f"{w}:*" for w in words)


def match(q: str) -> Q | None:
    """A filter for the datasets matching `q`; None when `q` holds no word (no filter)."""
    words = terms(q)
    if not words:
        return None
    if connection.vendor == "postgresql":
        sql = f"SELECT id FROM datasets_dataset WHERE {PG_VECTOR} @@ to_tsquery('spanish'::regconfig, %s)"
        return Q(pk__in=RawSQL(sql, [_pg_query(words)]))
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
    return Q(pk__in=RawSQL(sql, [_sqlite_query(words)]))


def order_by_relevance(qs, q: str, *then: str):
    """`qs` (datasets) ordered by how well they match `q`, best first, then by `then`; None without words."""
    words = terms(q)
    if not words:
        return None
    if connection.vendor == "postgresql":
        sql = f"ts_rank({PG_VECTOR}, to_tsquery('spanish'::regconfig, %s))"
        return qs.annotate(relevance=RawSQL(sql, [_pg_query(words)])).order_by(F("relevance").desc(), *then)
    # FTS5's rank is bm25 (lower is better). Joined, not read per row through a subquery: a correlated MATCH per
    # result cost 450 ms for a word found in 4,000 of 10,000 datasets (bench/catalog_search.py).
    return qs.extra(
        select={"relevance": f"{FTS_TABLE}.rank"},
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE} MATCH %s", f'{FTS_TABLE}.rowid = "datasets_dataset"."id"'],
        params=[_sqlite_query(words)],
    ).order_by("relevance", *then)
