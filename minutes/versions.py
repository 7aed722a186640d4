"""Versions of a document: one kept after each save, and the differences between any two.

A save of a document or of any of its parts (items, decisions, assignments, reviewed titles,
attendance, distribution), an import and a workflow move mark the document as changed; when
the transaction commits, its whole canonical text (``Meeting.as_text()``) is kept as the next
version, with who saved it and why. The admin saves the document before its inlines, so the
text is read at commit, never at the first signal. A save that changed neither the text, the
status nor the disclosure keeps no version.
"""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass, field
from itertools import zip_longest

from django.db import transaction
from django.db.models import Max
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from minutes import models
from minutes.parsing import ParseError, parse
from minutes.parsing.render import chinese_number

log = logging.getLogger(__name__)


def acting_user(instance=None):
    """Who is saving: the user a workflow move names, else the signed-in user of the request."""
    user = getattr(instance, "_history_user", None)
    if user is None:
        request = getattr(HistoricalRecords.context, "request", None)
        user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class PendingVersions:
    """The documents one transaction changed, and who changed them; recorded on commit."""

    def __init__(self):
        self.users: dict[int, object] = {}
        self.done = False

    def add(self, meeting_id: int, user) -> None:
        if user is not None or meeting_id not in self.users:
            self.users[meeting_id] = user

    def record(self) -> None:
        self.done = True
        for meeting_id, user in self.users.items():
            record_version(meeting_id, user=user)


def document_changed(meeting_id: int | None, user=None, using: str = "default") -> None:
    """Keep a version of this document once the current transaction commits."""
    if meeting_id is None:
        return
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        _record_robustly(meeting_id, user)
        return
    # One callback per transaction, found again among the connection's commit callbacks: it
    # leaves with them when the transaction (or the savepoint it was added in) rolls back.
    for _savepoints, callback, *_robust in connection.run_on_commit:
        pending = getattr(callback, "__self__", None)
        if isinstance(pending, PendingVersions) and not pending.done:
            pending.add(meeting_id, user)
            return
    pending = PendingVersions()
    pending.add(meeting_id, user)
    transaction.on_commit(pending.record, using=using, robust=True)


def _record_robustly(meeting_id: int, user) -> None:
    # The save itself has succeeded: a failure to keep its version is logged, not raised at it.
    try:
        record_version(meeting_id, user=user)
    except Exception:
        log.exception("Could not keep a version of minutes %s", meeting_id)


def record_version(meeting_id: int, *, user=None) -> models.DocumentVersion | None:
    """Keep the document's current text as its next version, unless nothing changed.

    The text and the description are made outside any transaction: on SQLite a write
    transaction holds the database's one write lock, which other processes' saves and the
    search index's writer wait for. Only the numbering and the insert take the lock (and on
    PostgreSQL the document's row); if another process kept a version meanwhile, the work is
    done again against it.
    """
    for _attempt in range(3):
        meeting = (
            models.Meeting.objects.select_related("issuer", "compiled_office", "printed_office")
            .filter(pk=meeting_id)
            .first()
        )
        if meeting is None:
            return None
        text = meeting.as_text()
        last = meeting.versions.order_by("-number").first()
        if (
            last is not None
            and last.text == text
            and last.status == meeting.status
            and last.disclosure == meeting.disclosure
        ):
            return None
        added, removed = line_changes(last.text if last else "", text)
        version = models.DocumentVersion(
            meeting=meeting,
            number=(last.number if last else 0) + 1,
            text=text,
            status=meeting.status,
            disclosure=meeting.disclosure,
            user=user or _last_history_user(meeting, since=last.created_at if last else None),
            reason=describe_change(last, meeting, text)[:200],
            lines_added=added,
            lines_removed=removed,
        )
        with transaction.atomic():
            # Only the document's row: PostgreSQL locks no row of an outer join's nullable side.
            locked = models.Meeting.objects.select_for_update(of=("self",)).filter(pk=meeting_id)
            if not locked.exists():
                return None
            newest = meeting.versions.aggregate(number=Max("number"))["number"] or 0
            if newest == version.number - 1:
                version.created_at = timezone.now()
                version.save(force_insert=True)
                return version
    return None


def _last_history_user(meeting, *, since):
    """Who the admin's history says saved the document last, since the last version."""
    rows = meeting.history.exclude(history_user=None)
    if since is not None:
        rows = rows.filter(history_date__gt=since)
    row = rows.order_by("-history_date", "-history_id").first()
    return row.history_user if row else None


def describe_change(last, meeting, text: str) -> str:
    """What changed since the last version, in words: the workflow move and the parts of the
    document whose text changed (read by the parser from both texts: ``as_text()`` parses back
    to the same records). Said in the language of the request that saved it, as the admin's
    history is."""
    if last is None:
        return _("Created")
    said = []
    if last.status != meeting.status:
        said.append(str(meeting.get_status_display()))
    if last.disclosure != meeting.disclosure:
        said.append(_("Disclosure: %s") % meeting.get_disclosure_display())
    if last.text != text:
        parts = changed_parts(last.text, text)
        said.append(_("Changed %s") % _(", ").join(parts) if parts else _("Changed"))
    return "；".join(said)


