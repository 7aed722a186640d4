"""Search at archive scale: every engine on the same corpus, side by side.

Run from the repository root (the figures of issue 9; see also ``--help``)::

    .venv/bin/python benchmarks/search_bench.py --corpus realistic --docs 10000 \\
        --engines whoosh,postgres,plain,fts5 --data-dir /tmp/search-bench
    .venv/bin/python benchmarks/search_bench.py --corpus realistic --docs 100000 \\
        --engines postgres --data-dir /tmp/search-bench

Corpora (``benchmarks/bench_corpus.py``, same seed): ``worst`` recombines the paragraphs of the
real minutes, so every document holds the common words; ``realistic`` replaces per document the
topic nouns, places, organisations and names from jieba's dictionary and name pools, so a
common word occurs in a minority of documents. ~10% of the documents stay drafts.

The corpus is imported once per (corpus, size) into its own PostgreSQL database
(``search_bench_<corpus>_<docs>``, created if missing; ``--database-url`` for another, an
``sqlite:///`` URL for SQLite, where the PostgreSQL engine is skipped), with follow-up tasks and
versions left out. ``--data-dir`` keeps the texts and indexes, and a corpus already imported
there is reused. Each engine is measured in its own processes:

* ``whoosh``, ``postgres`` (and ``postgres-gin`` / ``postgres-rum`` to force the index kind):
  our engines, chosen per process by ``MINUTES_SEARCH_ENGINE``. Build = ``manage.py
  rebuild_index`` (wall time, peak resident memory of the command; PostgreSQL's own memory is
  not in it); size = the index directory, or the engine's tables and indexes; search = the
  whole search page through Django's test ``Client`` (``GET /search/?q=…``, anonymous); counts
  from ``/api/search/``. Publish: drafts are published by two processes at once, each
  polling the API until the document is found; then a fresh process checks that none is
  lost, and the drafts are put back.
* ``plain``: the plain recipe of Chinese haystack tutorials (haystack's stock ``WhooshEngine``
  with ``jieba.analyse.ChineseAnalyzer``, ``update_index``; per query ``auto_query`` + count +
  first page + highlight + the page's objects). Slow: ~7 minutes to build at 10,000.
* ``fts5``: SQLite FTS5 with the trigram tokenizer over the public texts, the lower bound.
  Trigram MATCH needs terms of at least three characters; shorter terms use ``instr()``.

``--copies-of 10000`` makes a large corpus (``--docs 100000``) of copies of one already
imported: a dump of its database and ten copies of every document with its own ids and 文号
(the ORM import takes ~10 documents/s here; the copy minutes). Word frequencies stay those of
the 10,000 documents. ``--profile`` also writes where one search page per query spends its
time (``profile-<engine>.txt``). ``--report-only`` prints the tables of what a data dir holds.

Results are kept in ``<data-dir>/<corpus>-<docs>/results.json`` (``--label`` keeps a run beside
another, e.g. ``before``); the report (markdown) covers every engine measured there.
Machine load (``uptime``) is printed with the figures. Not a test.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY_ROOT))

from benchmarks.bench_corpus import CORPORA, generated  # noqa: E402

PHRASE = "住房公积金"
# (label, q, other parameters of the search form)
QUERIES = [
    ("one word", "公积金", {}),
    ("two words", "人工智能 产业", {}),
    ("quoted phrase", f'"{PHRASE}"', {}),
    ("person", "李亚平", {}),
    ("one character", "税", {}),
    ("OR", "公积金 OR 医保", {}),
    (
        "facet + dates",
        "公积金",
        {"kind": "executive", "date_from": "2010-01-01", "date_to": "2015-12-31"},
    ),
    ("exclusion", "公积金 -住房", {}),
    ("文号", "〔2015〕3号", {}),
]
OURS = {
    # name: (MINUTES_SEARCH_ENGINE, index kind asked of rebuild_index)
    "whoosh": ("whoosh", None),
    "postgres": ("postgres", None),
    "postgres-gin": ("postgres", "gin"),
    "postgres-rum": ("postgres", "rum"),
}
ENGINES = (*OURS, "plain", "fts5")
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/search_bench_{corpus}_{docs}"
POLL_TIMEOUT = 120.0


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


# --- The corpus -------------------------------------------------------------------------


def stage_corpus(corpus: str, start: int, stop: int) -> None:
    """Import documents start … stop-1 (search updates, follow-up tasks and versions off)."""
    from django.core.management import call_command
    from django.db import IntegrityError, OperationalError
    from django.db.models.signals import post_delete, post_save

    import minutes.importing
    import minutes.versions
    from minutes.importing import import_parsed
    from minutes.models import Meeting
    from minutes.search import signals

    if start == 0:
        call_command("migrate", verbosity=0)
    # The index is built afterwards in one go, as after a bulk import. Follow-up tasks and
    # versions are not what is measured here; leaving them out makes the import ~3x faster.
    for model, receiver in getattr(signals, "RECEIVERS", []):
        post_save.disconnect(receiver, sender=model, dispatch_uid=f"search-{model.__name__}-save")
        post_delete.disconnect(
            receiver, sender=model, dispatch_uid=f"search-{model.__name__}-delete"
        )
    minutes.importing.sync_tasks = lambda *args, **kwargs: None
    minutes.versions.record_version = lambda *args, **kwargs: None
    started = time.perf_counter()
    for done, (parsed, published) in enumerate(generated(corpus, start, stop), 1):
        status = Meeting.Status.PUBLISHED if published else Meeting.Status.DRAFT
        for attempt in range(5):
            try:
                import_parsed(parsed, status=status, disclosure=Meeting.Disclosure.PUBLIC)
                break
            except (IntegrityError, OperationalError):
                # Two shards creating the same organisation at once: one transaction lost.
                if attempt == 4:
                    raise
                time.sleep(0.1 * (attempt + 1))
        if done % 1000 == 0:
            rate = done / (time.perf_counter() - started)
            print(f"  [{start}…{stop}) {done} imported, {rate:.0f}/s", file=sys.stderr, flush=True)
    try:
        from minutes.models import IndexQueue

        IndexQueue.objects.all().delete()
    except ImportError:
        pass


# Copied by ``--copies-of``: the document and its parts, parents first.
COPIED_MODELS = (
    "Meeting",
    "AgendaItem",
    "Decision",
    "Assignment",
    "Review",
    "Attendance",
    "Distribution",
)
COPY_OFFSET = 10**8  # ids of copy k are the original's + k x COPY_OFFSET
SEQ_OFFSET = 1000  # and its 文号 number the original's + k x SEQ_OFFSET


def stage_replicate(copies: int) -> None:
    """Copy every document (with its parts) ``copies`` - 1 times, with its own ids and 文号."""
    from django.apps import apps
    from django.db import connection, transaction

    models = [apps.get_model("minutes", name) for name in COPIED_MODELS]
    meeting_parts = {model: model._meta.db_table for model in models}
    with transaction.atomic(), connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(f"SELECT max(id) FROM {table}")
            if (cursor.fetchone()[0] or 0) >= COPY_OFFSET:
                raise SystemExit(f"{table}: ids reach {COPY_OFFSET}; copies would collide")
        for copy in range(1, copies):
            for model in models:
                table = model._meta.db_table
                columns, values = [], []
                for field in model._meta.concrete_fields:
                    column = f'"{field.column}"'
                    columns.append(column)
                    if field.primary_key or (
                        field.is_relation and field.related_model in meeting_parts
                    ):
                        values.append(f"{column} + {copy * COPY_OFFSET}")
                    elif model.__name__ == "Meeting" and field.name == "seq":
                        values.append(f"{column} + {copy * SEQ_OFFSET}")
                    else:
                        values.append(column)
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)}"
                    f" FROM {table} WHERE id < {COPY_OFFSET}"
                )
            print(f"  copy {copy} of {copies - 1}", file=sys.stderr, flush=True)
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
            )
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def stage_texts(texts_file: str) -> None:
    """The public documents' searchable texts, for FTS5 and the counts."""
    from minutes.search_indexes import meeting_text, meetings_for

    with open(texts_file, "w", encoding="utf-8") as out:
        for meeting in meetings_for("public").order_by("pk").iterator(chunk_size=500):
            record = {
                "id": meeting.pk,
                "kind": meeting.kind,
                "date": meeting.meeting_date.isoformat(),
                "text": meeting_text(meeting),
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


# --- Our engines --------------------------------------------------------------------------


def engine_exists(engine: str) -> bool:
    """Whether this branch has that engine of ``minutes.search`` (issue 9)."""
    import importlib.util

    module = {"whoosh": "minutes.search.whoosh_engine", "postgres": "minutes.search.postgres"}
    return importlib.util.find_spec(module[engine]) is not None


def new_interface() -> bool:
    """Whether the engines behind ``minutes.search`` exist (issue 9) or only today's Whoosh."""
    import importlib.util

    return importlib.util.find_spec("minutes.search.whoosh_engine") is not None


CPU_MS: list[float] = []  # this process's CPU time of each timed run (the machine is shared)


def timed(function, repeat: int) -> list[float]:
    function()  # warm-up: caches, first searcher, jieba's dictionary
    latencies = []
    CPU_MS.clear()
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        function()
        latencies.append((time.perf_counter() - started) * 1000)
        CPU_MS.append((time.process_time() - cpu) * 1000)
    return latencies


def stage_ours_query(repeat: int) -> None:
    from django.test import Client

    client = Client()
    report = {}
    for label, q, parameters in QUERIES:
        params = {"q": q, **parameters}
        count = client.get("/api/search/", params).json()["count"]

        def page(params=params):
            response = client.get("/search/", params)
            # A 文号 naming exactly one document redirects to it.
            assert response.status_code in (200, 302), response.status_code

        report[label] = {"count": count, "ms": timed(page, repeat), "cpu_ms": list(CPU_MS)}
        if os.environ.get("BENCH_PROFILE"):
            profile_once(page, label, os.environ["BENCH_PROFILE"])
    print(json.dumps(report))


def profile_once(function, label: str, path: str) -> None:
    """Append where one more run of ``function`` spends its time (``--profile``)."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(function)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(12)
    with open(path, "a", encoding="utf-8") as file:
        file.write(f"\n===== {label} =====\n{out.getvalue()}")


def stage_ours_size(engine: str, index_dir: str) -> None:
    """Bytes of the engine's index: its directory (Whoosh) or its tables (PostgreSQL)."""
    if engine == "whoosh":
        print(json.dumps({"bytes": size_of(Path(index_dir))}))
        return
    from django.db import connection

    with connection.cursor() as cursor:
        # Every relation of the search engine's tables: heap, TOAST and indexes.
        cursor.execute(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'm') AND n.nspname = current_schema()"
            " AND c.relname LIKE %s",
            [os.environ.get("BENCH_PG_TABLES", "%search%")],
        )
        tables = int(cursor.fetchone()[0])  # numeric: a Decimal, which json cannot write
        cursor.execute(
            "SELECT c.relname, am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam"
            " WHERE c.relkind = 'i' AND c.relname LIKE %s",
            [os.environ.get("BENCH_PG_TABLES", "%search%")],
        )
        methods = sorted({method for _name, method in cursor.fetchall()})
    print(json.dumps({"bytes": tables, "index_methods": methods}))


