"""How text becomes index terms: jieba words for ranking, character grams for literal recall.

Two views of the same text (DESIGN §4):

* ``words`` — rjieba in search mode (words and their dictionary sub-words). It ranks, and it
  finds a query word wherever jieba cut the text the same way.
* ``grams`` — CJK character bigrams, plus the last character of each CJK run as a unigram,
  numbered one position per character. Any literal run of characters in a document is a
  consecutive sequence of these terms, so a phrase query over them never misses it, whatever
  jieba does with the run (SEARCH-NOTES: haystack + jieba phrases found 0 because jieba's
  analyzer gave character offsets as positions; here positions go up by one per character).

Single characters: every character of a run is either the first character of a bigram or the
run's last character (kept as a unigram), so a one-character query is a prefix query over
bigrams plus that unigram (see ``whoosh_engine.literal_query``); indexing every unigram would
cost a third more postings for a query that is rare.

Both tokenizers read the same normalised characters (NFKC, lower case, traditional →
simplified only for queries) and report character offsets in the original text, so the
highlighter marks exactly the characters the index matched.
"""

from __future__ import annotations

import bisect
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from unicodedata import is_normalized

import rjieba

CJK_RANGES = (
    "\u3400-\u4dbf"  # Extension A
    "\u4e00-\u9fff"  # Unified Ideographs
    "\uf900-\ufaff"  # Compatibility Ideographs
    "\u3040-\u30ff"  # Kana, so Japanese names in a text do not vanish
    "\U00020000-\U0003134f"  # Extensions B–G
)
CJK_CHAR = re.compile(f"[{CJK_RANGES}]")
# A unit is one CJK character or one run of other letters and digits; punctuation and spaces
# separate units without taking a position, so 会议 审议 in a query also matches 会议，审议.
UNIT = re.compile(f"(?P<cjk>[{CJK_RANGES}]+)|(?P<word>(?:(?![{CJK_RANGES}])[^\\W_])+)")
HAS_WORD_CHARACTER = re.compile(r"[^\W_]")


def fold(text: str) -> str:
    """The form a unit is indexed under: NFKC (full-width digits → ASCII) and lower case."""
    if is_normalized("NFKC", text):
        return text.lower()
    return unicodedata.normalize("NFKC", text).lower()


@dataclass(frozen=True, slots=True)
class Unit:
    """One CJK character or one word of letters/digits, with its span in the source text."""

    text: str
    start: int
    end: int
    cjk: bool
    run_end: bool  # the last CJK character of its run


def units(text: str) -> list[Unit]:
    """Split ``text`` into the units that the gram index numbers one position each."""
    found = []
    for match in UNIT.finditer(text):
        if match.lastgroup == "cjk":
            start = match.start()
            run = match.group()
            last = len(run) - 1
            found.extend(
                Unit(fold(character), start + offset, start + offset + 1, True, offset == last)
                for offset, character in enumerate(run)
            )
        else:
            found.append(Unit(fold(match.group()), match.start(), match.end(), False, True))
    return found


def gram_terms(text: str) -> list[tuple[str, int, int, int]]:
    """(term, position, start, end) of the grams view, in position order.

    The same terms as pairing up ``units(text)``, without a ``Unit`` per character: this runs
    over every indexed character, and the objects were a third of the build's analysis time.
    """
    terms = []
    append = terms.append
    position = 0
    for match in UNIT.finditer(text):
        start = match.start()
        if match.lastgroup == "cjk":
            run = match.group()
            # Folding changes no character of a run that NFKC leaves alone (CJK has no case).
            folded = run if is_normalized("NFKC", run) else [fold(c) for c in run]
            last = len(run) - 1
            for offset in range(last):
                append((folded[offset] + folded[offset + 1], position, start, start + 2))
                position += 1
                start += 1
            append((folded[last], position, start, start + 1))
        else:
            append((fold(match.group()), position, start, match.end()))
        position += 1
    return terms


def phrase_terms(text: str) -> tuple[list[str], str | None]:
    """The consecutive gram terms every literal occurrence of ``text`` shows, and a prefix.

    A CJK character followed by another in the phrase is the bigram of the two; one that
    ends its run (a letter, digit or punctuation follows) ends it in the document too, so
    it is a unigram. The phrase's
    last character is already inside the preceding bigram, unless it stands alone (税, or
    第133次): then the document holds either its unigram or a bigram starting with it, and it
    is returned as the prefix that must follow the terms.
    """
    sequence = units(text)
    terms: list[str] = []
    tail_prefix = None
    for position, unit in enumerate(sequence):
        following = sequence[position + 1] if position + 1 < len(sequence) else None
        preceding = sequence[position - 1] if position else None
        if not unit.cjk:
            terms.append(unit.text)
        elif not unit.run_end:
            terms.append(unit.text + following.text)
        elif following is not None:
            terms.append(unit.text)
        elif preceding is None or preceding.run_end:
            tail_prefix = unit.text
    return terms, tail_prefix


