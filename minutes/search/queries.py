"""From what a reader typed to one Whoosh query, one page of hits, facets and snippets.

Syntax: words separated by spaces must all occur (AND); "a quoted phrase" must occur as
written; -word or -"phrase" must not occur. Every term, quoted or not, matches wherever its
characters occur literally (the ``grams`` view); an unquoted term also matches where all its
jieba words occur (the ``words`` view), which is what ranks.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from whoosh import collectors, sorting
from whoosh.matching import NullMatcher
from whoosh.query import (
    And,
    AndNot,
    DateRange,
    Every,
    Or,
    Phrase,
    Prefix,
    Sequence,
    SpanNear2,
    Term,
)
from whoosh.query.spans import Span

from minutes.search import analysis, highlight
from minutes.search.backend import AGENDA_ITEM, FACETS, MEETING

PER_PAGE = 20
SORTS = {"relevance", "newest", "oldest"}
TERM = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "＂": '"'})
FACET_LIMIT = 12


@dataclass(frozen=True)
class SearchTerm:
    text: str
    quoted: bool
    excluded: bool
    # As typed, when conversion to simplified changed it: a text may itself hold the
    # traditional form (颺 in a name), which must still be found literally.
    original: str = ""

    @property
    def literals(self) -> list[str]:
        return [self.text, self.original] if self.original else [self.text]

    @property
    def words(self) -> list[str]:
        """The jieba words of the term (precise cut), for the ``words`` view."""
        return [word for word, _start, _end in _precise(self.text)]

    def highlight_alternatives(self) -> list:
        return [self.literals] if self.quoted else [self.literals, *self.words]

    def literal_query(self):
        """Where the term occurs literally, in simplified or as typed."""
        found = [literal_query(text) for text in self.literals]
        return found[0] if len(found) == 1 else Or(found)


def _precise(text):
    import rjieba

    return [
        (analysis.fold(word), start, end)
        for word, start, end in rjieba.tokenize(text)
        if analysis.HAS_WORD_CHARACTER.search(word)
    ]


def parse_terms(query: str) -> list[SearchTerm]:
    """The terms of a query, traditional characters made simplified."""
    terms = []
    for match in TERM.finditer(query.translate(QUOTES)):
        if match.group(2) is not None:
            text, quoted, excluded = match.group(2), True, bool(match.group(1))
        else:
            text, quoted, excluded = match.group(4), False, bool(match.group(3))
            if text == "-":
                continue
        if analysis.units(text):
            simplified = analysis.to_simplified(text)
            original = text if simplified != text else ""
            terms.append(SearchTerm(simplified, quoted, excluded, original))
    return terms


class Adjacent(Phrase):
    """``Phrase`` (slop 1): the terms at consecutive positions, found by intersecting sets.

    Whoosh walks span objects pairwise for every candidate document; on common words
    (公积金 in most documents) that walk was the largest part of a search page's time.
    """

    def matcher(self, searcher, context=None):
        field = searcher.schema[self.fieldname]
        reader = searcher.reader()
        words = [field.to_bytes(word) for word in self.words]
        if any((self.fieldname, word) not in reader for word in words):
            return NullMatcher()
        return AdjacentMatcher(
            [Term(self.fieldname, word).matcher(searcher, context) for word in words]
        )


class AdjacentMatcher(SpanNear2.SpanNear2Matcher):
    """The matches of ``SpanNear2(terms, slop=1, ordered=True, mindist=1)``, by position."""

    def __init__(self, matchers):
        super().__init__(matchers)

    def copy(self):
        return self.__class__([matcher.copy() for matcher in self.ms])

    def _get_spans(self):
        starts = None
        for offset, matcher in enumerate(self.ms):
            found = {position - offset for position in matcher.value_as("positions")}
            starts = found if starts is None else starts & found
            if not starts:
                return []
        last = len(self.ms) - 1
        return [Span(start, start + last) for start in sorted(starts)]


def literal_query(text: str):
    """Documents where ``text`` occurs literally (see ``analysis.phrase_terms``)."""
    terms, tail_prefix = analysis.phrase_terms(text)
    parts = [Term("grams", term) for term in terms]
    if tail_prefix:
        parts.append(Prefix("grams", tail_prefix))
    if len(parts) == 1:
        return parts[0]
    if not tail_prefix:
        return Adjacent("grams", terms)
    return Sequence(parts)


def term_query(term: SearchTerm):
    literal = term.literal_query()
    if term.quoted:
        return literal
    words = term.words
    if len(words) <= 1:
        return Or([literal, *[Term("words", word) for word in words]])
    return Or([literal, And([Term("words", word) for word in words])])


@dataclass
class Filters:
    """What the reader narrowed the search to: facet values, a date range."""

    selected: dict[str, list[str]] = field(default_factory=dict)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def queries(self):
        parts = []
        for name, values in self.selected.items():
            parts += [Term(name, value) for value in values]
        if self.date_from or self.date_to:
            start = (
                datetime.datetime.combine(self.date_from, datetime.time())
                if self.date_from
                else None
            )
            end = (
                datetime.datetime.combine(self.date_to, datetime.time.max) if self.date_to else None
            )
            parts.append(DateRange("date", start, end))
        return parts

    def __bool__(self):
        return bool(self.selected or self.date_from or self.date_to)


@dataclass
class Hit:
    meeting_id: int
    score: float


@dataclass
class Page:
    """One backend answer: the hits of one page, the total and the facet counts."""

    terms: list[SearchTerm]
    hits: list[Hit]
    count: int
    facets: dict[str, list[tuple[str, int]]]
    items: dict[int, list[int]]  # meeting id -> ids of its agenda items that matched


def build_query(terms: list[SearchTerm], filters: Filters):
    positive = [term_query(term) for term in terms if not term.excluded]
    negative = [term.literal_query() for term in terms if term.excluded]
    query = And([Term("django_ct", MEETING), *(positive or [Every()]), *filters.queries()])
    if negative:
        query = AndNot(query, Or(negative))
    return query


def search(searcher, query_text: str, filters: Filters, *, sort="relevance", page=1) -> Page:
    """Search one index: one pass gives the page, the exact count and every facet's counts."""
    terms = parse_terms(query_text)
    if not terms and not filters:
        return Page(terms, [], 0, {}, {})
    query = build_query(terms, filters)
    limit = page * PER_PAGE
    if sort == "relevance" and [term for term in terms if not term.excluded]:
        # Block-quality skipping would leave the total uncounted and make Whoosh run the
        # query a second time for it (SEARCH-NOTES: asking twice pays twice).
        collector = collectors.TopCollector(limit=limit, usequality=False)
    else:
        collector = collectors.SortingCollector(
            sorting.FieldFacet("date", reverse=(sort != "oldest")), limit=limit
        )
    facets = {
        name: sorting.FieldFacet(name, allow_overlap=name in ("organizations", "people"))
        for name in FACETS
    }
    collector = collectors.FacetCollector(collector, facets, maptype=sorting.Count)
    searcher.search_with_collector(query, collector)
    results = collector.results()
    start = (page - 1) * PER_PAGE
    hits = [
        Hit(int(stored["meeting_id"]), score)
        for score, stored in (
            (results.score(n), results[n])
            for n in range(start, min(limit, results.scored_length()))
        )
    ]
    return Page(
        terms=terms,
        hits=hits,
        count=len(results),
        facets={name: top_facets(results.groups(name)) for name in FACETS},
        items=matching_items(searcher, terms, [hit.meeting_id for hit in hits]),
    )


