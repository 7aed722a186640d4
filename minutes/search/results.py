"""A search as the reader sees it: hits as rows (through the one door), snippets, facets, pages,
and the search's own state — the active filters as chips, each removable, and "clear all".

The page talks only to the search interface (``minutes.search.search``): what matched in each
document is found again here, at display time, in the few documents of one page.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import QueryDict
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minutes import search
from minutes.directory import pinyin_key
from minutes.models import (
    AgendaItem,
    Meeting,
    Organization,
    sees_everything,
)
from minutes.search import analysis, highlight, query
from minutes.search.forms import FACET_PARAMETERS, SearchForm
from minutes.search_indexes import load_parts

FACET_TITLES = {
    "year": _("Year"),
    "kind": _("Kind"),
    "issuer": _("Issuer"),
    "organizations": _("Organization"),
    "people": _("Person"),
}
PARAMETER_OF = {field_name: parameter for parameter, field_name in FACET_PARAMETERS.items()}
# Values of a facet shown at once; the next FACET_MORE wait behind "N more". A facet of a
# province's archive names thousands of people: the rest are reached by searching a name.
FACET_TOP = 8
FACET_MORE = 40
# The empty search page: where to start.
START_FACETS = {"year": 12, "kind": 8, "organizations": 12}
# The advanced search's own fields: shown open when one is filled in.
ADVANCED_FIELDS = ("title", "doc_number", "chair")
# The advanced search's list of organisations to pick from.
ORGANIZATION_CHOICES = 300
SNIPPET_WIDTH = 40


def audience_for(user) -> str:
    """Which documents a user's searches may match: the same test as ``Meeting.objects.visible_to``.

    Anonymous and non-staff searches are ``public``, so nothing unpublished can reach them
    through a hit, a snippet or a facet count, whatever a filter does.
    """
    return "internal" if sees_everything(user) else "public"


def doc_number_match(user, form) -> Meeting | None:
    """The one document the user may see whose 文号 is the whole query, if exactly one."""
    doc_number = analysis.parse_doc_number(form.query)
    if doc_number is None or form.problems:
        return None
    matches = list(Meeting.objects.visible_to(user).with_doc_number(*doc_number)[:2])
    return matches[0] if len(matches) == 1 else None


@dataclass
class ResultItem:
    item: AgendaItem
    title: SafeString
    snippets: list


@dataclass
class Result:
    meeting: Meeting
    title: SafeString
    snippets: list
    items: list[ResultItem]


@dataclass
class FacetValue:
    """One value of a facet: a checkbox of the search form, or a link to start from."""

    parameter: str
    value: str
    label: str
    count: int
    selected: bool
    url: str = ""

    @property
    def id(self) -> str:
        return f"facet-{self.parameter}-{self.value.encode().hex()}"


@dataclass
class FacetGroup:
    name: str
    title: str
    shown: list[FacetValue]
    more: list[FacetValue]
    hidden: int = 0  # values neither shown nor behind "more"


@dataclass
class Chip:
    """One active filter, and the address of the same search without it."""

    label: str
    url: str


@dataclass
class SearchResults:
    query: str
    count: int = 0
    page: int = 1
    results: list[Result] = field(default_factory=list)
    facets: list[FacetGroup] = field(default_factory=list)
    staff: bool = False
    params: QueryDict | None = None
    searched: bool = False
    chips: list[Chip] = field(default_factory=list)
    clear_url: str = ""
    hidden_fields: list[tuple[str, str]] = field(default_factory=list)
    advanced_open: bool = False
    user: object = None
    nothing_to_search: bool = False
    organization_choices: list[str] = field(default_factory=list)
    suggestions: list[FacetGroup] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(math.ceil(self.count / query.PER_PAGE), 1)

    @cached_property
    def issuer_choices(self) -> list[str]:
        """The advanced search's issuers (the page's only: the API never asks)."""
        return issuer_choices(self.user)

    @property
    def page_obj(self):
        """The page as Django's paginator gives it, for the site's one pagination fragment."""
        paginator = Paginator(range(self.count), query.PER_PAGE)
        return paginator.page(min(self.page, paginator.num_pages))

    @property
    def page_range(self):
        return self.page_obj.paginator.get_elided_page_range(self.page, on_each_side=2, on_ends=1)

    @property
    def page_query(self) -> str:
        """The search's parameters less its page, ready for "page=N" to follow."""
        params = without_page(self.params).urlencode()
        return f"{params}&" if params else ""

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

    @property
    def facet_groups(self) -> list[FacetGroup]:
        return [group for group in self.facets if group.shown]

    def as_json(self, request) -> dict:
        return {
            "count": self.count,
            "page": self.page,
            "pages": self.pages,
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
                group.name: [
                    {"value": value.value, "count": value.count}
                    for value in group.shown + group.more
                ]
                for group in self.facets
            },
        }