_dictionary_lock = threading.Lock()
_added_words: set[str] = set()


def add_words(words) -> None:
    """Teach the segmenter names (organisations, people) so it keeps them whole."""
    with _dictionary_lock:
        for word in words:
            word = word.strip()
            if len(word) > 1 and word not in _added_words:
                rjieba.add_word(word, None, None)
                _added_words.add(word)
    word_terms.cache_clear()


def load_dictionary_from_database() -> None:
    """Add every organisation name and person name in the database to the segmenter."""
    from minutes.models import Attendance, Meeting, Organization

    names = set(Organization.objects.values_list("name", flat=True))
    names.update(Organization.objects.exclude(short_name="").values_list("short_name", flat=True))
    names.update(Attendance.objects.exclude(person_name="").values_list("person_name", flat=True))
    names.update(Meeting.objects.exclude(chair="").values_list("chair", flat=True))
    add_words(names)


def word_terms(text: str) -> list[tuple[str, int, int, int]]:
    """(term, position, start, end) of the words view: rjieba search mode.

    Positions go up by one per word of the precise cut; each search-mode sub-word takes the
    position of the word it came from (住房公积金 → 住房/公积/积金/公积金 all at one position).
    """
    words = [w for w in rjieba.tokenize(text) if HAS_WORD_CHARACTER.search(w[0])]
    starts = [start for _word, start, _end in words]
    terms = []
    for word, start, end in rjieba.tokenize(text, mode="search"):
        if not HAS_WORD_CHARACTER.search(word):
            continue
        position = max(bisect.bisect_right(starts, start) - 1, 0)
        terms.append((fold(word), position, start, end))
    return terms


word_terms = lru_cache(maxsize=512)(word_terms)


def has_word_character(token: str) -> bool:
    return token.isalnum() or HAS_WORD_CHARACTER.search(token) is not None


def search_words(text: str) -> list[str]:
    """The terms of ``word_terms(text)`` in order, without positions or offsets.

    What an index build needs, at a third of the time: no tuple per term, a term folded only
    when the text is not already in NFKC, and most tokens tested with ``str.isalnum``.
    """
    lower = str.lower if is_normalized("NFKC", text) else fold
    return [
        lower(word)
        for word, _start, _end in rjieba.tokenize(text, mode="search")
        if has_word_character(word)
    ]


def word_positions(text: str) -> tuple[list[str], list[int]]:
    """``search_words(text)`` and the position of each counted from 1 (``word_terms``'s + 1)."""
    starts = [start for word, start, _end in rjieba.tokenize(text) if has_word_character(word)]
    lower = str.lower if is_normalized("NFKC", text) else fold
    terms, positions = [], []
    for word, start, _end in rjieba.tokenize(text, mode="search"):
        if has_word_character(word):
            terms.append(lower(word))
            positions.append(bisect.bisect_right(starts, start) or 1)
    return terms, positions


def gram_list(text: str) -> list[str]:
    """The terms of ``gram_terms(text)``, one per position, without their offsets.

    The same terms (a test holds them equal), made by slicing runs: a build cuts every
    character of the archive, and the tuples of offsets were half its time.
    """
    terms: list[str] = []
    extend, append = terms.extend, terms.append
    for match in UNIT.finditer(text):
        run = match.group()
        if match.lastgroup != "cjk":
            append(fold(run))
            continue
        if not is_normalized("NFKC", run):
            folded = [fold(character) for character in run]
            extend([folded[i] + folded[i + 1] for i in range(len(run) - 1)])
            append(folded[-1])
            continue
        extend([run[i : i + 2] for i in range(len(run) - 1)])
        append(run[-1])
    return terms


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters to simplified (集成電路 → 集成电路); queries only."""
    return _converter().convert(text)


# 〔2021〕15号, [2021]15号, ［2021］15号, (2021)15号, 2021年15号, with optional spaces, a 第,
# and the 号 left off as people do when typing (［2021］15).
DOC_NUMBER = re.compile(
    r"^\s*[〔\[［(（【]?\s*(?P<year>(?:19|20|21)\d\d)\s*(?:[〕\]］)）】]|年)\s*第?\s*"
    r"(?P<seq>\d{1,5})\s*号?\s*$"
)


def parse_doc_number(query: str) -> tuple[int, int] | None:
    """(year, seq) when the whole query is a 文号 in any common form, else None."""
    match = DOC_NUMBER.match(unicodedata.normalize("NFKC", query))
    if not match:
        return None
    return int(match["year"]), int(match["seq"])
