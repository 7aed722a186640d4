"""What the search index holds, for every engine: each minutes document (DESIGN §4).

``index_queryset(using)`` decides what each audience's index holds: ``public`` only what an
anonymous reader may see, ``internal`` (and ``default``, its alias for haystack) everything.
The engines ask it for every change, which haystack's real-time signal processor does not.
``AgendaItemIndex`` states an item's searchable text, for an engine that indexes items apart;
the Whoosh engine indexes the document and finds its matching items when showing a hit.
"""

import gc
from collections import defaultdict
from contextlib import contextmanager

from django.db.models import Prefetch, QuerySet
from haystack import indexes

from minutes.models import (
    AgendaItem,
    Assignment,
    Attendance,
    Decision,
    Distribution,
    Meeting,
    Review,
)

PUBLIC = "public"


def meetings_for(using: str):
    """The documents a connection may hold, through the one door (DESIGN §3)."""
    meetings = Meeting.objects.published() if using == PUBLIC else Meeting.objects.all()
    return meetings.select_related("issuer", "compiled_office", "printed_office").prefetch_related(
        Prefetch(
            "items",
            AgendaItem.objects.order_by("number").prefetch_related(
                Prefetch(
                    "decisions",
                    Decision.objects.order_by("position").prefetch_related(
                        "assignments__organization"
                    ),
                ),
                "reviews__document",
            ),
        ),
        Prefetch("attendances", Attendance.objects.select_related("organization")),
        "distributions",
    )


def with_parts(meetings) -> list[Meeting]:
    """The documents of ``meetings`` (a queryset of ``meetings_for``) with every part loaded.

    The same objects ``meetings_for``'s prefetch gives, read in one flat query per kind of
    part and handed to each parent as its prefetched result: Django's nested prefetch builds
    a filtered queryset per parent object (16,000 per 200 documents), which was most of the
    time an index build spent reading. What is loaded is what ``meetings_for`` states.
    """
    with collector_paused():
        return load_parts(list(meetings.prefetch_related(None)))


@contextmanager
def collector_paused():
    """No cyclic garbage collection while a batch of documents is read.

    Tens of thousands of new model objects set off the collector over and over, each pass
    walking every object alive: reading 1,000 documents took 7 s of CPU with it, 1.2 s
    without. Their cycles (a part and its cached parent) are collected after the batch.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_parts(meetings: list[Meeting], *, assignments: bool = True) -> list[Meeting]:
    """Give ``meetings`` their parts, one flat query per kind (``assignments``: the 承办单位
    of each decision too; the results page does not show them)."""
    by_id = {meeting.pk: meeting for meeting in meetings}
    if not by_id:
        return meetings
    ids = list(by_id)
    items = list(AgendaItem.objects.filter(meeting_id__in=ids).order_by("meeting_id", "number"))
    item_ids = [item.pk for item in items]
    decisions = list(Decision.objects.filter(agenda_item_id__in=item_ids))
    reviews = Review.objects.filter(agenda_item_id__in=item_ids).select_related("document")
    if assignments:
        chosen = Assignment.objects.filter(
            decision_id__in=[decision.pk for decision in decisions]
        ).select_related("organization")
        attach(decisions, "assignments", chosen, "decision_id")
    attach(items, "decisions", decisions, "agenda_item_id")
    attach(items, "reviews", reviews, "agenda_item_id")
    attach(meetings, "items", items, "meeting_id")
    attendances = Attendance.objects.filter(meeting_id__in=ids).select_related("organization")
    attach(meetings, "attendances", attendances, "meeting_id")
    attach(meetings, "distributions", Distribution.objects.filter(meeting_id__in=ids), "meeting_id")
    return meetings


def attach(parents, name: str, children, parent_id: str) -> None:
    """Give each parent its ``children`` (in their order) as the prefetched ``parent.<name>``."""
    if not parents:
        return
    relation = getattr(type(parents[0]), name)  # the reverse many-to-one descriptor
    field, model = relation.field, relation.rel.related_model
    groups = defaultdict(list)
    for child in children:
        groups[getattr(child, parent_id)].append(child)
    for parent in parents:
        found = groups.get(parent.pk, [])
        for child in found:
            field.set_cached_value(child, parent)
        fetched = QuerySet(model)
        fetched._result_cache = found
        fetched._prefetch_done = True
        parent.__dict__.setdefault("_prefetched_objects_cache", {})[
            field.remote_field.cache_name
        ] = fetched


def item_text(item: AgendaItem) -> str:
    """The searchable text of one agenda item: its heading, decisions and reviewed titles."""
    parts = [str(item)]
    parts += [f"《{review.document.title}》" for review in item.reviews.all()]
    parts += [f"{decision.label}{decision.text}" for decision in item.decisions.all()]
    return "\n".join(parts)


def meeting_text(meeting: Meeting) -> str:
    """The searchable text of a whole document: its parts in reading order, then every line of
    its source text that they do not already hold (issue 8, item 9: a header the parser
    dropped, a paragraph it could not place, stays findable; a public index holds it only
    when the document is public, as it holds the rest)."""
    placed = parts_text(meeting)
    return "\n".join([placed, *unplaced_lines(meeting.source_text, placed)])


def unplaced_lines(source: str, placed: str) -> list[str]:
    """The lines of ``source`` that do not occur word for word in ``placed``.

    A line is looked for from where the previous one was found (the parts follow the source's
    order), and only then in the whole text: a long document costs one pass, not one per line.
    Searches never match across a line break of CJK text, so a line held anywhere is findable.
    """
    lines = []
    cursor = 0
    for line in source.splitlines():
        line = line.strip()
        if not line:
            continue
        found = placed.find(line, cursor)
        if found < 0:
            found = placed.find(line)
        if found < 0:
            lines.append(line)
        else:
            cursor = found + len(line)
    return lines


def parts_text(meeting: Meeting) -> str:
    """The text of a document's parts (what the parser placed or the clerk entered)."""
    parts = [
        meeting.title,
        meeting.doc_number,
        meeting.session_name,
        meeting.chair_title,
        meeting.chair,
        meeting.place,
        meeting.opening,
    ]
    parts += [item_text(item) for item in meeting.items.all()]
    parts += [str(attendance) for attendance in meeting.attendances.all()]
    parts += [office.name for office in (meeting.compiled_office, meeting.printed_office) if office]
    parts += [distribution.recipient for distribution in meeting.distributions.all()]
    return "\n".join(part for part in parts if part)


