"""Keeping the indexes equal to the database: a queue table and one writer at a time.

Several web workers and commands save documents at once, while Whoosh allows one writer per
index and its lock makes the others fail or wait (SEARCH-NOTES: a saver waited 9.5 s, 40 of
40 deletes were lost to ``LockError``). So a change only adds an ``IndexQueue`` row inside
its own transaction; after the commit, the saving process tries to become the writer without
waiting (an exclusive ``flock`` on ``writer.lock``). The writer applies every queued row to
both connections and deletes the rows it applied. A process that finds the lock taken leaves
its row to the writer, which looks at the queue again after releasing the lock, so no row is
stranded; ``process_search_queue`` drains whatever a crashed process left.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from haystack import connections

from minutes.models import IndexQueue, Meeting
from minutes.search.analysis import add_words
from minutes.search.backend import to_whoosh_document, updated_stamp
from minutes.search_indexes import MeetingIndex, meetings_for, organizations_of, people_of

ALIASES = ("public", "internal")
BATCH = 200
log = logging.getLogger(__name__)


def backend(alias: str):
    """The backend of one haystack connection."""
    return connections[alias].get_backend()


def lock_path() -> Path:
    path = Path(settings.HAYSTACK_CONNECTIONS["internal"]["PATH"]).parent / "writer.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def writer_lock(wait: bool = False):
    """Yield True if this process is now the one index writer (False if another is)."""
    with open(lock_path(), "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def enqueue(meeting_ids) -> None:
    """Queue documents for re-indexing; the queue is drained once the transaction commits."""
    rows = [IndexQueue(meeting_id=pk) for pk in dict.fromkeys(meeting_ids) if pk is not None]
    if rows:
        IndexQueue.objects.bulk_create(rows)
        # A transaction saving many parts registers many drains; all but the first find the
        # queue empty and stop at one EXISTS query.
        transaction.on_commit(drain)


def drain() -> bool:
    """Apply every queued change, if no other process is writing. True when the queue is empty.

    Never raises into a request: an index failure is logged and the rows stay queued for the
    next writer or ``process_search_queue``.
    """
    try:
        while IndexQueue.objects.exists():
            with writer_lock() as acquired:
                if not acquired:
                    return False
                while apply_batch():
                    pass
            # A row queued while we held the lock was left to us: the loop looks again.
        return True
    except Exception:
        log.exception("Search index update failed; the changes stay queued.")
        return False


def apply_batch() -> int:
    """Apply the oldest queued rows to both indexes (caller holds the writer lock)."""
    rows = list(IndexQueue.objects.order_by("pk").values_list("pk", "meeting_id")[:BATCH])
    if not rows:
        return 0
    meeting_ids = list(dict.fromkeys(meeting_id for _pk, meeting_id in rows))
    for alias in ALIASES:
        meetings = list(meetings_for(alias).filter(pk__in=meeting_ids))
        write_meetings(alias, meetings, replace_ids=meeting_ids)
    IndexQueue.objects.filter(pk__in=[pk for pk, _meeting_id in rows]).delete()
    return len(rows)


def document_for(meeting: Meeting) -> dict:
    """The index document of one meeting (its agenda items are matched at display time)."""
    return to_whoosh_document(MeetingIndex().full_prepare(meeting))


def write_meetings(alias, meetings, replace_ids=(), writer=None) -> None:
    """Write ``meetings`` into one connection's index.

    Everything indexed under ``replace_ids`` and the meetings themselves is removed first, so
    a document that left this connection's queryset leaves its index.
    """
    # Names join the segmenter's dictionary before their text is cut (DESIGN §4).
    add_words(
        name for meeting in meetings for name in [*organizations_of(meeting), *people_of(meeting)]
    )
    own_writer = writer is None
    writer = writer or backend(alias).writer()
    try:
        for meeting_id in {*map(str, replace_ids), *(str(m.pk) for m in meetings)}:
            writer.delete_by_term("meeting_id", meeting_id)
        for meeting in meetings:
            writer.add_document(**document_for(meeting))
    except BaseException:
        if own_writer:
            writer.cancel()
        raise
    if own_writer:
        writer.commit()


def rebuild(alias: str, *, out=None, batch: int = 500, procs: int = 1) -> int:
    """Index everything into a fresh directory and swap it in when complete.

    Holds the writer lock throughout, so queued changes wait and are applied afterwards
    (re-applying a change that the rebuild already saw is harmless).
    """
    out = out or sys.stdout
    engine = backend(alias)
    with writer_lock(wait=True):
        directory = engine.fresh_directory()
        from whoosh import index

        from minutes.search.backend import build_schema

        index.create_in(str(directory), build_schema())
        pks = list(meetings_for(alias).order_by("pk").values_list("pk", flat=True))
        options = {"procs": procs, "multisegment": True} if procs > 1 else {}
        writer = engine.writer(directory, **options)
        started = time.monotonic()
        try:
            for start in range(0, len(pks), batch):
                chunk = list(meetings_for(alias).filter(pk__in=pks[start : start + batch]))
                write_meetings(alias, chunk, writer=writer)
                done = min(start + batch, len(pks))
                rate = done / max(time.monotonic() - started, 1e-6)
                out.write(f"{alias}: {done}/{len(pks)} documents ({rate:.0f}/s)\n")
                out.flush()
            out.write(f"{alias}: committing…\n")
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        engine.swap_in(directory)
    return len(pks)


def indexed_state(alias: str) -> dict[int, str]:
    """What one connection's index holds: {document id: updated stamp}."""
    searcher = backend(alias).searcher()
    return {
        int(stored["meeting_id"]): stored.get("updated", "")
        for stored in searcher.all_stored_fields()
    }


def differences(alias: str) -> dict[str, set[int]]:
    """Documents missing from, extra in, or stale in one connection's index."""
    expected = {
        pk: updated_stamp(updated_at)
        for pk, updated_at in meetings_for(alias)
        .select_related(None)
        .prefetch_related(None)
        .values_list("pk", "updated_at")
    }
    indexed = indexed_state(alias)
    return {
        "missing": set(expected) - set(indexed),
        "extra": set(indexed) - set(expected),
        "stale": {
            pk for pk, updated in expected.items() if pk in indexed and indexed[pk] != updated
        },
    }


def check(*, repair: bool = False, out=None) -> bool:
    """Report (and with ``repair`` fix) every difference between database and indexes."""
    out = out or sys.stdout
    clean = True
    for alias in ALIASES:
        found = differences(alias)
        for kind, pks in found.items():
            if pks:
                clean = False
                out.write(f"{alias}: {len(pks)} {kind}: {sorted(pks)[:20]}\n")
        wrong = set().union(*found.values())
        if repair and wrong:
            with transaction.atomic():
                enqueue(wrong)
    if repair and not clean:
        with writer_lock(wait=True):
            while apply_batch():
                pass
    if clean:
        out.write("The search indexes match the database.\n")
    return clean