def drafts(count: int) -> list[int]:
    from minutes.models import Meeting

    return list(
        Meeting.objects.filter(status=Meeting.Status.DRAFT, disclosure=Meeting.Disclosure.PUBLIC)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )


def find_query(meeting) -> dict:
    """API parameters that find this one document: its 文号 within its issuer."""
    return {"q": meeting.doc_number, "issuer": meeting.issuer.name}


def found(client, meeting) -> bool:
    response = client.get("/api/search/", find_query(meeting))
    return any(result.get("id") == meeting.pk for result in response.json()["results"])


def stage_publish(ids: str) -> None:
    """Publish these drafts one by one; after each, poll the search until it is found."""
    from django.test import Client

    from minutes.models import Meeting

    client = Client()
    report = []
    for pk in map(int, ids.split(",")):
        meeting = Meeting.objects.select_related("issuer").get(pk=pk)
        meeting.submit()
        started = time.perf_counter()
        meeting.publish()
        published = time.perf_counter()
        while not found(client, meeting):
            if time.perf_counter() - started > POLL_TIMEOUT:
                break
            time.sleep(0.02)
        searchable = time.perf_counter()
        report.append(
            {
                "id": pk,
                "publish_ms": (published - started) * 1000,
                "searchable_ms": (searchable - started) * 1000,
                "found": searchable - started <= POLL_TIMEOUT,
            }
        )
    print(json.dumps(report))