def organizations_of(meeting: Meeting) -> list[str]:
    names = [meeting.issuer.name] if meeting.issuer else []
    names += [a.organization.name for a in meeting.attendances.all() if a.organization]
    for item in meeting.items.all():
        for decision in item.decisions.all():
            names += [assignment.organization.name for assignment in decision.assignments.all()]
    return list(dict.fromkeys(names))


def people_of(meeting: Meeting) -> list[str]:
    names = [meeting.chair] if meeting.chair else []
    names += [a.person_name for a in meeting.attendances.all() if a.person_name]
    return list(dict.fromkeys(names))


class MeetingIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True)
    meeting_id = indexes.IntegerField(model_attr="pk")
    # The advanced search's fields (``query.TEXT_FIELDS``), each matched literally on its own.
    title = indexes.CharField(model_attr="title")
    chair = indexes.CharField(model_attr="chair", null=True)
    doc_number = indexes.CharField(null=True)
    year = indexes.IntegerField(null=True, faceted=True)
    date = indexes.DateField(model_attr="meeting_date", null=True)
    kind = indexes.CharField(model_attr="kind", faceted=True)
    issuer = indexes.CharField(null=True, faceted=True)
    status = indexes.CharField(model_attr="status")
    updated_at = indexes.DateTimeField(model_attr="updated_at", indexed=False)
    organizations = indexes.MultiValueField(faceted=True)
    people = indexes.MultiValueField(faceted=True)

    def get_model(self):
        return Meeting

    def index_queryset(self, using=None):
        return meetings_for(using)

    def prepare_text(self, meeting):
        return meeting_text(meeting)

    def prepare_doc_number(self, meeting):
        return f"{meeting.year}-{meeting.seq}" if meeting.year and meeting.seq else None

    def prepare_year(self, meeting):
        return meeting.meeting_date.year if meeting.meeting_date else meeting.year

    def prepare_issuer(self, meeting):
        return meeting.issuer.name if meeting.issuer else None

    def prepare_organizations(self, meeting):
        return organizations_of(meeting)

    def prepare_people(self, meeting):
        return people_of(meeting)


class AgendaItemIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True)
    meeting_id = indexes.IntegerField(model_attr="meeting_id")

    def get_model(self):
        return AgendaItem

    def index_queryset(self, using=None):
        return AgendaItem.objects.filter(meeting__in=meetings_for(using).values("pk"))

    def prepare_text(self, item):
        return item_text(item)
