"""Several OS processes saving at the same moment: no update lost, no lock error, 2 s to see.

The writers are real processes (``concurrent_worker``) on the test's database and index
folder, as gunicorn workers would be. On PostgreSQL they use pytest's test database; the
SQLite test database lives in this process's memory, so there they share a migrated file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from minutes import search
from minutes.search.query import PER_PAGE, SearchRequest, parse_query

REPOSITORY_ROOT = Path(settings.BASE_DIR)
PROMISE_SECONDS = 2.0
TROUBLE = ("Traceback", "LockError", "failed", "database is locked")
# Committed for real, so that the other processes see the rows (on PostgreSQL).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shared_environment(tmp_path, search_index):
    """The environment of a process that uses this test's database and index folder."""
    if connection.vendor == "sqlite":
        url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    else:
        database = connection.settings_dict
        credentials = quote(database["USER"] or "")
        if database["PASSWORD"]:
            credentials += ":" + quote(database["PASSWORD"])
        url = (
            f"postgres://{credentials}@{database['HOST'] or 'localhost'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        )
    assert search_index == tmp_path / "search"  # SEARCH_INDEX_DIR under MINUTES_DATA_DIR
    environment = os.environ | {
        "DATABASE_URL": url,
        "MINUTES_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "minutes_site.settings",
        "MINUTES_SEARCH_ENGINE": settings.MINUTES_SEARCH_ENGINE,  # this run's engine
    }
    if connection.vendor == "sqlite":
        run_command(environment, [sys.executable, "manage.py", "migrate", "--verbosity=0"])
    return environment


def run_command(environment, command):
    subprocess.run(command, cwd=REPOSITORY_ROOT, env=environment, check=True, timeout=60)


class Worker:
    """One ``concurrent_worker`` process; its stdout is read line by line as JSON."""

    def __init__(self, environment, *arguments):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.search.concurrent_worker", *arguments],
            cwd=REPOSITORY_ROOT,
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            self.finish()
        return json.loads(line)

    def tell(self) -> None:
        self.process.stdin.write("go\n")
        self.process.stdin.flush()

    def finish(self) -> str:
        """Wait for the end; the rest of stdout; fail on a non-zero exit or an index error."""
        out, errors = self.process.communicate(timeout=60)
        assert self.process.returncode == 0, errors
        assert not [word for word in TROUBLE if word in errors], errors
        return out


def start_together(workers, barrier: Path) -> None:
    """Let every worker finish starting Django, then release them at one moment."""
    for worker in workers:
        assert "ready" in worker.read()
    barrier.touch()


def found(audience: str, text: str) -> set[int]:
    """Documents a search for ``text`` finds for one audience, read in this process."""
    page = search.search(SearchRequest(clauses=parse_query(text), audience=audience))
    assert page.count <= PER_PAGE
    return {hit.meeting_id for hit in page.hits}


def index_state(environment) -> dict:
    worker = Worker(environment, "state")
    return json.loads(worker.finish())


def test_four_processes_saving_at_once_lose_no_update(shared_environment, tmp_path):
    barrier = tmp_path / "go"
    workers = [
        Worker(shared_environment, "save", str(number), "8", str(barrier)) for number in range(1, 5)
    ]
    start_together(workers, barrier)
    saved = [document for worker in workers for document in json.loads(worker.finish())["saved"]]
    assert len(saved) == 32
    state = index_state(shared_environment)
    # Nobody ran process_search_queue: the processes themselves left nothing behind.
    assert state["queued"] == 0
    assert state["clean"], state["report"]
    assert sorted(state["published"]) == sorted(document["id"] for document in saved)
    for document in saved:
        assert found("public", f'"{document["marker"]}"') == {document["id"]}
        assert found("internal", f'"{document["marker"]}"') == {document["id"]}
    assert search.search(SearchRequest(clauses=parse_query("试验田"))).count == 32


def visible_after(started: float, condition) -> float:
    """Seconds from ``started`` until ``condition()`` holds; fails past the promise."""
    while not condition():
        assert time.monotonic() - started < PROMISE_SECONDS, "change not searchable in time"
        time.sleep(0.01)
    return time.monotonic() - started


def test_changes_committed_by_another_process_are_searchable_within_two_seconds(
    shared_environment, tmp_path
):
    barrier = tmp_path / "go"
    lifecycle = Worker(shared_environment, "lifecycle", str(barrier))
    # Two more processes keep saving meanwhile, so the change often waits for their writer.
    busy = [Worker(shared_environment, "save", str(number), "6", str(barrier)) for number in (7, 8)]
    start_together([lifecycle, *busy], barrier)
    old, new = "生命周期甲字号原文", "生命周期乙字号新文"
    expectations = {
        "publish": lambda: len(found("public", old)) == 1,
        "withdraw": lambda: not found("public", old) and len(found("internal", old)) == 1,
        "republish": lambda: len(found("public", old)) == 1,
        "edit": lambda: not found("public", old) and len(found("public", new)) == 1,
        "delete": lambda: not found("public", new) and not found("internal", new),
    }
    delays = {}
    for name, condition in expectations.items():
        lifecycle.tell()
        message = lifecycle.read()
        assert message["step"] == name
        delays[name] = visible_after(message["started"], condition)
        assert lifecycle.read()["done"] == name
    lifecycle.finish()
    saved = [document for worker in busy for document in json.loads(worker.finish())["saved"]]
    assert max(delays.values()) < PROMISE_SECONDS, delays
    assert index_state(shared_environment)["queued"] == 0
    for document in saved:
        assert found("public", f'"{document["marker"]}"') == {document["id"]}
