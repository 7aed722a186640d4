"""Follow-up of decisions (督办, DESIGN §8): the tasks a published document gives, and the rules
that move a task from 未办理 to 已办结.

Tasks and the life of their document:

- **Publishing** (``Meeting.publish``, or an import with status published) makes one task per
  decision and organisation the document assigns work to (``Assignment``), and
  ``create_tasks`` does the same for documents published before tasks existed. Both call
  ``sync_tasks``, which is idempotent: a second run finds every task in place.
- **Withdrawing** changes no task. The decisions were taken at the meeting; withdrawal is for
  correcting the text. Staff keep working on the tasks, whose pages say the document is
  withdrawn.
- **Correcting** (a re-import with replace, or editing the items in the admin) deletes and
  re-creates decision rows: a task loses its link to the row (``SET_NULL``) but keeps its
  snapshot of the decision, its state, entries and attachments.
- **Republishing** matches each task to the corrected document again: the same decision row
  and organisation; failing that the same organisation and the same decision text; failing
  that the same organisation at the same item and position. A matched task is linked again,
  with an entry when its decision's text or place changed. An assignment no task matches gets
  a new task. A task nothing matches stays, with its entries, marked as no longer in the
  document (``detached_at``, and an entry saying so) for a supervisor to close as 不再办理 or
  keep. Nothing is deleted and nothing is duplicated: a constraint holds one task per
  decision and organisation.
- **Deleting** a document deletes its tasks with it (the history keeps them). The admin asks
  for the permission to delete tasks before it deletes a document that has any, which only
  superusers hold.
"""

from __future__ import annotations

import csv
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from minutes.models import (
    Assignment,
    Meeting,
    OrganizationMember,
    Task,
    TaskEntry,
    archive_version,
    sees_everything,
)

# The largest attachment a progress entry takes (a scanned reply of a few pages fits).
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


class TaskError(Exception):
    """A step the follow-up rules do not allow on this task now."""


# --- Who may do what.


def can_supervise(user) -> bool:
    """督查: the supervisors' permission (the group of that name holds it, as do superusers)."""
    return sees_everything(user) and user.has_perm("minutes.supervise_task")


def organizations_handled_by(user) -> set[int]:
    """The organisations whose tasks this user reports on (their OrganizationMember rows)."""
    if not sees_everything(user):
        return set()
    if not hasattr(user, "_handled_organizations"):
        user._handled_organizations = set(
            OrganizationMember.objects.filter(user=user).values_list("organization_id", flat=True)
        )
    return user._handled_organizations


def handles(user, task) -> bool:
    return task.organization_id in organizations_handled_by(user)


# Each step, and whether this user may take it on this task now.
ACTIONS = {
    "progress": lambda task, user: task.is_open and (handles(user, task) or can_supervise(user)),
    "report": lambda task, user: (
        task.is_open and not task.awaits_acceptance and handles(user, task)
    ),
    "due_date": lambda task, user: task.is_open and can_supervise(user),
    "return": lambda task, user: task.awaits_acceptance and can_supervise(user),
    "close": lambda task, user: task.is_open and can_supervise(user),
    "reopen": lambda task, user: not task.is_open and can_supervise(user),
}


def allowed_actions(task, user) -> list[str]:
    """The steps this user may take on this task now."""
    return [action for action, allowed in ACTIONS.items() if allowed(task, user)]


def _check(task, user, action) -> Task:
    """The task as the database holds it now, locked, if ``user`` may take ``action`` on it."""
    current = Task.objects.select_for_update().get(pk=task.pk)
    if not ACTIONS[action](current, user):
        raise TaskError(
            _("This step is not open to you on this task now (it is “%(status)s”).")
            % {"status": current.get_status_display()}
        )
    return current


def _author_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _record(task, kind, *, by=None, text="", done_on=None, attachment=None, due_date=None):
    return TaskEntry.objects.create(
        task=task,
        kind=kind,
        author=by,
        author_name=_author_name(by),
        done_on=done_on or timezone.localdate(),
        text=text,
        attachment=attachment or "",
        due_date=due_date,
    )


