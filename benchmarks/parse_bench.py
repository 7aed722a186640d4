"""Parser throughput on the corpus, and the time to import generated documents.

Run from the repository root: ``python benchmarks/parse_bench.py [--seconds 2] [--import-docs 1000]``.
The import part runs once on a fresh SQLite file and once on a fresh PostgreSQL database
(``--postgres postgres://postgres@127.0.0.1:5432/``, the server's URL without a database; the
script creates and drops ``bench_import``). Not a test.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DOCS = REPOSITORY_ROOT / ".." / "shared" / "corpus" / "docs"
sys.path.insert(0, str(REPOSITORY_ROOT))

from minutes.parsing import parse, render  # noqa: E402 - needs the path set above


def measure(function, argument, seconds: float) -> tuple[int, float]:
    """Call ``function(argument)`` repeatedly for about ``seconds``; (calls, elapsed)."""
    calls = 0
    start = time.perf_counter()
    elapsed = 0.0
    while elapsed < seconds:
        for _ in range(20):
            function(argument)
        calls += 20
        elapsed = time.perf_counter() - start
    return calls, elapsed


def generated_texts(count: int) -> list[str]:
    """``count`` distinct documents: the seed text under other 文号, sessions and dates."""
    seed = (CORPUS_DOCS / "suzhou-2021-15.txt").read_text(encoding="utf-8")
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
    """Print one line per corpus document and one for render + parse of the largest."""
    arguments = argparse.ArgumentParser(description=__doc__)
    arguments.add_argument("--seconds", type=float, default=2.0, help="time spent per document")
    arguments.add_argument("--import-docs", type=int, default=1000, help="0 to skip the import")
    arguments.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/")
    arguments.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    options = arguments.parse_args()
    if options.worker:
        import_worker(options.worker)
        return
    documents = sorted(CORPUS_DOCS.glob("*.txt"))
    print(f"{'document':<30} {'chars':>7} {'docs/s':>9} {'chars/s':>12}")
    total_calls = total_chars = 0
    total_time = 0.0
    for path in documents:
        text = path.read_text(encoding="utf-8")
        calls, elapsed = measure(parse, text, options.seconds)
        total_calls += calls
        total_chars += calls * len(text)
        total_time += elapsed
        print(
            f"{path.stem:<30} {len(text):>7} {calls / elapsed:>9.0f} "
            f"{calls * len(text) / elapsed:>12,.0f}"
        )
    print(
        f"{'all (mixed)':<30} {'':>7} {total_calls / total_time:>9.0f} "
        f"{total_chars / total_time:>12,.0f}"
    )
    largest = max(documents, key=lambda path: path.stat().st_size)
    parsed = parse(largest.read_text(encoding="utf-8"))
    calls, elapsed = measure(render, parsed, options.seconds / 2)
    print(f"render({largest.stem}): {calls / elapsed:,.0f} docs/s")
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
