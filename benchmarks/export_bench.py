"""Exports: one document as PDF and .docx, the catalogue of 10,000 documents as CSV and .xlsx.

    python benchmarks/export_bench.py            # SQLite file under /tmp/minutes-export-bench
    python benchmarks/export_bench.py --database-url postgres://postgres@127.0.0.1:5432/export_bench

With ``--database-url`` on PostgreSQL the benchmark creates that database (through the server's
``postgres`` database) and drops it at the end; ``--keep`` keeps it, filled, for the next run.

Prints, each against its alternative in the same run:
- the seed's PDF: WeasyPrint in process (what the site uses) against Chromium's print through
  Playwright (a browser kept running, and the launch it needs first), and a cached PDF;
- the seed's .docx (python-docx);
- the catalogue of 10,000 documents through the site's view (streamed): time to the last byte and
  the peak of Python memory (tracemalloc) while it is read, against building the same file in
  memory first; .xlsx with xlsxwriter's constant_memory mode against its default mode and
  openpyxl's write-only mode.
Not part of `make test`.
"""

import argparse
import csv
import io
import os
import secrets
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("BENCH_DATA_DIR", "/tmp/minutes-export-bench"))
DOCUMENTS = int(os.environ.get("BENCH_DOCUMENTS", "10000"))

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument(
    "--database-url", help="a PostgreSQL URL; SQLite under the data folder if unset"
)
parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
parser.add_argument("--rounds", type=int, default=10, help="renderings of each document format")
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
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import translation  # noqa: E402

from minutes import exports  # noqa: E402
from minutes.models import (  # noqa: E402
    AgendaItem,
    Decision,
    Meeting,
    Organization,
)
from minutes.views import document_html  # noqa: E402


