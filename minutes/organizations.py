"""Correcting the organisations of the archive: merge a misspelling into the right name, delete
one that names nothing, and name the issuer of documents that have none.

Each is one transaction, leaves a row in the history of every document it changes (who, when,
why), and queues those documents for the search index.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.deletion import ProtectedError
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from minutes import followup, search
from minutes.models import (
    Assignment,
    Attendance,
    Meeting,
    Organization,
    archive_changed,
)

# Every reference to an organisation: (model, field, what the count is called).
REFERENCES = [
    (Meeting, "issuer", "issued"),
    (Meeting, "compiled_office", "compiled"),
    (Meeting, "printed_office", "printed"),
    (Attendance, "organization", "attended"),
    (Assignment, "organization", "assigned"),
]


class OrganizationError(Exception):
    """A correction that cannot be made as asked; the message says why, for the clerk."""


def with_reference_counts(organizations):
    """Each organisation with how often it is named (``references``, and one count per kind)."""
    counts = {
        name: Coalesce(
            Subquery(
                model.objects.filter(**{field: OuterRef("pk")})
                .order_by()
                .values(field)
                .annotate(count=Count("pk"))
                .values("count"),
                output_field=IntegerField(),
            ),
            Value(0),
        )
        for model, field, name in REFERENCES
    }
    organizations = organizations.annotate(**counts)
    total = sum((F(name) for name in counts), Value(0))
    return organizations.annotate(references=total)


def meetings_naming(organizations) -> set[int]:
    """The ids of the documents that name any of these organisations."""
    ids = set(
        Meeting.objects.filter(
            Q(issuer__in=organizations)
            | Q(compiled_office__in=organizations)
            | Q(printed_office__in=organizations)
        ).values_list("pk", flat=True)
    )
    ids.update(
        Attendance.objects.filter(organization__in=organizations).values_list(
            "meeting_id", flat=True
        )
    )
    ids.update(
        Assignment.objects.filter(organization__in=organizations).values_list(
            "decision__agenda_item__meeting_id", flat=True
        )
    )
    return ids


@dataclass(frozen=True)
class MergeResult:
    target: Organization
    merged: tuple[str, ...]  # the names merged away (and deleted)
    documents: int  # documents changed
    collapsed: int  # assignments that became duplicates within a decision and were removed


@transaction.atomic
def merge_organizations(sources, target: Organization, *, by) -> MergeResult:
    """Move every reference of ``sources`` to ``target``, then delete ``sources``.

    Issuer, compiling and printing office, attendance and assignments all move; when a
    decision assigned work to both names, it keeps one assignment, at the first position.
    Refused (nothing changed) when two documents would end up with one issuer, kind and 文号,
    or when a document under review or published would change and ``by`` may not publish:
    the names printed in a public document change only with a reviewer's consent.
    """
    sources = [source for source in sources if source.pk != target.pk]
    if not sources:
        raise OrganizationError(_("Choose at least one other organization to merge into it."))
    names = tuple(source.name for source in sources)
    everyone = [target, *sources]
    _refuse_doc_number_clashes(everyone)
    affected = meetings_naming(sources)
    locked = Meeting.objects.filter(pk__in=affected).exclude(status__in=Meeting.EDITABLE)
    if locked.exists() and not by.has_perm("minutes.publish_meeting"):
        raise OrganizationError(
            _(
                "%(count)d documents naming these organizations are in review or published; "
                "only a reviewer may change them (for example %(doc)s)."
            )
            % {"count": locked.count(), "doc": locked.first()}
        )
    for field in ("issuer", "compiled_office", "printed_office"):
        Meeting.objects.filter(**{f"{field}__in": sources}).update(**{field: target})
    Attendance.objects.filter(organization__in=sources).update(organization=target)
    collapsed = _move_assignments(sources, target)
    followup.move_organization(sources, target, by=by)
    if not target.short_name:
        target.short_name = next((s.short_name for s in sources if s.short_name), "")
        target.save(update_fields=["short_name"])
    for source in sources:
        source.delete()
    _record(
        affected,
        by,
        _("Organization “%(old)s” merged into “%(new)s”")
        % {"old": "、".join(names), "new": target.name},
    )
    return MergeResult(target, names, len(affected), collapsed)


def _refuse_doc_number_clashes(organizations) -> None:
    clash = (
        Meeting.objects.filter(issuer__in=organizations, year__isnull=False)
        .values("kind", "year", "seq")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .order_by("kind", "year", "seq")
        .first()
    )
    if clash:
        documents = "、".join(
            f"{meeting.title} {meeting.doc_number}"
            for meeting in Meeting.objects.filter(
                issuer__in=organizations, kind=clash["kind"], year=clash["year"], seq=clash["seq"]
            ).select_related("issuer")
        )
        raise OrganizationError(
            _(
                "These organizations cannot be merged: %(documents)s would then be two "
                "documents with one issuer, kind and document number. Delete or correct one "
                "of them first."
            )
            % {"documents": documents}
        )


def _move_assignments(sources, target) -> int:
    """Point the sources' assignments at the target; a decision naming two of them keeps one."""
    everyone = [target.pk, *(source.pk for source in sources)]
    rows = Assignment.objects.filter(
        decision__in=Assignment.objects.filter(organization__in=sources).values("decision")
    ).order_by("decision_id", "position", "pk")
    kept: dict[int, list[Assignment]] = {}
    removed = []
    for assignment in rows:
        chosen = kept.setdefault(assignment.decision_id, [])
        if assignment.organization_id in everyone and any(
            other.organization_id in everyone for other in chosen
        ):
            removed.append(assignment.pk)
        else:
            chosen.append(assignment)
    Assignment.objects.filter(pk__in=removed).delete()
    changed = []
    for assignments in kept.values():
        for position, assignment in enumerate(assignments, start=1):
            if assignment.organization_id in everyone:
                assignment.organization_id = target.pk
            assignment.position = position
            changed.append(assignment)
    Assignment.objects.bulk_update(changed, ["organization", "position"])
    return len(removed)


