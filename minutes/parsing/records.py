"""The parser's output: frozen dataclasses, no Django.

`ParsedMinutes.to_dict()` has exactly the shape of ``shared/corpus/gold/*.json``
(see ``shared/corpus/SCHEMA.md``); the other fields carry what the importer needs
to build complete records and what ``Meeting.as_text()`` renders back.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ParseWarning:
    """Something the parser was unsure of, for the clerk to check in the preview."""

    line: int
    message: str
    # The part it concerns, as a key of ``ParsedMinutes.to_dict()`` ("issuer", "meeting_date",
    # "chair", "items", "attendees", "observers", …) or "text" for the document as a whole
    # (cut off, a line not placed), so that a preview can show it beside that part.
    field: str = "text"

    def __str__(self) -> str:
        return f"{self.line}: {self.message}"


@dataclass(frozen=True)
class Decision:
    """One decision of an agenda item.

    ``no`` is the number of a numbered point （一） -> 1; ``None`` for unnumbered text
    (a "会议议定：…" line, the body of an inline item).
    """

    no: int | None
    text: str
    # Organisations the decision assigns work to (由市工信局…, 市公积金中心要…), in order of
    # appearance.
    organizations: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgendaItem:
    no: int
    # The heading after 一、 (for inline items the sentence up to and including 汇报).
    title: str
    # 听取 / 审议 / 传达 / 研究, or "" when the title says none of them.
    kind: str = ""
    decisions: tuple[Decision, ...] = ()
    # The 《…》 titles this item reviews, without the brackets, in order, no repeats.
    reviewed: tuple[str, ...] = ()

    @property
    def points(self) -> int:
        return sum(1 for decision in self.decisions if decision.no is not None)


@dataclass(frozen=True)
class Attendee:
    """One entry of 出席 or 列席. ``name`` is None for "…的代表"; ``org`` None for a bare name."""

    name: str | None
    org: str | None = None
    # The category heading of a grouped list ("（1）市领导：" -> "市领导"), else None.
    group: str | None = None


@dataclass(frozen=True)
class ParsedMinutes:
    issuer: str | None = None
    # The kind of minutes as printed: 常务会议纪要, 专题会议纪要, 市长办公会议纪要, …
    kind: str | None = None
    doc_number: str | None = None  # normalised: 〔2021〕15号
    year: int | None = None
    seq: int | None = None
    session_no: int | None = None
    # The session as printed, prefix included: 市政府第133次常务会议, 区十一届政府第106次常务会议.
    session_name: str | None = None
    meeting_date: datetime.date | None = None
    time_of_day: str | None = None  # 上午 / 下午 / 晚上
    chair: str | None = None
    chair_title: str | None = None
    place: str | None = None  # 在区应急管理局二楼会议室 -> 区应急管理局二楼会议室
    # The opening paragraph as one normalised string (page-break debris removed).
    opening: str = ""
    items: tuple[AgendaItem, ...] = ()
    attendees: tuple[Attendee, ...] | None = None  # 出席
    observers: tuple[Attendee, ...] | None = None  # 列席
    recorder: str | None = None
    compiled_office: str | None = None  # 苏州市人民政府办公室 (of "…整理")
    compiled_date: datetime.date | None = None
    public: bool | None = None  # True when the text says 此件公开发布
    distribution: tuple[str, ...] | None = None
    # The mark after each recipient but the last: ， within a group, ； between groups.
    distribution_separators: tuple[str, ...] = ()
    printed_office: str | None = None
    printed_date: datetime.date | None = None
    warnings: tuple[ParseWarning, ...] = field(default=(), compare=False)
    # Source lines placed in no part (a header line the form does not know, a bare date, a list
    # the records do not keep), as (line number, text): not part of the record, but the search
    # index keeps them findable.
    unplaced: tuple[tuple[int, str], ...] = field(default=(), compare=False)

    def to_dict(self) -> dict:
        """The gold-file shape of ``shared/corpus/SCHEMA.md``."""

        def iso(value: datetime.date | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "issuer": self.issuer,
            "doc_number": self.doc_number,
            "year": self.year,
            "seq": self.seq,
            "session_no": self.session_no,
            "meeting_date": iso(self.meeting_date),
            "time_of_day": self.time_of_day,
            "chair": self.chair,
            "chair_title": self.chair_title,
            "items": [
                {"no": item.no, "title": item.title, "points": item.points} for item in self.items
            ],
            "attendees": None
            if self.attendees is None
            else [attendee.name for attendee in self.attendees],
            "observers": None
            if self.observers is None
            else [{"org": o.org, "name": o.name} for o in self.observers],
            "recorder": self.recorder,
            "public": True if self.public else None,
            "distribution": None if self.distribution is None else list(self.distribution),
            "compiled_date": iso(self.compiled_date),
            "printed_date": iso(self.printed_date),
        }
