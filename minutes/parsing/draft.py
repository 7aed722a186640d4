"""The parser's working state: the values found so far, the warnings, the lines placed nowhere."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from .records import ParseWarning

# Warnings listed one by one; the rest share one.
MAX_WARNINGS = 100


class ParseError(Exception):
    """The text cannot be read as minutes; ``line`` points at the source line (1-based)."""

    def __init__(self, line: int, message: str):
        super().__init__(line, message)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"第{self.line}行：{self.message}"


@dataclass
class Draft:
    """The mutable working copy that becomes a ParsedMinutes at the end."""

    known_organizations: Collection[str] = frozenset()
    values: dict = field(default_factory=dict)
    warnings: list[ParseWarning] = field(default_factory=list)
    unplaced: list[tuple[int, str]] = field(default_factory=list)
    # Attendance read from sentences ("…参加会议"), by role; a labelled list replaces it.
    narrative: dict[str, list] = field(default_factory=dict)
    # A meeting day printed without its year: (month, day, line), resolved at the end.
    yearless_date: tuple[int, int, int] | None = None
    # The kind of minutes as the title or the meeting sentence names it, when no line prints it.
    derived_kind: str | None = None
    # The kind printed before the 文号 ("专题会议纪要[2013]4号"), which wins over the others.
    number_kind: str | None = None
    # A 文号 as printed whose year or number cannot be (〔1900〕15号): kept out, and said.
    rejected_doc_number: str | None = None
    # The lines of the meeting sentence and of the first item, for the warnings about them.
    opening_line: int | None = None
    body_line: int | None = None
    # Warnings given, and the line of the first one past the limit.
    warning_count: int = 0
    first_unlisted: int = 0

    def warn(self, line: int, message: str, field_name: str = "text", listed: bool = False):
        """A warning for the clerk; past ``MAX_WARNINGS`` they are counted, not listed (a large
        file of something else would otherwise give one per line), unless ``listed`` (the few
        about the document as a whole: a missing part, a text cut off)."""
        if listed:
            self.warnings.append(ParseWarning(line, message, field_name))
            return
        self.warning_count += 1
        if self.warning_count <= MAX_WARNINGS:
            self.warnings.append(ParseWarning(line, message, field_name))
        elif self.warning_count == MAX_WARNINGS + 1:
            self.first_unlisted = line

    def finish_warnings(self) -> None:
        """The one warning for those not listed."""
        unlisted = self.warning_count - MAX_WARNINGS
        if unlisted > 0:
            self.warnings.append(
                ParseWarning(
                    self.first_unlisted,
                    f"另有{unlisted}处需要核对（第一处在此行），不再逐条列出：请对照原文核对",
                )
            )

    def add_narrative(self, line: int, role: str, attendees: list, unread: list[str]) -> None:
        """Attendance read from a sentence; ``unread`` are its pieces that read as no entry."""
        self.narrative.setdefault(role, []).extend(attendees)
        for piece in unread:
            self.warn(line, f"“{piece}”无法分出单位和姓名，未录入，请核对", role)

    def leave(self, line: int, text: str, message: str | None, field_name: str = "text") -> None:
        """A line placed in no part: kept for search, and (with ``message``) shown to the clerk."""
        self.unplaced.append((line, text))
        if message:
            self.warn(line, message, field_name)
