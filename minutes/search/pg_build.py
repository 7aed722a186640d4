"""Rebuilding the PostgreSQL engine's tables: built beside the live ones, swapped in at the end.

The rows are written with ``COPY`` into fresh tables without indexes, the indexes built once
at the end (far faster than keeping a GIN index up to date row by row), and the fresh tables
take the live ones' names in one short transaction; searches meanwhile read the old tables.
Segmentation is the slow part: with ``workers`` > 1 worker processes cut the text while this
one reads the database and writes. Documents changed while the rebuild ran are written again
right after the swap (``differences``).
"""

from __future__ import annotations

import gc
import io
import sys
import time
from collections import deque

from django.db import connection, transaction

from minutes.search import analysis, postgres
from minutes.search.postgres import DOCUMENT, DOCUMENT_COLUMNS, ROLE, TEXT, TEXT_COLUMNS

VIEWS = f"""
CREATE VIEW minutes_search_public_document AS
    SELECT s.* FROM {DOCUMENT} s JOIN minutes_meeting m ON m.id = s.meeting_id
    WHERE m.status = 'published' AND m.disclosure = 'public';
CREATE VIEW minutes_search_public_text AS
    SELECT s.* FROM {TEXT} s JOIN minutes_meeting m ON m.id = s.meeting_id
    WHERE m.status = 'published' AND m.disclosure = 'public';
GRANT SELECT ON minutes_search_public_document, minutes_search_public_text TO {ROLE};
"""


