"""The Whoosh engine: the embedded index on disk, the default on SQLite (DESIGN §4).

Two indexes, ``public`` (only what anonymous readers may see) and ``internal`` (everything),
so a public search cannot reach an unpublished word whatever its filters say. One Whoosh
document per minutes document: ``words`` (jieba, ranks) and ``grams`` (characters, literal
recall) over its whole text, ``title`` and ``chair`` for the advanced search, and the facet
columns. The index on disk is ``backend``; keeping it equal to the database (queue, one
writer, rebuild, check) is ``indexing``; this module turns a ``SearchRequest`` into one
Whoosh query and reads one page, the count and every facet from a single collector pass.
"""

from __future__ import annotations

import datetime
import threading
from collections import Counter, OrderedDict

from whoosh import collectors, sorting
from whoosh.matching import AndNotMatcher, NullMatcher
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

from minutes.search import analysis, indexing
from minutes.search.engines import Engine
from minutes.search.query import (
    FACETS,
    SINGLE_VALUED,
    TEXT_FIELDS,
    Clause,
    Hit,
    SearchPage,
    SearchRequest,
    make_term,
)
from minutes.search.query import Term as SearchTerm

MULTI_VALUED = ("organizations", "people")


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


class Without(AndNot):
    """``AndNot`` whose matcher removes every excluded document, the first candidate included."""

    def matcher(self, searcher, context=None):
        return WithoutMatcher(
            self.a.matcher(searcher, context), self.b.matcher(searcher, searcher.boolean_context())
        )


class WithoutMatcher(AndNotMatcher):
    """Whoosh 2.7's ``AndNotMatcher`` moves its excluded matcher up to the first candidate
    only when they already stand on the same document: when the first excluded document
    lies *before* the first candidate (say a document a filter leaves out), the excluded
    matcher stays behind and the first candidate escapes even if it is excluded too.
    Afterwards (``next``, ``skip_to``) Whoosh moves it correctly."""

    def _find_first(self):
        if self.a.is_active() and self.b.is_active():
            self._find_next()  # skips the excluded matcher to the candidate, then past matches

    def _find_next(self):
        # ``skip_to`` calls this after moving the candidates, which may have run out.
        return super()._find_next() if self.a.is_active() else False


def literal_query(text: str, field: str = "grams"):
    """Documents where ``text`` occurs literally in ``field`` (see ``analysis.phrase_terms``)."""
    terms, tail_prefix = analysis.phrase_terms(text)
    parts = [Term(field, term) for term in terms]
    if tail_prefix:
        parts.append(Prefix(field, tail_prefix))
    if len(parts) == 1:
        return parts[0]
    if not tail_prefix:
        return Adjacent(field, terms)
    return Sequence(parts)


def any_of(queries):
    return queries[0] if len(queries) == 1 else Or(queries)


def term_literal_query(term: SearchTerm, field: str = "grams"):
    """Where the term occurs literally, in simplified characters or as typed."""
    return any_of([literal_query(text, field) for text in term.literals])


def term_query(term: SearchTerm):
    """A quoted term: its literal occurrences. A word: those, or all its jieba words."""
    literal = term_literal_query(term)
    if term.quoted:
        return literal
    words = term.words
    if len(words) <= 1:
        return Or([literal, *[Term("words", word) for word in words]])
    return Or([literal, And([Term("words", word) for word in words])])


def clause_query(clause: Clause):
    return any_of([term_query(term) for term in clause.terms])


def filter_queries(request: SearchRequest) -> list:
    """The request's facet values, fields and date range, each a query that must hold."""
    parts = []
    for name, values in request.selected.items():
        values = [value for value in values if value]
        if not values:
            continue
        alternatives = [Term(name, value) for value in values]
        if name in SINGLE_VALUED:
            parts.append(any_of(alternatives))
        else:
            parts += alternatives
    for name, text in request.fields.items():
        term = make_term(text, quoted=True) if name in TEXT_FIELDS else None
        if term is not None:
            parts.append(term_literal_query(term, name))
    if request.date_from or request.date_to:
        start = (
            datetime.datetime.combine(request.date_from, datetime.time())
            if request.date_from
            else None
        )
        end = (
            datetime.datetime.combine(request.date_to, datetime.time.max)
            if request.date_to
            else None
        )
        parts.append(DateRange("date", start, end))
    return parts


def build_query(request: SearchRequest):
    """One Whoosh query for the whole request (excluded clauses remove literal matches)."""
    positive = [clause_query(clause) for clause in request.positive]
    query = And([*(positive or [Every()]), *filter_queries(request)])
    negative = [term_literal_query(term) for clause in request.excluded for term in clause.terms]
    if negative:
        query = Without(query, any_of(negative))
    return query


