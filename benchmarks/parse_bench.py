"""Parser throughput on the corpus, large uploads, and the time to import generated documents.

Run from the repository root::

    python benchmarks/parse_bench.py [--seconds 2] [--baseline main] [--large-mb 15]
                                     [--import-docs 1000] [--postgres URL]

- One line per corpus document (``docs/`` and ``more/docs/``): documents per second by the wall
  clock, and milliseconds of CPU per document (the machine is shared: CPU time is the steadier
  figure). ``--baseline REV`` also runs the parser of a git revision on the same documents, in
  the same process and interleaved, so that both columns see the same load.
- ``--large-mb N``: the time to parse (or refuse) an N MB upload of three kinds: one long
  document, a file of many documents, and a text that is not minutes.
- The import part runs once on a fresh SQLite file and once on a fresh PostgreSQL database
  (``--postgres postgres://postgres@127.0.0.1:5432/``, the server's URL without a database; the
  script creates and drops ``bench_import``); ``--import-docs 0`` skips it.

Not a test.
"""

from __future__ import annotations

import argparse
import atexit
import importlib
import os
import random
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
CORPUS = REPOSITORY_ROOT / ".." / "shared" / "corpus"
CORPUS_DOCS = CORPUS / "docs"
SEED = CORPUS_DOCS / "suzhou-2021-15.txt"
sys.path.insert(0, str(REPOSITORY_ROOT))

from minutes.parsing import ParseError, parse, render  # noqa: E402 - needs the path set above


def measure(function, argument, seconds: float) -> tuple[int, float, float]:
    """Call ``function(argument)`` repeatedly for about ``seconds``: (calls, wall, cpu)."""
    calls = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    elapsed = 0.0
    while elapsed < seconds:
        for _ in range(20):
            function(argument)
        calls += 20
        elapsed = time.perf_counter() - start
    return calls, elapsed, time.process_time() - cpu_start