def _save(task, *, by, reason) -> None:
    if by is not None:
        task._history_user = by
    task._change_reason = str(reason)
    task.save()
    followup_changed()


# --- The steps. Each runs in one transaction on the locked task row and leaves an entry.


@transaction.atomic
def add_progress(task, *, by, text, done_on=None, attachment=None, report=False) -> TaskEntry:
    """A handler (or a supervisor) records what was done; ``report`` says the work is done.

    The first entry moves the task from 未办理 to 办理中; a report waits for a supervisor to
    accept (close) or return it.
    """
    task = _check(task, by, "report" if report else "progress")
    kind = TaskEntry.Kind.REPORTED if report else TaskEntry.Kind.PROGRESS
    entry = _record(task, kind, by=by, text=text, done_on=done_on, attachment=attachment)
    task.status = Task.Status.IN_PROGRESS
    if report:
        task.completion_reported_at = timezone.now()
    _save(task, by=by, reason=TaskEntry.Kind(kind).label)
    return entry


@transaction.atomic
def set_due_date(task, *, by, due_date, note="") -> TaskEntry:
    """A supervisor sets, moves or (with None) clears the due date (时限)."""
    task = _check(task, by, "due_date")
    task.due_date = due_date
    _save(task, by=by, reason=TaskEntry.Kind.DUE_DATE.label)
    return _record(task, TaskEntry.Kind.DUE_DATE, by=by, text=note, due_date=due_date)


@transaction.atomic
def return_task(task, *, by, reason) -> TaskEntry:
    """A supervisor sends a reported completion back: the work goes on."""
    task = _check(task, by, "return")
    task.completion_reported_at = None
    _save(task, by=by, reason=TaskEntry.Kind.RETURNED.label)
    return _record(task, TaskEntry.Kind.RETURNED, by=by, text=reason)


@transaction.atomic
def close(task, *, by, outcome, note="") -> TaskEntry:
    """A supervisor closes the task: 已办结 (accepting a report, or on their own finding) or
    不再办理, with the closing note."""
    if outcome not in Task.CLOSED:
        raise TaskError(_("A task is closed as completed or as no longer pursued."))
    task = _check(task, by, "close")
    task.status = outcome
    task.closed_on = timezone.localdate()
    task.closing_note = note
    task.completion_reported_at = None
    _save(task, by=by, reason=Task.Status(outcome).label)
    return _record(task, TaskEntry.Kind.CLOSED, by=by, text=note)


@transaction.atomic
def reopen(task, *, by, reason) -> TaskEntry:
    """A supervisor reopens a closed task (办理中 again); the closing note stays in its entry."""
    task = _check(task, by, "reopen")
    task.status = Task.Status.IN_PROGRESS
    task.closed_on = None
    task.closing_note = ""
    _save(task, by=by, reason=TaskEntry.Kind.REOPENED.label)
    return _record(task, TaskEntry.Kind.REOPENED, by=by, text=reason)


# --- Tasks from a published document.


@dataclass(frozen=True)
class SyncResult:
    created: int = 0
    relinked: int = 0
    detached: int = 0


