"""People and organisations: 出席/列席 entries, the organisations a decision assigns work to.

Built from general knowledge of Chinese names (surname list, name length 2–3, 4 with a compound
surname) and of organisation names (their endings: 局 委 办 中心 支队 海关 …), never from lists of
particular people or departments, because the parser meets minutes it has never seen. The one
exception is the caller's own list: ``known_organizations`` (the names an archive already holds)
lets extraction accept a name its rules would doubt.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection
from dataclasses import dataclass

from .normalize import Line
from .patterns import (
    ASSIGNMENT_GROUP_TAIL,
    ASSIGNMENT_PREFIXES,
    ASSIGNMENT_VERB,
    ATTENDANCE_GROUP_TAIL,
    ATTENDEE_GROUP,
    ATTENDEE_SEPARATORS,
    CJK,
    COMPOUND_SURNAMES,
    GROUP_WORD,
    HEAD_COUNT,
    HONORIFIC,
    LIST_CONJUNCTIONS,
    NOT_AN_ORGANIZATION_START,
    NOT_IN_AN_ORGANIZATION,
    ORGANIZATION_ALIAS,
    ORGANIZATION_ENDINGS,
    ORGANIZATION_MAX_LENGTH,
    ORGANIZATION_MIN_LENGTH,
    PAST_MARK,
    PERSON_CATEGORY,
    PERSON_NAME_LENGTHS,
    PERSON_POST,
    PLACE_ENDINGS,
    POSSESSIVE,
    PROPOSER,
    PROPOSER_FOLLOW_UP,
    REPRESENTATIVE,
    REPRESENTATIVE_ENDINGS,
    SINGLE_SURNAMES,
    STRONG_ORGANIZATION_ENDINGS,
)
from .records import Attendee

_CJK_ONLY = re.compile(rf"^[{CJK}]+$")
# The endings of organisation names by their last character: one set lookup rules out most text.
_ENDINGS_BY_LAST: dict[str, tuple[str, ...]] = {}
for _ending in ORGANIZATION_ENDINGS:
    _ENDINGS_BY_LAST[_ending[-1]] = (*_ENDINGS_BY_LAST.get(_ending[-1], ()), _ending)


def ends_like_organization(text: str, end: int | None = None) -> bool:
    """True when ``text`` (up to ``end``) ends with the ending of an organisation name."""
    end = len(text) if end is None else end
    endings = _ENDINGS_BY_LAST.get(text[end - 1 : end])
    return endings is not None and text.endswith(endings, 0, end)


_NOT_A_NAME_START = NOT_AN_ORGANIZATION_START + tuple(
    word for word in NOT_IN_AN_ORGANIZATION if len(word) > 1
)


def is_person_name(text: str) -> bool:
    """True when ``text`` reads as a Chinese personal name: surname + 1–2 characters."""
    length = len(text)
    if text[:2] in COMPOUND_SURNAMES:
        if length not in (3, 4):
            return False
    elif text[:1] not in SINGLE_SURNAMES or length not in PERSON_NAME_LENGTHS:
        return False
    return _CJK_ONLY.match(text) is not None


def is_organization(text: str) -> bool:
    """True when ``text`` ends like an organisation name (市工信局, 团市委, 张家港市, 苏州海关)."""
    if len(text) < 2 or not ends_like_organization(text):
        return False
    return not text.startswith(NOT_AN_ORGANIZATION_START)


def organization_doubt(text: str) -> str | None:
    """Why ``text`` does not read as the name of a body, or None when it does.

    Stricter than ``is_organization``: a name has an organisation's ending, a sane length and no
    verb or clause inside ("原则同意苏州卫生职业技术学院上报市政府" ends like a body but is a clause).
    """
    if not ends_like_organization(text):
        return "不以机关、单位名称的常见结尾（局、委、办、中心……）结束"
    if len(text) > ORGANIZATION_MAX_LENGTH:
        return "过长，不像单位名称"
    if len(text) < ORGANIZATION_MIN_LENGTH or (
        # 城市, 大市: a place ending needs a place name before it.
        len(text) < 3 and text.endswith(PLACE_ENDINGS)
    ):
        return "过短，不像单位名称"
    if text.startswith(NOT_AN_ORGANIZATION_START):
        return "以动词或指代词开头"
    for word in NOT_IN_AN_ORGANIZATION:
        if word in text:
            return f"含有“{word}”，像是一句话而不是单位名称"
    if is_person_name(text):
        return "像是人名"
    return None


def split_organization_person(text: str) -> tuple[str, str] | None:
    """Split "市纪委监委王虎" into ("市纪委监委", "王虎"); None when no split reads well.

    Among the splits whose tail is a personal name and whose head ends like an organisation, the
    one with the longer organisation wins: 苏州工业园区海关赵建 -> 苏州工业园区海关 / 赵建.
    """
    if len(text) < 4 or not _has_name_tail(text):
        return None
    for name_length in (2, 3, 4):
        if len(text) - name_length < 2:
            break
        organization, name = text[:-name_length], text[-name_length:]
        if is_person_name(name) and is_organization(organization):
            return organization, name
    return None


def _has_name_tail(text: str) -> bool:
    """A cheap first test: a surname stands where a 2-, 3- or 4-character name would start."""
    return (
        text[-2] in SINGLE_SURNAMES
        or text[-3] in SINGLE_SURNAMES
        or text[-3:-1] in COMPOUND_SURNAMES
        or text[-4:-2] in COMPOUND_SURNAMES
    )


class _Entries:
    """What each piece of one list reads as, worked out once per piece (a list of 70 entries
    asks about the same pieces many times while it rejoins the ones a wrap cut)."""

    def __init__(self):
        self._kinds: dict[str, str] = {}
        self._splits: dict[str, tuple[str, str] | None] = {}

    def split(self, text: str) -> tuple[str, str] | None:
        if text not in self._splits:
            self._splits[text] = split_organization_person(text)
        return self._splits[text]

    def kind(self, text: str) -> str:
        """organization / person / organization_person / fragment."""
        if text not in self._kinds:
            self._kinds[text] = self._kind(text)
        return self._kinds[text]

    def _kind(self, text: str) -> str:
        organization = is_organization(text)
        # 相城区 reads as a name too (相 is a surname), but people are not called …区 or …局.
        if organization and text.endswith(STRONG_ORGANIZATION_ENDINGS):
            return "organization"
        if is_person_name(text):
            return "person"
        if self.split(text):
            return "organization_person"
        return "organization" if organization else "fragment"


def _merge_fragments(chunks: list[tuple[int, str]], entries: _Entries) -> list[tuple[int, str]]:
    """Rejoin entries that a line break or a padding space cut apart.

    PDF text wraps a list mid-entry (市 / 民政局芮静珈, 昆 / 山市徐敏中, 市“331”机制办 / 朱存太) and
    aligned lists pad two-character names (王  翔). A piece that is not a whole entry by itself is
    joined to the next one or two when the joined text reads as a whole entry; otherwise it stays
    alone (and the caller warns about it).
    """
    kind = entries.kind
    merged: list[tuple[int, str]] = []
    index = 0
    while index < len(chunks):
        line_number, current = chunks[index]
        taken = 1
        following = chunks[index + 1][1] if index + 1 < len(chunks) else ""
        after = chunks[index + 2][1] if index + 2 < len(chunks) else ""
        if _joins_forward(current, following, after, entries):
            current, taken = current + following, 2
        elif kind(current) in ("organization", "fragment"):
            joined = current
            for extra in (1, 2):
                if index + extra >= len(chunks):
                    break
                joined += chunks[index + extra][1]
                if kind(joined) in ("person", "organization_person"):
                    current, taken = joined, 1 + extra
                    break
        merged.append((line_number, current))
        index += taken
    return merged


def _joins_forward(current: str, following: str, after: str, entries: _Entries) -> bool:
    """True when ``following`` is the tail of ``current`` cut off by a wrap.

    苏州高新 / 区高晓东 and 市公安局黄戟 / 明: the second piece cannot stand alone and the joined
    text reads as one entry. 市水务局陈习庆 / 市农业 is not such a case: the joined text would
    only read as an entry by swallowing a whole one into a longer organisation name.
    """
    kind = entries.kind
    if not following or kind(following) != "fragment":
        return False
    if after and kind(following + after) == "person":
        # 陈刚 / 李 / 明: the fragment starts the next entry (李明), it does not end this one.
        return False
    joined = current + following
    joined_kind = kind(joined)
    if joined_kind == "person":
        return True
    if joined_kind != "organization_person":
        return False
    current_split = entries.split(current)
    if current_split is None or not current_split[0].endswith(STRONG_ORGANIZATION_ENDINGS):
        return True
    joined_split = entries.split(joined)
    return joined_split is not None and joined_split[0] == current_split[0]


def _is_representative(text: str) -> bool:
    """ "市委政法委、武警苏州支队的代表", "区政府办公室负责人": a place without a name."""
    return text.endswith(REPRESENTATIVE_ENDINGS) and REPRESENTATIVE.search(text) is not None


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
    reader = _Entries()
    for group, runs in groups:
        entries = [entry for run in runs if run for entry in _merge_fragments(run, reader)]
        attendees.extend(_group_entries(group, entries, warnings, reader))
    return tuple(attendees), warnings


def _group_entries(
    group: str | None,
    entries: list[tuple[int, str]],
    warnings: list[tuple[int, str]],
    reader: _Entries,
) -> list[Attendee]:
    # "市委政法委、武警苏州支队的代表": the organisations just before a "…的代表" entry share it.
    representatives: set[int] = set()
    for index, (_, entry) in enumerate(entries):
        if _is_representative(entry):
            before = index - 1
            while before >= 0 and reader.kind(entries[before][1]) == "organization":
                representatives.add(before)
                before -= 1
    result: list[Attendee] = []
    for index, (line_number, entry) in enumerate(entries):
        if index in representatives:
            result.append(Attendee(name=None, org=entry, group=group))
        elif _is_representative(entry) and _split_representatives(entry):
            result.extend(
                Attendee(name=None, org=org, group=group) for org in _split_representatives(entry)
            )
        elif reader.kind(entry) == "person":
            result.append(Attendee(name=entry, org=None, group=group))
        # Grouped 出席 lists name the department too ("有关部门：市财政局赵四").
        elif split := reader.split(entry):
            result.append(Attendee(name=split[1], org=split[0], group=group))
        else:
            warnings.append((line_number, f"“{entry}”无法分出单位和姓名，请核对"))
            result.append(Attendee(name=entry, org=None, group=group))
    return result


# ---------------------------------------------------------------------------------------------
# Attendance written as a sentence: "区人民法院副院长张盛世列席会议"
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NarrativeEntry:
    """One entry of a list written in a sentence; ``attendee`` None for a head count."""

    text: str
    attendee: Attendee | None


def read_person_entry(text: str) -> Attendee | None:
    """An entry "[organisation][post]name" or "[category]name": 区人民检察院检察长华志苗,
    副主任忻国龙, 局领导张永飚, 麻承照. None when no reading leaves a name and a clean prefix."""
    text = text.removesuffix(HONORIFIC)
    if is_organization(text) and text.endswith(STRONG_ORGANIZATION_ENDINGS):
        return None  # 市人大常委会: 常委会 is not a person called 常
    for length in (3, 2, 4):
        if len(text) < length:
            continue
        name, prefix = text[-length:], text[:-length]
        if not is_person_name(name):
            continue
        if not prefix or PERSON_POST.fullmatch(prefix) or PERSON_CATEGORY.match(prefix):
            return Attendee(name=name, org=None)
        organization = _organization_before_post(prefix)
        if organization:
            return Attendee(name=name, org=organization)
    return None


def _organization_before_post(prefix: str) -> str | None:
    """区人民法院副院长 -> 区人民法院; 区委组织部 -> 区委组织部; None when it is not one."""
    for post in PERSON_POST.finditer(prefix):
        if post.end() == len(prefix) and is_organization(prefix[: post.start()]):
            return prefix[: post.start()]
    return prefix if is_organization(prefix) else None


def read_narrative_entries(text: str) -> tuple[list[NarrativeEntry], list[str]]:
    """The entries of a list written in a sentence, and the pieces that read as no entry.

    "副主任忻国龙、麻承照、张世华和委员共24人" -> 忻国龙, 麻承照, 张世华 and a head count;
    "区政府办公室负责人" -> the office without a name; "办公室、政策法规科等科室负责人" -> two offices.
    """
    text = text.strip("，、：； ")
    if not text:
        return [], []
    tail = ATTENDANCE_GROUP_TAIL.search(text)
    if tail and tail.start() > 0:
        text = text[: tail.start()]
        organizations_only = True
    else:
        organizations_only = False
    entries: list[NarrativeEntry] = []
    unread: list[str] = []
    for piece in re.split(r"[、，]", text):
        piece = piece.strip()
        if not piece:
            continue
        for part in _split_conjunction(piece):
            entry = _narrative_entry(part, organizations_only)
            if entry is None:
                unread.append(part)
            else:
                entries.append(entry)
    return entries, unread


def _split_conjunction(piece: str) -> list[str]:
    """ "张世华和委员共24人" -> [张世华, 委员共24人]; "供热和住房保障中心" stays whole."""
    for word in LIST_CONJUNCTIONS:
        position = piece.find(word)
        if position > 0:
            left, right = piece[:position], piece[position + len(word) :]
            if read_person_entry(left) and (
                read_person_entry(right) or HEAD_COUNT.search(right) or is_organization(right)
            ):
                return [left, right]
    return [piece]


def _narrative_entry(part: str, organizations_only: bool) -> NarrativeEntry | None:
    if HEAD_COUNT.search(part):
        return NarrativeEntry(part, None)
    if not organizations_only:
        person = read_person_entry(part)
        if person:
            return NarrativeEntry(part, person)
    representative = REPRESENTATIVE.search(part)
    organization = part[: representative.start()] if representative else part
    organization = organization.removesuffix(POSSESSIVE)
    if is_organization(organization) and organization_doubt(organization) is None:
        return NarrativeEntry(part, Attendee(name=None, org=organization))
    return None


# ---------------------------------------------------------------------------------------------
# The organisations a decision assigns work to
# ---------------------------------------------------------------------------------------------
_CLAUSE_SPLIT = re.compile(r"[，。；：！？,;:]")
_CLAUSE_NUMBER = re.compile(r"^(?:\d{1,2}[.、．]|（\d{1,2}）)")


def decision_organizations(
    text: str, known: Collection[str] = ()
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(organisations the decision gives work to, candidates dropped as doubtful), in order.

    Reads clauses that open with an organisation followed by a verb of duty: 由市工信局根据…,
    市科技局要抓好…, 由团市委根据…, 市人才办、市发改委等相关部门要…. A candidate is accepted when it
    reads as a body's name (``organization_doubt``) or is one of ``known``; a candidate that ends
    like a body but does not read as one is returned among the doubtful, for a warning.
    """
    found: list[str] = []
    doubtful: list[str] = []
    proposer = PROPOSER.search(text)
    if proposer and PROPOSER_FOLLOW_UP.search(text, proposer.end()):
        name = ORGANIZATION_ALIAS.sub("", proposer["organization"])
        if name in known or organization_doubt(name) is None:
            found.append(name)
    # Only clauses where a duty verb follows the ending of a body's name (or 等…) can assign
    # work: found from the verbs, so that the many clauses without one cost nothing.
    boundaries = [match.start() for match in _CLAUSE_SPLIT.finditer(text)]
    read: set[int] = set()
    for verb in ASSIGNMENT_VERB.finditer(text):
        start = verb.start()
        if (
            not ends_like_organization(text, start)
            and GROUP_WORD not in text[max(start - 8, 0) : start]
        ):
            continue
        index = bisect.bisect_left(boundaries, start)
        clause_start = boundaries[index - 1] + 1 if index else 0
        if clause_start in read:
            continue
        read.add(clause_start)
        clause_end = boundaries[index] if index < len(boundaries) else len(text)
        accepted, doubted = _clause_organizations(_clause(text[clause_start:clause_end]), known)
        for organization in accepted:
            if organization not in found:
                found.append(organization)
        for candidate in doubted:
            if candidate not in doubtful:
                doubtful.append(candidate)
    return tuple(found), tuple(doubtful)


