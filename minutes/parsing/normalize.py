"""Clean text before parsing: encodings' leftovers, punctuation widths, PDF page-break debris.

The output keeps one entry per non-empty source line, with its line number, so that errors and
warnings can point the clerk at the line of the document as received.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .patterns import (
    CJK,
    HALF_TO_FULL_PUNCTUATION,
    PAGE_NUMBER_LINE,
    STRAY_MARK_LINE,
)

# Control characters other than tab and newline come from binary junk or broken conversions.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
# Full-width digits and Latin letters (２０２１) read as ASCII; NFKC would also flatten the
# full-width punctuation the format relies on, so only these ranges are folded.
_FULL_WIDTH_ALNUM = re.compile(r"[０-９Ａ-Ｚａ-ｚ]")
# Half-width punctuation next to Chinese text is the web copy's form of the official one; a colon
# between digits (9:30) is a time and stays.
_HALF_PUNCTUATION = re.compile(r"[,:;!()]")


@dataclass(frozen=True)
class Line:
    """One line of the normalised text with its line number in the source."""

    number: int
    text: str


_SPACES = re.compile(r"[ \t\u3000\u00a0]+")


def _widen_punctuation(text: str) -> str:
    def replace(match: re.Match) -> str:
        character = match.group()
        start, end = match.start(), match.end()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if character == ":" and before.isdigit() and after.isdigit():
            return character
        return HALF_TO_FULL_PUNCTUATION[character]

    return _HALF_PUNCTUATION.sub(replace, text)


def normalize_line(text: str) -> str:
    """One line in canonical form: trimmed, full-width punctuation, ASCII digits, 〔〕 in 文号."""
    text = _FULL_WIDTH_ALNUM.sub(lambda match: unicodedata.normalize("NFKC", match.group()), text)
    text = _widen_punctuation(text)
    return _SPACES.sub(" ", text).strip()


def clean_lines(text: str) -> list[Line]:
    """The non-empty lines of ``text``, normalised, without page numbers and stray marks."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines: list[Line] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = normalize_line(raw)
        if not line or PAGE_NUMBER_LINE.match(line) or STRAY_MARK_LINE.match(line):
            continue
        lines.append(Line(number, line))
    return lines


def squeeze_spaces(text: str) -> str:
    """Remove the spaces inside running Chinese text (they are line-justification padding)."""
    return re.sub(
        rf"(?<=[{CJK}，。：；、）（《》“”])\s+|\s+(?=[{CJK}，。：；、）（《》“”])", "", text
    )