def stage_publish_verify(ids: str) -> None:
    """In a fresh process: how many of the published documents the search does not find."""
    from django.test import Client

    from minutes.models import Meeting

    client = Client()
    meetings = Meeting.objects.select_related("issuer").filter(pk__in=ids.split(","))
    lost = [meeting.pk for meeting in meetings if not found(client, meeting)]
    print(json.dumps({"lost": lost}))


def stage_publish_restore(ids: str, engines: str) -> None:
    """Put the published drafts back, and tell every engine measured."""
    from django.db import transaction

    from minutes.models import Meeting

    pks = [int(pk) for pk in ids.split(",")]
    with transaction.atomic():
        Meeting.objects.filter(pk__in=pks).update(status=Meeting.Status.DRAFT, published_at=None)
        if new_interface():
            from minutes.search.engines import get_engine

            # Every engine of the branch: another run may measure the other on this corpus.
            for name in ("whoosh", "postgres"):
                if engine_exists(name):
                    get_engine(name).changed(pks)
        else:
            from minutes.search.indexing import enqueue

            enqueue(pks)


# --- The plain recipe ---------------------------------------------------------------------


def stage_plain_build() -> None:
    from django.core.management import call_command
    from haystack import connections
    from haystack.management.commands.update_index import Command

    from benchmarks.plain_recipe_indexes import PlainMeetingIndex

    connections["default"].get_unified_index().build(indexes=[PlainMeetingIndex()])
    call_command(Command(), verbosity=0)


def stage_plain_query(repeat: int) -> None:
    import datetime as dt

    from haystack import connections
    from haystack.query import SearchQuerySet

    from benchmarks.plain_recipe_indexes import PlainMeetingIndex

    connections["default"].get_unified_index().build(indexes=[PlainMeetingIndex()])
    report = {}
    for label, q, parameters in QUERIES:

        def search(q=q, parameters=parameters):
            results = SearchQuerySet().auto_query(q)
            if parameters:
                results = results.filter(
                    kind=parameters["kind"],
                    date__gte=dt.date.fromisoformat(parameters["date_from"]),
                    date__lte=dt.date.fromisoformat(parameters["date_to"]),
                )
            results = results.facet("kind").facet("year")
            results.facet_counts()
            results = results.highlight()
            count = results.count()
            for result in results[:20]:
                result.highlighted  # noqa: B018 - the template shows it
                result.object  # noqa: B018 - and the document's title
            return count

        report[label] = {"count": search(), "ms": timed(search, repeat), "cpu_ms": list(CPU_MS)}
    print(json.dumps(report))


# --- SQLite FTS5 --------------------------------------------------------------------------