def _clause(text: str) -> str:
    """A clause without its number ("1.由市财政局…") and the word that introduces the agent."""
    clause = text.strip()
    if clause[:1].isdigit() or clause[:1] == "（":
        # Inline sub-decisions "1.由市财政局…;2.…" carry their number at the clause start.
        clause = _CLAUSE_NUMBER.sub("", clause)
    for prefix in ASSIGNMENT_PREFIXES:
        if clause.startswith(prefix):
            return clause[len(prefix) :]
    return clause


def assigned_organizations(text: str, known: Collection[str] = ()) -> tuple[str, ...]:
    """The organisations a decision gives work to, in order, without repeats."""
    return decision_organizations(text, known)[0]


def _clause_organizations(clause: str, known: Collection[str]) -> tuple[list[str], list[str]]:
    """The subject of a clause's duty verb when it is a list of bodies.

    The longest subject that reads well wins (市政府研究室要… is 市政府研究室, not 市政府 before
    研究); a subject that ends like bodies but does not read as names is doubtful.
    """
    best: list[str] = []
    doubted: list[str] = []
    for verb in ASSIGNMENT_VERB.finditer(clause, 2, 60):
        if clause.startswith(PAST_MARK, verb.end()):
            continue
        head = clause[: verb.start()]
        if not ends_like_organization(head):
            if GROUP_WORD not in head[-8:]:
                continue
            head = ASSIGNMENT_GROUP_TAIL.sub("", head)
        parts = head.split("、")
        if not parts or not all(ends_like_organization(part) for part in parts):
            continue
        if any(part.startswith(_NOT_A_NAME_START) for part in parts):
            # 各地各部门要…, 该院要…, 认真贯彻…部署要求: a class of bodies, a reference back or
            # a clause, not a name.
            continue
        if all(part in known or organization_doubt(part) is None for part in parts):
            best = parts
        elif not best:
            doubted = [part for part in parts if part not in known and organization_doubt(part)]
    return best, ([] if best else doubted)
