"""Server time of the main pages with 10,000 documents, in process and under gunicorn + wrk.

    python benchmarks/pages_bench.py            # SQLite file under /tmp/minutes-bench
    python benchmarks/pages_bench.py --database-url postgres://postgres@127.0.0.1:5432/pages_bench

With ``--database-url`` on PostgreSQL the benchmark creates that database (through the server's
``postgres`` database) and drops it at the end; ``--keep`` keeps it, filled, for the next run.

Prints the median and p95 of each page in process (Django's test client, DEBUG off), then
requests per second from `wrk` against gunicorn with concurrent clients, and the error count.
Not part of `make test`.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("BENCH_DATA_DIR", "/tmp/minutes-bench"))
DOCUMENTS = int(os.environ.get("BENCH_DOCUMENTS", "10000"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument(
    "--database-url", help="a PostgreSQL URL; SQLite under the data folder if unset"
)
parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
ARGS = parser.parse_args()
if ARGS.database_url:
    # Settings read DATABASE_URL when Django starts, so it is set before django.setup().
    os.environ["DATABASE_URL"] = ARGS.database_url

os.environ.update(
    DEBUG="0",
    SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
    SECURE_SSL_REDIRECT="0",
    ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
    MINUTES_DATA_DIR=str(DATA),
    DJANGO_SETTINGS_MODULE="minutes_site.settings",
)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from minutes.models import (  # noqa: E402
    AgendaItem,
    Assignment,
    Attendance,
    Decision,
    Distribution,
    Meeting,
    Organization,
)


def fill(count: int) -> None:
    """``count`` published documents of 5 items x 3 points and 20 attendees, by bulk_create."""
    if Meeting.objects.count() >= count:
        return
    issuer = Organization.objects.get_or_create(name="苏州市人民政府")[0]
    bodies = [Organization.objects.get_or_create(name=f"市第{n}局")[0] for n in range(40)]
    for start in range(1, count + 1, 1000):
        numbers = range(start, min(start + 1000, count + 1))
        meetings = Meeting.objects.bulk_create(
            Meeting(
                issuer=issuer,
                kind=Meeting.Kind.EXECUTIVE,
                year=2000 + n % 25,
                seq=n,
                session_no=n,
                meeting_date=f"{2000 + n % 25}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                chair="李亚平",
                opening=f"第{n}次常务会议，研究有关事项。" * 4,
                status=Meeting.Status.PUBLISHED,
                disclosure=Meeting.Disclosure.PUBLIC,
                published_at="2024-01-01T00:00:00Z",
            )
            for n in numbers
        )
        items = AgendaItem.objects.bulk_create(
            AgendaItem(meeting=m, number=i, title=f"审议《第{m.seq}-{i}号办法》")
            for m in meetings
            for i in range(1, 6)
        )
        decisions = Decision.objects.bulk_create(
            Decision(
                agenda_item=item, position=d, number=d, text="原则同意。由市有关部门落实。" * 6
            )
            for item in items
            for d in range(1, 4)
        )
        Assignment.objects.bulk_create(
            Assignment(decision=d, organization=bodies[d.pk % 40], position=1) for d in decisions
        )
        Attendance.objects.bulk_create(
            Attendance(
                meeting=m,
                role=Attendance.Role.OBSERVER,
                position=p,
                person_name=f"人{p}",
                organization=bodies[p],
            )
            for m in meetings
            for p in range(1, 21)
        )
        Distribution.objects.bulk_create(
            Distribution(meeting=m, position=1, recipient="市各有关部门和单位") for m in meetings
        )
        print(f"  {numbers[-1]} documents", flush=True)


def postgres_database(create: bool) -> None:
    """Create (if missing) or drop the benchmark's own PostgreSQL database."""
    import psycopg2
    from psycopg2 import sql

    settings = django.db.connection.settings_dict
    server = psycopg2.connect(
        dbname="postgres",
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
    )
    server.autocommit = True
    name = sql.Identifier(settings["NAME"])
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings["NAME"]])
        exists = cursor.fetchone() is not None
        if create and not exists:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
        elif not create and exists:
            cursor.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(name))
    server.close()


def in_process(paths: dict[str, str | list[str]], rounds: int = 300) -> None:
    """Each page ``rounds`` times after a warm-up; a list of paths is read once each, cold."""
    client = Client()
    print(f"\nIn process, {rounds} requests each (ms)\n{'page':<14}{'median':>8}{'p95':>8}")
    for name, path in paths.items():
        cold = isinstance(path, list)
        for _ in range(0 if cold else 10):
            client.get(path)
        times = []
        for number in range(rounds):
            start = time.perf_counter()
            response = client.get(path[number % len(path)] if cold else path)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        times.sort()
        print(f"{name:<14}{statistics.median(times):>8.2f}{times[int(len(times) * 0.95)]:>8.2f}")


def under_gunicorn(paths: dict[str, str], seconds: int = 10, connections: int = 16) -> None:
    if not shutil.which("wrk"):
        print("\nwrk is missing: apt-get install -y wrk")
        return
    # The settings of `make serve` (WEB_WORKERS and WEB_THREADS override them).
    config = ROOT / "minutes_site" / "gunicorn.conf.py"
    workers = os.environ.get("WEB_WORKERS", "3")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "minutes_site.wsgi:application",
            f"--config={config}",
            f"--bind=127.0.0.1:{PORT}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        time.sleep(3)
        print(
            f"\ngunicorn ({config.name}, {workers} workers), wrk {connections} connections, {seconds} s each"
        )
        print(f"{'page':<10}{'req/s':>10}{'errors':>8}")
        for name, path in paths.items():
            out = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    f"-c{connections}",
                    f"-d{seconds}s",
                    f"http://127.0.0.1:{PORT}{path}",
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
            bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            socket = re.search(r"Socket errors: (.*)", out)
            errors = int(bad[1]) if bad else 0
            print(f"{name:<10}{rate:>10.0f}{errors:>8}" + (f"  {socket[1]}" if socket else ""))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    postgres = django.db.connection.vendor == "postgresql"
    if postgres:
        postgres_database(create=True)
    try:
        run()
    finally:
        if postgres and not ARGS.keep:
            django.db.connections.close_all()
            postgres_database(create=False)


def run() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    # DEBUG off: pages name their static files through the manifest that collectstatic writes.
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"Filling to {DOCUMENTS} documents …", flush=True)
    fill(DOCUMENTS)
    if django.db.connection.vendor == "postgresql":
        # A live database has its statistics (autovacuum); without them the planner guesses
        # thousands of rows per document and picks parallel hash joins for a 15-row prefetch.
        with django.db.connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    middle = Meeting.objects.order_by("pk")[DOCUMENTS // 2]
    paths = {
        "home": "/",
        "browse": "/minutes/?year=2012&page=3",
        "document": middle.get_absolute_url(),
        # 300 documents never read before: the cached body is rendered for each.
        "document-cold": [
            meeting.get_absolute_url()
            for meeting in Meeting.objects.select_related("issuer").order_by("pk")[:300]
        ],
        "api-list": "/api/meetings/?page=7",
        "api-doc": f"/api/meetings/{middle.pk}/",
    }
    print(f"{Meeting.objects.count()} documents; database {django.db.connection.vendor}")
    in_process(paths)
    under_gunicorn({name: path for name, path in paths.items() if isinstance(path, str)})


if __name__ == "__main__":
    main()
