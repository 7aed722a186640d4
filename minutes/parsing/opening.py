"""The opening paragraph: day, chair, session, place, the kind of meeting, and who attended.

"2021年4月12日上午，李亚平市长主持召开市政府第133次常务会议，…" is the usual sentence; real minutes
also name the chair after a place ("区长戴士福在区政府817会议室，主持召开"), with party posts
("市委副书记、市长钱会"), or only at the end ("会议由…主持。"), and write the attendance as
sentences ("局领导张永飚、…参加会议", "列席会议的还有区政府办公室负责人").
"""

from __future__ import annotations

import re

from . import patterns as p
from .dates import DATE, make_date, number_value
from .draft import Draft
from .names import is_organization, is_person_name, read_narrative_entries

_SENTENCES = re.compile(r"[^。；！？]+[。；！？]?")
_SESSION = re.compile(rf"{p.ORDINAL}([\d{p.CHINESE_DIGITS}]+){p.SESSION_CHAR}")
_LEADING_DATE = re.compile(rf"^(?:{DATE.pattern})?\s*(?:{'|'.join(p.TIMES_OF_DAY)})?")


def is_meeting_sentence(text: str) -> bool:
    """True for a sentence that records a meeting (主持 / 召开…会议 / 会议…举行)."""
    if not any(verb in text for verb in p.CONVENE_VERBS):
        return False
    return bool(p.MEETING_SENTENCE.search(text))


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph, each with its closing mark."""
    return [match.group() for match in _SENTENCES.finditer(text) if match.group().strip()]


# ---------------------------------------------------------------------------------------------
# Chair
# ---------------------------------------------------------------------------------------------
def read_chair(segment: str) -> tuple[str | None, str | None, str | None]:
    """(chair, title, place) from the words naming the chair: 李亚平市长 / 区政府代理区长毛志强在…
    / 市委副书记、市长钱会 / 区人大常委会副主任忻国龙 / 张国强."""
    segment = segment.strip()
    for title in p.CHAIR_TITLE.finditer(segment):
        after = segment[title.end() :]
        name_match = re.match(
            rf"([{p.CJK}]{{2,4}}?)(?:{p.HONORIFIC})?(?:{p.PLACE_WORD}(.+))?$", after
        )
        if name_match and is_person_name(name_match[1]):
            return name_match[1], title.group(), name_match[2]
        before = segment[: title.start()]
        place_match = re.match(rf"^(?:{p.HONORIFIC})?(?:{p.PLACE_WORD}(.+))?$", after)
        if place_match is None:
            continue
        if is_organization(before) and before.endswith(p.STRONG_ORGANIZATION_ENDINGS):
            # "区人大常委会副主任": the words before the title are a body (常委会 is no 常).
            continue
        # Longest first: 欧阳明华 (compound surname) before 阳明华 or 明华.
        for length in (4, 3, 2):
            name = before[-length:]
            if len(name) == length and is_person_name(name):
                return name, title.group(), place_match[1]
    bare = re.match(rf"^([{p.CJK}]{{2,4}}?)(?:{p.HONORIFIC})?(?:{p.PLACE_WORD}(.+))?$", segment)
    if bare and is_person_name(bare[1]):
        return bare[1], None, bare[2]
    return None, None, None


def chair_in_sentence(sentence: str) -> tuple[str | None, str | None, str | None]:
    """The chair of a sentence with 主持: the clauses just before it, nearest first."""
    named = p.CHAIR_SENTENCE.search(sentence)
    if named:
        return read_chair(named["who"])
    host = sentence.find(p.HOST_VERB)
    if host <= 0:
        return None, None, None
    clauses = sentence[:host].split("，")
    for clause in reversed(clauses[-p.CHAIR_SEARCH_CLAUSES :]):
        segment = _LEADING_DATE.sub("", clause).strip()
        if not segment:
            continue
        chair, title, place = read_chair(segment)
        if chair:
            return chair, title, place
    return None, None, None


def chair_of_opening(opening: str) -> tuple[str | None, str | None, str | None]:
    """(chair, title, place) as the opening names them (render uses it to know whether the chair
    needs a line of its own)."""
    for sentence in sentences(opening):
        if p.HOST_VERB in sentence:
            chair, title, place = chair_in_sentence(sentence)
            if chair:
                return chair, title, place
    return None, None, None


# ---------------------------------------------------------------------------------------------
# The opening paragraph
# ---------------------------------------------------------------------------------------------
def read_opening(text: str, line: int, draft: Draft) -> bool:
    """Read the opening paragraph into ``draft``; True when it names a day, a chair or a session
    of a meeting held (not one announced: "定于…召开" is a notice)."""
    values = draft.values
    values["opening"] = text
    draft.opening_line = line
    parts = sentences(text)
    meeting = next((sentence for sentence in parts if is_meeting_sentence(sentence)), text)
    _read_date(meeting, draft)
    chair, title, place = chair_of_opening(text)
    if chair:
        values.update(chair=chair, chair_title=title)
        if place:
            values["place"] = place
    if "place" not in values:
        place_clause = p.PLACE_CLAUSE.search(meeting)
        if place_clause:
            values["place"] = place_clause[1]
    _read_session(meeting, draft)
    kind = p.MEETING_KIND_PHRASE.search(values.get("session_name") or _convened(meeting))
    if kind:
        draft.derived_kind = p.printed_kind(kind)
    for sentence in parts:
        attendance = attendance_of_sentence(sentence)
        if attendance:
            draft.add_narrative(line, *attendance)
    if p.FUTURE_MEETING.search(meeting):
        return False
    return any(values.get(key) for key in ("meeting_date", "chair", "session_no")) or bool(
        draft.yearless_date
    )


def _read_date(sentence: str, draft: Draft) -> None:
    match = DATE.search(sentence)
    if match is None:
        return
    month, day = number_value(match["month"]), number_value(match["day"])
    if match["year"]:
        draft.values["meeting_date"] = make_date(number_value(match["year"]), month, day)
    elif month and day:
        draft.yearless_date = (month, day, draft.opening_line or 1)
    rest = sentence[match.end() :].lstrip()
    for time_of_day in p.TIMES_OF_DAY:
        if rest.startswith(time_of_day):
            draft.values["time_of_day"] = time_of_day
            break


def _convened(sentence: str) -> str:
    """The words after 召开/举行 up to the next mark, or the words before 举行 (the meeting)."""
    for verb in p.CONVENE_VERBS:
        position = sentence.find(verb)
        if position >= 0:
            after = re.split(r"[，。；]", sentence[position + len(verb) :], maxsplit=1)[0]
            before = re.split(r"[，。；]", sentence[:position])[-1]
            return after + "，" + before
    return sentence


def _read_session(sentence: str, draft: Draft) -> None:
    """第N次…会议: the number, and the session as printed (市政府第133次常务会议)."""
    for session in _SESSION.finditer(sentence):
        end = sentence.find(p.MEETING_CHAR, session.end(), session.end() + 14)
        if end < 0:
            continue
        draft.values["session_no"] = number_value(session[1])
        start = 0
        for mark in ("，", "。", "；"):
            start = max(start, sentence.rfind(mark, 0, session.start()) + 1)
        for verb in p.SESSION_NAME_BOUNDARIES:
            found = sentence.rfind(verb, start, session.start())
            if found >= 0:
                start = max(start, found + len(verb))
        meeting_end = sentence.find(p.MEETING_WORD, session.end(), session.end() + 14)
        if meeting_end >= 0:
            name = sentence[start : meeting_end + len(p.MEETING_WORD)].strip()
            if name and len(name) <= 120:
                draft.values["session_name"] = name
        return


# ---------------------------------------------------------------------------------------------
# Attendance sentences
# ---------------------------------------------------------------------------------------------
def attendance_of_sentence(sentence: str) -> tuple[str, list, list[str]] | None:
    """(role, attendees, pieces read as no entry) of "…出席会议" / "…列席会议" / "列席会议的还有…",
    or None for another sentence.

    The list is the clauses before the verb that read as entries (the clause with 主持召开 is the
    meeting, not a list), or the words after a leading phrase. The clause next to the verb may
    hold a piece that reads as no entry (it is returned for a warning); the clauses before it
    are taken only if they read whole. 出席 lists keep only named people: "市政府负责同志参加会议"
    names nobody.
    """
    body = sentence.rstrip("。；！？ ")
    for lead, role in p.ATTENDANCE_LEADS:
        position = body.find(lead)
        if position >= 0:
            entries, unread = read_narrative_entries(body[position + len(lead) :])
            return (role, _attendees(role, entries), unread) if entries else None
    for verb, role in p.ATTENDANCE_VERBS:
        if not body.endswith(verb):
            continue
        taken: list = []
        unread: list[str] = []
        for clause in reversed(body[: -len(verb)].split("，")):
            if any(word in clause for word in p.NOT_ATTENDANCE_WORDS):
                break
            entries, pieces = read_narrative_entries(clause)
            if not entries or (pieces and taken):
                break
            taken = entries + taken
            unread += pieces
        return (role, _attendees(role, taken), unread) if taken else None
    return None


def _attendees(role: str, entries: list) -> list:
    attendees = [entry.attendee for entry in entries if entry.attendee is not None]
    if role == p.ATTENDEES:
        attendees = [attendee for attendee in attendees if attendee.name]
    return attendees
