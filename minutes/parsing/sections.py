"""Split a document into header, opening, items and footer, and read each part.

The parts, in the order of the official layout::

    苏州市人民政府 常务会议纪要            header: issuer + kind, 文号
    〔2021〕15号
    2021年4月12日上午，李亚平市长主持…      opening: the meeting sentence
    会议议定以下意见：                      lead-in (optional, may end the opening)
    一、审议《…》 / （一）… / 会议议定：…   items, their points and unnumbered decisions
    出席：… 列席：… 记录：…                footer
    …办公室整理 / 日期 / （此件公开发布） / 分送：… / …办公室 / 日期印发
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import patterns as p
from .dates import find_date, number_value, parse_full_date
from .names import assigned_organizations, is_person_name, parse_attendees
from .normalize import Line, clean_lines, squeeze_spaces
from .records import AgendaItem, Decision, ParsedMinutes, ParseWarning


class ParseError(Exception):
    """The text cannot be read as minutes; ``line`` points at the source line (1-based)."""

    def __init__(self, line: int, message: str):
        super().__init__(line, message)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"第{self.line}行：{self.message}"


@dataclass
class _Paragraph:
    line: int
    text: str


@dataclass
class _Fields:
    """The mutable working copy that becomes a ParsedMinutes at the end."""

    values: dict = field(default_factory=dict)
    warnings: list[ParseWarning] = field(default_factory=list)

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(ParseWarning(line, message))


# ---------------------------------------------------------------------------------------------
# Line classes
# ---------------------------------------------------------------------------------------------
def _is_meeting_sentence(text: str) -> bool:
    return p.HOST_VERB in text or ("召开" in text and p.MEETING_WORD in text)


def _starts_opening(text: str) -> bool:
    """True for the first line of the opening, even when a PDF wrap moved 主持 to the next line."""
    if _is_meeting_sentence(text):
        return True
    _, match = find_date(text)
    # "2021年4月12日上午，李亚平市长" starts the sentence; a date alone is a footer or header date.
    return match is not None and match.start() == 0 and len(text) > match.end() + 2


def _is_lead_in(text: str) -> bool:
    return bool(p.LEAD_IN.fullmatch(text))


def _is_compiled_line(text: str) -> bool:
    return len(text) <= 40 and text.rstrip().endswith(p.COMPILED_WORD) and "。" not in text


def _is_printed_line(text: str) -> bool:
    return (
        len(text) <= 40
        and text.endswith(p.PRINTED_WORD)
        and find_date(text)[0] is not None
        and "。" not in text
    )


def _is_footer_start(text: str) -> bool:
    # A point "（三）由市档案馆整理" is body text even though it ends like the compiled line.
    if p.ITEM.match(text) or p.POINT.match(text):
        return False
    return bool(
        p.LABEL_LINE.match(text)
        or p.DISCLOSURE_NOTE.match(text)
        or _is_compiled_line(text)
        or _is_printed_line(text)
    )


def _starts_structure(text: str) -> bool:
    """True when a line opens a new paragraph whatever the line before it looked like."""
    return bool(
        p.ITEM.match(text)
        or p.POINT.match(text)
        or _is_lead_in(text)
        or _is_footer_start(text)
        or text.startswith("会议议定")
    )


def _balanced(text: str) -> bool:
    return (
        text.count("《") <= text.count("》")
        and text.count("“") <= text.count("”")
        and text.count("（") <= text.count("）")
    )


def _is_open(text: str) -> bool:
    """True when a paragraph visibly continues on the next line (PDF wrap or page break)."""
    heading = p.ITEM.match(text)
    if heading and p.SENTENCE_END not in text:
        # A heading has no final punctuation: it continues only if a bracket is still open.
        return not _balanced(text)
    stripped = text.rstrip(p.CLOSING_QUOTES)
    return not stripped.endswith(tuple(p.PARAGRAPH_ENDINGS))


def _paragraphs(lines: list[Line]) -> list[_Paragraph]:
    """Join hard-wrapped lines and the halves of a paragraph split by a page break."""
    paragraphs: list[_Paragraph] = []
    for line in lines:
        if paragraphs and not _starts_structure(line.text) and _is_open(paragraphs[-1].text):
            paragraphs[-1].text += line.text
        else:
            paragraphs.append(_Paragraph(line.number, line.text))
    for paragraph in paragraphs:
        paragraph.text = squeeze_spaces(paragraph.text)
    return paragraphs


# ---------------------------------------------------------------------------------------------
# Header and opening
# ---------------------------------------------------------------------------------------------
def _read_header(lines: list[Line], fields: _Fields) -> None:
    values = fields.values
    for line in lines:
        text = squeeze_spaces(line.text)
        number = p.DOC_NUMBER.search(text)
        if number and "doc_number" not in values:
            values["year"] = int(number["year"])
            values["seq"] = int(number["seq"])
            values["doc_number"] = f"〔{values['year']}〕{values['seq']}号"
            text = text[: number.start()].strip()
            # The kind printed with the 文号 (专题会议纪要[2013]4号) is the document's own.
            kind = p.KIND_LINE.match(text)
            if kind:
                values["kind"] = kind["kind"]
                continue
        issuer_kind = p.ISSUER_KIND_LINE.match(text)
        if issuer_kind and "第" not in issuer_kind["issuer"]:
            values.setdefault("issuer", issuer_kind["issuer"])
            values.setdefault("kind", issuer_kind["kind"])
            continue
        for pattern in (p.KIND_LINE, p.SESSION_TITLE_LINE):
            match = pattern.match(text)
            if match:
                values.setdefault("kind", match["kind"])
                break


def _read_chair(segment: str) -> tuple[str | None, str | None, str | None]:
    """(chair, title, place) from the words before 主持: 李亚平市长 / 区政府代理区长毛志强在…."""
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
        # Longest first: 欧阳明华 (compound surname) before 阳明华 or 明华.
        for length in (4, 3, 2):
            name = before[-length:]
            if len(name) == length and is_person_name(name):
                return name, title.group(), place_match[1]
    return None, None, None


def _read_opening(text: str, fields: _Fields) -> None:
    values = fields.values
    values["opening"] = text
    first_clause = re.split(r"[，。]", text, maxsplit=1)[0]
    date, date_match = find_date(first_clause, values.get("year"))
    if date_match is not None:
        values["meeting_date"] = date
        rest = first_clause[date_match.end() :]
        for time_of_day in p.TIMES_OF_DAY:
            if rest.startswith(time_of_day):
                values["time_of_day"] = time_of_day
    host = text.find(p.HOST_VERB)
    if host > 0:
        segment_start = max(text.rfind("，", 0, host), text.rfind("。", 0, host)) + 1
        segment = text[segment_start:host]
        if date_match is not None and segment_start == 0:
            segment = segment[date_match.end() :]
        chair, title, place = _read_chair(segment)
        if chair:
            values.update(chair=chair, chair_title=title, place=place)
    session = re.search(rf"第([\d{p.CHINESE_DIGITS}]+)次", text)
    if session:
        values["session_no"] = number_value(session[1])
        start = max(
            text.rfind("召开", 0, session.start()) + 2,
            text.rfind(p.HOST_VERB, 0, session.start()) + 2,
            text.rfind("，", 0, session.start()) + 1,
        )
        end = text.find(p.MEETING_WORD, session.end(), session.end() + 14)
        if end >= 0 and start <= session.start():
            values["session_name"] = text[start : end + len(p.MEETING_WORD)]


# ---------------------------------------------------------------------------------------------
# Items
# ---------------------------------------------------------------------------------------------
@dataclass
class _ItemDraft:
    line: int
    no: int
    title: str
    decisions: list[Decision] = field(default_factory=list)


def _split_inline(text: str) -> tuple[str, str]:
    """Title and remainder of an inline item "会议听取了…的汇报。会议认为…"."""
    if p.SENTENCE_END not in text:
        return text, ""
    report = p.INLINE_TITLE_END.search(text)
    end = report.end() if report else text.index(p.SENTENCE_END)
    return text[:end], text[end:].lstrip("。，；：").strip()


def _paragraph_item_start(text: str) -> bool:
    return bool(p.PARAGRAPH_ITEM.match(text)) and not re.match(r"^会议研究(?:决定|认为|同意)", text)


def _read_items(paragraphs: list[_Paragraph], fields: _Fields) -> list[AgendaItem]:
    numbered = any(p.ITEM.match(paragraph.text) for paragraph in paragraphs)
    drafts: list[_ItemDraft] = []
    for paragraph in paragraphs:
        text = paragraph.text
        item = p.ITEM.match(text) if numbered else None
        if item or (not numbered and _paragraph_item_start(text)):
            if item:
                number = number_value(item["number"]) or 0
                body = item["rest"].strip()
            else:
                number = len(drafts) + 1
                body = text
            expected = drafts[-1].no + 1 if drafts else 1
            if number != expected:
                fields.warn(
                    paragraph.line, f"议题序号应为{expected}，实为{number}，请核对是否漏项或重号"
                )
            title, remainder = _split_inline(body)
            draft = _ItemDraft(paragraph.line, number, title)
            if remainder:
                draft.decisions.append(Decision(None, remainder, assigned_organizations(remainder)))
            drafts.append(draft)
            continue
        if _is_lead_in(text):
            continue
        if not drafts:
            fields.warn(paragraph.line, "议题之前的段落未能归入任何议题，已略过")
            continue
        point = p.POINT.match(text)
        if point:
            number = number_value(point["number"]) or 0
            body = point["rest"].strip()
            numbers = [decision.no for decision in drafts[-1].decisions if decision.no is not None]
            expected = numbers[-1] + 1 if numbers else 1
            if number != expected:
                fields.warn(paragraph.line, f"要点序号应为（{expected}），实为（{number}），请核对")
            drafts[-1].decisions.append(Decision(number, body, assigned_organizations(body)))
        else:
            drafts[-1].decisions.append(Decision(None, text, assigned_organizations(text)))
    short_names = {
        match["title"]
        for draft in drafts
        for decision in draft.decisions
        for match in p.SHORT_NAME.finditer(decision.text)
    }
    return [_finish_item(draft, short_names) for draft in drafts]


def _finish_item(draft: _ItemDraft, short_names: set[str]) -> AgendaItem:
    reviewed: list[str] = []
    texts = [draft.title] + [decision.text for decision in draft.decisions]
    for position, text in enumerate(texts):
        for match in p.REVIEWED_TITLE.finditer(text):
            title = match["title"]
            # 《若干措施》 after 以下简称 is a short name for a title already listed.
            if position and title in short_names:
                continue
            if title not in reviewed:
                reviewed.append(title)
    kind = p.ITEM_KIND.match(draft.title)
    return AgendaItem(
        no=draft.no,
        title=draft.title,
        kind=p.ITEM_KINDS[kind["verb"]] if kind else "",
        decisions=tuple(draft.decisions),
        reviewed=tuple(reviewed),
    )


# ---------------------------------------------------------------------------------------------
# Footer
# ---------------------------------------------------------------------------------------------
def _read_footer(lines: list[Line], fields: _Fields) -> None:
    values = fields.values
    state: str | None = None
    blocks: dict[str, list[Line]] = {}
    distribution: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        text = line.text
        following = lines[index + 1].text if index + 1 < len(lines) else ""
        index += 1
        label = p.LABEL_LINE.match(text)
        if label:
            name = label["label"]
            rest = label["rest"].strip()
            if name in p.IGNORED_LABELS:
                fields.warn(line.number, f"“{name}”一栏不入库，已略过")
                state = None
            elif name == p.RECORDER_LABEL:
                values["recorder"] = squeeze_spaces(rest) or None
                state = None
            elif name in p.DISTRIBUTION_LABELS:
                state = "distribution"
                distribution.append(rest)
            else:
                state = name
                blocks.setdefault(name, [])
                if rest:
                    blocks[name].append(Line(line.number, rest))
            continue
        if p.DISCLOSURE_NOTE.match(text):
            if p.PUBLIC_NOTE in text:
                values["public"] = True
            state = None
            continue
        if _is_compiled_line(text):
            office = squeeze_spaces(text[: -len(p.COMPILED_WORD)])
            date, match = find_date(office)
            if match is not None:
                office = office[: match.start()].strip()
                values["compiled_date"] = date
            values["compiled_office"] = office or None
            state = "compiled"
            continue
        if _is_printed_line(text):
            date, match = find_date(text)
            values["printed_date"] = date
            office = squeeze_spaces(text[: match.start()]) if match else ""
            if office:
                values["printed_office"] = office
            state = None
            continue
        if _is_printed_line(following) and find_date(following)[1].start() == 0:
            # The office of "…印发" stands alone on the line before the date.
            values["printed_office"] = squeeze_spaces(text)
            state = None
            continue
        if state == "compiled" and parse_full_date(text):
            values["compiled_date"] = parse_full_date(text)
            state = None
            continue
        if state == "distribution":
            distribution.append(text)
        elif state in (p.ATTENDEES_LABEL, p.OBSERVERS_LABEL):
            blocks[state].append(line)
        else:
            fields.warn(line.number, f"文末的“{text[:20]}”未能识别，已略过")
    for label, key in ((p.ATTENDEES_LABEL, "attendees"), (p.OBSERVERS_LABEL, "observers")):
        if label in blocks:
            attendees, warnings = parse_attendees(blocks[label])
            values[key] = attendees
            for line_number, message in warnings:
                fields.warn(line_number, message)
    if distribution:
        joined = squeeze_spaces("".join(distribution)).rstrip("。")
        recipients, separators = split_distribution(joined)
        values["distribution"] = recipients
        values["distribution_separators"] = separators


def split_distribution(joined: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """分送 recipients, and the mark that follows each but the last.

    The line groups its recipients: "各市、区人民政府，苏州工业园区管委会；市各有关部门和单位" —
    ， within a group and ； between groups; keeping the marks lets the document print as issued.
    """
    recipients: list[str] = []
    separators: list[str] = []
    for part in re.split(f"({p.DISTRIBUTION_SEPARATORS.pattern})", joined):
        if p.DISTRIBUTION_SEPARATORS.fullmatch(part):
            if recipients and len(separators) < len(recipients):
                separators.append(p.GROUP_SEPARATOR if part in "；;" else p.ITEM_SEPARATOR)
        elif part.strip():
            if len(separators) < len(recipients):
                separators.append(p.ITEM_SEPARATOR)
            recipients.append(part.strip())
    return tuple(recipients), tuple(separators[: max(len(recipients) - 1, 0)])


# ---------------------------------------------------------------------------------------------
# The whole document
# ---------------------------------------------------------------------------------------------
def parse_document(text: str) -> ParsedMinutes:
    """Parse minutes text into a ParsedMinutes; raise ParseError when it is not minutes."""
    lines = clean_lines(text)
    if not lines:
        raise ParseError(1, "文本为空，没有可识别的内容")
    fields = _Fields()
    footer_start = next(
        (index for index, line in enumerate(lines) if _is_footer_start(line.text)), len(lines)
    )
    body_start = next(
        (
            index
            for index, line in enumerate(lines[:footer_start])
            if _starts_opening(line.text)
            or p.ITEM.match(line.text)
            or _is_lead_in(line.text)
            or _paragraph_item_start(line.text)
        ),
        footer_start,
    )
    _read_header(lines[:body_start], fields)
    paragraphs = _paragraphs(lines[body_start:footer_start])
    found_meeting = False
    if (
        paragraphs
        and _is_meeting_sentence(paragraphs[0].text)
        and not p.ITEM.match(paragraphs[0].text)
    ):
        _read_opening(paragraphs[0].text, fields)
        # "主持" alone does not make minutes: the sentence must name a day, a chair or a session.
        found_meeting = any(
            fields.values.get(key) for key in ("meeting_date", "chair", "session_no")
        )
        paragraphs = paragraphs[1:]
    items = _read_items(paragraphs, fields)
    _read_footer(lines[footer_start:], fields)
    values = fields.values
    if not (values.get("doc_number") or found_meeting or items):
        raise ParseError(
            lines[0].number,
            "未找到文号、会议情况（某日某人主持召开会议）或议定事项，无法识别为会议纪要",
        )
    return ParsedMinutes(**values, items=tuple(items), warnings=tuple(fields.warnings))
