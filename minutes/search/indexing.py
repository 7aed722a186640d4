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
import gc
import logging
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from haystack import connections
from whoosh import index

from minutes.models import IndexQueue
from minutes.search.analysis import add_words
from minutes.search.backend import (
    build_schema,
    merge_small_segments,
    to_whoosh_document,
    updated_stamp,
)
from minutes.search_indexes import (
    MeetingIndex,
    meetings_for,
    organizations_of,
    people_of,
    with_parts,
)

PUBLIC = "public"
ALIASES = (PUBLIC, "internal")
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
    write_both(meeting_ids)
    IndexQueue.objects.filter(pk__in=[pk for pk, _meeting_id in rows]).delete()
    return len(rows)


def documents_for(meetings) -> dict[int, dict]:
    """The index document of each meeting (its agenda items are matched at display time).

    Each text is analysed once however many indexes it is written to (``backend.Analysed``).
    """
    meetings = list(meetings)
    # Names join the segmenter's dictionary before their text is cut (DESIGN §4).
    add_words(
        name for meeting in meetings for name in [*organizations_of(meeting), *people_of(meeting)]
    )
    prepare = MeetingIndex().full_prepare
    return {meeting.pk: to_whoosh_document(prepare(meeting)) for meeting in meetings}


def chosen(alias: str, documents: dict[int, dict], public_ids: set[int]) -> list[dict]:
    """The documents of ``documents`` that belong in one index."""
    return [doc for pk, doc in documents.items() if alias != PUBLIC or pk in public_ids]


def public_ids_of(meeting_ids) -> set[int]:
    """Which of these documents the public index holds (``meetings_for``, the one statement)."""
    return set(meetings_for(PUBLIC).filter(pk__in=meeting_ids).values_list("pk", flat=True))


def write_both(meeting_ids) -> None:
    """Make both indexes hold these documents as the database has them (caller holds the lock).

    Everything indexed under these ids is removed first, so a document that left an index's
    queryset (withdrawn, deleted) leaves that index.
    """
    documents = documents_for(with_parts(meetings_for("internal").filter(pk__in=meeting_ids)))
    public_ids = public_ids_of(meeting_ids)
    for alias in ALIASES:
        write_documents(alias, chosen(alias, documents, public_ids), replace_ids=meeting_ids)


def write_meetings(alias, meetings, replace_ids=()) -> None:
    """Write ``meetings`` into one connection's index (haystack's ``update``)."""
    meetings = list(meetings)
    ids = {*replace_ids, *(meeting.pk for meeting in meetings)}
    write_documents(alias, list(documents_for(meetings).values()), replace_ids=ids)


def write_documents(alias, documents, replace_ids=(), writer=None) -> None:
    """Remove everything indexed under ``replace_ids``, then add ``documents``; one commit.

    An ordinary update merges only small segments (``backend.merge_small_segments``).
    """
    own_writer = writer is None
    writer = writer or backend(alias).writer()
    try:
        for meeting_id in sorted({*map(str, replace_ids), *(d["meeting_id"] for d in documents)}):
            writer.delete_by_term("meeting_id", meeting_id)
        for document in documents:
            writer.add_document(**document)
    except BaseException:
        if own_writer:
            writer.cancel()
        raise
    if own_writer:
        writer.commit(mergetype=merge_small_segments)


def rebuild(aliases=ALIASES, *, out=None, batch: int = 500, procs: int = 1) -> int:
    """Index everything into fresh directories, one pass for both indexes, and swap them in.

    Each document is read and analysed once and written to every index that holds it. Holds
    the writer lock throughout, so queued changes wait and are applied afterwards
    (re-applying a change that the rebuild already saw is harmless). ``procs`` > 1 gives each
    index Whoosh's multi-process writer, which analyses in its processes (once per index).
    """
    out = out or sys.stdout
    with writer_lock(wait=True):
        pks = list(meetings_for("internal").order_by("pk").values_list("pk", flat=True))
        public_ids = public_ids_of(pks)
        totals = {alias: len(public_ids) if alias == PUBLIC else len(pks) for alias in aliases}
        directories, writers = {}, {}
        options = {"procs": procs, "multisegment": True} if procs > 1 else {}
        try:
            for alias in aliases:
                directories[alias] = backend(alias).fresh_directory()
                index.create_in(str(directories[alias]), build_schema())
                writers[alias] = backend(alias).writer(directories[alias], **options)
            started = time.monotonic()
            done = dict.fromkeys(aliases, 0)
            for start in range(0, len(pks), batch):
                chunk = pks[start : start + batch]
                gc.collect()  # the batch before, held in cycles (a part and its document)
                documents = documents_for(with_parts(meetings_for("internal").filter(pk__in=chunk)))
                for alias in aliases:
                    picked = chosen(alias, documents, public_ids)
                    write_documents(alias, picked, writer=writers[alias])
                    done[alias] += len(picked)
                rate = (start + len(chunk)) / max(time.monotonic() - started, 1e-6)
                for alias in aliases:
                    out.write(f"{alias}: {done[alias]}/{totals[alias]} documents ({rate:.0f}/s)\n")
                out.flush()
            for alias in aliases:
                out.write(f"{alias}: committing…\n")
                writers.pop(alias).commit()
        except BaseException:
            for writer in writers.values():
                writer.cancel()
            raise
        for alias in aliases:
            backend(alias).swap_in(directories[alias])
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


def check(*, repair: bool = False, out=None, probe=None) -> bool:
    """Report (and with ``repair`` fix) every difference between database and indexes.

    ``probe(alias)`` runs the searches readers run against one index and returns the error
    they would meet ("" if none): an index can hold every document and still fail to answer.
    ``repair`` then rebuilds that index.
    """
    out = out or sys.stdout
    clean = True
    for alias in ALIASES:
        failure = probe(alias) if probe else ""
        if failure:
            clean = False
            out.write(f"{alias}: a faceted search fails: {failure}\n")
            if repair:
                rebuild([alias], out=out)
                failure = probe(alias)
                out.write(f"{alias}: rebuilt; {failure or 'the faceted search answers'}\n")
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