def run_search(user, form: SearchForm) -> SearchResults:
    """Search what this user may see and load the hits through the one door.

    A form with problems (a query too long, a date that is not one) searches nothing: the
    page says what to correct and keeps what was typed.
    """
    audience = audience_for(user)
    results = SearchResults(
        query=form.query,
        staff=audience == "internal",
        params=form.data,
        chips=chips(form),
        clear_url=clear_url(form),
        hidden_fields=hidden_fields(form),
        advanced_open=any(str(form.data.get(name, "")).strip() for name in ADVANCED_FIELDS),
    )
    results.user = user
    if form.problems:
        return results
    request = form.search_request(audience)
    if not request:
        # Nothing asked yet (or only punctuation): where to start, counted in what this
        # reader may see.
        results.nothing_to_search = bool(form.query)
        facets = search.search(everything(audience)).facets
        results.suggestions = start_suggestions(facets)
        results.organization_choices = most_frequent(facets.get("organizations", {}))
        return results
    page = search.search(request)
    last = max(math.ceil(page.count / request.per_page), 1)
    if request.page > last:
        # Past the end: the last page, as browse does (one rule for both, issue 10).
        request.page = last
        page = search.search(request)
    results.searched = True
    results.count = page.count
    results.page = request.page
    results.results = load_results(user, page, request)
    results.facets = facet_groups(page.facets, form)
    # The selected values are the facets' checked boxes now: no hidden copy to uncheck.
    results.hidden_fields = []
    results.organization_choices = most_frequent(page.facets.get("organizations", {}))
    return results


def issuer_choices(user) -> list[str]:
    """The issuers of the documents a user may see, in pinyin order (one index probe each)."""
    visible = Meeting.objects.visible_to(user)
    names = Organization.objects.filter(Exists(visible.filter(issuer=OuterRef("pk"))))
    return sorted(names.values_list("name", flat=True), key=pinyin_key)


def everything(audience: str) -> query.SearchRequest:
    """A request every document the audience may see matches: every kind is one of the kinds."""
    return query.SearchRequest(
        selected={"kind": list(Meeting.Kind.values)}, per_page=1, audience=audience
    )


def start_suggestions(facets: dict[str, dict[str, int]]) -> list[FacetGroup]:
    """The empty search page's ways in: years, kinds, the most frequent organisations."""
    empty = SearchForm(QueryDict())
    groups = []
    for name, top in START_FACETS.items():
        # Years: the latest; the others: the most frequent.
        limit = None if name == "year" else top
        values = facet_values(name, facets.get(name, {}), empty, links=True, limit=limit)
        if name == "year":
            values.sort(key=lambda value: value.value, reverse=True)
        if values:
            groups.append(FacetGroup(name, str(FACET_TITLES[name]), values[:top], []))
    return groups


def most_frequent(counts: dict[str, int], limit: int = ORGANIZATION_CHOICES) -> list[str]:
    return [value for value, _count in ranked(counts, limit)]


def ranked(counts: dict[str, int], limit: int) -> list[tuple[str, int]]:
    """The ``limit`` first (value, count) pairs in facet order (``by_count``).

    Only the values that can be among them are put in pinyin order: at 10,000 documents the
    people facet holds 9,000 names, and ordering them all took most of a search page's time.
    """
    if len(counts) > limit:
        least = heapq.nlargest(limit, counts.values())[-1]
        counts = {value: count for value, count in counts.items() if count >= least}
    return sorted(counts.items(), key=by_count)[:limit]


def by_count(pair: tuple[str, int]):
    """Facet order: most documents first, ties in pinyin order (years: the latest first)."""
    value, count = pair
    if value.isdigit():
        return (-count, ([f"{9999 - int(value):04d}"], value))
    return (-count, pinyin_key(value))


# ------------------------------------------------------------------------------------ hits


def load_results(user, page, request) -> list[Result]:
    """The hits' documents (those the user may see) with the parts a result shows, each
    item knowing its document (``item.get_absolute_url()``) without a query."""
    ids = [hit.meeting_id for hit in page.hits]
    meetings = Meeting.objects.visible_to(user).select_related("issuer").filter(pk__in=ids)
    meetings = {meeting.pk: meeting for meeting in load_parts(list(meetings), assignments=False)}
    results = []
    for pk in ids:
        if pk not in meetings:
            continue  # left the database since the index saw it; the queue will catch up
        meeting = meetings[pk]
        results.append(result_for(meeting, list(meeting.items.all()), request.terms))
    return results