def copy_value(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, list):
        value = "{" + ",".join(array_item(item) for item in value) + "}"
    elif not isinstance(value, str):
        value = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def array_item(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def copy_rows(cursor, table: str, columns, rows) -> None:
    if not rows:
        return
    data = io.StringIO("".join("\t".join(map(copy_value, row)) + "\n" for row in rows))
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", data)


def index_method(requested: str | None = None) -> str:
    """``rum`` when asked for or (by default) when the extension is installed, else ``gin``."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'rum'")
        installed = cursor.fetchone() is not None
    if requested == "rum" and not installed:
        raise ValueError("The rum extension is not installed (CREATE EXTENSION rum).")
    if requested in ("gin", "rum"):
        return requested
    if requested:
        raise ValueError(f"index: gin or rum, not {requested!r}")
    return "rum" if installed else "gin"


def current_method() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT am.amname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am am ON am.oid = c.relam WHERE i.indrelid = %s::regclass "
            "AND am.amname IN ('gin', 'rum') LIMIT 1",
            [TEXT],
        )
        row = cursor.fetchone()
    return row[0] if row else "gin"


# Worker processes: the segmenter's dictionary is per process, so names travel with the work.
def _segment(job):
    names, documents = job
    analysis.add_words(names)
    return [postgres.rows_for_prepared(*document) for document in documents]


def rebuild(
    *, out=None, batch: int = 200, workers: int = 1, index: str | None = None, **options
) -> int:
    """Index every document anew into fresh tables and swap them in; the number indexed.

    ``workers``: processes cutting the text; ``index``: ``gin`` or ``rum`` (by default the
    kind the live tables have).
    """
    from minutes.models import Meeting
    from minutes.search_indexes import meetings_for, organizations_of, people_of, with_parts

    out = out or sys.stdout
    procs = max(int(options.get("procs", workers) or 1), 1)
    postgres.flush()
    analysis.load_dictionary_from_database()
    method = index_method(index) if index else current_method()
    pks = list(Meeting.objects.order_by("pk").values_list("pk", flat=True))
    started = time.monotonic()
    pool = None
    if procs > 1:
        import multiprocessing

        # The children only cut text: they never use the inherited database connection, and
        # leave through os._exit (multiprocessing's fork), so they never close it either.
        pool = multiprocessing.get_context("fork").Pool(procs)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for table in (DOCUMENT, TEXT):
                cursor.execute(f"DROP TABLE IF EXISTS {table}_new")
                cursor.execute(f"CREATE TABLE {table}_new (LIKE {table} INCLUDING DEFAULTS)")

            def jobs():
                for start in range(0, len(pks), batch):
                    # The batch before is garbage now, held in cycles (a part and its cached
                    # document): collect it, or the process grew to 1.5 GB at 10,000.
                    gc.collect()
                    meetings = with_parts(
                        meetings_for("internal").filter(pk__in=pks[start : start + batch])
                    )
                    names = [n for m in meetings for n in [*organizations_of(m), *people_of(m)]]
                    analysis.add_words(names)
                    yield names, [postgres.prepared_of(meeting) for meeting in meetings]

            def write_rows(rows) -> int:
                documents = [document for document, _texts in rows]
                copy_rows(cursor, f"{DOCUMENT}_new", DOCUMENT_COLUMNS, documents)
                texts = [text for _document, parts in rows for text in parts]
                copy_rows(cursor, f"{TEXT}_new", TEXT_COLUMNS, texts)
                return len(rows)

            # This process reads the next batch and copies rows in while the workers cut the
            # text of the batches before it; at most ``procs`` + 1 batches are held at once
            # (Pool.imap would read the whole archive ahead into memory: 1.9 GB at 10,000).
            pending: deque = deque()
            done = 0
            for job in jobs():
                if pool is None:
                    done += write_rows(_segment(job))
                    progress(out, done, len(pks), started)
                    continue
                pending.append(pool.apply_async(_segment, (job,)))
                if len(pending) > procs:
                    done += write_rows(pending.popleft().get())
                    progress(out, done, len(pks), started)
            while pending:
                done += write_rows(pending.popleft().get())
                progress(out, done, len(pks), started)
            out.write(f"postgres: building the {method} indexes…\n")
            options = "rum_tsvector_ops" if method == "rum" else ""
            cursor.execute(f"ALTER TABLE {DOCUMENT}_new ADD PRIMARY KEY (meeting_id)")
            cursor.execute(f"ALTER TABLE {TEXT}_new ADD PRIMARY KEY (meeting_id, part)")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for column in ("words", "grams"):
                cursor.execute(
                    f"CREATE INDEX {TEXT}_new_{column} ON {TEXT}_new "
                    f"USING {method} ({column} {options})"
                )
            swap(cursor)
            # Documents saved while this ran went to the old tables: write them again.
            found = postgres.differences()
            changed = set().union(*found.values())
            if changed:
                postgres.write(changed, cursor)
                out.write(f"postgres: {len(changed)} documents changed meanwhile, rewritten\n")
            # The planner needs statistics of the fresh tables, and of the documents the
            # public views join (after a bulk import, before autovacuum saw it, it walked
            # every public document's vectors instead of the index: 290 ms against 110).
            cursor.execute(f"ANALYZE {DOCUMENT}")
            cursor.execute(f"ANALYZE {TEXT}")
            cursor.execute("ANALYZE minutes_meeting")
    finally:
        if pool:
            pool.close()
            pool.join()
    rate = len(pks) / max(time.monotonic() - started, 1e-6)
    public = Meeting.objects.published().count()
    out.write(f"internal: {len(pks)}/{len(pks)} documents indexed ({rate:.0f}/s)\n")
    out.write(f"public: {public}/{public} documents readable through the public view\n")
    return len(pks)


def progress(out, done: int, total: int, started: float) -> None:
    rate = done / max(time.monotonic() - started, 1e-6)
    out.write(f"internal: {done}/{total} documents ({rate:.0f}/s)\n")
    out.flush()


def swap(cursor) -> None:
    """The fresh tables take the live ones' names; the views and their grant follow them."""
    cursor.execute(f"LOCK TABLE {DOCUMENT}, {TEXT} IN ACCESS EXCLUSIVE MODE")
    cursor.execute("DROP VIEW minutes_search_public_document, minutes_search_public_text")
    for table in (DOCUMENT, TEXT):
        cursor.execute(f"DROP TABLE {table}")
        cursor.execute(f"ALTER TABLE {table}_new RENAME TO {table}")
        cursor.execute(f"ALTER TABLE {table} RENAME CONSTRAINT {table}_new_pkey TO {table}_pkey")
    for column in ("words", "grams"):
        cursor.execute(f"ALTER INDEX {TEXT}_new_{column} RENAME TO {TEXT}_{column}")
    cursor.execute(VIEWS)
