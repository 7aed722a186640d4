"""Search at archive scale: index build, size, memory and query latency against two baselines.

Run from the repository root::

    python benchmarks/search_bench.py [--docs 10000] [--skip-plain] [--queries-repeat 10]
                                      [--data-dir DIR] [--database-url URL]

It builds a corpus of ``--docs`` documents (~4,000 characters each) by recombining the
paragraphs of the real minutes in ../shared/corpus (fixed seed; each document has its own
文号, date, session and attendees; about 10% stay drafts), imports it into an SQLite file (or
``--database-url``), then measures, each engine in its own process:

(a) ours: ``rebuild_index`` (both indexes), then the whole search page through Django's test
    ``Client`` (``GET /search/?q=…``);
(b) the plain recipe of Chinese haystack tutorials: haystack's stock ``WhooshEngine`` with
    ``jieba.analyse.ChineseAnalyzer``, haystack's ``update_index``, then per query
    ``SearchQuerySet().auto_query(q)`` (``filter(content=AutoQuery(q))``, so quotes mean a
    phrase) + count + first page + highlight + the page's objects (``--skip-plain``: it takes
    ~7 minutes at 10,000 documents);
(c) SQLite FTS5 with the trigram tokenizer, the lower bound. Trigram MATCH needs terms of at
    least three characters; shorter terms (产业, 税) use ``instr()``, a scan.

``--data-dir`` keeps the database, texts and indexes, and reuses a corpus already built there.
Not a test.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DOCS = REPOSITORY_ROOT / ".." / "shared" / "corpus" / "docs"
sys.path.insert(0, str(REPOSITORY_ROOT))

SEED = 20211
TARGET_CHARACTERS = 4000
PHRASE = "住房公积金"
# (label, q, other parameters of the search form)
QUERIES = [
    ("one word", "公积金", {}),
    ("two words", "人工智能 产业", {}),
    ("quoted phrase", f'"{PHRASE}"', {}),
    ("person", "李亚平", {}),
    ("one character", "税", {}),
    (
        "facet + dates",
        "公积金",
        {"kind": "executive", "date_from": "2010-01-01", "date_to": "2015-12-31"},
    ),
]
ISSUERS = ["苏州市人民政府", "永康市人民政府", "攀枝花市东区人民政府", "贵州省人民政府"]
KINDS = ["常务会议纪要", "常务会议纪要", "专题会议纪要", "市长办公会议纪要"]
CHAIRS = ["李亚平", "周乃翔", "吴庆文", "毛志强", "王翔", "吴晓东"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红海波宁"


# --- The corpus -------------------------------------------------------------------------


def corpus_pools():
    """Paragraphs, item titles, decision organisations and names of the real documents."""
    from minutes.parsing import parse

    paragraphs, titles, organizations, names = [], [], set(), set()
    for path in sorted(CORPUS_DOCS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        paragraphs += [line.strip() for line in text.splitlines() if len(line.strip()) >= 12]
        parsed = parse(text)
        titles += [item.title for item in parsed.items]
        for item in parsed.items:
            for decision in item.decisions:
                organizations.update(decision.organizations)
        for attendee in (*(parsed.attendees or ()), *(parsed.observers or ())):
            if attendee.name:
                names.add(attendee.name)
    return paragraphs, titles, sorted(organizations), sorted(names)


def generated(count: int):
    """``count`` ParsedMinutes, deterministic; (parsed, published) pairs."""
    from minutes.parsing.records import AgendaItem, Attendee, Decision
    from tests.factories import parsed_minutes

    paragraphs, titles, organizations, names = corpus_pools()
    rng = random.Random(SEED)
    names += [rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN) for _ in range(400)]
    names = sorted(set(names))
    for number in range(count):
        year = 2005 + number % 20
        date = datetime.date(year, 1 + number % 12, 1 + number % 28)
        chair = CHAIRS[number % len(CHAIRS)]
        items, size = [], 0
        while size < TARGET_CHARACTERS:
            decisions = []
            for position in range(rng.randint(2, 5)):
                text = rng.choice(paragraphs)
                size += len(text)
                decisions.append(
                    Decision(
                        no=position + 1,
                        text=text,
                        organizations=tuple(
                            rng.sample(organizations, k=min(2, len(organizations)))
                        ),
                    )
                )
            title = rng.choice(titles)
            size += len(title)
            items.append(AgendaItem(no=len(items) + 1, title=title, decisions=tuple(decisions)))
        session = number + 1
        yield (
            parsed_minutes(
                issuer=ISSUERS[number % len(ISSUERS)],
                kind=KINDS[number % len(KINDS)],
                year=year,
                seq=number + 1,
                doc_number=f"〔{year}〕{number + 1}号",
                session_no=session,
                session_name=f"市政府第{session}次常务会议",
                meeting_date=date,
                chair=chair,
                opening=f"{date.year}年{date.month}月{date.day}日，{chair}主持召开市政府第"
                f"{session}次常务会议，{rng.choice(paragraphs)}",
                items=tuple(items),
                attendees=tuple(Attendee(name=name) for name in rng.sample(names, k=8)),
                observers=tuple(
                    Attendee(name=name, org=org)
                    for name, org in zip(
                        rng.sample(names, k=4), rng.sample(organizations, k=4), strict=True
                    )
                ),
                compiled_date=date + datetime.timedelta(days=7),
                printed_date=date + datetime.timedelta(days=8),
            ),
            number % 10 != 9,
        )


def stage_corpus(count: int, texts_file: str) -> None:
    """Migrate, import ``count`` documents (search updates off), write the public texts."""
    from django.core.management import call_command
    from django.db.models.signals import post_delete, post_save

    from minutes.importing import import_parsed
    from minutes.models import IndexQueue, Meeting
    from minutes.search import signals
    from minutes.search_indexes import meeting_text, meetings_for

    call_command("migrate", verbosity=0)
    # The index is built afterwards in one go, as after a bulk import.
    for model, receiver in signals.RECEIVERS:
        post_save.disconnect(receiver, sender=model, dispatch_uid=f"search-{model.__name__}-save")
        post_delete.disconnect(
            receiver, sender=model, dispatch_uid=f"search-{model.__name__}-delete"
        )
    started = time.perf_counter()
    for parsed, published in generated(count):
        status = Meeting.Status.PUBLISHED if published else Meeting.Status.DRAFT
        import_parsed(parsed, status=status, disclosure=Meeting.Disclosure.PUBLIC)
    IndexQueue.objects.all().delete()
    imported = time.perf_counter() - started
    with open(texts_file, "w", encoding="utf-8") as out:
        for meeting in meetings_for("public").order_by("pk").iterator(chunk_size=500):
            record = {
                "id": meeting.pk,
                "kind": meeting.kind,
                "date": meeting.meeting_date.isoformat(),
                "text": meeting_text(meeting),
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(json.dumps({"imported": count, "seconds": imported}))


# --- The engines, each measured in its own process --------------------------------------


def timed(function, repeat: int) -> list[float]:
    function()  # warm-up: caches, first searcher, jieba's dictionary
    latencies = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        latencies.append((time.perf_counter() - started) * 1000)
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
            assert response.status_code == 200, response.status_code

        report[label] = {"count": count, "ms": timed(page, repeat)}
    print(json.dumps(report))


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

        report[label] = {"count": search(), "ms": timed(search, repeat)}
    print(json.dumps(report))


def fts_terms(q: str) -> list[str]:
    return [part.strip('"') for part in re.findall(r'"[^"]*"|\S+', q) if part.strip('"')]


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
        terms = fts_terms(q)
        long_terms = [term for term in terms if len(term) >= 3]
        conditions, arguments = [], []
        if long_terms:
            conditions.append("docs MATCH ?")
            arguments.append(" AND ".join(f'"{term}"' for term in long_terms))
        for term in terms:
            if len(term) < 3:  # trigram MATCH cannot, and its LIKE silently finds nothing
                conditions.append("instr(text, ?) > 0")
                arguments.append(term)
        if parameters:
            conditions.append("kind = ? AND date BETWEEN ? AND ?")
            arguments += [parameters["kind"], parameters["date_from"], parameters["date_to"]]
        where = " AND ".join(conditions)
        order = "rank" if long_terms else "date DESC"
        page_sql = (
            "SELECT rowid, snippet(docs, 0, '<mark>', '</mark>', '…', 16) "
            if long_terms
            else "SELECT rowid, substr(text, instr(text, ?) - 16, 40) "
        ) + f"FROM docs WHERE {where} ORDER BY {order} LIMIT 20"
        page_arguments = arguments if long_terms else [terms[0], *arguments]

        def search(where=where, arguments=arguments, page_sql=page_sql, page_args=page_arguments):
            count = connection.execute(f"SELECT count(*) FROM docs WHERE {where}", arguments)
            count = count.fetchone()[0]
            connection.execute(page_sql, page_args).fetchall()
            return count

        report[label] = {"count": search(), "ms": timed(search, repeat)}
    print(json.dumps(report))


# --- The orchestra ---------------------------------------------------------------------


def run_stage(environment, *arguments, module=None) -> tuple[str, float, int]:
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
    if status != 0:
        raise SystemExit(f"stage {arguments or module} failed ({status})")
    return out, elapsed, usage.ru_maxrss


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(report: dict) -> tuple[float, float]:
    every = [ms for entry in report.values() for ms in entry["ms"]]
    return statistics.median(every), percentile(every, 0.95)


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--docs", type=int, default=10000)
    arguments.add_argument("--skip-plain", action="store_true")
    arguments.add_argument("--queries-repeat", type=int, default=10)
    arguments.add_argument("--data-dir", help="keep (and reuse) the corpus and indexes here")
    arguments.add_argument("--database-url", help="default: an SQLite file in the data dir")
    arguments.add_argument("--workers", type=int, default=2, help="rebuild_index --workers")
    arguments.add_argument(
        "--reuse-index", action="store_true", help="with --data-dir: query the index already built"
    )
    arguments.add_argument("--stage", nargs="+", help=argparse.SUPPRESS)
    options = arguments.parse_args()
    if options.stage:
        return run_worker(options.stage)

    data_dir = Path(options.data_dir or tempfile.mkdtemp(prefix="search-bench-")).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    texts = data_dir / "texts.jsonl"
    database_url = options.database_url or f"sqlite:///{data_dir / 'bench.sqlite3'}"
    environment = os.environ | {
        "DATABASE_URL": database_url,
        "MINUTES_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "minutes_site.settings",
        "ALLOWED_HOSTS": "testserver",
        "PYTHONPATH": str(REPOSITORY_ROOT),
        # As in production: DEBUG off (no query log); no TLS here, so no https redirect.
        "DEBUG": "0",
        "SECRET_KEY": "search-benchmark-only",
        "SECURE_SSL_REDIRECT": "0",
    }
    marker = data_dir / f"corpus-{options.docs}.done"
    print(f"data: {data_dir}  database: {database_url}")
    if not marker.exists():
        out, elapsed, _rss = run_stage(environment, "corpus", str(options.docs), str(texts))
        print(f"corpus: {options.docs} documents imported in {elapsed:.0f} s")
        marker.touch()
    public = sum(1 for _ in texts.open(encoding="utf-8"))
    expected_phrase = sum(PHRASE in json.loads(line)["text"] for line in texts.open())
    chars = statistics.mean(len(json.loads(line)["text"]) for line in texts.open())
    print(f"{public} public documents, {chars:.0f} characters on average; ")
    print(f"{PHRASE!r} occurs literally in {expected_phrase} of them")

    rows = {}
    # DEBUG is off, so the pages need their static files' manifest.
    run_stage(environment, module=["manage.py", "collectstatic", "--noinput", "--verbosity=0"])
    indexed = public + options.docs  # public holds the published, internal everything
    if options.reuse_index and (data_dir / "search" / "public").exists():
        rows["ours"] = {
            "build_s": float("nan"),
            "docs_per_s": float("nan"),
            "note": "index of an earlier run reused: build not measured",
            "size": size_of(data_dir / "search"),
            "rss_kb": 0,
        }
    else:
        shutil.rmtree(data_dir / "search", ignore_errors=True)
        _out, elapsed, rss = run_stage(
            environment,
            module=["manage.py", "rebuild_index", "--noinput", f"--workers={options.workers}"],
        )
        rows["ours"] = {
            "build_s": elapsed,
            "docs_per_s": options.docs / elapsed,
            "note": f"both indexes: {indexed} documents, {indexed / elapsed:.0f} index docs/s",
            "size": size_of(data_dir / "search"),
            "rss_kb": rss,
        }
    out, _elapsed, _rss = run_stage(environment, "ours-query", str(options.queries_repeat))
    rows["ours"]["queries"] = json.loads(out)

    if not options.skip_plain:
        plain_dir = data_dir / "plain"
        shutil.rmtree(plain_dir, ignore_errors=True)
        plain_environment = environment | {
            "DJANGO_SETTINGS_MODULE": "benchmarks.plain_recipe_settings",
            "PLAIN_INDEX_DIR": str(plain_dir),
        }
        _out, elapsed, rss = run_stage(plain_environment, "plain-build")
        rows["plain"] = {
            "build_s": elapsed,
            "docs_per_s": public / elapsed,
            "note": f"public only: {public} documents",
            "size": size_of(plain_dir),
            "rss_kb": rss,
        }
        out, _elapsed, _rss = run_stage(
            plain_environment, "plain-query", str(options.queries_repeat)
        )
        rows["plain"]["queries"] = json.loads(out)

    fts = data_dir / "fts5.sqlite3"
    fts.unlink(missing_ok=True)
    _out, elapsed, rss = run_stage(environment, "fts-build", str(texts), str(fts))
    rows["fts5"] = {
        "build_s": elapsed,
        "docs_per_s": public / elapsed,
        "note": f"public only: {public} documents",
        "size": size_of(fts),
        "rss_kb": rss,
    }
    out, _elapsed, _rss = run_stage(environment, "fts-query", str(fts), str(options.queries_repeat))
    rows["fts5"]["queries"] = json.loads(out)
    print_report(rows, expected_phrase)


def print_report(rows: dict, expected_phrase: int) -> None:
    ours_p50, ours_p95 = summary(rows["ours"]["queries"])
    print()
    print(
        f"{'engine':<7} {'build s':>8} {'docs/s':>7} {'size MB':>8} {'peak MB':>8} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p50/ours':>8} {'p95/ours':>8}  note"
    )
    for name, row in rows.items():
        p50, p95 = summary(row["queries"])
        print(
            f"{name:<7} {row['build_s']:>8.1f} {row['docs_per_s']:>7.0f} "
            f"{row['size'] / 1e6:>8.0f} {row['rss_kb'] / 1024:>8.0f} {p50:>7.1f} {p95:>7.1f} "
            f"{p50 / ours_p50:>8.2f} {p95 / ours_p95:>8.2f}  {row['note']}"
        )
    print()
    header = f"{'query':<15}" + "".join(f"{name + ' p50/p95 (hits)':>30}" for name in rows)
    print(header)
    for label, _q, _parameters in QUERIES:
        cells = []
        for row in rows.values():
            entry = row["queries"][label]
            cells.append(
                f"{statistics.median(entry['ms']):.1f}/{percentile(entry['ms'], 0.95):.1f} "
                f"({entry['count']})"
            )
        print(f"{label:<15}" + "".join(f"{cell:>30}" for cell in cells))
    print(f"\nquoted phrase {PHRASE!r}: {expected_phrase} documents hold it literally.")
    print("The search page's count is of documents; FTS5 uses instr() for terms under 3 chars.")


def run_worker(stage: list[str]) -> None:
    name, *arguments = stage
    if name.startswith("fts"):
        if name == "fts-build":
            return stage_fts_build(*arguments)
        return stage_fts_query(arguments[0], int(arguments[1]))
    import django

    django.setup()
    if name == "corpus":
        return stage_corpus(int(arguments[0]), arguments[1])
    if name == "ours-query":
        return stage_ours_query(int(arguments[0]))
    if name == "plain-build":
        return stage_plain_build()
    if name == "plain-query":
        return stage_plain_query(int(arguments[0]))
    raise SystemExit(f"unknown stage {name}")


if __name__ == "__main__":
    main()