def fts_clauses(q: str) -> list[tuple[list[str], bool]]:
    """The query as (terms joined by OR, excluded) clauses, as the search page reads it."""
    clauses: list[tuple[list[str], bool]] = []
    joining = False
    for match in re.finditer(r'(-?)"([^"]*)"|(-?)(\S+)', q):
        excluded = bool(match.group(1) or match.group(3))
        text = match.group(2) if match.group(2) is not None else match.group(4)
        if text in ("OR", "|"):
            joining = True
            continue
        if joining and clauses:
            clauses[-1][0].append(text)
        else:
            clauses.append(([text], excluded))
        joining = False
    return clauses


def fts_sql(q: str, parameters: dict):
    """(WHERE, arguments, MATCH expression for rank and snippet or None)."""
    conditions, arguments = [], []
    clauses = fts_clauses(q)
    ranked = [terms[0] for terms, excluded in clauses if not excluded and len(terms) == 1]
    ranked = [term for term in ranked if len(term) >= 3]
    if ranked:
        conditions.append("docs MATCH ?")
        arguments.append(" AND ".join(f'"{term}"' for term in ranked))
    for terms, excluded in clauses:
        if not excluded and len(terms) == 1 and terms[0] in ranked:
            continue
        alternatives = []
        for term in terms:
            if len(term) >= 3:
                alternatives.append("rowid IN (SELECT rowid FROM docs WHERE docs MATCH ?)")
                arguments.append(f'"{term}"')
            else:  # trigram MATCH cannot, and its LIKE silently finds nothing
                alternatives.append("instr(text, ?) > 0")
                arguments.append(term)
        condition = "(" + " OR ".join(alternatives) + ")"
        conditions.append(f"NOT {condition}" if excluded else condition)
    if parameters:
        conditions.append("kind = ? AND date BETWEEN ? AND ?")
        arguments += [parameters["kind"], parameters["date_from"], parameters["date_to"]]
    return " AND ".join(conditions), arguments, bool(ranked)


def stage_fts_build(texts_file: str, database: str) -> None:
    connection = sqlite3.connect(database)
    connection.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(text, kind UNINDEXED, date UNINDEXED,"
        " tokenize='trigram')"
    )
    with open(texts_file, encoding="utf-8") as lines:
        rows = (json.loads(line) for line in lines)
        connection.executemany(
            "INSERT INTO docs(rowid, text, kind, date) VALUES (?, ?, ?, ?)",
            ((row["id"], row["text"], row["kind"], row["date"]) for row in rows),
        )
    connection.commit()
    connection.close()


def stage_fts_query(database: str, repeat: int) -> None:
    connection = sqlite3.connect(database)
    report = {}
    for label, q, parameters in QUERIES:
        where, arguments, ranked = fts_sql(q, parameters)
        if ranked:
            page_sql = (
                "SELECT rowid, snippet(docs, 0, '<mark>', '</mark>', '…', 16) FROM docs"
                f" WHERE {where} ORDER BY rank LIMIT 20"
            )
        else:
            page_sql = f"SELECT rowid, substr(text, 1, 40) FROM docs WHERE {where}"
            page_sql += " ORDER BY date DESC LIMIT 20"
        facet_sql = f"SELECT kind, substr(date, 1, 4), count(*) FROM docs WHERE {where}"
        facet_sql += " GROUP BY 1, 2"

        def search(where=where, arguments=arguments, page_sql=page_sql, facet_sql=facet_sql):
            count = connection.execute(f"SELECT count(*) FROM docs WHERE {where}", arguments)
            count = count.fetchone()[0]
            connection.execute(page_sql, arguments).fetchall()
            connection.execute(facet_sql, arguments).fetchall()
            return count

        report[label] = {"count": search(), "ms": timed(search, repeat), "cpu_ms": list(CPU_MS)}
    print(json.dumps(report))


# --- The orchestra ---------------------------------------------------------------------


def run_stage(environment, *arguments, module=None, check=True) -> tuple[str, float, int]:
    """Run one stage in a child process: (stdout, wall seconds, peak resident kB)."""
    command = [sys.executable, __file__, "--stage", *arguments]
    if module:
        command = [sys.executable, *module]
    started = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=REPOSITORY_ROOT, env=environment, stdout=subprocess.PIPE, text=True
    )
    out = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    # CPU seconds of the stage and the processes it waited for (its writer or cutter pool).
    LAST_CPU[0] = usage.ru_utime + usage.ru_stime
    if status != 0 and check:
        raise SystemExit(f"stage {arguments or module} failed ({status})")
    return out, elapsed, usage.ru_maxrss


LAST_CPU = [0.0]


def run_parallel(environments_and_arguments) -> list[str]:
    """Run stages at once; their outputs, in order."""
    children = [
        subprocess.Popen(
            [sys.executable, __file__, "--stage", *arguments],
            cwd=REPOSITORY_ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            text=True,
        )
        for environment, arguments in environments_and_arguments
    ]
    outputs = [child.communicate()[0] for child in children]
    if any(child.returncode for child in children):
        raise SystemExit("a parallel stage failed")
    return outputs


def size_of(path: Path) -> int:
    if not path.exists():
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(report: dict) -> tuple[float, float]:
    every = [ms for entry in report.values() for ms in entry["ms"]]
    return statistics.median(every), percentile(every, 0.95)


