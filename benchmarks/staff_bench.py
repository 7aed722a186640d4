"""The staff's desk at 10,000 documents: the task list and the statistics page, in process.

    python benchmarks/staff_bench.py            # SQLite file under /tmp/minutes-staff-bench
    python benchmarks/staff_bench.py --database-url postgres://postgres@127.0.0.1:5432/staff_bench

Builds 10,000 documents (3 items x 2 decision points each: 60,000 decisions, a fifth of them
assigned to two organisations, so about 72,000 tasks), with a reviewed 《…》 title per item and 30
chairs; 95 % published and public, the rest hidden. Times ``create_tasks`` making the tasks of
all of them, then gives the tasks due dates and states. Prints, per page, the median and p95
server time of Django's test client with DEBUG off, and the queries of one request; then
compares the statistics page warm (figures cached) with cold (each request after an archive
change, so figures are computed anew), and streams the CSV of every task (time, peak memory).

With ``--database-url`` on PostgreSQL the benchmark creates that database (through the
server's ``postgres`` database) and drops it at the end; ``--keep`` keeps it, filled.
Not part of `make test`.
"""

import argparse
import datetime
import os
import secrets
import statistics
import sys
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("BENCH_DATA_DIR", "/tmp/minutes-staff-bench"))

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument(
    "--database-url", help="a PostgreSQL URL; SQLite under the data folder if unset"
)
parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
parser.add_argument("--documents", type=int, default=10_000)
parser.add_argument("--rounds", type=int, default=200, help="requests per page")
ARGS = parser.parse_args()
if ARGS.database_url:
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

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from minutes import followup  # noqa: E402
from minutes.models import (  # noqa: E402
    ARCHIVE_VERSION_KEY,
    AgendaItem,
    Assignment,
    Decision,
    Meeting,
    Organization,
    Review,
    ReviewedDocument,
    Task,
)

KINDS = [
    "办法",
    "措施",
    "方案",
    "规划",
    "意见",
    "实施细则",
    "行动计划（2021~2023）",
    "条例",
    "公报",
]
HIDDEN = [
    (Meeting.Status.DRAFT, Meeting.Disclosure.PUBLIC),
    (Meeting.Status.PUBLISHED, Meeting.Disclosure.ON_REQUEST),
    (Meeting.Status.WITHDRAWN, Meeting.Disclosure.PUBLIC),
    (Meeting.Status.REVIEW, Meeting.Disclosure.NOT_PUBLIC),
]


def fill(count: int) -> None:
    """``count`` documents of 3 items x 2 points, by bulk_create (tasks come after)."""
    if Meeting.objects.count() >= count:
        return
    issuer = Organization.objects.get_or_create(name="苏州市人民政府")[0]
    bodies = [Organization.objects.get_or_create(name=f"市第{n}局")[0] for n in range(60)]
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
                chair=f"主持人{n % 30}",
                opening=f"第{n}次常务会议，研究有关事项。",
                **dict(
                    zip(
                        ("status", "disclosure"),
                        HIDDEN[n % 4]
                        if n % 20 == 0
                        else (Meeting.Status.PUBLISHED, Meeting.Disclosure.PUBLIC),
                        strict=True,
                    )
                ),
                published_at="2024-01-01T00:00:00Z",
            )
            for n in numbers
        )
        items = AgendaItem.objects.bulk_create(
            AgendaItem(meeting=m, number=i, title=f"审议第{m.seq}-{i}号文件")
            for m in meetings
            for i in range(1, 4)
        )
        titles = ReviewedDocument.objects.bulk_create(
            ReviewedDocument(
                title=f"苏州市第{item.meeting.seq}-{item.number}号{KINDS[item.pk % 9]}"
            )
            for item in items
        )
        Review.objects.bulk_create(
            Review(agenda_item=item, document=title, position=1)
            for item, title in zip(items, titles, strict=True)
        )
        decisions = Decision.objects.bulk_create(
            Decision(
                agenda_item=item,
                position=d,
                number=d,
                text=f"原则同意。由市第{(item.pk + d) % 60}局根据会议意见修改完善后实施。",
            )
            for item in items
            for d in range(1, 3)
        )
        Assignment.objects.bulk_create(
            [Assignment(decision=d, organization=bodies[d.pk % 60], position=1) for d in decisions]
            + [
                Assignment(decision=d, organization=bodies[(d.pk + 7) % 60], position=2)
                for d in decisions
                if d.pk % 5 == 0
            ]
        )
        print(f"  {numbers[-1]} documents", flush=True)