class FacetTables:
    """Each segment's facet values, per document, read from its columns once.

    Whoosh's ``FacetCollector`` asks a column reader for every facet of every matching
    document, through several calls each (4 of a page's 5 ms on a common word at 2,000
    documents); a segment never changes once written, so its values are read into lists
    when a search first meets it and counted with ``Counter`` afterwards. Deleted documents
    stay in the lists but never match.
    """

    SEGMENTS = 64  # segments kept (both indexes, a few generations of small ones)

    def __init__(self):
        self.tables: OrderedDict[str, dict[str, list]] = OrderedDict()
        self.lock = threading.Lock()

    def of(self, reader) -> dict[str, list]:
        key = reader.segment().segment_id()
        with self.lock:
            tables = self.tables.get(key)
            if tables is not None:
                self.tables.move_to_end(key)
                return tables
        tables = {name: self.read(reader, name) for name in FACETS}
        with self.lock:
            self.tables[key] = tables
            while len(self.tables) > self.SEGMENTS:
                self.tables.popitem(last=False)
        return tables

    @staticmethod
    def read(reader, name) -> list:
        column = reader.column_reader(name, translate=False)
        if name in MULTI_VALUED:
            return [tuple(value.decode() for value in values) for values in column]
        return [value.decode() if value else "" for value in column]


FACET_TABLES = FacetTables()


class FacetCounter(collectors.WrappingCollector):
    """Counts every facet's values over all matching documents while the child collects."""

    def prepare(self, top_searcher, q, context):
        self.counts = {name: Counter() for name in FACETS}
        self.matched: list[int] = []
        self.reader = None
        super().prepare(top_searcher, q, context)

    def set_subsearcher(self, subsearcher, offset):
        self.count_segment()
        super().set_subsearcher(subsearcher, offset)
        self.reader = subsearcher.reader()

    def collect(self, sub_docnum):
        self.matched.append(sub_docnum)
        return self.child.collect(sub_docnum)

    def finish(self):
        self.count_segment()
        super().finish()

    def count_segment(self):
        if not self.matched:
            return
        tables = FACET_TABLES.of(self.reader)
        for name, counts in self.counts.items():
            values = tables[name]
            if name in MULTI_VALUED:
                for docnum in self.matched:
                    counts.update(values[docnum])
            else:
                counts.update(map(values.__getitem__, self.matched))
        self.matched = []

    def facets(self) -> dict[str, dict[str, int]]:
        return {
            name: {value: count for value, count in counts.items() if value}
            for name, counts in self.counts.items()
        }


def index_alias(audience: str) -> str:
    """The index an audience reads: only ``internal`` reaches unpublished documents."""
    return "internal" if audience == "internal" else "public"


class WhooshEngine(Engine):
    name = "whoosh"

    def search(self, request: SearchRequest) -> SearchPage:
        if not request:
            return SearchPage(hits=[], count=0, facets={})
        return self.collect(request, build_query(request))

    def collect(self, request: SearchRequest, query) -> SearchPage:
        """One collector pass gives the page, the exact count and every facet's counts."""
        searcher = indexing.backend(index_alias(request.audience)).searcher()
        page, per_page = max(request.page, 1), max(request.per_page, 1)
        limit = page * per_page
        if request.sort == "relevance" and request.positive:
            # Block-quality skipping would leave the total uncounted and make Whoosh run the
            # query a second time for it (SEARCH-NOTES: asking twice pays twice).
            # replace=0: Whoosh replaces the matcher every 10 hits with one pruned by the page's
            # lowest score, dropping branches of an OR that still match (公积金 OR 医保 counted 337
            # of 945 documents at 2,000 documents).
            collector = collectors.TopCollector(limit=limit, usequality=False, replace=0)
        else:
            collector = collectors.SortingCollector(
                sorting.FieldFacet("date", reverse=(request.sort != "oldest")), limit=limit
            )
        collector = FacetCounter(collector)
        searcher.search_with_collector(query, collector)
        results = collector.results()
        hits = [
            Hit(int(results[number]["meeting_id"]), results.score(number))
            for number in range((page - 1) * per_page, min(limit, results.scored_length()))
        ]
        return SearchPage(hits=hits, count=len(results), facets=collector.facets())

    def probe(self, alias: str) -> str:
        """What readers would meet in one index: every document with every facet counted,
        newest first, then one value of each facet chosen. An error's text, or ""."""
        try:
            # Read every facet column afresh: this process may hold them from before.
            for reader, _offset in indexing.backend(alias).searcher().reader().leaf_readers():
                if not reader.doc_count_all():
                    continue  # an index with no segment has an empty reader, and no columns
                for name in FACETS:
                    FacetTables.read(reader, name)
            everything = self.collect(SearchRequest(sort="newest", audience=alias), Every())
            for name, counts in everything.facets.items():
                for value in list(counts)[:1]:
                    self.search(SearchRequest(selected={name: [value]}, audience=alias))
        except Exception as error:  # whatever a reader would have met: report, not raise
            return f"{type(error).__name__}: {error}"
        return ""

    def changed(self, meeting_ids) -> None:
        indexing.enqueue(meeting_ids)

    def drain(self) -> bool:
        return indexing.drain()

    def rebuild(self, *, out=None, batch: int = 500, workers: int = 1, **options) -> int:
        analysis.load_dictionary_from_database()
        return indexing.rebuild(out=out, batch=batch, procs=workers)

    def check(self, *, repair: bool = False, out=None) -> bool:
        return indexing.check(repair=repair, out=out, probe=self.probe)
