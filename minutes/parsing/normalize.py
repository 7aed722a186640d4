"""Clean text before parsing: encodings' leftovers, punctuation widths, PDF page-break debris.

The output keeps one entry per non-empty source line, with its line number, so that errors and
warnings can point the clerk at the line of the document as received.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .patterns import (
    CJK,
    HALF_TO_FULL_PUNCTUATION,
    PAGE_NUMBER_LINE,
    STRAY_MARK_LINE,
)

# Control characters other than tab and newline come from binary junk or broken conversions.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
# Half-width punctuation next to Chinese text is the web copy's form of the official one; a colon
# between digits (9:30) is a time and stays.
_HALF_PUNCTUATION = re.compile(r"[,:;!()]")


class Line(NamedTuple):
    """One line of the normalised text with its line number in the source."""

    number: int
    text: str


# Page numbers and stray marks are short lines.
_DEBRIS_MAX = 20


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


# Full-width digits and letters -> ASCII, half-width punctuation -> full width (but ":", see
# _widen_punctuation). A regular expression finds the few characters to change: str.translate
# with a table of non-ASCII characters walks the whole text in Python-level lookups.
_NARROW = {
    **{chr(code): chr(code - 0xFEE0) for code in range(ord("０"), ord("９") + 1)},
    **{chr(code): chr(code - 0xFEE0) for code in range(ord("Ａ"), ord("Ｚ") + 1)},
    **{chr(code): chr(code - 0xFEE0) for code in range(ord("ａ"), ord("ｚ") + 1)},
    **{half: full for half, full in HALF_TO_FULL_PUNCTUATION.items() if half != ":"},
}
_TO_CHANGE = re.compile(f"[{re.escape(''.join(_NARROW))}]")


def _convert(text: str) -> str:
    text = _TO_CHANGE.sub(lambda match: _NARROW[match.group()], text)
    return _widen_punctuation(text) if ":" in text else text


def _squeeze(line: str) -> str:
    if "  " in line or "\t" in line or "\u3000" in line or "\u00a0" in line:
        return _SPACES.sub(" ", line)
    return line


def normalize_line(text: str) -> str:
    """One line in canonical form: trimmed, full-width punctuation, ASCII digits, 〔〕 in 文号."""
    return _squeeze(_convert(text)).strip()


def clean_lines(text: str) -> list[Line]:
    """The non-empty lines of ``text``, normalised, without page numbers and stray marks."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _convert(text)  # once for the whole text: what normalize_line does line by line
    lines: list[Line] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = _squeeze(raw).strip()
        if not line:
            continue
        if len(line) <= _DEBRIS_MAX and (
            PAGE_NUMBER_LINE.match(line) or STRAY_MARK_LINE.match(line)
        ):
            continue
        lines.append(Line(number, line))
    return lines


_PADDING = re.compile(rf"(?<=[{CJK}，。：；、）（《》“”])\s+|\s+(?=[{CJK}，。：；、）（《》“”])")


def squeeze_spaces(text: str) -> str:
    """Remove the spaces inside running Chinese text (they are line-justification padding)."""
    if " " not in text and "\t" not in text and "\u3000" not in text:
        return text
    return _PADDING.sub("", text)
