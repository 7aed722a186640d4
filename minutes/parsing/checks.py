"""What the parser says about the whole document: is it minutes at all, which expected parts are
missing, does the text stop mid-sentence. Messages are written for the clerk, in Chinese."""

from __future__ import annotations

from . import patterns as p
from .dates import parse_full_date
from .draft import Draft, ParseError
from .items import Paragraph, looks_like_minutes_item
from .normalize import Line
from .records import AgendaItem

EXPECTED = (
    "会议纪要应写明会议情况（如“某日某人主持召开会议”）、议题（如“一、审议《…》”"
    "或“会议听取了…”）和议定事项（如“会议议定：…”“原则同意…”）"
)


def check_document(
    lines: list[Line],
    paragraphs: list[Paragraph],
    items: list[AgendaItem],
    found_meeting: bool,
    draft: Draft,
) -> None:
    """Refuse a text that is not minutes; warn about the parts a clerk should look at."""
    refuse_if_not_minutes(lines, items, found_meeting)
    _warn_missing_parts(lines, items, draft)
    _warn_if_cut_off(lines, paragraphs, items, draft)


def refuse_if_not_minutes(lines: list[Line], items: list[AgendaItem], found_meeting: bool) -> None:
    """Raise ParseError unless the text has a meeting sentence or items of minutes."""
    minutes_words = any(any(marker in line.text for marker in p.MINUTES_MARKERS) for line in lines)
    news = next(
        (
            line
            for line in lines
            if any(hint in line.text for hint in p.NEWS_HINTS) and p.NEWS_MARKERS.search(line.text)
        ),
        None,
    )
    if news is not None and not minutes_words:
        raise ParseError(
            news.number,
            f"这像是一篇新闻报道（“{news.text[:20]}”），不是会议纪要：{EXPECTED}",
        )
    if found_meeting or any(looks_like_minutes_item(item) for item in items):
        return
    for line in lines:
        if any(marker in line.text for marker in p.NOTICE_MARKERS) or (
            line is lines[0] and p.NOTICE_TITLE.search(line.text)
        ):
            raise ParseError(
                line.number, f"这像是一份通知（“{line.text[:20]}”），不是会议纪要：{EXPECTED}"
            )
        if p.CONTENTS_MARKER.search(line.text):
            raise ParseError(line.number, f"这像是一份目录，不是会议纪要：{EXPECTED}")
    raise ParseError(lines[0].number, f"未找到会议纪要的结构：{EXPECTED}")


def _warn_missing_parts(lines: list[Line], items: list[AgendaItem], draft: Draft) -> None:
    values = draft.values
    first = lines[0].number
    opening = draft.opening_line or first
    if not values.get("issuer"):
        draft.warn(
            first, "未找到发文机关（文首没有印出机关名称）：请在导入时指定", "issuer", listed=True
        )
    if not values.get("doc_number") and draft.rejected_doc_number:
        draft.warn(
            first,
            f"文号“{draft.rejected_doc_number}”的年份或序号不合理（年份应在"
            f"{p.DOC_NUMBER_FIRST_YEAR}至{p.DOC_NUMBER_LAST_YEAR}年之间），未采用，请核对",
            "doc_number",
            listed=True,
        )
    elif not values.get("doc_number"):
        draft.warn(first, "未找到文号（如〔2021〕15号）", "doc_number", listed=True)
    if not values.get("meeting_date") and draft.yearless_date is None:
        draft.warn(opening, "未找到会议日期（如“2021年4月12日上午”）", "meeting_date", listed=True)
    if not values.get("chair"):
        draft.warn(
            opening,
            "未找到主持人（如“李亚平市长主持召开”或“会议由某某主持”）",
            "chair",
            listed=True,
        )
    if not items:
        draft.warn(
            draft.body_line or opening,
            "未找到议题（如“一、审议《…》”或“会议听取了…的汇报”）",
            "items",
            listed=True,
        )


def _warn_if_cut_off(
    lines: list[Line], paragraphs: list[Paragraph], items: list[AgendaItem], draft: Draft
) -> None:
    """The text stops mid-sentence, mid-list or right after a heading: the copy is incomplete."""
    last = lines[-1]
    message = "原文似乎在此处中断（句子或名单不完整）：请核对是否缺页或复制不全"
    if paragraphs and paragraphs[-1].last_line == last.number:
        text = paragraphs[-1].text
        if p.ITEM.match(text) and p.SENTENCE_END not in text:
            # A heading has no final mark; the text is cut if nothing follows it.
            if items and not items[-1].decisions:
                draft.warn(last.number, message, "items", listed=True)
        elif not _complete(text):
            draft.warn(last.number, message, "text", listed=True)
        return
    if last.text.endswith(("、", "，", "；")) or _unclosed(last.text):
        field_name = "text"
        label = p.LABEL_LINE.match(last.text)
        if label and p.LABELS[label["label"]] == p.OBSERVERS_LABEL:
            field_name = "observers"
        elif label and p.LABELS[label["label"]] == p.ATTENDEES_LABEL:
            field_name = "attendees"
        draft.warn(last.number, message, field_name, listed=True)


def _complete(text: str) -> bool:
    if p.is_lead_in(text) or parse_full_date(text):
        return True
    return text.rstrip(p.CLOSING_QUOTES).endswith(tuple(p.PARAGRAPH_ENDINGS)) and not _unclosed(
        text
    )


def _unclosed(text: str) -> bool:
    return text.count("《") > text.count("》") or text.count("“") > text.count("”")
