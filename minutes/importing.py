"""The only code that turns a ParsedMinutes into rows, and rows back into one.

Every import runs in one transaction: a document is saved whole or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
from minutes.parsing import parse, patterns
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


class IssuerSource:
    """Where the issuer of an imported document comes from."""

    TEXT = "text"  # the text names it
    CLERK = "clerk"  # the clerk named it (import form, import_minutes --issuer)
    DEFAULT = "default"  # settings.MINUTES_DEFAULT_ISSUER, for a text that names none
    NONE = ""


@dataclass(frozen=True)
class Note:
    """What the import itself has to say about one part (beside the parser's warnings)."""

    field: str
    message: str


@dataclass(frozen=True)
class Visibility:
    """Whether anonymous readers will see the document, and why (not)."""

    public: bool
    message: str


# The parts a preview and import_minutes report as found or missing, in the order of the
# document; the keys are those of ParsedMinutes.to_dict() (and of ParseWarning.field).
PARTS = [
    ("issuer", gettext_lazy("issuer")),
    ("doc_number", gettext_lazy("document number")),
    ("session_no", gettext_lazy("session number")),
    ("meeting_date", gettext_lazy("meeting date")),
    ("chair", gettext_lazy("chair")),
    ("items", gettext_lazy("agenda items")),
    ("decisions", gettext_lazy("decisions")),
    ("attendees", gettext_lazy("attendees")),
    ("observers", gettext_lazy("observers")),
    ("recorder", gettext_lazy("recorder")),
    ("compiled_date", gettext_lazy("compiling office and date")),
    ("distribution", gettext_lazy("distribution")),
    ("printed_date", gettext_lazy("printing office and date")),
]


def missing_parts(parsed: ParsedMinutes) -> list[tuple[str, str]]:
    """The parts of the document that the text did not give, as (field, label)."""
    present = {
        "issuer": parsed.issuer,
        "doc_number": parsed.doc_number,
        "session_no": parsed.session_no or parsed.session_name,
        "meeting_date": parsed.meeting_date,
        "chair": parsed.chair,
        "items": parsed.items,
        "decisions": any(item.decisions for item in parsed.items),
        "attendees": parsed.attendees,
        "observers": parsed.observers,
        "recorder": parsed.recorder,
        "compiled_date": parsed.compiled_office or parsed.compiled_date,
        "distribution": parsed.distribution,
        "printed_date": parsed.printed_office or parsed.printed_date,
    }
    return [(field, str(label)) for field, label in PARTS if not present[field]]


def resolve_disclosure(
    parsed: ParsedMinutes, chosen: str | None, existing: Meeting | None
) -> tuple[str, str]:
    """The disclosure class a document gets, and the reason in a sentence.

    The clerk's choice first; else 主动公开 when the source says 此件公开发布; else a replaced
    document keeps its own; else 依申请公开.
    """
    if chosen:
        label = Meeting.Disclosure(chosen).label
        return chosen, _("You chose the disclosure “%(disclosure)s”.") % {"disclosure": label}
    if parsed.public:
        value = Meeting.Disclosure.PUBLIC
        return value, _("The source says 此件公开发布, so the disclosure is “%(disclosure)s”.") % {
            "disclosure": value.label
        }
    if existing:
        label = Meeting.Disclosure(existing.disclosure).label
        return existing.disclosure, _(
            "The stored document keeps its disclosure “%(disclosure)s”."
        ) % {"disclosure": label}
    value = Meeting.Disclosure.ON_REQUEST
    return value, _(
        "The source does not say 此件公开发布, so the disclosure is “%(disclosure)s”."
    ) % {"disclosure": value.label}


def visibility(disclosure: str, status: str, reason: str, chosen: bool) -> Visibility:
    """The verdict a preview and import_minutes give for one document: will anonymous readers
    see it (now, or once it is published), and why (not)."""
    public = disclosure == Meeting.Disclosure.PUBLIC
    published = status == Meeting.Status.PUBLISHED
    if public:
        verdict = (
            _("Visible to the public") if published else _("Visible to the public once published")
        )
    else:
        verdict = (
            _("Published, but not visible to the public")
            if published
            else _("Not visible to the public, even once published")
        )
    message = _("%(verdict)s: %(reason)s") % {"verdict": verdict, "reason": reason}
    if not public and not chosen:
        hint = _("Choose “%(public)s” if the document may be released.") % {
            "public": Meeting.Disclosure.PUBLIC.label
        }
        message = _("%(message)s %(hint)s") % {"message": message, "hint": hint}
    return Visibility(public=public, message=message)


@dataclass(frozen=True)
class ImportPlan:
    """What saving a parsed text would do: the issuer, disclosure and visibility it gets, what
    stops it, and what the clerk should know. The preview shows it; the save follows it."""

    parsed: ParsedMinutes  # as it will be saved: the issuer resolved
    text_issuer: str | None
    issuer_source: str
    issuer_known: Organization | None
    existing: Meeting | None
    replace: bool
    status: str | None
    disclosure: str
    chosen_disclosure: str | None
    visibility: Visibility
    notes: tuple[Note, ...]
    problems: tuple[Note, ...]  # each stops the save

    @property
    def issuer(self) -> str | None:
        return self.parsed.issuer

    @property
    def missing(self) -> list[tuple[str, str]]:
        return missing_parts(self.parsed)

    @property
    def stable_url(self) -> str | None:
        """The document's address by issuer, kind and 文号, when it will have one."""
        if not (self.issuer_known and self.parsed.year and self.parsed.seq):
            return None
        return Meeting(
            issuer=self.issuer_known,
            kind=meeting_kind(self.parsed),
            year=self.parsed.year,
            seq=self.parsed.seq,
        ).get_absolute_url()


def plan_import(
    parsed: ParsedMinutes,
    *,
    issuer: str | None = None,
    disclosure: str | None = None,
    replace: bool = False,
    status: str | None = None,
) -> ImportPlan:
    """Decide how a parsed text would be saved, without saving anything.

    The issuer: the one the clerk names wins (with a note when the text names another), then
    the one the text names, then ``settings.MINUTES_DEFAULT_ISSUER``; a document that none of
    them names is a problem, so that no list shows a bare 常务会议纪要 that a clerk could have
    said who issued.
    """
    notes: list[Note] = []
    problems: list[Note] = []
    chosen = " ".join((issuer or "").split())
    default = " ".join(settings.MINUTES_DEFAULT_ISSUER.split())
    if chosen:
        source, name = IssuerSource.CLERK, chosen
        if parsed.issuer and parsed.issuer != chosen:
            notes.append(
                Note(
                    "issuer",
                    _(
                        "The text names “%(text)s” as the issuer; “%(chosen)s”, which you named, "
                        "will be saved."
                    )
                    % {"text": parsed.issuer, "chosen": chosen},
                )
            )
    elif parsed.issuer:
        source, name = IssuerSource.TEXT, parsed.issuer
    elif default:
        source, name = IssuerSource.DEFAULT, default
        notes.append(
            Note(
                "issuer",
                _(
                    "The text does not name its issuer: the archive's default issuer "
                    "“%(issuer)s” will be saved."
                )
                % {"issuer": default},
            )
        )
    else:
        source, name = IssuerSource.NONE, None
        problems.append(
            Note(
                "issuer",
                _(
                    "The text does not name its issuer: name it, so that the document has an "
                    "address and lists say who issued it."
                ),
            )
        )
    known = Organization.objects.filter(name=name).first() if name else None
    if name and known is None:
        notes.append(
            Note(
                "issuer",
                _(
                    "“%(issuer)s” is not among the known organizations: a new one will be "
                    "created. Check its spelling."
                )
                % {"issuer": name},
            )
        )
    planned = replace_issuer(parsed, name)
    existing = find_existing(planned)
    if existing and not replace:
        problems.append(Note("doc_number", str(DuplicateDocument(existing))))
    elif existing and status is None and not existing.is_editable:
        problems.append(Note("doc_number", str(NotEditable(existing))))
    elif existing:
        notes.append(
            Note(
                "doc_number",
                _("Saving replaces the stored %(doc)s (id %(id)s); it keeps its id and address.")
                % {"doc": existing, "id": existing.pk},
            )
        )
    value, reason = resolve_disclosure(planned, disclosure, existing if replace else None)
    final_status = status or (existing.status if existing and replace else Meeting.Status.DRAFT)
    return ImportPlan(
        parsed=planned,
        text_issuer=parsed.issuer,
        issuer_source=source,
        issuer_known=known,
        existing=existing,
        replace=replace,
        status=status,
        disclosure=value,
        chosen_disclosure=disclosure or None,
        visibility=visibility(value, final_status, reason, chosen=bool(disclosure)),
        notes=tuple(notes),
        problems=tuple(problems),
    )


def replace_issuer(parsed: ParsedMinutes, name: str | None) -> ParsedMinutes:
    """The parsed document with the issuer that will be saved."""
    return parsed if parsed.issuer == name else replace(parsed, issuer=name)


def save_plan(plan: ImportPlan, *, source_text: str = "", source_file=None) -> ImportResult:
    """Save a planned import (raising what ``import_parsed`` raises)."""
    return import_parsed(
        plan.parsed,
        source_text=source_text,
        source_file=source_file,
        replace=plan.replace,
        status=plan.status,
        disclosure=plan.chosen_disclosure,
    )


def parse_text(text: str) -> ParsedMinutes:
    """Parse a text to import it: the organisations the archive already knows are passed to
    the parser, whose extraction then accepts a known name it would otherwise doubt."""
    return parse(text, known_organizations=Organization.objects.values_list("name", flat=True))


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

    ``source_file`` is a Django ``File`` (the upload as received), stored with the document;
    if the import fails, the stored copy is removed again, so nothing is left half-saved.
    """
    stored: list[str] = []
    try:
        return _import_parsed(
            parsed,
            source_text=source_text,
            source_file=source_file,
            replace=replace,
            status=status,
            disclosure=disclosure,
            stored=stored,
        )
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


@transaction.atomic
def _import_parsed(
    parsed, *, source_text, source_file, replace, status, disclosure, stored
) -> ImportResult:
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
    meeting.doc_number_ordinal = "第" in (parsed.doc_number or "")
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
    meeting.disclosure = resolve_disclosure(parsed, disclosure, existing)[0]
    if status:
        meeting.status = status
    if meeting.status == Meeting.Status.PUBLISHED and not meeting.published_at:
        meeting.published_at = timezone.now()
    meeting.source_text = source_text
    meeting.full_clean(exclude=["source_file"], validate_unique=True, validate_constraints=True)
    if source_file is not None:
        meeting.source_file.save(source_file.name, source_file, save=False)
        stored.append(meeting.source_file.name)
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