def holds(text: str, term: query.Term) -> bool:
    """Whether ``text`` holds ``term`` as an engine matches it: its characters literally, or
    (unquoted) every one of its jieba words (``highlight`` applies the same literal rules)."""
    patterns = [highlight.pattern_for(literal) for literal in term.literals]
    if any(pattern and pattern.search(text) for pattern in patterns):
        return True
    words = [] if term.quoted else term.words
    return bool(words) and all(
        (pattern := highlight.pattern_for(word)) and pattern.search(text) for word in words
    )


def result_for(meeting: Meeting, items: list[AgendaItem], terms: list[query.Term]) -> Result:
    """A hit as shown: its title marked, one snippet per part that matched, never twice.

    The parts are each agenda item that holds a term (its heading is the link, marked; a
    snippet only from its decisions and reviewed titles), the opening (unless what matched
    there is a heading or decision already shown: the opening usually names the items), and
    the rest of the document (attendance, place, 分送) when nothing else showed a match — so
    every hit shows why it was found.
    """
    marks = [term.highlight_alternatives() for term in terms]
    title = highlight.highlight(meeting.title, highlight.match_spans(meeting.title, marks))
    entries, shown = [], []
    for item in items:
        heading = str(item)
        body = item_body(item, heading)
        if any(holds(f"{heading}\n{body}", term) for term in terms):
            heading_marked = highlight.highlight(heading, highlight.match_spans(heading, marks))
            entries.append(ResultItem(item, heading_marked, excerpt(body, marks)))
            shown += [heading, body]
    snippets = excerpt(meeting.opening, marks, shown)
    if marks and not snippets and not entries:
        snippets = excerpt(rest_of(meeting), marks)
    if not snippets and not any(entry.snippets for entry in entries):
        # Found by a filter alone, by the title, or only by an item's heading: the
        # document's first words say what it is about.
        lead = meeting.opening or rest_of(meeting)
        if lead:
            cut = lead[: 2 * SNIPPET_WIDTH]
            snippets = [highlight.highlight(cut, []) + ("…" if len(lead) > len(cut) else "")]
    return Result(meeting, title, snippets, entries)


def item_body(item: AgendaItem, heading: str) -> str:
    """An item's text below its heading: what it reviewed (unless the heading names it), decided."""
    parts = [
        f"《{review.document.title}》"
        for review in item.reviews.all()
        if review.document.title not in heading
    ]
    parts += [f"{decision.label}{decision.text}" for decision in item.decisions.all()]
    return "\n".join(parts)


def snippets(text: str, terms: list[query.Term], *, limit: int) -> list[SafeString]:
    """Up to ``limit`` marked excerpts of ``text`` for these terms (any part, in order)."""
    return highlight.snippets(text, [term.highlight_alternatives() for term in terms], limit=limit)


CLAUSE_ENDS = "。；，：！？\n"


def excerpt(text: str, marks, shown: list[str] = ()) -> list[SafeString]:
    """At most one excerpt of one part of a document, around its first match not yet shown.

    It begins at the clause that holds the match, so it never starts inside a number or a
    name (…0年4月12日), and a clause or a 《title》 already on the page (in ``shown``: the
    opening lists the titles the items review) is passed over.
    """
    if not text or not marks:
        return []
    spans = highlight.match_spans(text, marks)
    for span_start, span_end in spans:
        clause_start = max(text.rfind(mark, 0, span_start) for mark in CLAUSE_ENDS) + 1
        clause_ends = [text.find(mark, span_end) for mark in CLAUSE_ENDS]
        clause_end = min([end for end in clause_ends if end >= 0] or [len(text)])
        clause = text[clause_start:clause_end].strip()
        opened, closed = text.rfind("《", 0, span_start), text.find("》", span_end)
        if opened >= 0 and closed >= 0 and "》" not in text[opened:span_start]:
            clause = text[opened : closed + 1]  # the match is in a title: the title is the unit
        if any(clause in other for other in shown):
            continue
        start = max(clause_start, span_start - SNIPPET_WIDTH)
        end = min(start + 3 * SNIPPET_WIDTH, len(text))
        body = highlight.highlight(text, spans, start, end)
        return [mark_safe(("…" if start else "") + body + ("…" if end < len(text) else ""))]
    return []


def rest_of(meeting: Meeting) -> str:
    """What a document says besides its title, opening and items (loaded on demand)."""
    parts = [meeting.session_name, meeting.chair_title, meeting.chair, meeting.place]
    parts += [str(attendance) for attendance in meeting.attendances.all()]
    parts += [distribution.recipient for distribution in meeting.distributions.all()]
    return "；".join(part for part in parts if part)