def changed_parts(old: str, new: str) -> list[str]:
    """The parts of the document that differ between two canonical texts, as a clerk names them."""
    try:
        before, after = parse(old), parse(new)
    except ParseError:
        return []
    parts = []
    header = ("issuer", "kind", "doc_number")
    if any(getattr(before, name) != getattr(after, name) for name in header):
        parts.append(_("the header"))
    if before.opening != after.opening:
        parts.append(_("the opening"))
    for old_item, new_item in zip_longest(before.items, after.items):
        number = chinese_number((new_item or old_item).no)
        if old_item is None or new_item is None or old_item.title != new_item.title:
            parts.append(_("item %(number)s") % {"number": number})
        elif old_item.decisions != new_item.decisions:
            parts.append(_("the decisions of item %(number)s") % {"number": number})
    attendance = ("attendees", "observers", "recorder")
    if any(getattr(before, name) != getattr(after, name) for name in attendance):
        parts.append(_("the attendance"))
    closing = ("compiled_office", "compiled_date", "public")
    if any(getattr(before, name) != getattr(after, name) for name in closing):
        parts.append(_("the closing lines"))
    distribution = ("distribution", "distribution_separators")
    if any(getattr(before, name) != getattr(after, name) for name in distribution):
        parts.append(_("the distribution"))
    printing = ("printed_office", "printed_date")
    if any(getattr(before, name) != getattr(after, name) for name in printing):
        parts.append(_("the printing line"))
    return parts


def record_missing_versions() -> int:
    """A first version of every document that has none (documents saved before versions)."""
    count = 0
    for meeting_id in models.Meeting.objects.filter(versions__isnull=True).values_list(
        "pk", flat=True
    ):
        if record_version(meeting_id) is not None:
            count += 1
    return count


# --- The signals: every part of a document names the document it belongs to.


def _meeting_saved(sender, instance, **kwargs):
    document_changed(instance.pk, acting_user(instance), kwargs.get("using", "default"))


def _part_changed(sender, instance, **kwargs):
    document_changed(instance.meeting_id, acting_user(), kwargs.get("using", "default"))


def _item_part_changed(sender, instance, **kwargs):
    meeting_id = (
        models.AgendaItem.objects.filter(pk=instance.agenda_item_id)
        .values_list("meeting_id", flat=True)
        .first()
    )
    document_changed(meeting_id, acting_user(), kwargs.get("using", "default"))


def _assignment_changed(sender, instance, **kwargs):
    meeting_id = (
        models.Decision.objects.filter(pk=instance.decision_id)
        .values_list("agenda_item__meeting_id", flat=True)
        .first()
    )
    document_changed(meeting_id, acting_user(), kwargs.get("using", "default"))


RECEIVERS = [
    (models.AgendaItem, _part_changed),
    (models.Attendance, _part_changed),
    (models.Distribution, _part_changed),
    (models.Decision, _item_part_changed),
    (models.Review, _item_part_changed),
    (models.Assignment, _assignment_changed),
]


def connect() -> None:
    """Connect the receivers (called once from ``MinutesConfig.ready``)."""
    # A deleted document takes its versions with it: only its saves count.
    post_save.connect(_meeting_saved, sender=models.Meeting, dispatch_uid="versions-meeting")
    for model, receiver in RECEIVERS:
        for signal in (post_save, post_delete):
            signal.connect(
                receiver,
                sender=model,
                dispatch_uid=f"versions-{model.__name__}-{signal is post_save}",
            )


# --- Differences ----------------------------------------------------------------------------


def line_changes(old: str, new: str) -> tuple[int, int]:
    """Lines added and lines removed from ``old`` to ``new`` (a changed line counts as both)."""
    added = removed = 0
    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed += i2 - i1
        if tag in ("replace", "insert"):
            added += j2 - j1
    return added, removed


@dataclass
class Segment:
    text: str
    changed: bool = False


@dataclass
class Side:
    number: int | None = None  # the line's number in its version; None where it has no line
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Row:
    kind: str  # equal, replace, insert, delete, or skip (unchanged lines left out)
    old: Side = field(default_factory=Side)
    new: Side = field(default_factory=Side)
    skipped: int = 0


def _characters(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """A changed line against its counterpart, character by character (Chinese has no spaces
    to split words at)."""
    left: list[Segment] = []
    right: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            left.append(Segment(old[i1:i2], changed=tag != "equal"))
        if j2 > j1:
            right.append(Segment(new[j1:j2], changed=tag != "equal"))
    return left, right


def side_by_side(old: str, new: str, *, context: int | None = 2) -> list[Row]:
    """The two texts line by line, changed lines paired and marked within; with ``context``,
    runs of unchanged lines farther than that from a change become one ``skip`` row."""
    a, b = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if context is None:
        groups = [matcher.get_opcodes()]
    else:
        groups = list(matcher.get_grouped_opcodes(context))
    rows: list[Row] = []
    shown_to = 0  # the old line up to which rows cover the text
    for group in groups:
        if not group:
            continue
        first_old = group[0][1]
        if first_old > shown_to:
            rows.append(Row("skip", skipped=first_old - shown_to))
        for tag, i1, i2, j1, j2 in group:
            rows.extend(_rows(tag, a, b, i1, i2, j1, j2))
        shown_to = group[-1][2]
    if context is not None and len(a) > shown_to and rows:
        rows.append(Row("skip", skipped=len(a) - shown_to))
    return rows


def _rows(tag, a, b, i1, i2, j1, j2) -> list[Row]:
    if tag == "equal":
        return [
            Row("equal", Side(i + 1, [Segment(a[i])]), Side(j + 1, [Segment(b[j])]))
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
        ]
    rows = []
    for offset in range(max(i2 - i1, j2 - j1)):
        i, j = i1 + offset, j1 + offset
        if i < i2 and j < j2:
            left, right = _characters(a[i], b[j])
            rows.append(Row("replace", Side(i + 1, left), Side(j + 1, right)))
        elif i < i2:
            rows.append(Row("delete", Side(i + 1, [Segment(a[i], changed=True)])))
        else:
            rows.append(Row("insert", new=Side(j + 1, [Segment(b[j], changed=True)])))
    return rows
