"""Snippets with the matched characters marked, by the same rules as the ``grams`` index.

A search term becomes a regular expression over the original text that matches exactly where
``analysis.phrase_terms`` matches in the index: CJK characters of one run adjacent, other
units (words of letters or digits) whole, punctuation and spaces between units skipped.
Stored text is escaped piece by piece; only our own ``<mark>`` is markup.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from minutes.search.analysis import CJK_RANGES, units

OTHER_WORD_CHARACTER = f"(?:(?![{CJK_RANGES}])[^\\W_])"
SEPARATOR = r"[\W_]*"


@lru_cache(maxsize=256)
def pattern_for(term: str) -> re.Pattern | None:
    """The expression matching every literal occurrence of ``term`` as the index sees it."""
    sequence = units(term)
    if not sequence:
        return None
    parts = []
    for position, unit in enumerate(sequence):
        if position:
            previous = sequence[position - 1]
            if previous.cjk and not previous.run_end:
                parts.append("")  # same run: directly adjacent
            elif previous.cjk and unit.cjk:
                parts.append(r"[\W_]+")  # the run ended in the query, so it must in the text
            else:
                parts.append(SEPARATOR)
        if unit.cjk:
            parts.append(re.escape(unit.text))
        else:
            parts.append(
                f"(?<!{OTHER_WORD_CHARACTER}){re.escape(unit.text)}(?!{OTHER_WORD_CHARACTER})"
            )
    return re.compile("".join(parts), re.IGNORECASE)


def match_spans(text: str, terms) -> list[tuple[int, int]]:
    """Merged (start, end) spans of ``text`` matching any of ``terms``.

    ``terms`` is a list of alternatives per search term: its literal forms first, then its
    jieba words, used only when the literal term does not occur in this text.
    """
    spans = []
    for alternatives in terms:
        literals, *words = alternatives
        found = _spans(text, literals)
        if not found:
            found = _spans(text, [word for word in words if len(word) > 1])
        spans += found
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _spans(text, terms):
    spans = []
    for term in terms:
        pattern = pattern_for(term)
        if pattern is not None:
            spans += [
                match.span() for match in pattern.finditer(text) if match.end() > match.start()
            ]
    return spans


def highlight(text: str, spans, start: int = 0, end: int | None = None) -> SafeString:
    """``text[start:end]`` escaped, with each span wrapped in ``<mark>``."""
    end = len(text) if end is None else end
    pieces = []
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        pieces.append(escape(text[cursor:span_start]))
        pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    pieces.append(escape(text[cursor:end]))
    return mark_safe("".join(pieces))


def snippets(text: str, terms, *, limit: int = 2, width: int = 40) -> list[SafeString]:
    """Up to ``limit`` excerpts of ``text`` around its matches, matches marked."""
    spans = match_spans(text, terms)
    excerpts = []
    covered_until = -1
    for span_start, _span_end in spans:
        if span_start < covered_until:
            continue
        start = max(span_start - width, 0)
        end = min(span_start + 2 * width, len(text))
        body = highlight(text, spans, start, end)
        excerpts.append(mark_safe(("…" if start else "") + body + ("…" if end < len(text) else "")))
        covered_until = end
        if len(excerpts) == limit:
            break
    return excerpts
