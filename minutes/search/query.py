"""What a search asks and what an engine answers: the one interface between the site and an engine.

The views, the API, the exports and the commands build a ``SearchRequest`` and hand it to
``minutes.search.search``; the engine chosen by settings (``minutes.search.engines``) answers
with a ``SearchPage``. Nothing outside an engine's own module knows how it stores or matches.

Query syntax (the help text on the search page says the same):

* words separated by spaces must all occur (AND): ``住房 公积金``;
* ``"a quoted phrase"`` must occur exactly as written;
* ``-word`` or ``-"phrase"`` must not occur;
* ``a OR b`` (also ``|``): either may occur; OR binds tighter than the spaces between terms, so
  ``住房 公积金 OR 社保`` is 住房 AND (公积金 OR 社保);
* traditional characters match their simplified form and themselves.

Every term, quoted or not, matches wherever its characters occur literally; an unquoted term
also matches where all its jieba words occur (that is what ranks).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from minutes.search import analysis

# Facets every engine counts, by the names the engines index them under.
FACETS = ("year", "kind", "issuer", "organizations", "people")
# Facets whose values a document holds one of: several selected values mean "any of them".
SINGLE_VALUED = ("year", "kind", "issuer", "doc_number")
# Fields the advanced search matches literally (the characters occur in that field).
TEXT_FIELDS = ("title", "chair")
SORTS = ("relevance", "newest", "oldest")
PER_PAGE = 20
MAX_QUERY_LENGTH = 200

TERM = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "＂": '"', "｜": "|"})
OR_WORDS = {"OR", "|", "或"}


@dataclass(frozen=True)
class Term:
    """One word or quoted phrase of a query, in simplified characters."""

    text: str
    quoted: bool = False
    # As typed, when conversion to simplified changed it: a text may itself hold the
    # traditional form (颺 in a name), which must still be found literally.
    original: str = ""

    @property
    def literals(self) -> list[str]:
        """The character runs that count as a literal occurrence of the term."""
        return [self.text, self.original] if self.original else [self.text]

    @property
    def words(self) -> list[str]:
        """The jieba words of the term (precise cut), for the ``words`` view."""
        return [word for word, _start, _end in precise_words(self.text)]

    def highlight_alternatives(self) -> list:
        """What ``highlight.snippets`` marks for this term: literals, then its words."""
        return [self.literals] if self.quoted else [self.literals, *self.words]


@dataclass(frozen=True)
class Clause:
    """Terms joined by OR. A document matches when it matches any of them.

    An excluded clause (``-word``) removes every document that matches any of its terms.
    """

    terms: tuple[Term, ...]
    excluded: bool = False


@dataclass
class SearchRequest:
    """One search: what to match, within which filters, which page, for whom.

    ``audience`` is ``"public"`` (anonymous and non-staff readers: only documents released to
    the public can match, by construction of the engine) or ``"internal"`` (staff: every
    document).
    """

    clauses: list[Clause] = field(default_factory=list)
    # Facet name (FACETS, or "doc_number" as "2021-15") -> selected values. Values of one
    # single-valued facet are alternatives; everything else must all hold.
    selected: dict[str, list[str]] = field(default_factory=dict)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    # TEXT_FIELDS name -> text that must occur literally in that field (advanced search).
    fields: dict[str, str] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE
    audience: str = "public"

    @property
    def positive(self) -> list[Clause]:
        return [clause for clause in self.clauses if not clause.excluded]

    @property
    def excluded(self) -> list[Clause]:
        return [clause for clause in self.clauses if clause.excluded]

    @property
    def terms(self) -> list[Term]:
        """Every term a hit may match (for snippets): those of the positive clauses."""
        return [term for clause in self.positive for term in clause.terms]

    def __bool__(self) -> bool:
        """Whether there is anything to search for (an empty request lists nothing)."""
        return bool(self.clauses or self.selected or self.date_from or self.date_to or self.fields)


@dataclass
class Hit:
    meeting_id: int
    score: float = 0.0


@dataclass
class SearchPage:
    """An engine's answer: one page of hits in order, the exact total, every facet's counts.

    ``facets`` maps each of FACETS to {value: number of matching documents}, for every value
    (the page decides how many to show and in which order).
    """

    hits: list[Hit]
    count: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


def precise_words(text: str) -> list[tuple[str, int, int]]:
    """The jieba words of ``text`` (precise cut), folded, with their character spans."""
    import rjieba

    return [
        (analysis.fold(word), start, end)
        for word, start, end in rjieba.tokenize(text)
        if analysis.HAS_WORD_CHARACTER.search(word)
    ]


def make_term(text: str, quoted: bool) -> Term | None:
    if not analysis.units(text):
        return None
    simplified = analysis.to_simplified(text)
    return Term(simplified, quoted, text if simplified != text else "")


def parse_query(query: str) -> list[Clause]:
    """The clauses of what a reader typed (see the module's syntax)."""
    tokens: list[tuple[str, bool, bool] | str] = []  # (text, quoted, excluded) or "OR"
    for match in TERM.finditer(query.translate(QUOTES)):
        if match.group(2) is not None:
            tokens.append((match.group(2), True, bool(match.group(1))))
        elif match.group(4) in OR_WORDS and not match.group(3):
            tokens.append("OR")
        else:
            text = match.group(4)
            if text == "-":
                continue
            tokens.append((text, False, bool(match.group(3))))
    clauses: list[Clause] = []
    joining = False
    for token in tokens:
        if token == "OR":
            joining = bool(clauses)
            continue
        text, quoted, excluded = token
        term = make_term(text, quoted)
        if term is None:
            continue
        previous = clauses[-1] if clauses else None
        if joining and previous is not None and previous.excluded == excluded:
            clauses[-1] = Clause((*previous.terms, term), excluded)
        else:
            clauses.append(Clause((term,), excluded))
        joining = False
    return clauses


def parse_terms(query: str) -> list[Term]:
    """Every term of a query, positive or not, in order (for highlighting a text)."""
    return [term for clause in parse_query(query) for term in clause.terms]
