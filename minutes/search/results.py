"""A search as the reader sees it: hits as rows (through the one door), snippets, facets, pages."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from minutes import search
from minutes.models import AgendaItem, Decision, Meeting
from minutes.search import analysis, highlight
from minutes.search.forms import FACET_PARAMETERS
from minutes.search.query import SearchPage, SearchRequest, Term
from minutes.search_indexes import item_text

FACET_TITLES = {
    "year": _("Year"),
    "kind": _("Kind"),
    "issuer": _("Issuer"),
    "organizations": _("Organization"),
    "people": _("Person"),
}
PARAMETER_OF = {field_name: parameter for parameter, field_name in FACET_PARAMETERS.items()}
FACET_LIMIT = 12  # values shown per facet, the most frequent first


def audience_for(user) -> str:
    """The audience of a user's searches: the same test as ``Meeting.objects.visible_to``.

    Anonymous and non-staff searches are ``public``: the engine cannot match anything
    unpublished for them, through a hit, a snippet or a facet count, whatever a filter does.
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
    per_page: int = 20

    @property
    def pages(self) -> int:
        return max(math.ceil(self.count / self.per_page), 1)

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
    """Search what this user may read and load the hits through the one door."""
    request = form.search_request(audience_for(user), doc_number_first=doc_number_first)
    if not request:
        return SearchResults(query="", count=0, page=1, results=[])
    page = search.search(request)
    last = max(math.ceil(page.count / request.per_page), 1)
    if request.page > last:
        # Past the end: the last page, as browse does (one rule for both, issue 10).
        request.page = last
        page = search.search(request)
    return SearchResults(
        query=form.query,
        count=page.count,
        page=request.page,
        results=load_results(user, page, request),
        facets=facet_values(page.facets, form),
        staff=request.audience == "internal",
        params=form.data,
        per_page=request.per_page,
    )


def holds(text: str, term: Term) -> bool:
    """Whether ``text`` holds ``term`` as an engine matches it: its characters literally, or
    (unquoted) every one of its jieba words (``highlight`` applies the same literal rules)."""
    patterns = [highlight.pattern_for(literal) for literal in term.literals]
    if any(pattern and pattern.search(text) for pattern in patterns):
        return True
    words = [] if term.quoted else term.words
    return bool(words) and all(
        (pattern := highlight.pattern_for(word)) and pattern.search(text) for word in words
    )


def snippets(text: str, terms: list[Term], *, limit: int) -> list:
    return highlight.snippets(text, [term.highlight_alternatives() for term in terms], limit=limit)


def matching_items(meetings, terms: list[Term]) -> dict[int, list[tuple[AgendaItem, str]]]:
    """The agenda items of these documents that hold any of the terms, in order.

    Found here rather than indexed one by one: a document's items are a few dozen short texts,
    read once for the page anyway, and the index then holds one entry per document.
    """
    if not terms or not meetings:
        return {}
    found: dict[int, list[tuple[AgendaItem, str]]] = {}
    for item in (
        AgendaItem.objects.filter(meeting__in=list(meetings.values()))
        .order_by("meeting", "number")
        .prefetch_related(
            Prefetch("decisions", Decision.objects.order_by("position")), "reviews__document"
        )
    ):
        text = item_text(item)
        if any(holds(text, term) for term in terms):
            # The page's items link to their document: give them the one already loaded
            # (item.get_absolute_url() read item.meeting: a query per item, 120 on a page).
            item.meeting = meetings[item.meeting_id]
            found.setdefault(item.meeting_id, []).append((item, text))
    return found


def load_results(user, page: SearchPage, request: SearchRequest) -> list[Result]:
    ids = [hit.meeting_id for hit in page.hits]
    meetings = Meeting.objects.visible_to(user).select_related("issuer").in_bulk(ids)
    terms = request.terms
    items = matching_items(meetings, terms)
    results = []
    for pk in ids:
        if pk not in meetings:
            continue  # left the database since the index saw it; the queue will catch up
        meeting = meetings[pk]
        header = "\n".join(part for part in (meeting.title, meeting.opening) if part)
        results.append(
            Result(
                meeting=meeting,
                snippets=snippets(header, terms, limit=1),
                items=[
                    ResultItem(item, snippets(text, terms, limit=2))
                    for item, text in items.get(pk, [])
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
        ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:FACET_LIMIT]
        for value, count in ranked:
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