@dataclass(frozen=True)
class DeleteResult:
    deleted: tuple[Organization, ...]  # as they were (with their ids), for the admin's log
    kept: tuple[tuple[str, int], ...]  # (name, how many references) of those still named


@transaction.atomic
def delete_unused(organizations) -> DeleteResult:
    """Delete the organisations that no document names; keep (and say) the others."""
    deleted, kept = [], []
    for organization in with_reference_counts(organizations).order_by("name"):
        if organization.references:
            kept.append((organization.name, organization.references))
            continue
        before = copy.copy(organization)
        try:
            # A document saved meanwhile may name it: the database protects it, and it stays.
            with transaction.atomic():
                organization.delete()
        except ProtectedError:
            kept.append((organization.name, 1))
        else:
            deleted.append(before)
    return DeleteResult(tuple(deleted), tuple(kept))


@dataclass(frozen=True)
class NamingResult:
    named: tuple[Meeting, ...]
    skipped: tuple[tuple[Meeting, str], ...]  # (document, why not)


@transaction.atomic
def name_issuer(meetings, name: str, *, by) -> NamingResult:
    """Give documents that name no issuer the organisation ``name`` (created if new).

    Only documents without an issuer: an issuer once set is corrected on the edit page of a
    draft. Drafts and withdrawn documents for anyone who may change them; documents in review
    or published only for a reviewer (``publish_meeting``): the issuer heads the document and
    gives it its address, so who vouches for the public text decides it. Each change is a row
    in the document's history.
    """
    organization, _created = Organization.objects.get_or_create(name=name)
    named, skipped = [], []
    for meeting in meetings.select_related("issuer"):
        reason = _why_not_named(meeting, organization, by)
        if reason:
            skipped.append((meeting, reason))
            continue
        meeting.issuer = organization
        meeting._history_user = by
        meeting._change_reason = _("Issuer named: %(issuer)s") % {"issuer": name}
        meeting.save(update_fields=["issuer", "updated_at"])
        named.append(meeting)
    return NamingResult(tuple(named), tuple(skipped))


def _why_not_named(meeting, organization, by) -> str:
    if meeting.issuer_id:
        return _("already issued by %(issuer)s") % {"issuer": meeting.issuer}
    if meeting.is_editable:
        if not by.has_perm("minutes.change_meeting"):
            return _("you may not change minutes")
    elif not by.has_perm("minutes.publish_meeting"):
        return _("%(status)s: only a reviewer may name its issuer") % {
            "status": meeting.get_status_display()
        }
    if (
        meeting.year
        and Meeting.objects.filter(
            issuer=organization, kind=meeting.kind, year=meeting.year, seq=meeting.seq
        ).exists()
    ):
        return _("%(issuer)s already has minutes of this kind numbered %(doc)s") % {
            "issuer": organization,
            "doc": meeting.doc_number,
        }
    return ""


def _record(meeting_ids, by, reason: str) -> None:
    """A history row per changed document, the search index and the page caches told."""
    if not meeting_ids:
        return
    Meeting.objects.filter(pk__in=meeting_ids).update(updated_at=timezone.now())
    Meeting.history.bulk_history_create(
        list(Meeting.objects.filter(pk__in=meeting_ids)),
        update=True,
        default_user=by,
        default_change_reason=reason,
    )
    search.changed(sorted(meeting_ids))
    archive_changed()