def sync_tasks(meeting, *, by=None, announce=True) -> SyncResult:
    """Give every decision→organisation assignment of ``meeting`` its one task (module doc).

    Idempotent; run on publication, inside its transaction. Reads the assignments and the
    tasks in two queries, then writes only what changed. ``announce=False`` leaves renewing
    the follow-up's cache token to a caller that changes many documents.
    """
    assignments = list(
        Assignment.objects.filter(decision__agenda_item__meeting=meeting)
        .select_related("decision__agenda_item")
        .order_by("decision__agenda_item__number", "decision__position", "position")
    )
    wanted = {(a.decision_id, a.organization_id): a for a in assignments}
    matched: dict[tuple[int, int], Task] = {}
    loose: list[Task] = []
    for task in meeting.tasks.order_by("pk"):
        key = (task.decision_id, task.organization_id)
        if task.decision_id is not None and key in wanted:
            matched[key] = task
        else:
            loose.append(task)

    def same_text(task, assignment):
        return task.decision_text == assignment.decision.text

    def same_place(task, assignment):
        decision = assignment.decision
        place = (decision.agenda_item.number, decision.position)
        return (task.item_number, task.decision_position) == place

    relinked = 0
    for same in (same_text, same_place):
        for key, assignment in wanted.items():
            if key in matched:
                continue
            task = next(
                (
                    t
                    for t in loose
                    if t.organization_id == assignment.organization_id and same(t, assignment)
                ),
                None,
            )
            if task is not None:
                loose.remove(task)
                matched[key] = task
                relinked += 1

    detached = [task for task in loose if task.detached_at is None or task.decision_id]
    for task in detached:
        was_in_document = task.detached_at is None
        task.decision = None
        task.detached_at = task.detached_at or timezone.now()
        _save(task, by=by, reason=TaskEntry.Kind.REMOVED.label)
        if was_in_document:
            _record(task, TaskEntry.Kind.REMOVED, by=by, text=task.decision_text)

    for key, task in matched.items():
        _follow(task, wanted[key], by=by)

    new_tasks = [
        Task(meeting=meeting, organization_id=organization_id, **_snapshot(assignment.decision))
        for (_decision, organization_id), assignment in wanted.items()
        if (_decision, organization_id) not in matched
    ]
    if new_tasks:
        bulk_create_with_history(
            new_tasks, Task, default_user=by, default_change_reason=str(_("Published"))
        )
        if announce:
            followup_changed()
    return SyncResult(created=len(new_tasks), relinked=relinked, detached=len(detached))


def _snapshot(decision) -> dict:
    return {
        "decision": decision,
        "item_number": decision.agenda_item.number,
        "decision_position": decision.position,
        "decision_label": decision.label,
        "decision_text": decision.text,
    }


def _follow(task, assignment, *, by) -> None:
    """Bring a matched task's link and snapshot up to the published decision."""
    snapshot = _snapshot(assignment.decision)
    moved = (task.item_number, task.decision_position, task.decision_label) != (
        snapshot["item_number"],
        snapshot["decision_position"],
        snapshot["decision_label"],
    )
    reworded = task.decision_text != snapshot["decision_text"]
    returned = task.detached_at is not None
    if not (moved or reworded or returned or task.decision_id != assignment.decision_id):
        return
    old_text = task.decision_text
    for field, value in snapshot.items():
        setattr(task, field, value)
    task.detached_at = None
    _save(task, by=by, reason=TaskEntry.Kind.CORRECTED.label)
    if moved or reworded or returned:
        _record(task, TaskEntry.Kind.CORRECTED, by=by, text=old_text)


def meetings_missing_tasks():
    """Published documents with an assignment that has no task yet."""
    untasked = Assignment.objects.filter(decision__agenda_item__meeting=OuterRef("pk")).exclude(
        Exists(
            Task.objects.filter(
                decision=OuterRef("decision"), organization=OuterRef("organization")
            )
        )
    )
    return Meeting.objects.filter(status=Meeting.Status.PUBLISHED).filter(Exists(untasked))


CREATE_CHUNK = 200


