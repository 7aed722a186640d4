"""Split a document into header, opening, items and footer, and read each part.

The parts, in the order of the official layout::

    苏州市人民政府 常务会议纪要            header: issuer + kind, 文号 (or a page title)
    〔2021〕15号
    2021年4月12日上午，李亚平市长主持…      opening: the meeting sentence (and who attended)
    会议议定以下意见：                      lead-in (optional, may end the opening)
    一、审议《…》 / （一）… / 会议议定：…   items, their points and unnumbered decisions
    会议由…主持。                          the chair, when the opening does not name it
    出席：… 列席：… 记录：…                footer
    …办公室整理 / 日期 / （此件公开发布） / 分送：… / …办公室 / 日期印发

Every line ends up in a part, or in ``ParsedMinutes.unplaced`` with a warning for the clerk.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Collection

from . import patterns as p
from .checks import check_document, refuse_if_not_minutes
from .dates import find_date, make_date
from .draft import Draft, ParseError
from .footer import is_footer_start, read_attendance_blocks, read_footer
from .items import Paragraph, is_paragraph_item, read_items
from .normalize import Line, clean_lines, squeeze_spaces
from .opening import is_meeting_sentence, read_opening
from .records import ParsedMinutes

__all__ = ["ParseError", "parse_document"]


# ---------------------------------------------------------------------------------------------
# Line classes
# ---------------------------------------------------------------------------------------------
def _has_sentence_punctuation(text: str) -> bool:
    return any(mark in text for mark in p.SENTENCE_PUNCTUATION)


def _starts_opening(text: str) -> bool:
    """True for the first line of the opening, even when a PDF wrap moved 主持 to the next line.

    A page title naming the meeting ("区政府召开第86次常务会议 胡永光主持") has no sentence
    punctuation and does not start with the day: it is a header line.
    """
    _, match = find_date(text)
    starts_with_date = match is not None and match.start() == 0
    if is_meeting_sentence(text):
        return starts_with_date or _has_sentence_punctuation(text)
    # "2021年4月12日上午，李亚平市长" starts the sentence; a date alone is a footer or header date.
    return starts_with_date and len(text) > match.end() + 2


def _is_lead_in(text: str) -> bool:
    return p.is_lead_in(text)


def _is_marker(text: str) -> bool:
    """A numbering mark alone on its line: "（一）", "一、"."""
    item = p.ITEM.match(text)
    point = p.POINT.match(text)
    return bool((item and not item["rest"]) or (point and not point["rest"]))


def _starts_structure(text: str) -> bool:
    """True when a line opens a new paragraph whatever the line before it looked like."""
    return bool(
        p.ITEM.match(text)
        or p.POINT.match(text)
        or _is_lead_in(text)
        or is_footer_start(text)
        or text.startswith(p.DECISION_LINE_STARTS)
        or p.PARAGRAPH_ITEM_LINE.match(text)
        or p.CHAIR_SENTENCE.match(text)
    )


def doc_number_line(text: str):
    """The 文号 match of a line that is a 文号 with at most a kind and a caption before it."""
    if (
        len(text) > p.DOC_NUMBER_LINE_MAX
        or p.NUMBER_CHAR not in text
        or "。" in text
        or "《" in text
    ):
        return None
    number = p.DOC_NUMBER.search(text)
    if number is None or text[number.end() :].strip():
        return None
    if not p.DOC_NUMBER_CAPTION.match(text[: number.start()]):
        return None
    return number


# ---------------------------------------------------------------------------------------------
# Paragraphs
# ---------------------------------------------------------------------------------------------
class _Builder:
    """One paragraph being joined from its lines; tracks brackets left open by a wrap."""

    _PAIRS = (("《", "》"), ("“", "”"), ("（", "）"))

    def __init__(self, line: Line):
        self.line = line.number
        self.last_line = line.number
        self.parts = [line.text]
        self.heading = bool(p.ITEM.match(line.text))
        self.standalone = _is_marker(line.text)
        # Openings minus closings of each pair, over the whole paragraph.
        self.unclosed = [0, 0, 0]
        self.has_sentence_end = p.SENTENCE_END in line.text
        self._count(line.text)

    def _count(self, text: str) -> None:
        if not self.heading:
            return  # only a heading's brackets decide whether it goes on
        for index, (opening, closing) in enumerate(self._PAIRS):
            self.unclosed[index] += text.count(opening) - text.count(closing)

    def append(self, line: Line) -> None:
        self.parts.append(line.text)
        self.last_line = line.number
        self.has_sentence_end = self.has_sentence_end or p.SENTENCE_END in line.text
        self._count(line.text)

    @property
    def tail(self) -> str:
        return self.parts[-1]

    def is_open(self, width: int | None) -> bool:
        """True when the paragraph visibly continues on the next line (PDF wrap or page break)."""
        if self.standalone:
            return False
        if self.heading and not self.has_sentence_end:
            # A heading has no final punctuation: it continues if a bracket is still open, or if
            # its line is as long as the lines the PDF wraps.
            return any(count > 0 for count in self.unclosed) or is_full_width(self.tail, width)
        return not self.tail.rstrip(p.CLOSING_QUOTES).endswith(tuple(p.PARAGRAPH_ENDINGS))

    def build(self) -> Paragraph:
        return Paragraph(
            self.line, squeeze_spaces("".join(self.parts)), self.last_line, self.standalone
        )


def _heading_continues(heading: _Builder, line: str, following: str) -> bool:
    """A heading cut by a line wrap outside brackets: "…情况的 / 汇报", "…》 / 《…》".

    The line is short, has no sentence of its own, and the heading or the line shows the cut
    (the heading ends with 的/和/、…, or the line starts with 的/汇报/《…); the line after it
    starts something new.
    """
    if not heading.heading or heading.standalone or _has_sentence_punctuation(line):
        return False
    if heading.has_sentence_end or len(line) > 40:
        return False
    if following and not _starts_structure(following):
        return False
    return heading.tail.endswith(p.DANGLING_ENDINGS) or line.startswith(p.DANGLING_STARTS)


def wrap_width(lines: list[Line]) -> int | None:
    """The width at which the text's lines were wrapped (a PDF's text layer), if they show one.

    Web copies put a paragraph on a line, so their lengths vary; a PDF's lines mostly share the
    width of the page. Then a heading as long as that width goes on to the next line.
    """
    lengths = Counter(len(line.text) for line in lines if len(line.text) >= p.WRAP_MIN_WIDTH)
    if not lengths:
        return None
    width, count = lengths.most_common(1)[0]
    if count >= p.WRAP_MIN_LINES and count * 4 >= sum(lengths.values()):
        return width
    return None


def is_full_width(text: str, width: int | None) -> bool:
    return width is not None and len(text) >= width - 1


def paragraphs_of(lines: list[Line], draft: Draft, width: int | None = None) -> list[Paragraph]:
    """Join hard-wrapped lines and the halves of a paragraph split by a page break."""
    builders: list[_Builder] = []
    for index, line in enumerate(lines):
        text = line.text
        last = builders[-1] if builders else None
        if last is not None and not _starts_structure(text):
            if last.is_open(width):
                last.append(line)
                continue
            following = lines[index + 1].text if index + 1 < len(lines) else ""
            if _heading_continues(last, text, following):
                draft.warn(
                    line.number,
                    f"议题标题似乎在此行继续（“{text[:20]}”），已并入上一行的标题，请核对",
                    "items",
                )
                last.append(line)
                continue
        builders.append(_Builder(line))
    return [builder.build() for builder in builders]


# ---------------------------------------------------------------------------------------------
# Header
# ---------------------------------------------------------------------------------------------
def _read_doc_number(text: str, number, draft: Draft) -> None:
    values = draft.values
    if "doc_number" in values:
        return
    year, seq = int(number["year"]), int(number["seq"])
    if not 1 <= seq or not p.DOC_NUMBER_FIRST_YEAR <= year <= p.DOC_NUMBER_LAST_YEAR:
        draft.rejected_doc_number = draft.rejected_doc_number or number.group()
        return
    values["year"], values["seq"] = year, seq
    values["doc_number"] = p.format_doc_number(year, seq, bool(number["ordinal"]))
    caption = p.DOC_NUMBER_CAPTION.match(text[: number.start()])
    # The kind printed with the 文号 (专题会议纪要[2013]4号) is the document's own: it wins
    # over a title line's.
    if caption and caption["kind"]:
        draft.number_kind = caption["kind"]


def _issuer_and_kind(text: str, raw: str):
    """The issuer and kind of a header line: split at the printed space when there is one
    ("苏州市人民政府 常务会议纪要"), else the shortest issuer name before a kind."""
    spaced = p.ISSUER_SPACE_KIND_LINE.match(raw)
    if spaced and spaced["issuer"].endswith(p.ISSUER_ENDINGS):
        return spaced
    return p.ISSUER_KIND_LINE.match(text)


def _header_reading(text: str, draft: Draft, raw: str | None = None) -> str | None:
    """What a header line is: "number", "issuer_kind", "kind", "session_title", "title",
    "issuer", or None for a line the form does not know."""
    if doc_number_line(text):
        return "number"
    if text.endswith(p.MINUTES_WORD):  # the lines that print the kind end with it
        issuer_kind = _issuer_and_kind(text, raw or text)
        if (
            issuer_kind
            and p.ORDINAL not in issuer_kind["issuer"]
            and not p.SHORT_ISSUER.match(issuer_kind["issuer"])
        ):
            return "issuer_kind"
        if p.KIND_LINE.match(text):
            return "kind"
        if p.SESSION_TITLE_LINE.match(text):
            return "session_title"
    if _is_title_line(text):
        return "title"
    if (
        not draft.values.get("issuer")
        and text.endswith(p.ISSUER_ENDINGS)
        and p.ISSUER_KIND_LINE.match(text + p.DEFAULT_KIND)
        and not p.SHORT_ISSUER.match(text)
    ):
        # The issuer alone on its line above the kind ("苏州市人民政府" / "常务会议纪要").
        return "issuer"
    return None


def _apply_header(reading: str, text: str, draft: Draft, raw: str | None = None) -> None:
    values = draft.values
    if reading == "number":
        _read_doc_number(text, doc_number_line(text), draft)
    elif reading == "issuer_kind":
        match = _issuer_and_kind(text, raw or text)
        _set_issuer(match["issuer"], draft)
        values.setdefault("kind", match["kind"])
    elif reading == "kind":
        values.setdefault("kind", p.KIND_LINE.match(text)["kind"])
    elif reading == "session_title":
        title = p.SESSION_TITLE_LINE.match(text)
        values.setdefault("kind", title["kind"])
        if title["body"].endswith(p.ISSUER_ENDINGS):
            _set_issuer(title["body"], draft)
    elif reading == "title":
        phrase = p.MEETING_KIND_PHRASE.search(text)
        if phrase and not draft.derived_kind:
            draft.derived_kind = p.printed_kind(phrase)
    else:
        _set_issuer(text, draft)


def _read_header(lines: list[Line], draft: Draft, width: int | None = None) -> None:
    index = 0
    while index < len(lines):
        line = lines[index]
        text = squeeze_spaces(line.text)
        reading = _header_reading(text, draft, line.text)
        if reading is None and index + 1 < len(lines) and is_full_width(line.text, width):
            # A title or a 文号 line cut by the PDF's wrap.
            joined = text + squeeze_spaces(lines[index + 1].text)
            reading = _header_reading(joined, draft)
            if reading is not None:
                _apply_header(reading, joined, draft)
                index += 2
                continue
        if reading is not None:
            _apply_header(reading, text, draft, line.text)
        else:
            draft.leave(
                line.number,
                line.text,
                f"文首的“{line.text[:30]}”未能归入发文机关、文号或标题，已略过：请核对",
                "issuer",
            )
        index += 1


def _set_issuer(name: str, draft: Draft) -> bool:
    """Take ``name`` as the issuer unless it is a short form (市政府) that names no body."""
    if p.SHORT_ISSUER.match(name):
        return False
    draft.values.setdefault("issuer", name)
    return True


def _is_title_line(text: str) -> bool:
    """A page title that names the meeting: no sentence, a session or a kind of meeting."""
    if len(text) > p.TITLE_LINE_MAX or p.MEETING_CHAR not in text and p.MINUTES_WORD not in text:
        return False
    if _has_sentence_punctuation(text):
        return False
    return bool(
        p.MEETING_KIND_PHRASE.search(text)
        or p.MINUTES_WORD in text
        or (p.ORDINAL in text and p.SESSION_CHAR in text and p.MEETING_WORD in text)
    )


# ---------------------------------------------------------------------------------------------
# The whole document
# ---------------------------------------------------------------------------------------------
def parse_document(text: str, known_organizations: Collection[str] = ()) -> ParsedMinutes:
    """Parse minutes text into a ParsedMinutes; raise ParseError when it is not minutes."""
    lines = clean_lines(text)
    if not lines:
        raise ParseError(1, "文本为空，没有可识别的内容")
    draft = Draft(known_organizations=known_organizations)
    footer_start = next(
        (index for index, line in enumerate(lines) if is_footer_start(line.text)), len(lines)
    )
    width = wrap_width(lines)
    body_start = next(
        (
            index
            for index, line in enumerate(lines[:footer_start])
            if _starts_opening(line.text)
            # "…第二十四次会议于 2" / "010年1月12日举行。": a wrap cut the meeting sentence.
            or (
                is_full_width(line.text, width)
                and index + 1 < footer_start
                # A title naming the meeting has its own verb ("…常务会议 胡永光主持").
                and not is_meeting_sentence(line.text)
                and _starts_opening(line.text + lines[index + 1].text)
            )
            or p.ITEM.match(line.text)
            or _is_lead_in(line.text)
            or is_paragraph_item(line.text)
            or _is_marker(line.text)
        ),
        footer_start,
    )
    if body_start == footer_start:
        # No opening, no item, no lead-in: nothing of minutes to read (a notice, prose, or a
        # large file of something else: refused before its lines are read one by one).
        refuse_if_not_minutes(lines, [], found_meeting=False)
    # A 文号 line may stand anywhere ("图文解读：局长办公会会议纪要【2021】第2号" before 本期发).
    body: list[Line] = []
    skip = False
    region = lines[body_start:footer_start]
    for index, line in enumerate(region):
        if skip:
            skip = False
            continue
        text = squeeze_spaces(line.text)
        number = doc_number_line(text)
        if number is None and index + 1 < len(region) and is_full_width(line.text, width):
            joined = text + squeeze_spaces(region[index + 1].text)
            number = doc_number_line(joined)
            if number is not None:
                text, skip = joined, True
        if number:
            _read_doc_number(text, number, draft)
        else:
            body.append(line)
    _read_header(lines[:body_start], draft, width)
    paragraphs = paragraphs_of(body, draft, width)
    found_meeting = False
    agenda = paragraphs
    if (
        paragraphs
        and is_meeting_sentence(paragraphs[0].text)
        and not p.ITEM.match(paragraphs[0].text)
    ):
        found_meeting = read_opening(paragraphs[0].text, paragraphs[0].line, draft)
        agenda = paragraphs[1:]
    if agenda:
        draft.body_line = agenda[0].line
    items = read_items(agenda, draft)
    footer_end = _another_document(lines, footer_start, draft)
    blocks = read_footer(lines[footer_start:footer_end], draft)
    if footer_end < len(lines):
        draft.warn(
            lines[footer_end].number,
            "文末之后似乎还有另一份纪要：一次只导入一份，此行起的内容未录入，请分开导入",
            listed=True,
        )
        for line in lines[footer_end:]:
            draft.leave(line.number, line.text, None)
    read_attendance_blocks(blocks, draft)
    _resolve_meeting_year(draft)
    kind = draft.number_kind or draft.values.get("kind") or draft.derived_kind
    if kind:
        draft.values["kind"] = kind
    check_document(lines[:footer_end], paragraphs, items, found_meeting, draft)
    draft.finish_warnings()
    return ParsedMinutes(
        **draft.values,
        items=tuple(items),
        warnings=tuple(draft.warnings),
        unplaced=tuple(draft.unplaced),
    )


def _another_document(lines: list[Line], footer_start: int, draft: Draft) -> int:
    """Where a second document starts after the footer (a file holding several), else the end:
    a heading, an opening or a 文号 line cannot belong to the footer."""
    for index in range(footer_start, len(lines)):
        text = lines[index].text
        if p.ITEM.match(text) or _starts_opening(text) or doc_number_line(text):
            # Its title or issuer line comes first ("苏州市人民政府 常务会议纪要" / "〔2021〕15号").
            while index - 1 > footer_start and _header_reading(lines[index - 1].text, draft):
                index -= 1
            return index
    return len(lines)


def _resolve_meeting_year(draft: Draft) -> None:
    """A day printed without its year ("8月13日下午") takes the year of the 文号, else of the
    compiling or printing date (the year before, if the day would fall after that date)."""
    if draft.yearless_date is None:
        return
    month, day, line = draft.yearless_date
    values = draft.values
    if values.get("year"):
        values["meeting_date"] = make_date(values["year"], month, day)
        return
    issued: datetime.date | None = values.get("compiled_date") or values.get("printed_date")
    if issued:
        date = make_date(issued.year, month, day)
        if date and date > issued:
            date = make_date(issued.year - 1, month, day)
        values["meeting_date"] = date
        return
    draft.warn(
        line,
        f"会议日期（{month}月{day}日）未写年份，文中也没有文号或印发日期可推定",
        "meeting_date",
        listed=True,
    )