def make_tasks() -> None:
    if Task.objects.exists():
        return
    start = time.perf_counter()
    documents, result = followup.create_missing_tasks()
    seconds = time.perf_counter() - start
    print(
        f"create_tasks: {result.created} tasks for {documents} published documents in "
        f"{seconds:.1f} s ({documents / seconds:.0f} documents/s)"
    )
    # States as a year of follow-up leaves them: a third with due dates (some past), a fifth
    # completed, some dropped, some reported.
    today = timezone.localdate()
    now = timezone.now()
    pks = list(Task.objects.order_by("pk").values_list("pk", flat=True))

    def update(selected, **fields):
        for chunk in range(0, len(selected), 5000):
            Task.objects.filter(pk__in=selected[chunk : chunk + 5000]).update(**fields)

    update([pk for pk in pks if pk % 3 == 0], due_date=today + datetime.timedelta(days=30))
    update(
        [pk for pk in pks if pk % 3 == 1 and pk % 2], due_date=today - datetime.timedelta(days=9)
    )
    update([pk for pk in pks if pk % 5 == 0], status=Task.Status.DONE, closed_on=today)
    update([pk for pk in pks if pk % 20 == 7], status=Task.Status.DROPPED, closed_on=today)
    update([pk for pk in pks if pk % 10 == 3], status=Task.Status.IN_PROGRESS)
    update(
        [pk for pk in pks if pk % 30 == 13],
        status=Task.Status.IN_PROGRESS,
        completion_reported_at=now,
    )


def measure(client, name: str, path: str, rounds: int, before=None) -> None:
    """Median and p95 of ``rounds`` requests (after a warm-up), and one request's queries."""
    for _ in range(5):
        client.get(path)
    times, cpu = [], []
    for _ in range(rounds):
        if before:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    if before:
        before()
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    times.sort()
    cpu.sort()
    print(
        f"{name:<26}{statistics.median(times):>8.1f}{times[int(len(times) * 0.95)]:>8.1f}"
        f"{statistics.median(cpu):>8.1f}{cpu[int(len(cpu) * 0.95)]:>8.1f}{len(queries):>9}"
    )


def archive_changed() -> None:
    """What any save of a document does to the cached figures (a fresh archive token)."""
    cache.set(ARCHIVE_VERSION_KEY, uuid.uuid4().hex, None)


def stream_csv(client) -> None:
    tracemalloc.start()
    start = time.perf_counter()
    response = client.get("/followup/tasks.csv")
    size = rows = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n")
    seconds = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"\nCSV of every task: {rows - 1} rows, {size / 1e6:.1f} MB in {seconds:.1f} s, "
        f"peak traced memory {peak / 1e6:.1f} MB"
    )


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


def run() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"Filling to {ARGS.documents} documents …", flush=True)
    fill(ARGS.documents)
    make_tasks()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    staff = get_user_model().objects.get_or_create(
        username="bench-staff", defaults={"is_staff": True, "is_superuser": True}
    )[0]
    client = Client()
    client.force_login(staff)
    public = Client()
    body = Organization.objects.get(name="市第17局")
    middle = Meeting.objects.order_by("pk")[ARGS.documents // 2]
    print(
        f"\n{Meeting.objects.count()} documents, {Decision.objects.count()} decisions, "
        f"{Task.objects.count()} tasks; database {connection.vendor}"
    )
    # Wall time is what a user waits for; the CPU time of this process (which includes SQLite's
    # work, not PostgreSQL's) is what the page costs when other programs share the machine.
    print(f"\nLoad average before: {os.getloadavg()[0]:.1f} (on {os.cpu_count()} cores)")
    print(f"\n{'page (ms)':<26}{'median':>8}{'p95':>8}{'cpu med':>8}{'cpu p95':>8}{'queries':>9}")
    rounds = ARGS.rounds
    measure(client, "tasks", "/followup/", rounds)
    measure(client, "tasks open+overdue", "/followup/?status=open&overdue=on", rounds)
    measure(client, "tasks of a body", f"/followup/?organization={body.pk}", rounds)
    measure(client, "tasks of a year, done", "/followup/?year=2015&status=done", rounds)
    measure(client, "tasks of a document", f"/followup/?meeting={middle.pk}", rounds)
    measure(client, "tasks page 500", "/followup/?page=500", rounds)
    measure(client, "organisation's tasks", f"/followup/organizations/{body.pk}/", rounds)
    some_task = Task.objects.order_by("pk")[Task.objects.count() // 2]
    measure(client, "task", some_task.get_absolute_url(), rounds)
    measure(client, "document + task panel", middle.get_absolute_url(), rounds)
    measure(public, "statistics public, warm", "/statistics/", rounds)
    measure(client, "statistics staff, warm", "/statistics/", rounds)
    cold_rounds = max(10, rounds // 10)
    measure(public, "statistics public, cold", "/statistics/", cold_rounds, before=archive_changed)
    measure(client, "statistics staff, cold", "/statistics/", cold_rounds, before=archive_changed)
    stream_csv(client)
    print(f"Load average after: {os.getloadavg()[0]:.1f}")


def main() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    postgres = connection.vendor == "postgresql"
    if postgres:
        postgres_database(create=True)
    try:
        run()
    finally:
        if postgres and not ARGS.keep:
            django.db.connections.close_all()
            postgres_database(create=False)


if __name__ == "__main__":
    main()