def fill(count: int) -> None:
    """``count`` documents of 5 items x 3 points beside the seed, by bulk_create."""
    if Meeting.objects.count() >= count:
        return
    issuer = Organization.objects.get_or_create(name="苏州市人民政府")[0]
    for start in range(1, count + 1, 1000):
        numbers = range(start, min(start + 1000, count + 1))
        meetings = Meeting.objects.bulk_create(
            Meeting(
                issuer=issuer,
                kind=Meeting.Kind.SPECIAL,
                year=2000 + n % 25,
                seq=n,
                session_no=n,
                meeting_date=f"{2000 + n % 25}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                chair="李亚平",
                opening=f"第{n}次专题会议，研究有关事项。" * 4,
                # One in ten is not public: the public catalogue skips them.
                status=Meeting.Status.PUBLISHED if n % 10 else Meeting.Status.DRAFT,
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
        Decision.objects.bulk_create(
            Decision(agenda_item=item, position=d, number=d, text="原则同意。由市有关部门落实。")
            for item in items
            for d in range(1, 4)
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


def timed(function, rounds: int) -> list[tuple[float, float]]:
    """(wall, CPU) milliseconds of each call: on a machine shared with other work the CPU time
    is what the rendering itself costs."""
    times = []
    for _ in range(rounds):
        start, cpu = time.perf_counter(), time.process_time()
        function()
        times.append(((time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000))
    return times


def report(name: str, times: list[tuple[float, float]], note: str = "") -> None:
    wall = sorted(t[0] for t in times)
    cpu = sorted(t[1] for t in times)
    p95 = wall[min(len(wall) - 1, int(len(wall) * 0.95))]
    print(
        f"{name:<44}{statistics.median(wall):>9.0f}{p95:>9.0f}{statistics.median(cpu):>9.0f}  {note}"
    )


def with_peak_memory(function):
    """(result, seconds, peak MiB of Python allocations) of one call."""
    tracemalloc.start()
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, peak / 2**20


def documents(seed: Meeting) -> None:
    rounds = ARGS.rounds
    print(f"\nOne document, the seed ({len(seed.as_text())} characters), {rounds} rounds (ms)")
    print(f"{'':<44}{'median':>9}{'p95':>9}{'CPU':>9}")
    first = timed(lambda: exports.render_pdf(seed), 1)
    report("PDF, WeasyPrint, first in the process", first, "(imports, fonts loaded)")
    pdf = exports.render_pdf(seed)
    report("PDF, WeasyPrint (the site's)", timed(lambda: exports.render_pdf(seed), rounds))
    cache.clear()
    exports.document_pdf(seed)
    report(
        "PDF, WeasyPrint, cached per archive state",
        timed(lambda: exports.document_pdf(seed), rounds),
    )
    chromium(seed, rounds)
    report(".docx, python-docx", timed(lambda: exports.document_docx(seed), rounds))
    print(
        f"sizes: PDF {len(pdf) / 1024:.0f} KiB, .docx {len(exports.document_docx(seed)) / 1024:.0f} KiB"
    )


def chromium(seed: Meeting, rounds: int) -> None:
    """The same page and style sheets printed by Chromium (Playwright, Debian's chromium)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("Chromium: playwright is not installed (requirements-test.txt)")
        return
    with translation.override(exports.OFFICIAL_LANGUAGE):
        page_html = render_to_string(
            "minutes/export_document.html", {"meeting": seed, "document": document_html(seed)}
        )
    sheets = "".join(Path(finders.find(name)).read_text() for name in exports.STYLE_SHEETS)
    html = page_html.replace("</head>", f"<style>{sheets}{exports.fonts_css()}</style></head>")
    start, cpu = time.perf_counter(), time.process_time()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        launch = [((time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000)]

        def one():
            page = browser.new_page()
            page.set_content(html)
            page.pdf(prefer_css_page_size=True, print_background=True)
            page.close()

        one()
        # The CPU column counts this process only: Chromium works in its own processes.
        report("PDF, Chromium print, browser running", timed(one, rounds), "(CPU: not counted)")
        report("PDF, Chromium, launching the browser", launch, "(per process, once)")
        browser.close()


def catalogue(client: Client, staff: Client) -> None:
    count = Meeting.objects.count()
    print(f"\nThe catalogue of all {count} documents (staff: every row), one request each")
    print(f"{'':<44}{'seconds':>9}{'peak MiB':>9}  rows")

    def through_view(browser, file_format):
        response = browser.get(f"/minutes/export.{file_format}")
        assert response.streaming
        size = 0
        for chunk in response.streaming_content:
            size += len(chunk)
        return size

    for name, browser in (("staff", staff), ("public", client)):
        through_view(browser, "csv")  # warm
        start = time.perf_counter()
        through_view(browser, "csv")
        seconds = time.perf_counter() - start
        _size, _traced, peak = with_peak_memory(lambda b=browser: through_view(b, "csv"))
        rows = count if name == "staff" else Meeting.objects.published().count()
        print(f"{f'CSV, streamed ({name})':<44}{seconds:>9.2f}{peak:>9.1f}  {rows}")
    start = time.perf_counter()
    through_view(staff, "xlsx")
    seconds = time.perf_counter() - start
    _size, _traced, peak = with_peak_memory(lambda: through_view(staff, "xlsx"))
    print(
        f"{'xlsx, xlsxwriter constant_memory (the site)':<44}{seconds:>9.2f}{peak:>9.1f}  {count}"
    )

    # The alternatives, from the same rows held in a list (the rows themselves are in memory
    # here for every alternative alike, so the peaks compare the writers).
    columns = exports.catalogue_columns(staff=True)
    rows = list(
        exports.catalogue_rows(
            exports.browse_catalogue(Meeting.objects.all()), staff=True, base_url="http://x"
        )
    )

    def csv_in_memory():
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([label for _key, label in columns])
        for row in rows:
            writer.writerow([exports._csv_cell(row.get(key)) for key, _label in columns])
        return out.getvalue().encode()

    def csv_streamed():
        return sum(len(chunk) for chunk in exports.csv_chunks(iter(rows), columns))

    def xlsx_streamed():
        return sum(len(chunk) for chunk in exports.xlsx_chunks(iter(rows), columns, sheet_name="x"))

    def xlsx_default():
        import xlsxwriter

        out = io.BytesIO()
        workbook = xlsxwriter.Workbook(out, {"in_memory": True})
        sheet = workbook.add_worksheet()
        for r, row in enumerate(rows, start=1):
            for c, (key, _label) in enumerate(columns):
                value = row.get(key)
                if value is not None:
                    sheet.write(r, c, value if not hasattr(value, "isoformat") else str(value))
        workbook.close()
        return len(out.getvalue())

    def xlsx_openpyxl():
        """The same sheet as the site's (bold header, widths, frozen row, dates, links)."""
        try:
            import openpyxl
            from openpyxl.cell import WriteOnlyCell
            from openpyxl.styles import Font, PatternFill
            from openpyxl.utils import get_column_letter
        except ImportError:
            return None
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("x")
        for index, (key, _label) in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = exports.XLSX_WIDTHS[key]
        sheet.freeze_panes = "A2"
        header = []
        for _key, label in columns:
            cell = WriteOnlyCell(sheet, value=label)
            cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="F2F2F2")
            header.append(cell)
        sheet.append(header)
        for row in rows:
            cells = []
            for key, _label in columns:
                cell = WriteOnlyCell(sheet, value=row.get(key))
                if key == "meeting_date":
                    cell.number_format = "yyyy-mm-dd"
                elif key == "url":
                    cell.hyperlink = row[key]
                    cell.font = Font(color="0645AD", underline="single")
                cells.append(cell)
            sheet.append(cells)
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
        with tempfile.TemporaryFile() as out:
            workbook.save(out)
            return out.tell()

    print(f"\nThe same {len(rows)} rows already in a list, writers alone")
    print(f"{'':<44}{'seconds':>9}{'peak MiB':>9}  size KiB")
    for name, function in (
        ("CSV, in memory then sent", csv_in_memory),
        ("CSV, streamed chunks (the site)", csv_streamed),
        ("xlsx, xlsxwriter constant_memory (the site)", xlsx_streamed),
        ("xlsx, xlsxwriter default (whole sheet)", xlsx_default),
        ("xlsx, openpyxl write_only (same sheet)", xlsx_openpyxl),
    ):
        start = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - start
        if result is None:
            print(f"{name:<44}  openpyxl is not installed (requirements-test.txt)")
            continue
        result, _traced, peak = with_peak_memory(function)
        size = result if isinstance(result, int) else len(result)
        print(f"{name:<44}{seconds:>9.2f}{peak:>9.1f}  {size / 1024:>8.0f}")


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
    call_command("collectstatic", interactive=False, verbosity=0)
    if not Meeting.objects.filter(year=2021, seq=15, kind=Meeting.Kind.EXECUTIVE).exists():
        call_command("load_seed", verbosity=0)
    print(f"Filling to {DOCUMENTS} documents …", flush=True)
    fill(DOCUMENTS)
    if django.db.connection.vendor == "postgresql":
        with django.db.connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    seed = Meeting.objects.select_related("issuer", "compiled_office", "printed_office").get(
        year=2021, seq=15, kind=Meeting.Kind.EXECUTIVE
    )
    print(f"{Meeting.objects.count()} documents; database {django.db.connection.vendor}")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"load average {load} on {os.cpu_count()} cores (wall times stretch with it)")
    documents(seed)
    user = get_user_model().objects.filter(username="bench-staff").first()
    if user is None:
        user = get_user_model().objects.create_user("bench-staff", is_staff=True)
    staff = Client()
    staff.force_login(user)
    catalogue(Client(), staff)


if __name__ == "__main__":
    main()