def top_facets(groups: dict) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for key, count in groups.items():
        if key is None or key == b"" or key == "":
            continue
        name = key.decode() if isinstance(key, bytes) else str(key)
        counts[name] = counts.get(name, 0) + count
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:FACET_LIMIT]


def matching_items(searcher, terms, meeting_ids) -> dict[int, list[int]]:
    """Which agenda items of the page's documents hold any of the search terms."""
    positive = [term_query(term) for term in terms if not term.excluded]
    if not positive or not meeting_ids:
        return {}
    query = And(
        [
            Term("django_ct", AGENDA_ITEM),
            Or([Term("meeting_id", str(pk)) for pk in meeting_ids]),
            Or(positive),
        ]
    )
    found: dict[int, list[int]] = {}
    for stored in searcher.search(query, limit=None):
        item_id = int(stored["id"].rsplit(".", 1)[1])
        found.setdefault(int(stored["meeting_id"]), []).append(item_id)
    return found


def highlight_terms(terms: list[SearchTerm]) -> list[list[str]]:
    """The alternatives per positive term that ``highlight`` marks."""
    return [term.highlight_alternatives() for term in terms if not term.excluded]


def snippets(text: str, terms: list[SearchTerm], **options):
    """Marked excerpts of ``text`` for a query's terms."""
    return highlight.snippets(text, highlight_terms(terms), **options)