def ensure_database(url: str, fresh: bool = False) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg2

    name = url.rsplit("/", 1)[1]
    connection = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def rum_available(url: str) -> bool:
    """Whether ``CREATE EXTENSION rum`` works in this database (Debian: postgresql-15-rum)."""
    if not url.startswith("postgres"):
        return False
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
        return True
    except psycopg2.Error:
        return False
    finally:
        connection.close()


def rebuild_command(environment, index_kind) -> list[str]:
    """``rebuild_index`` with two processes and the index kind, where it takes the options.

    Without an ``--index`` option, the same call of ``minutes.search.rebuild`` with it.
    """
    out, _elapsed, _rss = run_stage(environment, module=["manage.py", "rebuild_index", "--help"])
    arguments = ["--workers=2"] if "--workers" in out else []
    if index_kind and "--index" not in out:
        return [__file__, "--stage", "ours-build", index_kind]
    if index_kind:
        arguments.append(f"--index={index_kind}")
    return ["manage.py", "rebuild_index", "--noinput", *arguments]


def stage_ours_build(index_kind: str) -> None:
    from minutes import search

    search.rebuild(out=sys.stderr, batch=500, workers=2, index=index_kind)


def stage_environment(options, run_dir: Path, database_url: str) -> dict:
    return os.environ | {
        "DATABASE_URL": database_url,
        "MINUTES_DATA_DIR": str(run_dir),
        "DJANGO_SETTINGS_MODULE": "minutes_site.settings",
        "ALLOWED_HOSTS": "testserver",
        "PYTHONPATH": str(REPOSITORY_ROOT),
        # As in production: DEBUG off (no query log); no TLS here, so no https redirect.
        "DEBUG": "0",
        "SECRET_KEY": "search-benchmark-only",
        "SECURE_SSL_REDIRECT": "0",
        # jieba's pkg_resources warning at every start
        "PYTHONWARNINGS": "ignore",
    }


def prepare_corpus(options, run_dir: Path, environment) -> None:
    marker = run_dir / "corpus.done"
    texts = run_dir / "texts.jsonl"
    if marker.exists():
        return
    started = time.perf_counter()
    if imported(environment) >= options.docs:  # an earlier run's import, interrupted after
        run_stage(environment, "texts", str(texts))
        marker.touch()
        return
    if options.copies_of:
        return copy_corpus(options, run_dir, environment)
    print(f"importing {options.docs} {options.corpus} documents ({load()})", flush=True)
    # The first documents migrate and create the issuers; shards import the rest at once.
    first = min(50, options.docs)
    run_stage(environment, "corpus", options.corpus, "0", str(first))
    shards = max(options.import_processes, 1)
    size = math.ceil((options.docs - first) / shards)
    run_parallel(
        [
            (
                environment,
                ["corpus", options.corpus, str(start), str(min(start + size, options.docs))],
            )
            for start in range(first, options.docs, max(size, 1))
        ]
    )
    run_stage(environment, "texts", str(texts))
    elapsed = time.perf_counter() - started
    print(f"corpus: {options.docs} documents imported in {elapsed:.0f} s ({load()})", flush=True)
    marker.touch()


def imported(environment) -> int:
    """Documents already in the database (0 when it has no tables yet)."""
    url = environment["DATABASE_URL"]
    if not url.startswith("postgres"):
        return 0
    import psycopg2

    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('minutes_meeting') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return 0
            cursor.execute("SELECT count(*) FROM minutes_meeting")
            return cursor.fetchone()[0]
    finally:
        connection.close()


def copy_corpus(options, run_dir: Path, environment) -> None:
    """This corpus as copies of a smaller one already imported (``--copies-of``)."""
    copies, rest = divmod(options.docs, options.copies_of)
    source_dir = run_dir.parent / f"{options.corpus}-{options.copies_of}"
    source_url = (
        environment["DATABASE_URL"].rsplit("/", 1)[0]
        + "/"
        + (DEFAULT_DATABASE.format(corpus=options.corpus, docs=options.copies_of).rsplit("/", 1)[1])
    )
    if rest or not (source_dir / "corpus.done").exists():
        raise SystemExit(
            f"--copies-of {options.copies_of}: import that corpus first "
            f"(--docs {options.copies_of}), and make --docs a multiple of it"
        )
    started = time.perf_counter()
    print(f"copying {options.corpus}-{options.copies_of} x{copies} ({load()})", flush=True)
    target = environment["DATABASE_URL"]
    ensure_database(target, fresh=True)
    dump = subprocess.Popen(["pg_dump", "--no-owner", source_url], stdout=subprocess.PIPE)
    subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", target],
        stdin=dump.stdout,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if dump.wait():
        raise SystemExit("pg_dump failed")
    run_stage(environment, "replicate", str(copies))
    with (source_dir / "texts.jsonl").open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    with (run_dir / "texts.jsonl").open("w", encoding="utf-8") as out:
        for copy in range(copies):
            for record in records:
                record = record | {"id": record["id"] + copy * COPY_OFFSET}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    (run_dir / "corpus.done").write_text(f"copies of {options.corpus}-{options.copies_of}\n")
    elapsed = time.perf_counter() - started
    print(f"corpus: {options.docs} documents copied in {elapsed:.0f} s ({load()})", flush=True)


