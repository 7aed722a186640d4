"""The only code that turns a ParsedMinutes into rows, and rows back into one.

Every import runs in one transaction: a document is saved whole or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minutes.followup import sync_tasks
from minutes.models import (
    AgendaItem,
    Assignment,
    Attendance,
    Decision,
    Distribution,
    Meeting,
    Organization,
    Review,
    ReviewedDocument,
)
from minutes.parsing import patterns
from minutes.parsing.records import AgendaItem as ParsedItem
from minutes.parsing.records import Attendee, ParsedMinutes
from minutes.parsing.records import Decision as ParsedDecision

TIME_OF_DAY_BY_VALUE = {value: word for word, value in patterns.TIME_OF_DAY_VALUES.items()}
ITEM_KIND_BY_VALUE = {value: word for word, value in patterns.ITEM_KIND_VALUES.items()}


class DuplicateDocument(Exception):
    """The archive already holds a document with this 文号 for the same issuer and kind."""

    def __init__(self, existing: Meeting):
        self.existing = existing
        super().__init__(
            _("%(doc)s already exists (id %(id)s); use replace to overwrite it.")
            % {"doc": existing, "id": existing.pk}
        )


class NotEditable(Exception):
    """Replacing would change a document under review or in public without a new review."""

    def __init__(self, existing: Meeting):
        self.existing = existing
        super().__init__(
            _("%(doc)s is %(status)s: withdraw it or send it back before replacing it.")
            % {"doc": existing, "status": existing.get_status_display()}
        )


@dataclass(frozen=True)
class ImportResult:
    meeting: Meeting
    replaced: bool


def organization_kind(name: str) -> str:
    """Guess what kind of body a name denotes from its ending (clerks can correct it)."""
    if name.endswith(patterns.GOVERNMENT_ENDINGS):
        return Organization.Kind.GOVERNMENT
    if name.startswith(patterns.PARTY_PREFIXES):
        return Organization.Kind.PARTY
    if name.endswith(patterns.DEPARTMENT_ENDINGS):
        return Organization.Kind.DEPARTMENT
    if name.endswith(patterns.DISTRICT_ENDINGS):
        return Organization.Kind.DISTRICT
    return Organization.Kind.OTHER


def organizations_named(parsed: ParsedMinutes) -> dict[str, Organization]:
    """Every organisation the document names, fetched or created in two or three queries."""
    names = {parsed.issuer, parsed.compiled_office, parsed.printed_office}
    names.update(a.org for a in (*(parsed.attendees or ()), *(parsed.observers or ())))
    for item in parsed.items:
        for decision in item.decisions:
            names.update(decision.organizations)
    names.discard(None)
    names.discard("")
    return rows_named(
        Organization,
        "name",
        names,
        lambda name: Organization(name=name, kind=organization_kind(name)),
    )


def rows_named(model, field: str, names: set[str], build) -> dict:
    """The rows whose unique ``field`` is in ``names``, creating the missing ones."""
    found = {getattr(row, field): row for row in model.objects.filter(**{f"{field}__in": names})}
    missing = names - found.keys()
    if missing:
        # ignore_conflicts: another import may create the same name at the same moment. In
        # sorted order, so two imports inserting the same names wait for each other instead of
        # deadlocking on PostgreSQL's unique index (a set's order differs between processes).
        model.objects.bulk_create([build(name) for name in sorted(missing)], ignore_conflicts=True)
        found |= {
            getattr(row, field): row for row in model.objects.filter(**{f"{field}__in": missing})
        }
    return found


def meeting_kind(parsed: ParsedMinutes) -> str:
    """The stored kind of a parsed document; a text that names none is an executive meeting's."""
    return patterns.meeting_kind_value(parsed.kind, default=Meeting.Kind.EXECUTIVE)


def kind_label(parsed: ParsedMinutes, kind: str) -> str:
    """The printed kind when it differs from the kind's usual name (区长办公会议纪要), else ""."""
    printed = parsed.kind or ""
    return "" if printed in ("", patterns.MEETING_KIND_NAMES[kind]) else printed[:40]


