"""The import page at the sizes a clerk has: the time and page size of a 15 MB preview, and the
time of a 1 MB save, through the admin as a browser drives it (Django's test client, DEBUG
off, a fresh SQLite file or the PostgreSQL server given, a fresh search index).

Run from the repository root:

    python benchmarks/import_bench.py [--preview-mb 15] [--save-mb 1] [--runs 3]
                                      [--postgres postgres://postgres@127.0.0.1:5432/]

For comparison in the same run it also prints what the design before the token did with the
same texts: a preview page listing every source line, and a save that posted the whole text
back (URL-encoded) past Django's request limit. Not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--preview-mb", type=float, default=15)
    arguments.add_argument("--save-mb", type=float, default=1)
    arguments.add_argument("--runs", type=int, default=3)
    arguments.add_argument("--postgres", help="server URL without a database; uses bench_import")
    arguments.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    options = arguments.parse_args()
    if options.worker:
        run(options)
        return
    with tempfile.TemporaryDirectory(prefix="import-bench-") as data:
        environment = dict(
            os.environ,
            DEBUG="0",
            SECRET_KEY="import-bench-only",
            ALLOWED_HOSTS="testserver",
            SECURE_SSL_REDIRECT="0",
            MINUTES_DATA_DIR=data,
            DATABASE_URL=f"sqlite:///{data}/bench.sqlite3",
            CACHE_BACKEND="django.core.cache.backends.locmem.LocMemCache",
        )
        databases = [("SQLite", environment)]
        if options.postgres:
            url = options.postgres.rstrip("/") + "/bench_import"
            databases.append(("PostgreSQL", dict(environment, DATABASE_URL=url)))
        for name, env in databases:
            load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
            print(f"== {name} (load average {load} on {os.cpu_count()} cores)")
            if name == "PostgreSQL":
                _recreate_postgres(options.postgres)
            subprocess.run(
                [sys.executable, __file__, "--worker", *sys.argv[1:]], env=env, check=True
            )


def _recreate_postgres(server: str) -> None:
    import psycopg2

    connection = psycopg2.connect(server.rstrip("/") + "/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS bench_import")
        cursor.execute("CREATE DATABASE bench_import")
    connection.close()


def run(options) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minutes_site.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from minutes.models import Meeting
    from minutes.parsing import parse
    from tests.large_minutes import large_minutes

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    user = User.objects.create_superuser("bench", password="bench-only")
    client = Client()
    client.force_login(user)
    url = reverse("admin:minutes_meeting_import")
    mb = 1024 * 1024

    def upload(text: str, name: str):
        started = time.perf_counter()
        response = client.post(
            url, {"file": SimpleUploadedFile(name, text.encode()), "preview": "1"}
        )
        posted = time.perf_counter() - started
        assert response.status_code == 302, response.content[:2000]
        started = time.perf_counter()
        page = client.get(response["Location"])
        shown = time.perf_counter() - started
        assert page.status_code == 200
        return response["Location"], posted, shown, len(page.content)

    # --- The 15 MB preview.
    text = large_minutes(int(options.preview_mb * mb))
    size = len(text.encode())
    print(f"preview of a {size / mb:.1f} MB text ({len(text.splitlines())} lines)")
    started = time.perf_counter()
    parsed = parse(text)
    parse_time = time.perf_counter() - started
    print(
        f"  parsing alone: {parse_time:.2f} s ({len(parsed.items)} items, "
        f"{sum(len(i.decisions) for i in parsed.items)} decisions)"
    )
    timings = [upload(text, f"preview-{n}.txt") for n in range(options.runs)]
    posted = statistics.median(t[1] for t in timings)
    shown = statistics.median(t[2] for t in timings)
    print(
        f"  upload, read and parse, kept under a token (POST): {posted:.2f} s (median of "
        f"{options.runs})"
    )
    print(f"  preview page (GET): {shown:.2f} s, {timings[0][3] / 1024:.0f} KB")
    print(f"  the clerk waits: {posted + shown:.2f} s")
    print(
        f"  before (every source line on the page): {old_page_size(text) / mb:.1f} MB of "
        "source lines alone"
    )

    # --- The 1 MB save.
    text = large_minutes(int(options.save_mb * mb))
    size = len(text.encode())
    saved = parse(text)
    print(
        f"save of a {size / mb:.2f} MB text ({len(saved.items)} items, "
        f"{sum(len(i.decisions) for i in saved.items)} decisions)"
    )
    from minutes.search import indexing

    saves, indexed, bodies, texts = [], [], [], {}
    for n in range(options.runs * 2):
        seq = n + 1
        texts[seq] = text.replace("〔2021〕15号", f"〔2021〕{seq}号")
        location, *_timings = upload(texts[seq], f"save-{seq}.txt")
        data = {"save": "1", "issuer": "", "disclosure": "", "csrfmiddlewaretoken": "x" * 64}
        bodies.append(len(urlencode(data)))
        # Every other save leaves its search entries to the queue, to time them apart.
        deferred = n % 2 == 1
        drain = indexing.drain
        if deferred:
            indexing.drain = lambda: False
        started = time.perf_counter()
        response = client.post(location, data)
        elapsed = time.perf_counter() - started
        indexing.drain = drain
        assert response.status_code == 302, response.content[:3000]
        if deferred:
            started = time.perf_counter()
            indexing.drain()
            indexed.append(time.perf_counter() - started)
        saves.append((deferred, elapsed))
    whole = [(t, t + i) for (d, t), i in zip([x for x in saves if x[0]], indexed, strict=True)]
    with_index = statistics.median(t for d, t in saves if not d)
    print(
        f"  save (POST of the token and choices, {bodies[0]} bytes): "
        f"{with_index:.2f} s with its search entries written in the request "
        f"(median of {options.runs})"
    )
    print(
        f"    of which the rows: {statistics.median(t for t, _total in whole):.2f} s, "
        f"the search entries: {statistics.median(indexed):.2f} s"
    )
    old_body = len(urlencode({"text": text, "save": "1"}))
    print(
        f"  before: the save posted {old_body / mb:.1f} MB back, past "
        f"DATA_UPLOAD_MAX_MEMORY_SIZE ({settings.DATA_UPLOAD_MAX_MEMORY_SIZE / mb:.1f} MB): "
        "answered 400"
    )
    whole_text = all(m.source_text == texts[m.seq] for m in Meeting.objects.all())
    print(
        f"  documents saved: {Meeting.objects.count()}, each with its whole source text: "
        f"{whole_text}"
    )


def old_page_size(text: str) -> int:
    """The bytes the former preview spent on the source: one <li> per line, every line."""
    from django.utils.html import escape

    return sum(
        len(f'<li id="line-{n}" value="{n}">{escape(line)}</li>'.encode())
        for n, line in enumerate(text.splitlines(), start=1)
    )


if __name__ == "__main__":
    main()