def measure_ours(name, options, run_dir, environment, results) -> dict:
    engine, index_kind = OURS[name]
    environment = environment | {"MINUTES_SEARCH_ENGINE": engine}
    row: dict = {"load_before": load()}
    index_dir = run_dir / "search"
    if options.reuse_index and (name != "whoosh" or index_dir.exists()):
        row |= {"build_s": None, "docs_per_s": None, "rss_kb": None}
        row["note"] = "index of an earlier run reused: build not measured"
    else:
        if name == "whoosh":
            shutil.rmtree(index_dir, ignore_errors=True)
        command = rebuild_command(environment, index_kind)
        print(f"{name}: {' '.join(command)} ({load()})", flush=True)
        _out, elapsed, rss = run_stage(environment, module=command)
        row |= {"build_s": elapsed, "docs_per_s": options.docs / elapsed, "rss_kb": rss}
        row["build_cpu_s"] = LAST_CPU[0]
        row["note"] = f"all {options.docs} documents"
    out, _elapsed, _rss = run_stage(environment, "ours-size", engine, str(index_dir))
    size = json.loads(out)
    row["size"] = size["bytes"]
    if size.get("index_methods"):
        row["note"] += f"; index: {'/'.join(size['index_methods'])}"
    print(f"{name}: searching ({load()})", flush=True)
    if options.profile:
        profile = run_dir / f"profile-{name}.txt"
        profile.unlink(missing_ok=True)
        environment = environment | {"BENCH_PROFILE": str(profile)}
    out, _elapsed, rss = run_stage(environment, "ours-query", str(options.repeat))
    row["queries"] = json.loads(out)
    row["query_rss_kb"] = rss
    if options.publish:
        row["publish"] = measure_publish(name, options, environment)
    row["load_after"] = load()
    return row


def measure_publish(name, options, environment) -> dict:
    """Two processes publish drafts at once; time to searchable; lost documents."""
    out, _elapsed, _rss = run_stage(environment, "drafts", str(options.publish))
    ids = json.loads(out)
    if not ids:
        return {}
    halves = [ids[0::2], ids[1::2]]
    print(f"{name}: publishing {len(ids)} drafts from 2 processes ({load()})", flush=True)
    outputs = run_parallel(
        [(environment, ["publish", ",".join(map(str, half))]) for half in halves if half]
    )
    entries = [entry for output in outputs for entry in json.loads(output)]
    joined = ",".join(map(str, ids))
    verify, _elapsed, _rss = run_stage(environment, "publish-verify", joined)
    lost = json.loads(verify)["lost"]
    check_out, _elapsed, _rss = run_stage(
        environment, module=["manage.py", "check_search_index"], check=False
    )
    engines = ",".join(OURS[engine][0] for engine in options.engines if engine in OURS)
    run_stage(environment, "publish-restore", joined, engines)
    return {
        "published": len(entries),
        "publish_ms": [entry["publish_ms"] for entry in entries],
        "searchable_ms": [entry["searchable_ms"] for entry in entries],
        "not_found_in_time": sum(not entry["found"] for entry in entries),
        "lost": len(lost),
        "check": check_out.strip().splitlines()[-1] if check_out.strip() else "",
    }


def measure_plain(options, run_dir, environment) -> dict:
    plain_dir = run_dir / "plain"
    plain_environment = environment | {
        "DJANGO_SETTINGS_MODULE": "benchmarks.plain_recipe_settings",
        "PLAIN_INDEX_DIR": str(plain_dir),
    }
    public = sum(1 for _ in (run_dir / "texts.jsonl").open(encoding="utf-8"))
    row: dict = {"load_before": load()}
    if options.reuse_index and plain_dir.exists():
        row |= {"build_s": None, "docs_per_s": None, "rss_kb": None, "note": "reused"}
    else:
        shutil.rmtree(plain_dir, ignore_errors=True)
        print(f"plain: update_index ({load()})", flush=True)
        _out, elapsed, rss = run_stage(plain_environment, "plain-build")
        row |= {"build_s": elapsed, "docs_per_s": public / elapsed, "rss_kb": rss}
        row["build_cpu_s"] = LAST_CPU[0]
        row["note"] = f"public only: {public} documents"
    row["size"] = size_of(plain_dir)
    print(f"plain: searching ({load()})", flush=True)
    out, _elapsed, rss = run_stage(plain_environment, "plain-query", str(options.repeat))
    row["queries"] = json.loads(out)
    row["query_rss_kb"] = rss
    row["load_after"] = load()
    return row


def measure_fts(options, run_dir, environment) -> dict:
    fts = run_dir / "fts5.sqlite3"
    texts = run_dir / "texts.jsonl"
    public = sum(1 for _ in texts.open(encoding="utf-8"))
    row: dict = {"load_before": load()}
    fts.unlink(missing_ok=True)
    _out, elapsed, rss = run_stage(environment, "fts-build", str(texts), str(fts))
    row |= {"build_s": elapsed, "docs_per_s": public / elapsed, "rss_kb": rss}
    row["build_cpu_s"] = LAST_CPU[0]
    row["note"] = f"public only: {public} documents"
    row["size"] = size_of(fts)
    out, _elapsed, rss = run_stage(environment, "fts-query", str(fts), str(options.repeat))
    row["queries"] = json.loads(out)
    row["query_rss_kb"] = rss
    row["load_after"] = load()
    return row