def find_existing(parsed: ParsedMinutes) -> Meeting | None:
    """The stored document with the same 文号, issuer and kind, if any."""
    if parsed.year is None or parsed.seq is None:
        return None
    issuer = {"issuer__name": parsed.issuer} if parsed.issuer else {"issuer__isnull": True}
    return (
        Meeting.objects.with_doc_number(parsed.year, parsed.seq)
        .filter(kind=meeting_kind(parsed), **issuer)
        .first()
    )


@transaction.atomic
def import_parsed(
    parsed: ParsedMinutes,
    *,
    source_text: str = "",
    source_file=None,
    replace: bool = False,
    status: str | None = None,
    disclosure: str | None = None,
) -> ImportResult:
    """Save a parsed document with all its parts, in one transaction.

    An existing document with the same 文号 raises DuplicateDocument unless ``replace``;
    a replaced document keeps its id (and so its URLs) and, unless ``status`` is given,
    its workflow status. Only drafts and withdrawn documents are replaced without a ``status``
    (NotEditable otherwise), the same rule as editing in the admin: no word reaches the public
    without a review or an explicit decision to publish.
    """
    existing = find_existing(parsed)
    if existing and not replace:
        raise DuplicateDocument(existing)
    if existing and status is None and not existing.is_editable:
        raise NotEditable(existing)
    organizations = organizations_named(parsed)
    meeting = existing or Meeting()
    if existing:
        meeting.items.all().delete()
        meeting.attendances.all().delete()
        meeting.distributions.all().delete()
    meeting.issuer = organizations.get(parsed.issuer or "")
    meeting.kind = meeting_kind(parsed)
    meeting.kind_label = kind_label(parsed, meeting.kind)
    meeting.year, meeting.seq = parsed.year, parsed.seq
    meeting.session_no = parsed.session_no
    meeting.session_name = parsed.session_name or ""
    meeting.meeting_date = parsed.meeting_date
    meeting.time_of_day = patterns.TIME_OF_DAY_VALUES.get(parsed.time_of_day or "", "")
    meeting.chair = parsed.chair or ""
    meeting.chair_title = parsed.chair_title or ""
    meeting.place = parsed.place or ""
    meeting.opening = parsed.opening
    meeting.compiled_office = organizations.get(parsed.compiled_office or "")
    meeting.compiled_date = parsed.compiled_date
    meeting.printed_office = organizations.get(parsed.printed_office or "")
    meeting.printed_date = parsed.printed_date
    meeting.source_public = bool(parsed.public)
    if disclosure:
        meeting.disclosure = disclosure
    elif parsed.public:
        meeting.disclosure = Meeting.Disclosure.PUBLIC
    elif not existing:
        meeting.disclosure = Meeting.Disclosure.ON_REQUEST
    if status:
        meeting.status = status
    if meeting.status == Meeting.Status.PUBLISHED and not meeting.published_at:
        meeting.published_at = timezone.now()
    meeting.source_text = source_text
    if source_file is not None:
        meeting.source_file = source_file
    meeting.full_clean(exclude=["source_file"], validate_unique=True, validate_constraints=True)
    meeting.save()
    _save_items(meeting, parsed.items, organizations)
    _save_attendance(meeting, parsed, organizations)
    recipients = parsed.distribution or ()
    separators = (*parsed.distribution_separators, "")
    Distribution.objects.bulk_create(
        Distribution(
            meeting=meeting,
            position=position,
            recipient=recipient,
            separator=separators[position - 1] if position <= len(separators) else "",
        )
        for position, recipient in enumerate(recipients, start=1)
    )
    if meeting.status == Meeting.Status.PUBLISHED:
        sync_tasks(meeting)  # a published document's follow-up tasks (minutes.followup)
    return ImportResult(meeting=meeting, replaced=existing is not None)


