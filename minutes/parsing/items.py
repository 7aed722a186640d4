"""Agenda items and their decisions, in every numbering the corpora show.

- numbered headings "一、审议《…》" followed by points "（一）…" or unnumbered "会议议定：…" lines;
- inline items "一、会议听取了…的汇报。会议认为…";
- items marked by standalone "(一)" lines, the title being the first sentence after the marker;
- unnumbered paragraph items "会议听取了…" / "会议审议《…》。原则同意…" / "会议原则同意《…》。";
- inline points "会议要求，（一）…（二）…" inside a decision paragraph; "(1)…(5)" and "1.…2." are
  requirements within the text, not points.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import patterns as p
from .dates import number_value, parse_full_date
from .draft import Draft
from .names import decision_organizations
from .opening import attendance_of_sentence, chair_in_sentence, sentences
from .records import AgendaItem, Decision


@dataclass
class Paragraph:
    """Source lines joined into one paragraph; ``standalone`` for a marker alone on its line."""

    line: int
    text: str
    last_line: int
    standalone: bool = False


@dataclass
class _ItemDraft:
    line: int
    no: int
    title: str
    decisions: list[Decision] = field(default_factory=list)
    last_point: int = 0  # the number of the last numbered point, 0 before the first


def split_inline(text: str) -> tuple[str, str]:
    """Title and remainder of an inline item "会议听取了…的汇报。会议认为…"."""
    if p.SENTENCE_END not in text:
        return text, ""
    sentence_end = text.index(p.SENTENCE_END)
    # The report word ends the title within its first sentence ("…的汇报，同意…"), not after it.
    report = p.INLINE_TITLE_END.search(text, 0, sentence_end + 1)
    end = report.end() if report else sentence_end
    return text[:end], text[end:].lstrip("。，；：").strip()


def is_paragraph_item(text: str) -> bool:
    """True for an unnumbered item "会议听取了…", "会议还审议通过《…", but not "会议研究决定…"."""
    return bool(p.PARAGRAPH_ITEM.match(text)) and not p.PARAGRAPH_ITEM_NOT.match(text)


_CHINESE = "〇一二三四五六七八九"


def inline_points(text: str, first: int = 1) -> list[tuple[int | None, str]]:
    """Split "会议要求，（一）…（二）…" into its lead and numbered points.

    Only a run that counts （一）（二）… from ``first``, two markers at least, is a list of
    points; a lone "（一）" inside a sentence stays text.
    """
    if text.count("（") < 2:
        return [(None, text)]
    markers = []
    expected = first
    for marker in p.INLINE_POINT.finditer(text):
        if number_value(marker["number"]) == expected:
            markers.append(marker)
            expected += 1
    if len(markers) < 2:
        return [(None, text)]
    parts: list[tuple[int | None, str]] = []
    lead = text[: markers[0].start()].strip()
    if lead:
        parts.append((None, lead))
    for index, marker in enumerate(markers):
        end = markers[index + 1].start() if index + 1 < len(markers) else len(text)
        parts.append((first + index, text[marker.end() : end].strip()))
    return parts


def _split_first_point(text: str) -> list[tuple[int | None, str]] | None:
    """ "会议要求，（一）各部门要…" -> [(None, "会议要求，"), (1, "各部门要…")], else None."""
    marker = next(
        (m for m in p.INLINE_POINT.finditer(text) if number_value(m["number"]) == 1), None
    )
    if marker is None:
        return None
    lead = text[: marker.start()].strip()
    return [(None, lead)] * bool(lead) + [(1, text[marker.end() :].strip())]


def is_attendance_paragraph(text: str) -> bool:
    """ "办公室、…等科室、单位负责人参加了相关议题的研究。": every sentence says who attended."""
    if not any(word in text for word in p.ATTENDANCE_WORDS):
        return False
    return any(text.rstrip("。；").endswith(verb) for verb, _role in p.ATTENDANCE_VERBS) or any(
        lead in text for lead, _role in p.ATTENDANCE_LEADS
    )


def read_items(paragraphs: list[Paragraph], draft: Draft) -> list[AgendaItem]:
    """The agenda items of the body paragraphs that follow the opening."""
    numbered = any(p.ITEM.match(paragraph.text) for paragraph in paragraphs)
    marked = not numbered and any(
        paragraph.standalone and p.POINT.match(paragraph.text) for paragraph in paragraphs
    )
    drafts: list[_ItemDraft] = []
    # A standalone marker waiting for the paragraph that holds its text: ("item"|"point", no).
    pending: tuple[str, int, int] | None = None
    for paragraph in paragraphs:
        text = paragraph.text
        if pending is None and _special_paragraph(paragraph, draft):
            continue
        item = p.ITEM.match(text) if numbered else None
        point = p.POINT.match(text)
        if pending is not None:
            kind, number, line = pending
            pending = None
            if kind == "item":
                _start_item(drafts, line, number, text, draft)
            else:
                _add_point(drafts[-1], number, text, paragraph.line, draft)
            continue
        if item:
            number = number_value(item["number"]) or 0
            if not item["rest"].strip():
                pending = ("item", number, paragraph.line)
                continue
            _start_item(drafts, paragraph.line, number, item["rest"].strip(), draft)
            continue
        if marked and point and paragraph.standalone:
            pending = ("item", number_value(point["number"]) or 0, paragraph.line)
            continue
        if not numbered and not marked and _opens_paragraph_item(text, drafts):
            _start_item(drafts, paragraph.line, len(drafts) + 1, text, draft)
            continue
        if not drafts:
            draft.leave(paragraph.line, text, "议题之前的段落未能归入任何议题，已略过", "items")
            continue
        if point:
            number = number_value(point["number"]) or 0
            if paragraph.standalone and not point["rest"].strip():
                pending = ("point", number, paragraph.line)
                continue
            _add_point(drafts[-1], number, point["rest"].strip(), paragraph.line, draft)
        else:
            _add_decision_text(drafts[-1], text, paragraph.line, draft)
    if pending is not None:
        kind, number, line = pending
        if kind == "item":
            _start_item(drafts, line, number, "", draft)
        elif drafts:
            _add_point(drafts[-1], number, "", line, draft)
    short_names = {
        match["title"]
        for item in drafts
        for decision in item.decisions
        for match in p.SHORT_NAME.finditer(decision.text)
    }
    return [_finish_item(item, short_names) for item in drafts]


def _opens_paragraph_item(text: str, drafts: list[_ItemDraft]) -> bool:
    if is_paragraph_item(text):
        return True
    # "会议原则同意《…》。会议指出…" opens an item, unless the item before it has no decision yet
    # (then it is that item's decision: "会议听取了…汇报。" / "会议原则同意《…》").
    return bool(p.DECISION_ITEM.match(text)) and (not drafts or bool(drafts[-1].decisions))


def _special_paragraph(paragraph: Paragraph, draft: Draft) -> bool:
    """Paragraphs of the body that are not decisions: the lead-in, the chair named at the end,
    a list of those who attended, a bare date. True when the paragraph was taken here."""
    text = paragraph.text
    if p.is_lead_in(text):
        return True
    if text.startswith(p.CHAIR_SENTENCE_START) and p.CHAIR_SENTENCE.fullmatch(text.rstrip("。")):
        chair, title, _place = chair_in_sentence(text)
        if chair is None:
            draft.leave(paragraph.line, text, f"未能从“{text[:30]}”读出主持人的姓名", "chair")
        elif not draft.values.get("chair"):
            draft.values.update(chair=chair, chair_title=title)
        return True
    if is_attendance_paragraph(text):
        lists = [attendance_of_sentence(sentence) for sentence in sentences(text)]
        if all(lists):
            for role, attendees, unread in lists:
                draft.add_narrative(paragraph.line, role, attendees, unread)
            return True
    if parse_full_date(text):
        draft.leave(
            paragraph.line,
            text,
            f"日期“{text}”未标明是整理日期还是印发日期，未录入",
            "compiled_date",
        )
        return True
    return False


def _start_item(drafts: list[_ItemDraft], line: int, number: int, body: str, draft: Draft):
    expected = drafts[-1].no + 1 if drafts else 1
    if number != expected:
        draft.warn(line, f"议题序号应为{expected}，实为{number}，请核对是否漏项或重号", "items")
    title, remainder = split_inline(body)
    item = _ItemDraft(line, number, title)
    drafts.append(item)
    if remainder and not p.is_lead_in(remainder):
        _add_decision_text(item, remainder, line, draft)


def _add_point(item: _ItemDraft, number: int, text: str, line: int, draft: Draft) -> None:
    expected = item.last_point + 1
    if number == 2 and expected == 1 and item.decisions:
        # "会议要求，（一）…" / "（二）…": a line break put （二） at the start of a line, so
        # the paragraph before holds （一） inline.
        first = _split_first_point(item.decisions[-1].text)
        if first:
            item.decisions.pop()
            for part_number, part in first:
                _append(item, _decision(part_number, part, line, draft))
            expected = 2
    if number != expected:
        draft.warn(line, f"要点序号应为（{expected}），实为（{number}），请核对", "items")
    # "（二）…步伐。（三）…": the next points may follow inline in the same paragraph.
    parts = inline_points(f"（{_CHINESE[number]}）{text}", number) if 0 < number < 10 else []
    if len(parts) > 1:
        for part_number, part in parts:
            _append(item, _decision(part_number, part, line, draft))
        return
    _append(item, _decision(number, text, line, draft))


def _append(item: _ItemDraft, decision: Decision) -> None:
    item.decisions.append(decision)
    if decision.no is not None:
        item.last_point = decision.no


def _add_decision_text(item: _ItemDraft, text: str, line: int, draft: Draft) -> None:
    for number, part in inline_points(text):
        if number is None:
            _append(item, _decision(None, part, line, draft))
        else:
            _add_point(item, number, part, line, draft)


def _decision(number: int | None, text: str, line: int, draft: Draft) -> Decision:
    organizations, doubtful = decision_organizations(text, draft.known_organizations)
    for candidate in doubtful:
        draft.warn(
            line,
            f"“{candidate}”不像机关或单位的名称，未列为承办单位；如确是单位，请在保存后补上",
            "items",
        )
    return Decision(number, text, organizations)


def _finish_item(draft: _ItemDraft, short_names: set[str]) -> AgendaItem:
    reviewed: dict[str, None] = {}  # ordered, no repeats
    texts = [draft.title] + [decision.text for decision in draft.decisions]
    for position, text in enumerate(texts):
        for match in p.REVIEWED_TITLE.finditer(text):
            title = match["title"]
            # 《若干措施》 after 以下简称 is a short name for a title already listed.
            if position and title in short_names:
                continue
            reviewed[title] = None
    kind = p.ITEM_KIND.match(draft.title)
    return AgendaItem(
        no=draft.no,
        title=draft.title,
        kind=p.ITEM_KINDS[kind["verb"]] if kind else "",
        decisions=tuple(draft.decisions),
        reviewed=tuple(reviewed),
    )


def looks_like_minutes_item(item: AgendaItem) -> bool:
    """An item a minutes document would have: an agenda verb in its title, or a decision in the
    words of minutes (会议议定/原则同意…). A numbered heading of a notice ("一、提高思想认识") is not."""
    if p.AGENDA_TITLE.match(item.title):
        return True
    return any(p.DECISION_OPENING.match(decision.text) for decision in item.decisions)
