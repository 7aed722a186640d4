"""A search as the reader sees it: hits as rows (through the one door), snippets, facets, pages."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from minutes.models import AgendaItem, Decision, Meeting
from minutes.search import analysis, queries
from minutes.search.forms import FACET_PARAMETERS
from minutes.search.indexing import backend
from minutes.search_indexes import item_text

FACET_TITLES = {
    "year": _("Year"),
    "kind": _("Kind"),
    "issuer": _("Issuer"),
    "organizations": _("Organization"),
    "people": _("Person"),
}
PARAMETER_OF = {field_name: parameter for parameter, field_name in FACET_PARAMETERS.items()}


def index_for(user) -> str:
    """The connection a user's searches read: the same test as ``Meeting.objects.visible_to``.

    Anonymous and non-staff searches only ever open ``public``, so nothing unpublished can
    reach them through a hit, a snippet or a facet count, whatever a filter does.
    """
    return "internal" if user is not None and user.is_active and user.is_staff else "public"


def doc_number_match(user, form) -> Meeting | None:
    """The one document the user may see whose 文号 is the whole query, if exactly one."""
    doc_number = analysis.parse_doc_number(form.query)
    if doc_number is None:
        return None
    matches = list(Meeting.objects.visible_to(user).with_doc_number(*doc_number)[:2])
    return matches[0] if len(matches) == 1 else None


@dataclass
class ResultItem:
    item: AgendaItem
    snippets: list


@dataclass
class Result:
    meeting: Meeting
    snippets: list
    items: list[ResultItem]


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    url: str


@dataclass
class SearchResults:
    query: str
    count: int
    page: int
    results: list[Result]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    staff: bool = False
    params: object = None

    @property
    def pages(self) -> int:
        return max(math.ceil(self.count / queries.PER_PAGE), 1)

    @property
    def searched(self) -> bool:
        return self.params is not None

    def page_url(self, page: int) -> str:
        params = self.params.copy()
        params["page"] = page
        return "?" + params.urlencode()

    @property
    def previous_url(self):
        return self.page_url(self.page - 1) if self.page > 1 else None

    @property
    def next_url(self):
        return self.page_url(self.page + 1) if self.page < self.pages else None

    def facet_groups(self):
        return [(FACET_TITLES[name], values) for name, values in self.facets.items() if values]

    def as_json(self, request) -> dict:
        return {
            "count": self.count,
            "page": self.page,
            "results": [
                {
                    "id": result.meeting.pk,
                    "url": request.build_absolute_uri(result.meeting.get_absolute_url()),
                    "doc_number": result.meeting.doc_number,
                    "title": result.meeting.title,
                    "meeting_date": result.meeting.meeting_date.isoformat()
                    if result.meeting.meeting_date
                    else None,
                    "snippets": [str(snippet) for snippet in result.snippets],
                    "items": [
                        {
                            "no": entry.item.number,
                            "title": entry.item.title,
                            "url": request.build_absolute_uri(entry.item.get_absolute_url()),
                            "snippets": [str(snippet) for snippet in entry.snippets],
                        }
                        for entry in result.items
                    ],
                }
                for result in self.results
            ],
            "facets": {
                name: [{"value": value.value, "count": value.count} for value in values]
                for name, values in self.facets.items()
            },
        }


def run_search(user, form, *, doc_number_first: bool = True) -> SearchResults:
    """Search the index this user may read and load the hits through the one door."""
    query_text, filters = form.query, form.filters
    doc_number = analysis.parse_doc_number(query_text) if doc_number_first else None
    if doc_number is not None:
        # A 文号 goes straight to its document(s), not to every text mentioning the year.
        query_text = ""
        filters.selected["doc_number"] = [f"{doc_number[0]}-{doc_number[1]}"]
    if not query_text and not filters:
        return SearchResults(query="", count=0, page=1, results=[])
    page_number = requested_page(form)
    searcher = backend(index_for(user)).searcher()
    sort = form.value("sort", "relevance")
    page = queries.search(searcher, query_text, filters, sort=sort, page=page_number)
    last = max(math.ceil(page.count / queries.PER_PAGE), 1)
    if page_number > last:
        # Past the end: the last page, as browse does (one rule for both, issue 10).
        page_number = last
        page = queries.search(searcher, query_text, filters, sort=sort, page=page_number)
    return SearchResults(
        query=form.query,
        count=page.count,
        page=page_number,
        results=load_results(user, page),
        facets=facet_values(page.facets, form),
        staff=index_for(user) == "internal",
        params=form.data,
    )


MAX_PAGE = 500  # the form's bound: deeper pages cost a collector of page x PER_PAGE hits


def requested_page(form) -> int:
    """The page asked for, read as browse reads it: not a number or below 1 is page 1."""
    raw = str(form.data.get("page", "")).strip()
    return min(max(int(raw), 1), MAX_PAGE) if raw.isdigit() else 1


def load_results(user, page) -> list[Result]:
    ids = [hit.meeting_id for hit in page.hits]
    meetings = Meeting.objects.visible_to(user).select_related("issuer").in_bulk(ids)
    item_ids = [pk for pks in page.items.values() for pk in pks]
    items: dict[int, list[AgendaItem]] = {}
    for item in (
        AgendaItem.objects.filter(pk__in=item_ids, meeting__in=list(meetings.values()))
        .order_by("meeting", "number")
        .prefetch_related(
            Prefetch("decisions", Decision.objects.order_by("position")), "reviews__document"
        )
    ):
        # The page's items link to their document: give them the one already loaded
        # (item.get_absolute_url() read item.meeting: a query per item, 120 on a page).
        item.meeting = meetings[item.meeting_id]
        items.setdefault(item.meeting_id, []).append(item)
    results = []
    for pk in ids:
        if pk not in meetings:
            continue  # left the database since the index saw it; the queue will catch up
        meeting = meetings[pk]
        header = "\n".join(part for part in (meeting.title, meeting.opening) if part)
        results.append(
            Result(
                meeting=meeting,
                snippets=queries.snippets(header, page.terms, limit=1),
                items=[
                    ResultItem(item, queries.snippets(item_text(item), page.terms, limit=2))
                    for item in items.get(pk, [])
                ],
            )
        )
    return results


def facet_values(facets, form) -> dict[str, list[FacetValue]]:
    kinds = dict(Meeting.Kind.choices)
    grouped = {}
    for name, counts in facets.items():
        parameter = PARAMETER_OF[name]
        chosen = form.selected.get(name, [])
        values = []
        for value, count in counts:
            params = form.data.copy()
            params.pop("page", None)
            current = [v for v in params.getlist(parameter) if v != value]
            params.setlist(parameter, current if value in chosen else [*current, value])
            values.append(
                FacetValue(
                    value=value,
                    label=str(kinds.get(value, value)) if name == "kind" else value,
                    count=count,
                    selected=value in chosen,
                    url="?" + params.urlencode(),
                )
            )
        grouped[name] = values
    return grouped
