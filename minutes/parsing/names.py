"""People and organisations: 出席/列席 entries, the organisations a decision assigns work to.

Built from general knowledge of Chinese names (surname list, name length 2–3, 4 with a compound
surname) and of organisation names (their endings: 局 委 办 中心 支队 海关 …), never from lists of
particular people or departments, because the parser meets minutes it has never seen.
"""

from __future__ import annotations

import re

from .normalize import Line
from .patterns import (
    ASSIGNMENT_GROUP_TAIL,
    ASSIGNMENT_PREFIXES,
    ASSIGNMENT_VERBS,
    ATTENDEE_GROUP,
    ATTENDEE_SEPARATORS,
    CJK,
    COMPOUND_SURNAMES,
    NOT_AN_ORGANIZATION_START,
    ORGANIZATION_ENDINGS,
    PERSON_NAME_LENGTHS,
    REPRESENTATIVE,
    SINGLE_SURNAMES,
    STRONG_ORGANIZATION_ENDINGS,
)
from .records import Attendee

_CJK_ONLY = re.compile(rf"^[{CJK}]+$")


def is_person_name(text: str) -> bool:
    """True when ``text`` reads as a Chinese personal name: surname + 1–2 characters."""
    if not _CJK_ONLY.match(text):
        return False
    if text[:2] in COMPOUND_SURNAMES:
        return len(text) in (3, 4)
    return text[0] in SINGLE_SURNAMES and len(text) in PERSON_NAME_LENGTHS


def is_organization(text: str) -> bool:
    """True when ``text`` ends like an organisation name (市工信局, 团市委, 张家港市, 苏州海关)."""
    if len(text) < 2 or text.startswith(NOT_AN_ORGANIZATION_START):
        return False
    return text.endswith(ORGANIZATION_ENDINGS)


def split_organization_person(text: str) -> tuple[str, str] | None:
    """Split "市纪委监委王虎" into ("市纪委监委", "王虎"); None when no split reads well.

    Among the splits whose tail is a personal name and whose head ends like an organisation, the
    one with the longer organisation wins: 苏州工业园区海关赵建 -> 苏州工业园区海关 / 赵建.
    """
    for name_length in (2, 3, 4):
        if len(text) - name_length < 2:
            break
        organization, name = text[:-name_length], text[-name_length:]
        if is_person_name(name) and is_organization(organization):
            return organization, name
    return None


def _entry_kind(text: str) -> str:
    # 相城区 reads as a name too (相 is a surname), but people are not called …区 or …局.
    if is_organization(text) and text.endswith(STRONG_ORGANIZATION_ENDINGS):
        return "organization"
    if is_person_name(text):
        return "person"
    if split_organization_person(text):
        return "organization_person"
    if is_organization(text):
        return "organization"
    return "fragment"