# ------------------------------------------------------------------------ facets and chips


def facet_values(
    name: str, counts: dict[str, int], form, *, links=False, limit: int | None = None
) -> list[FacetValue]:
    """The values of one facet by count then pinyin (the first ``limit``); ``links``: each a
    link adding it."""
    kinds = dict(Meeting.Kind.choices)
    parameter = PARAMETER_OF[name]
    chosen = form.selected.get(name, [])
    values = []
    for value, count in ranked(counts, len(counts) if limit is None else limit):
        facet = FacetValue(
            parameter=parameter,
            value=value,
            label=str(kinds.get(value, value)) if name == "kind" else value,
            count=count,
            selected=value in chosen,
        )
        if links:
            params = without_page(form.data)
            params.appendlist(parameter, value)
            facet.url = "?" + params.urlencode()
        values.append(facet)
    return values


def facet_groups(facets: dict[str, dict[str, int]], form) -> list[FacetGroup]:
    """Each facet's top values, the selected ones always among those shown.

    The values are checkboxes of the search form, not links: a link per value on every page
    of results would let a crawler walk every combination of values.
    """
    groups = []
    for name in query.FACETS:
        parameter = PARAMETER_OF[name]
        counts = facets.get(name, {})
        values = facet_values(name, counts, form, limit=FACET_TOP + FACET_MORE)
        chosen = form.selected.get(name, [])
        shown = values[:FACET_TOP]
        more = [value for value in values[FACET_TOP:] if not value.selected]
        listed = {value.value for value in shown + more}
        # A selected value is always shown, with its count (0: no document matches any
        # more, and it shows so it can be removed).
        shown += [
            FacetValue(parameter, value, value, counts.get(value, 0), True)
            for value in chosen
            if value not in listed
        ]
        listed |= {value.value for value in shown}
        hidden = sum(1 for value in counts if value not in listed)
        groups.append(FacetGroup(name, str(FACET_TITLES[name]), shown, more, hidden))
    return groups


def without_page(data) -> QueryDict:
    """The parameters of a search, less its page and the fields sent empty."""
    params = QueryDict(mutable=True)
    for name, values in data.lists():
        if name != "page" and any(value.strip() for value in values):
            params.setlist(name, [value for value in values if value.strip()])
    return params


def remove_url(data, parameter: str, value: str | None = None) -> str:
    """The same search without one value of a parameter (or without the parameter)."""
    params = without_page(data)
    if value is None:
        params.pop(parameter, None)
    else:
        params.setlist(parameter, [v for v in params.getlist(parameter) if v != value])
    return "?" + params.urlencode()


def labelled(name, value) -> str:
    return gettext("%(name)s: %(value)s") % {"name": name, "value": value}


def chips(form: SearchForm) -> list[Chip]:
    """Every active filter, in the order of the form, each with the address without it."""
    kinds = dict(Meeting.Kind.choices)
    found = []
    for parameter, name in FACET_PARAMETERS.items():
        for value in form.selected.get(name, []):
            label = str(kinds.get(value, value)) if name == "kind" else value
            found.append(
                Chip(labelled(FACET_TITLES[name], label), remove_url(form.data, parameter, value))
            )
    for parameter in ("date_from", "date_to"):
        if form.value(parameter):
            label = labelled(form.fields[parameter].label, form.value(parameter).isoformat())
            found.append(Chip(label, remove_url(form.data, parameter)))
    for parameter in ADVANCED_FIELDS:
        text = form.value(parameter, "").strip()
        if parameter == "doc_number" and text:
            year, seq = analysis.parse_doc_number(text)
            text = f"〔{year}〕{seq}号"  # as printed, whichever way it was typed
        if text:
            label = labelled(form.fields[parameter].label, text)
            found.append(Chip(label, remove_url(form.data, parameter)))
    if form.sort_order != "relevance":
        order = dict(form.fields["sort"].choices)[form.sort_order]
        found.append(
            Chip(labelled(form.fields["sort"].label, order), remove_url(form.data, "sort"))
        )
    return found


def clear_url(form: SearchForm) -> str:
    """The query alone, every filter gone."""
    params = QueryDict(mutable=True)
    if form.typed.strip():
        params["q"] = form.typed.strip()
    return "?" + params.urlencode()


def hidden_fields(form: SearchForm) -> list[tuple[str, str]]:
    """The selected facet values, carried by the query form so a new query keeps them."""
    return [
        (parameter, value)
        for parameter, name in FACET_PARAMETERS.items()
        for value in form.selected.get(name, [])
    ]