def create_missing_tasks(*, by=None) -> tuple[int, SyncResult]:
    """What ``sync_tasks`` does on publication, for every published document that needs it.

    Documents without any task yet (all of them, the first time) get theirs in batches, a
    transaction per batch of documents; a document that has some tasks already goes through
    ``sync_tasks`` in a transaction of its own. Returns the number of documents and the totals.
    """
    fresh = list(
        meetings_missing_tasks()
        .exclude(Exists(Task.objects.filter(meeting=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    created = 0
    for start in range(0, len(fresh), CREATE_CHUNK):
        with transaction.atomic():
            created += _create_first_tasks(fresh[start : start + CREATE_CHUNK], by=by)
    documents, relinked, detached = len(fresh), 0, 0
    for meeting in meetings_missing_tasks().order_by("pk").iterator(chunk_size=500):
        with transaction.atomic():
            result = sync_tasks(meeting, by=by, announce=False)
        documents += 1
        created += result.created
        relinked += result.relinked
        detached += result.detached
    if documents:
        followup_changed()
    return documents, SyncResult(created=created, relinked=relinked, detached=detached)


def _create_first_tasks(meeting_ids: list[int], *, by) -> int:
    """The tasks of documents that have none: one insert (and one of history) for them all."""
    # Locked, and checked again under the lock: a publication at this moment makes its own.
    locked = Meeting.objects.select_for_update().filter(pk__in=meeting_ids)
    still_fresh = locked.exclude(Exists(Task.objects.filter(meeting=OuterRef("pk"))))
    ids = list(still_fresh.values_list("pk", flat=True))
    assignments = (
        Assignment.objects.filter(decision__agenda_item__meeting_id__in=ids)
        .select_related("decision__agenda_item")
        .order_by("decision__agenda_item__meeting_id", "decision_id", "position")
    )
    tasks = [
        Task(
            meeting_id=a.decision.agenda_item.meeting_id,
            organization_id=a.organization_id,
            **_snapshot(a.decision),
        )
        for a in assignments
    ]
    bulk_create_with_history(
        tasks, Task, batch_size=1000, default_user=by, default_change_reason=str(_("Published"))
    )
    return len(tasks)


# --- The cache token of the follow-up figures.

FOLLOWUP_VERSION_KEY = "minutes:followup-version"


def followup_version() -> str:
    """The token that names the current state of the tasks in cache keys."""
    version = cache.get(FOLLOWUP_VERSION_KEY)
    if version is None:
        cache.add(FOLLOWUP_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(FOLLOWUP_VERSION_KEY)
    return version


def followup_changed() -> None:
    """A task changed: renew the token now and after the commit (as ``archive_changed``)."""
    cache.set(FOLLOWUP_VERSION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(FOLLOWUP_VERSION_KEY, uuid.uuid4().hex, None))


def move_organization(sources, target, *, by=None) -> None:
    """Organisations merged into ``target`` (``organizations.merge_organizations``): their
    tasks and their handlers follow it.

    A decision with a task for a source and one for the target keeps the target's task; the
    other's entries join it, with an entry that says so, and its own row goes (the history
    keeps it). A handler of a source becomes a handler of the target.
    """
    for task in Task.objects.filter(organization__in=sources).select_related("organization"):
        twin = (
            Task.objects.filter(decision_id=task.decision_id, organization=target).first()
            if task.decision_id
            else None
        )
        if twin is None:
            task.organization = target
            _save(task, by=by, reason=_("Organization merged into “%(name)s”") % {"name": target})
            continue
        task.entries.update(task=twin)
        _record(
            twin,
            TaskEntry.Kind.CORRECTED,
            by=by,
            text=_("The task of “%(old)s”, merged into this organization, joined this one.")
            % {"old": task.organization},
        )
        task.delete()
    handlers = set(
        OrganizationMember.objects.filter(organization=target).values_list("user_id", flat=True)
    )
    for member in OrganizationMember.objects.filter(organization__in=sources):
        if member.user_id in handlers:
            member.delete()
        else:
            member.organization = target
            member.save(update_fields=["organization"])
            handlers.add(member.user_id)
    followup_changed()


# --- Lists of tasks.

COUNTS_CACHE_SECONDS = 60 * 60


def counts(tasks, scope: str) -> dict[str, int]:
    """``tasks.counts()``, cached under ``scope`` (the filters that chose ``tasks``) and the
    states of the archive and the tasks, and the day (逾期 turns with the date).

    Counting reads every task of the scope: at 72,000 tasks that is most of a list's time.
    """
    today = timezone.localdate()
    key = f"minutes:task-counts:{archive_version()}:{followup_version()}:{today}:{scope}"
    found = cache.get(key)
    if found is None:
        found = tasks.counts(today)
        cache.set(key, found, COUNTS_CACHE_SECONDS)
    return found


def page_of_tasks(ids) -> list:
    """The tasks of these ids, in this order, with what a list row shows (two queries).

    A list pages through ids alone and then reads its page's rows: sorting the ids of every
    matching task is cheap, sorting them with their documents' and organisations' columns
    (as SQLite does when the rows are joined first) is not.
    """
    ids = list(ids)
    rows = Task.objects.for_list().in_bulk(ids)
    return note_last_progress(rows[pk] for pk in ids)


def note_last_progress(tasks) -> list:
    """Give each task its latest progress date (``last_progress_on``), in one query.

    Not a subquery of the list's query: SQLite computes a selected subquery for every row it
    sorts, not only for the page it returns.
    """
    tasks = list(tasks)
    latest = dict(
        TaskEntry.objects.filter(
            task__in=[task.pk for task in tasks],
            kind__in=[TaskEntry.Kind.PROGRESS, TaskEntry.Kind.REPORTED],
        )
        .values("task_id")
        .annotate(last=Max("done_on"))
        .values_list("task_id", "last")
    )
    for task in tasks:
        task.last_progress_on = latest.get(task.pk)
    return tasks


# --- The CSV of a task list.


class _Echo:
    """csv.writer writes each row into this and gets the line back (Django's streaming recipe)."""

    def write(self, value):
        return value


CSV_CHUNK = 2000


def csv_lines(tasks, site_url: str):
    """The tasks as CSV lines, header first, read from the database in chunks.

    The words are translated now, in the request's language: the lines themselves are
    produced while the response streams. Starts with a byte order mark: Excel, in which most
    staff open it, reads UTF-8 as the local code page without one.
    """
    writer = csv.writer(_Echo())
    header = "\ufeff" + writer.writerow([str(column) for column in CSV_COLUMNS])
    yes, no = str(_("yes")), str(_("no"))
    status_names = {value: str(label) for value, label in Task.Status.choices}
    # The address of every task from one reverse(): it cost as much as the rest of a row.
    before, after = reverse("minutes:task-detail", args=[0]).rsplit("0", 1)
    address = f"{site_url.rstrip('/')}{before}{{}}{after}"

    def lines():
        yield header
        for task in _in_chunks(tasks.for_list()):
            reported = task.completion_reported_at
            yield writer.writerow(
                [
                    task.meeting.doc_number,
                    task.meeting.title,
                    _iso(task.meeting.meeting_date),
                    task.decision_reference,
                    _cell(task.decision_text),
                    _cell(task.organization.name),
                    status_names[task.status],
                    yes if task.is_overdue else no,
                    _iso(task.due_date),
                    _iso(reported and timezone.localdate(reported)),
                    _iso(task.last_progress_on),
                    _iso(task.closed_on),
                    _cell(task.closing_note),
                    no if task.detached_at else yes,
                    address.format(task.pk),
                ]
            )

    return lines()


CSV_COLUMNS = [
    _("Document number"),
    _("Minutes"),
    _("Meeting date"),
    _("Decision"),
    _("Decision text"),
    _("Responsible organization"),
    _("Status"),
    _("Overdue"),
    _("Due date"),
    _("Completion reported"),
    _("Latest progress"),
    _("Closed on"),
    _("Closing note"),
    _("In the document"),
    _("Address"),
]


def _in_chunks(tasks):
    """The tasks from the database CSV_CHUNK at a time, each chunk with its progress dates."""
    chunk = []
    for task in tasks.iterator(chunk_size=CSV_CHUNK):
        chunk.append(task)
        if len(chunk) == CSV_CHUNK:
            yield from note_last_progress(chunk)
            chunk = []
    yield from note_last_progress(chunk)


def _cell(text: str) -> str:
    """Text that a spreadsheet would read as a formula (=, +, -, @) is kept as text."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _iso(day) -> str:
    return day.isoformat() if day else ""