def _save_items(meeting, items, organizations) -> None:
    """Items, then their decisions, reviews and assignments: one bulk insert per table."""
    saved_items = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            number=item.no,
            title=item.title,
            kind=patterns.ITEM_KIND_VALUES.get(item.kind, AgendaItem.Kind.OTHER),
        )
        for item in items
    )
    documents = rows_named(
        ReviewedDocument,
        "title",
        {title for item in items for title in item.reviewed},
        lambda title: ReviewedDocument(title=title),
    )
    Review.objects.bulk_create(
        Review(agenda_item=saved, document=documents[title], position=position)
        for saved, item in zip(saved_items, items, strict=True)
        for position, title in enumerate(dict.fromkeys(item.reviewed), start=1)
    )
    parsed_decisions = [
        (saved, position, decision)
        for saved, item in zip(saved_items, items, strict=True)
        for position, decision in enumerate(item.decisions, start=1)
    ]
    saved_decisions = Decision.objects.bulk_create(
        Decision(agenda_item=saved, position=position, number=decision.no, text=decision.text)
        for saved, position, decision in parsed_decisions
    )
    Assignment.objects.bulk_create(
        Assignment(decision=saved, organization=organizations[name], position=position)
        for saved, (_item, _position, decision) in zip(
            saved_decisions, parsed_decisions, strict=True
        )
        for position, name in enumerate(dict.fromkeys(decision.organizations), start=1)
    )


def _save_attendance(meeting, parsed, organizations) -> None:
    rows = []
    for role, attendees in (
        (Attendance.Role.PRESENT, parsed.attendees or ()),
        (Attendance.Role.OBSERVER, parsed.observers or ()),
    ):
        for position, attendee in enumerate(attendees, start=1):
            rows.append(
                Attendance(
                    meeting=meeting,
                    role=role,
                    position=position,
                    person_name=attendee.name or "",
                    organization=organizations.get(attendee.org or ""),
                    group=attendee.group or "",
                )
            )
    if parsed.recorder:
        rows.append(
            Attendance(
                meeting=meeting,
                role=Attendance.Role.RECORDER,
                position=1,
                person_name=parsed.recorder,
            )
        )
    Attendance.objects.bulk_create(rows)


def meeting_to_parsed(meeting: Meeting) -> ParsedMinutes:
    """The stored document as parser records (the inverse of ``import_parsed``)."""
    items = (
        meeting.items.prefetch_related("decisions__assignments__organization", "reviews__document")
        .order_by("number")
        .all()
    )
    attendances = list(meeting.attendances.select_related("organization").order_by("position"))

    def attendees(role) -> tuple[Attendee, ...] | None:
        chosen = tuple(
            Attendee(
                name=a.person_name or None,
                org=a.organization.name if a.organization_id else None,
                group=a.group or None,
            )
            for a in attendances
            if a.role == role
        )
        return chosen or None

    recorders = [a.person_name for a in attendances if a.role == Attendance.Role.RECORDER]
    distributions = list(meeting.distributions.order_by("position"))
    distribution = tuple(d.recipient for d in distributions)
    return ParsedMinutes(
        issuer=meeting.issuer.name if meeting.issuer_id else None,
        kind=meeting.kind_name,
        doc_number=meeting.doc_number or None,
        year=meeting.year,
        seq=meeting.seq,
        session_no=meeting.session_no,
        session_name=meeting.session_name or None,
        meeting_date=meeting.meeting_date,
        time_of_day=TIME_OF_DAY_BY_VALUE.get(meeting.time_of_day),
        chair=meeting.chair or None,
        chair_title=meeting.chair_title or None,
        place=meeting.place or None,
        opening=meeting.opening,
        items=tuple(
            ParsedItem(
                no=item.number,
                title=item.title,
                kind=ITEM_KIND_BY_VALUE.get(item.kind, ""),
                decisions=tuple(
                    ParsedDecision(
                        no=decision.number,
                        text=decision.text,
                        organizations=tuple(
                            assignment.organization.name
                            for assignment in decision.assignments.all()
                        ),
                    )
                    for decision in item.decisions.all()
                ),
                reviewed=tuple(review.document.title for review in item.reviews.all()),
            )
            for item in items
        ),
        attendees=attendees(Attendance.Role.PRESENT),
        observers=attendees(Attendance.Role.OBSERVER),
        recorder=recorders[0] if recorders else None,
        compiled_office=meeting.compiled_office.name if meeting.compiled_office_id else None,
        compiled_date=meeting.compiled_date,
        public=True if meeting.source_public else None,
        distribution=distribution or None,
        distribution_separators=tuple(d.separator for d in distributions[:-1]),
        printed_office=meeting.printed_office.name if meeting.printed_office_id else None,
        printed_date=meeting.printed_date,
    )