def baseline_parser(revision: str):
    """The ``parse`` of ``minutes/parsing`` at a git revision, imported as its own package."""
    archive = subprocess.run(
        ["git", "archive", revision, "minutes/parsing"],
        cwd=REPOSITORY_ROOT,
        capture_output=True,
        check=True,
    ).stdout
    folder = Path(tempfile.mkdtemp(prefix="parse_bench_"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    (folder / "minutes" / "parsing").rename(folder / "baseline_parsing")
    sys.path.insert(0, str(folder))
    return importlib.import_module("baseline_parsing").parse


def corpus_table(seconds: float, baseline) -> None:
    documents = sorted(CORPUS_DOCS.glob("*.txt")) + sorted((CORPUS / "more" / "docs").glob("*.txt"))
    parsers = [("now", parse)] + ([("baseline", baseline)] if baseline else [])
    header = f"{'document':<30} {'chars':>6}"
    for label, _ in parsers:
        header += f" {label + ' docs/s':>16} {'ms CPU':>7}"
    print(header)
    totals = {label: [0, 0.0, 0.0] for label, _ in parsers}
    for path in documents:
        text = path.read_text(encoding="utf-8")
        row = f"{path.stem:<30} {len(text):>6}"
        # Interleaved in halves, so that both parsers see the same moments of a shared machine.
        results = {label: [0, 0.0, 0.0] for label, _ in parsers}
        for _ in range(2):
            for label, function in parsers:
                calls, wall, cpu = measure(function, text, seconds / 2)
                for index, value in enumerate((calls, wall, cpu)):
                    results[label][index] += value
                    totals[label][index] += value
        for label, _ in parsers:
            calls, wall, cpu = results[label]
            row += f" {calls / wall:>16.0f} {cpu / calls * 1000:>7.2f}"
        print(row)
    row = f"{'all (mixed)':<30} {'':>6}"
    for label, _ in parsers:
        calls, wall, cpu = totals[label]
        row += f" {calls / wall:>16.0f} {cpu / calls * 1000:>7.2f}"
    print(row)
    parsed = parse(SEED.read_text(encoding="utf-8"))
    calls, wall, cpu = measure(render, parsed, seconds / 2)
    print(f"render({SEED.stem}): {calls / wall:,.0f} docs/s, {cpu / calls * 1000:.2f} ms CPU")


def large_uploads(megabytes: int) -> None:
    """Parse time of uploads of ``megabytes`` MB: a long document, many documents, no minutes."""
    size = megabytes * 1024 * 1024
    seed = SEED.read_text(encoding="utf-8")
    head, rest = seed.split("会议议定以下意见：", 1)
    body, footer = rest.split("出席：", 1)
    long_document = head + "会议议定以下意见：" + body * (size // len(body.encode()) + 1)
    long_document += "出席：" + footer
    generator = random.Random(8)
    line = "".join(chr(generator.randint(0x4E00, 0x9FFF)) for _ in range(4000))
    cases = [
        ("one document, items repeated", long_document),
        ("the seed document repeated", seed * (size // len(seed.encode()) + 1)),
        ("random Chinese text", "\n".join([line] * (size // len(line.encode()) + 1))),
    ]
    for label, text in cases:
        start, cpu_start = time.perf_counter(), time.process_time()
        try:
            parsed = parse(text)
            outcome = f"{len(parsed.items)} items, {len(parsed.warnings)} warnings"
        except ParseError as error:
            outcome = f"refused at line {error.line}"
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        size_mb = len(text.encode()) / 1e6
        print(f"{label:<30} {size_mb:5.1f} MB  {wall:5.2f} s ({cpu:5.2f} s CPU)  {outcome}")


def generated_texts(count: int) -> list[str]:
    """``count`` distinct documents: the seed text under other 文号, sessions and dates."""
    seed = SEED.read_text(encoding="utf-8")
    texts = []
    for number in range(count):
        year = 2000 + number % 25
        texts.append(
            seed.replace("〔2021〕15号", f"〔{year}〕{number + 1}号")
            .replace("第133次", f"第{number + 1}次")
            .replace("2021年4月12日", f"{year}年4月12日")
        )
    return texts


def import_worker(count: int) -> None:
    """In a process whose environment names the database: migrate, then import ``count`` docs."""
    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minutes_site.settings")
    django.setup()
    from minutes.importing import import_parsed

    call_command("migrate", verbosity=0)
    texts = generated_texts(count)
    start = time.perf_counter()
    parsed = [parse(text) for text in texts]
    parsed_at = time.perf_counter()
    for document, text in zip(parsed, texts, strict=True):
        import_parsed(document, source_text=text)
    done = time.perf_counter()
    print(
        f"{count} documents: parse {parsed_at - start:.1f} s, import {done - parsed_at:.1f} s "
        f"({count / (done - parsed_at):.0f} docs/s), total {done - start:.1f} s"
    )


def run_import(label: str, database_url: str, count: int) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        environment = os.environ | {"DATABASE_URL": database_url, "MINUTES_DATA_DIR": data_dir}
        result = subprocess.run(
            [sys.executable, __file__, "--worker", str(count)],
            cwd=REPOSITORY_ROOT,
            env=environment,
            capture_output=True,
            text=True,
        )
        print(f"import on {label}: {result.stdout.strip() or result.stderr.strip()[-500:]}")


def postgres_database(server_url: str, name: str, create: bool) -> str:
    import psycopg2

    connection = psycopg2.connect(server_url.rstrip("/") + "/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        if create:
            cursor.execute(f"CREATE DATABASE {name}")
    connection.close()
    return server_url.rstrip("/") + "/" + name


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__)
    arguments.add_argument("--seconds", type=float, default=2.0, help="time spent per document")
    arguments.add_argument("--baseline", help="a git revision whose parser runs alongside")
    arguments.add_argument("--large-mb", type=int, default=15, help="0 to skip large uploads")
    arguments.add_argument("--import-docs", type=int, default=1000, help="0 to skip the import")
    arguments.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/")
    arguments.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    options = arguments.parse_args()
    if options.worker:
        import_worker(options.worker)
        return
    baseline = baseline_parser(options.baseline) if options.baseline else None
    corpus_table(options.seconds, baseline)
    if options.large_mb:
        large_uploads(options.large_mb)
    if options.import_docs:
        with tempfile.TemporaryDirectory() as folder:
            run_import("SQLite", f"sqlite:///{folder}/bench.sqlite3", options.import_docs)
        url = postgres_database(options.postgres, "bench_import", create=True)
        try:
            run_import("PostgreSQL", url, options.import_docs)
        finally:
            postgres_database(options.postgres, "bench_import", create=False)


if __name__ == "__main__":
    main()