def main() -> None:
    arguments = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    arguments.add_argument("--corpus", choices=CORPORA, default="realistic")
    arguments.add_argument("--docs", type=int, default=10000)
    arguments.add_argument(
        "--engines",
        default="whoosh,postgres,plain,fts5",
        help=f"comma-separated, of {', '.join(ENGINES)}",
    )
    arguments.add_argument("--repeat", type=int, default=10, help="timed runs of each query")
    arguments.add_argument("--publish", type=int, default=20, help="drafts to publish (0: none)")
    arguments.add_argument(
        "--data-dir", default="/tmp/search-bench", help="corpus, texts, indexes, results"
    )
    arguments.add_argument(
        "--database-url", help=f"default: {DEFAULT_DATABASE} (created if missing)"
    )
    arguments.add_argument("--import-processes", type=int, default=2)
    arguments.add_argument(
        "--copies-of",
        type=int,
        help="make the corpus of copies of this smaller one (imported before): fast, but\n"
        "every text occurs docs/N times (same word frequencies, N distinct texts)",
    )
    arguments.add_argument(
        "--reuse-index", action="store_true", help="query the indexes an earlier run built"
    )
    arguments.add_argument("--label", default="", help="keep these results as <engine>@<label>")
    arguments.add_argument("--report-only", action="store_true")
    arguments.add_argument(
        "--profile",
        action="store_true",
        help="also profile one search page per query: <run dir>/profile-<engine>.txt",
    )
    arguments.add_argument("--stage", nargs="+", help=argparse.SUPPRESS)
    options = arguments.parse_args()
    if options.stage:
        return run_worker(options.stage)
    options.engines = [name.strip() for name in options.engines.split(",") if name.strip()]
    unknown = set(options.engines) - set(ENGINES)
    if unknown:
        raise SystemExit(f"unknown engines {sorted(unknown)}; known: {', '.join(ENGINES)}")

    run_dir = Path(options.data_dir).resolve() / f"{options.corpus}-{options.docs}"
    run_dir.mkdir(parents=True, exist_ok=True)
    results_file = run_dir / "results.json"
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    database_url = options.database_url or DEFAULT_DATABASE.format(
        corpus=options.corpus, docs=options.docs
    )
    if options.report_only:
        return print_report(results, options)
    ensure_database(database_url)
    environment = stage_environment(options, run_dir, database_url)
    print(f"data: {run_dir}  database: {database_url}  {load()}", flush=True)
    prepare_corpus(options, run_dir, environment)
    # The search tables of a branch newer than the corpus; DEBUG is off, so the pages need
    # their static files' manifest.
    run_stage(environment, module=["manage.py", "migrate", "--verbosity=0"])
    run_stage(environment, module=["manage.py", "collectstatic", "--noinput", "--verbosity=0"])
    results["_corpus"] = corpus_facts(run_dir, options)
    started_at = datetime.datetime.now().isoformat(timespec="seconds")
    for name in options.engines:
        key = f"{name}@{options.label}" if options.label else name
        if name in OURS:
            if OURS[name][0] == "postgres" and not database_url.startswith("postgres"):
                print(f"{name}: skipped (needs PostgreSQL)")
                continue
            if OURS[name][0] == "postgres" and not engine_exists("postgres"):
                print(f"{name}: skipped (no PostgreSQL engine on this branch yet)")
                continue
            if name == "postgres-rum" and not rum_available(database_url):
                print(f"{name}: skipped (CREATE EXTENSION rum fails: postgresql-15-rum?)")
                continue
            row = measure_ours(name, options, run_dir, environment, results)
        elif name == "plain":
            row = measure_plain(options, run_dir, environment)
        else:
            row = measure_fts(options, run_dir, environment)
        row["measured_at"] = started_at
        row["interface"] = "engines" if name == "fts5" or new_interface() else "before"
        # Another run may have written its engines meanwhile: read again, add ours.
        results = json.loads(results_file.read_text()) if results_file.exists() else {}
        results["_corpus"] = corpus_facts(run_dir, options)
        results[key] = row
        results_file.write_text(json.dumps(results, ensure_ascii=False, indent=1))
        print(f"{key}: done ({load()})", flush=True)
    print_report(results, options)


def corpus_facts(run_dir: Path, options) -> dict:
    texts = [json.loads(line)["text"] for line in (run_dir / "texts.jsonl").open()]
    terms = ["公积金", PHRASE, "李亚平", "税", "人工智能", "产业", "医保"]
    return {
        "documents": options.docs,
        "public": len(texts),
        "characters": round(statistics.mean(len(text) for text in texts)),
        "literal": {term: sum(term in text for text in texts) for term in terms},
    }


def cpu_summary(report: dict) -> str:
    """CPU ms p50 / p95 of the measuring process (PostgreSQL's own work is not in it)."""
    every = [ms for entry in report.values() for ms in entry.get("cpu_ms", [])]
    if not every:
        return "—"
    return f"{statistics.median(every):.0f} / {percentile(every, 0.95):.0f}"


def ms(values) -> str:
    return f"{statistics.median(values):.0f} / {percentile(values, 0.95):.0f}"