def _merge_fragments(chunks: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Rejoin entries that a line break or a padding space cut apart.

    PDF text wraps a list mid-entry (市 / 民政局芮静珈, 昆 / 山市徐敏中, 市“331”机制办 / 朱存太) and
    aligned lists pad two-character names (王  翔). A piece that is not a whole entry by itself is
    joined to the next one or two when the joined text reads as a whole entry; otherwise it stays
    alone (and the caller warns about it).
    """
    merged: list[tuple[int, str]] = []
    index = 0
    while index < len(chunks):
        line_number, current = chunks[index]
        taken = 1
        following = chunks[index + 1][1] if index + 1 < len(chunks) else ""
        after = chunks[index + 2][1] if index + 2 < len(chunks) else ""
        if _joins_forward(current, following, after):
            current, taken = current + following, 2
        elif _entry_kind(current) in ("organization", "fragment"):
            joined = current
            for extra in (1, 2):
                if index + extra >= len(chunks):
                    break
                joined += chunks[index + extra][1]
                if _entry_kind(joined) in ("person", "organization_person"):
                    current, taken = joined, 1 + extra
                    break
        merged.append((line_number, current))
        index += taken
    return merged


def _joins_forward(current: str, following: str, after: str) -> bool:
    """True when ``following`` is the tail of ``current`` cut off by a wrap.

    苏州高新 / 区高晓东 and 市公安局黄戟 / 明: the second piece cannot stand alone and the joined
    text reads as one entry. 市水务局陈习庆 / 市农业 is not such a case: the joined text would
    only read as an entry by swallowing a whole one into a longer organisation name.
    """
    if not following or _entry_kind(following) != "fragment":
        return False
    if after and _entry_kind(following + after) == "person":
        # 陈刚 / 李 / 明: the fragment starts the next entry (李明), it does not end this one.
        return False
    joined = current + following
    joined_kind = _entry_kind(joined)
    if joined_kind == "person":
        return True
    if joined_kind != "organization_person":
        return False
    current_split = split_organization_person(current)
    if current_split is None or not current_split[0].endswith(STRONG_ORGANIZATION_ENDINGS):
        return True
    joined_split = split_organization_person(joined)
    return joined_split is not None and joined_split[0] == current_split[0]


def _split_representatives(text: str) -> list[str]:
    """The organisations of "市委政法委、武警苏州支队的代表" -> [市委政法委, 武警苏州支队]."""
    body = REPRESENTATIVE.sub("", text)
    parts = [part for part in re.split(r"[、，,]", body) if part]
    return parts if all(is_organization(part) for part in parts) else []


def parse_attendees(lines: list[Line]) -> tuple[tuple[Attendee, ...], list[tuple[int, str]]]:
    """The entries of an 出席 or 列席 block, and warnings as (line number, message).

    ``lines`` hold the text after the label, one source line each. Entries are separated by
    spaces, line breaks, 、 or ，; grouped lists ("（1）市领导：A、B") keep their group name.
    """
    groups: list[tuple[str | None, list[list[tuple[int, str]]]]] = [(None, [[]])]
    for line in lines:
        text = line.text
        group_match = ATTENDEE_GROUP.match(text)
        if group_match:
            groups.append((group_match["group"].strip(), [[]]))
            text = group_match["rest"]
        # 、 and ， always end an entry; a space or a line break may be padding or a PDF wrap
        # inside one (王  翔, 市 / 民政局芮静珈), so words between them are merged as needed.
        pieces = re.split(r"[、，；,;]", text)
        for position, piece in enumerate(pieces):
            if position:
                groups[-1][1].append([])
            words = ATTENDEE_SEPARATORS.split(piece)
            groups[-1][1][-1].extend((line.number, word) for word in words if word)
    warnings: list[tuple[int, str]] = []
    attendees: list[Attendee] = []
    for group, runs in groups:
        entries = [entry for run in runs if run for entry in _merge_fragments(run)]
        attendees.extend(_group_entries(group, entries, warnings))
    return tuple(attendees), warnings


def _group_entries(
    group: str | None,
    entries: list[tuple[int, str]],
    warnings: list[tuple[int, str]],
) -> list[Attendee]:
    # "市委政法委、武警苏州支队的代表": the organisations just before a "…的代表" entry share it.
    representatives: set[int] = set()
    for index, (_, entry) in enumerate(entries):
        if REPRESENTATIVE.search(entry):
            before = index - 1
            while before >= 0 and _entry_kind(entries[before][1]) == "organization":
                representatives.add(before)
                before -= 1
    result: list[Attendee] = []
    for index, (line_number, entry) in enumerate(entries):
        if index in representatives:
            result.append(Attendee(name=None, org=entry, group=group))
        elif REPRESENTATIVE.search(entry) and _split_representatives(entry):
            result.extend(
                Attendee(name=None, org=org, group=group) for org in _split_representatives(entry)
            )
        elif is_person_name(entry):
            result.append(Attendee(name=entry, org=None, group=group))
        # Grouped 出席 lists name the department too ("有关部门：市财政局赵四").
        elif split := split_organization_person(entry):
            result.append(Attendee(name=split[1], org=split[0], group=group))
        else:
            warnings.append((line_number, f"“{entry}”无法分出单位和姓名，请核对"))
            result.append(Attendee(name=entry, org=None, group=group))
    return result


def assigned_organizations(text: str) -> tuple[str, ...]:
    """The organisations a decision gives work to, in order, without repeats.

    Reads clauses that open with an organisation followed by a verb of duty: 由市工信局根据…,
    市科技局要抓好…, 由团市委根据…, 市人才办、市发改委等相关部门要….
    """
    found: list[str] = []
    for clause in re.split(r"[，。；：！？,;:]", text):
        # Inline sub-decisions "1.由市财政局…;2.…" carry their number at the clause start.
        clause = re.sub(r"^(?:\d{1,2}[.、．]|（\d{1,2}）)", "", clause.strip())
        for prefix in ASSIGNMENT_PREFIXES:
            if clause.startswith(prefix):
                clause = clause[len(prefix) :]
                break
        for organization in _clause_organizations(clause):
            if organization not in found:
                found.append(organization)
    return tuple(found)


def _clause_organizations(clause: str) -> list[str]:
    for end in range(2, min(len(clause), 60)):
        if not clause.startswith(ASSIGNMENT_VERBS, end):
            continue
        head = ASSIGNMENT_GROUP_TAIL.sub("", clause[:end])
        parts = head.split("、")
        if parts and all(is_organization(part) and len(part) <= 20 for part in parts):
            return parts
    return []
