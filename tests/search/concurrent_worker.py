"""One OS process of ``test_concurrent_writers``: saves documents as a web worker would.

Run as ``python -m tests.search.concurrent_worker <command> …`` with ``DATABASE_URL`` and
``MINUTES_DATA_DIR`` naming the test's database and index folder. Its stdout is JSON lines
for the test to read; logging goes to stderr, where the test looks for index failures.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

CHINESE_DIGITS = "零一二三四五六七八九"


def marker(worker: int, number: int) -> str:
    """A word only this document holds: 第三零七号试验田 for worker 3, document 7."""
    digits = "".join(CHINESE_DIGITS[int(d)] for d in f"{worker}{number:02d}")
    return f"第{digits}号试验田"


def say(**message) -> None:
    print(json.dumps(message, ensure_ascii=False), flush=True)


def wait_for(path: Path) -> None:
    """The barrier: every process starts writing once the test creates ``path``."""
    deadline = time.monotonic() + 30
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no barrier file {path}")
        time.sleep(0.002)


def save(worker: int, count: int, barrier: str) -> None:
    """Import ``count`` drafts and publish each, right after the barrier opens."""
    from minutes.models import Meeting
    from tests.factories import make_meeting

    say(ready=worker)
    wait_for(Path(barrier))
    saved = []
    for number in range(count):
        meeting = make_meeting(
            status=Meeting.Status.REVIEW,
            seq=worker * 1000 + number,
            year=2020 + worker,
            opening=f"会议研究{marker(worker, number)}建设事项。",
        )
        meeting.publish()
        saved.append({"id": meeting.pk, "marker": marker(worker, number)})
    say(saved=saved)


def lifecycle(barrier: str) -> None:
    """Publish, withdraw, edit and delete one document, a step each time the test says go.

    Before each step it reports the moment the step began (``time.monotonic`` is one clock
    for every process on the machine), so the test measures from before the commit.
    """
    from minutes.models import Meeting
    from tests.factories import make_meeting

    say(ready="lifecycle")
    wait_for(Path(barrier))
    meeting = make_meeting(status=Meeting.Status.REVIEW, seq=9999, opening="生命周期甲字号原文。")
    steps = {
        "publish": meeting.publish,
        "withdraw": meeting.withdraw,
        "republish": lambda: republish(meeting),
        "edit": lambda: edit(meeting),
        "delete": meeting.delete,
    }
    for name, step in steps.items():
        sys.stdin.readline()  # the test is ready to watch
        say(step=name, started=time.monotonic())
        step()
        say(done=name, finished=time.monotonic())


def republish(meeting) -> None:
    """A withdrawn document goes back through review before it is public again."""
    meeting.submit()
    meeting.publish()


def edit(meeting) -> None:
    meeting.opening = "生命周期乙字号新文。"
    meeting.save()


def state() -> None:
    """What is left in the queue, and whether the indexes match the database."""
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from minutes.models import IndexQueue, Meeting

    queued = IndexQueue.objects.count()
    report = io.StringIO()
    try:
        call_command("check_search_index", stdout=report)
        clean = True
    except CommandError as error:
        report.write(str(error))
        clean = False
    say(
        queued=queued,
        clean=clean,
        report=report.getvalue(),
        published=list(Meeting.objects.published().values_list("pk", flat=True)),
    )


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minutes_site.settings")
    django.setup()
    command, *arguments = sys.argv[1:]
    if command == "save":
        save(int(arguments[0]), int(arguments[1]), arguments[2])
    elif command == "lifecycle":
        lifecycle(arguments[0])
    elif command == "state":
        state()
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main()