def print_report(results: dict, options) -> None:
    facts = results.get("_corpus", {})
    rows = {key: row for key, row in results.items() if not key.startswith("_")}
    print()
    print(
        f"### {options.corpus} corpus, {options.docs} documents "
        f"({facts.get('public')} public, ~{facts.get('characters')} characters each)"
    )
    if facts:
        print(
            "Public documents holding the term literally: "
            + ", ".join(f"{term} {count}" for term, count in facts["literal"].items())
        )
    print()
    # The baselines: the latest run of each (a labelled run when there is no other).
    baseline = {}
    for base in ("plain", "fts5"):
        runs = [key for key in rows if key.split("@")[0] == base]
        if runs:
            key = base if base in runs else runs[-1]
            baseline[base] = summary(rows[key]["queries"])
    print(
        "| engine | build s | docs/s | docs per CPU s | size MB | build peak MB | search peak MB "
        "| page p50 / p95 ms | CPU ms p50 / p95 | p95 ÷ plain | p95 ÷ FTS5 "
        "| load (before → after) | note |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, row in rows.items():
        p50, p95 = summary(row["queries"])
        ratios = [
            f"{p95 / baseline[base][1]:.2f}" if base in baseline else "—"
            for base in ("plain", "fts5")
        ]
        build = row.get("build_s")
        counted = re.search(r"(\d+) documents", row.get("note", ""))
        documents = int(counted.group(1)) if counted else 0
        cpu = row.get("build_cpu_s")
        per_cpu = f"{documents / cpu:.0f}" if cpu and documents else "—"
        if build:
            print(f"| {name} | {build:.0f} | {row['docs_per_s']:.0f} | {per_cpu} | ", end="")
        else:
            print(f"| {name} | — | — | — | ", end="")
        rss = row.get("rss_kb")
        print(
            f"{row['size'] / 1e6:.0f} | {rss / 1024 if rss else float('nan'):.0f} | "
            f"{row.get('query_rss_kb', 0) / 1024:.0f} | {p50:.0f} / {p95:.0f} | "
            f"{cpu_summary(row['queries'])} | "
            f"{ratios[0]} | {ratios[1]} | {row.get('load_before', '')} → "
            f"{row.get('load_after', '')} | {row.get('note', '')} |"
        )
    print()
    print("Search page p50 / p95 ms (hits), per query type:")
    print()
    print("| query | " + " | ".join(rows) + " |")
    print("|---|" + "---|" * len(rows))
    for label, q, parameters in QUERIES:
        cells = []
        for row in rows.values():
            entry = row["queries"].get(label)
            cells.append(f"{ms(entry['ms'])} ({entry['count']})" if entry else "—")
        shown = q + (
            " + " + ", ".join(f"{k}={v}" for k, v in parameters.items()) if parameters else ""
        )
        print(f"| {label}: `{shown}` | " + " | ".join(cells) + " |")
    published = {name: row["publish"] for name, row in rows.items() if row.get("publish")}
    if published:
        print()
        print("Publish → searchable (two processes publishing at once), ms p50 / p95 / max:")
        print()
        print("| engine | published | publish() | publish → found | lost | check |")
        print("|---|---|---|---|---|---|")
        for name, entry in published.items():
            print(
                f"| {name} | {entry['published']} | {ms(entry['publish_ms'])} / "
                f"{max(entry['publish_ms']):.0f} | {ms(entry['searchable_ms'])} / "
                f"{max(entry['searchable_ms']):.0f} | {entry['lost']} "
                f"(not found in {POLL_TIMEOUT:.0f} s: {entry['not_found_in_time']}) | "
                f"{entry['check']} |"
            )
    print()
    print(
        "Ours: the whole search page (anonymous) through Django's test Client, counts from the"
        " API; plain: SearchQuerySet auto_query + facets + count + page + highlight + objects;"
        " FTS5: count + page + facet counts (terms under 3 characters by instr(), a scan)."
        " Build peak = resident memory of the building process (PostgreSQL's own not included)."
    )


def run_worker(stage: list[str]) -> None:
    name, *arguments = stage
    if name.startswith("fts"):
        if name == "fts-build":
            return stage_fts_build(*arguments)
        return stage_fts_query(arguments[0], int(arguments[1]))
    import django

    django.setup()
    stages = {
        "corpus": lambda: stage_corpus(arguments[0], int(arguments[1]), int(arguments[2])),
        "texts": lambda: stage_texts(arguments[0]),
        "replicate": lambda: stage_replicate(int(arguments[0])),
        "ours-build": lambda: stage_ours_build(arguments[0]),
        "ours-query": lambda: stage_ours_query(int(arguments[0])),
        "ours-size": lambda: stage_ours_size(*arguments),
        "drafts": lambda: print(json.dumps(drafts(int(arguments[0])))),
        "publish": lambda: stage_publish(arguments[0]),
        "publish-verify": lambda: stage_publish_verify(arguments[0]),
        "publish-restore": lambda: stage_publish_restore(*arguments),
        "plain-build": stage_plain_build,
        "plain-query": lambda: stage_plain_query(int(arguments[0])),
    }
    if name not in stages:
        raise SystemExit(f"unknown stage {name}")
    return stages[name]()


if __name__ == "__main__":
    main()
