"""The parser says where it is unsure: a warning, with its line and its part, for every part it
expected and could not find or read; and the lines it placed nowhere are kept aside.

Each part is removed in turn from the corpus documents that have it, and its warning must appear;
the warnings of the documents as they are are listed one by one, so that no warning appears or
disappears unnoticed (suzhou-2021-15, complete, has none).
"""

from __future__ import annotations

import re

import pytest

from minutes.parsing import ParseError, parse
from minutes.parsing.patterns import DOC_NUMBER
from tests.corpus import corpus_gold, corpus_names, corpus_text

# What the documents as stored give rise to: (line, part). "text" is the document as a whole.
EXPECTED = {
    "suzhou-2021-15": set(),
    "suzhou-2013-04": {(1, "issuer")},
    "suzhou-2023-04": {(1, "issuer"), (11, "text")},
    "panzhihua-dongqu-2021-s106": {(1, "issuer"), (1, "doc_number")},
    # The header line "永康市人民政府办公室 二○一一年八月二十七日" is placed nowhere (gold: no
    # issuer, no date); no meeting sentence; cut off after "会议明确:1.".
    "yongkang-2011-28": {
        (2, "issuer"),
        (1, "issuer"),
        (1, "meeting_date"),
        (1, "chair"),
        (6, "text"),
    },
    "changzhou-xinbei-2021-d1022": {(1, "issuer"), (1, "doc_number"), (10, "text")},
    "guangde-2023-s32": {(1, "issuer"), (1, "doc_number"), (11, "text")},
    "linyi-zhujian-2021-02": {(1, "issuer")},
    "ningbo-fenghua-2021-s86": {(1, "issuer"), (1, "doc_number")},
    # The closing bare date "2010年1月27日" (gold: neither compiled nor printed).
    "ningbo-yinzhou-rd-2010-s24": {(9, "compiled_date"), (1, "issuer"), (1, "doc_number")},
    "wuxi-binhu-2020-s40": {(1, "doc_number"), (7, "text")},
    "zhonglou-2025-s9": {(1, "issuer"), (1, "doc_number"), (12, "observers")},
}
PARTS = [*corpus_gold(corpus_names()[0]), "text"]


def test_every_corpus_document_has_its_expected_warnings():
    assert set(EXPECTED) == set(corpus_names())


@pytest.mark.parametrize("name", corpus_names())
def test_warnings_of_the_documents_as_stored(name):
    warnings = parse(corpus_text(name)).warnings
    assert {(warning.line, warning.field) for warning in warnings} == EXPECTED[name]
    assert len(warnings) == len(EXPECTED[name])


@pytest.mark.parametrize("name", corpus_names())
def test_every_warning_names_a_part_and_a_line_of_the_text(name):
    text = corpus_text(name)
    for warning in parse(text).warnings:
        assert warning.field in PARTS
        assert 1 <= warning.line <= text.count("\n") + 1
        assert warning.message


def test_a_complete_document_gives_no_warning():
    parsed = parse(corpus_text("suzhou-2021-15"))
    assert parsed.warnings == ()
    assert parsed.unplaced == ()


# --- each part removed in turn ----------------------------------------------------------------


def without_issuer(name: str, text: str) -> str:
    return text.replace(corpus_gold(name)["issuer"], "")


def without_doc_number(name: str, text: str) -> str:
    return DOC_NUMBER.sub("", text, count=1)


def without_meeting_date(name: str, text: str) -> str:
    day = corpus_gold(name)["meeting_date"]
    year, month, date = (int(part) for part in day.split("-"))
    written = re.compile(rf"(?:{year}\s*年\s*)?{month}月{date}日")
    return written.sub("", text, count=1)


def without_chair(name: str, text: str) -> str:
    return text.replace(corpus_gold(name)["chair"], "")


def without_items(name: str, text: str) -> str:
    """The text without the lines of its items (headings, markers, decisions)."""
    parsed = parse(text)
    starts = [item.title[:10] for item in parsed.items]
    starts += [d.text[:10] for item in parsed.items for d in item.decisions if d.text]
    kept = []
    for line in text.split("\n"):
        body = re.sub(
            r"^[一二三四五六七八九十]+、|^[(（][一二三四五六七八九十]+[)）]", "", line.strip()
        )
        normalized = (
            body.replace(",", "，").replace(":", "：").replace("(", "（").replace(")", "）")
        )
        if re.fullmatch(r"[(（][一二三四五六七八九十]+[)）]", line.strip()):
            continue
        if body and any(normalized.startswith(start) for start in starts if start):
            continue
        kept.append(line)
    return "\n".join(kept)


REMOVERS = {
    "issuer": without_issuer,
    "doc_number": without_doc_number,
    "meeting_date": without_meeting_date,
    "chair": without_chair,
    "items": without_items,
}
CASES = [
    (name, part)
    for name in corpus_names()
    for part in REMOVERS
    if corpus_gold(name)[part] not in (None, [])
]


@pytest.mark.parametrize(("name", "part"), CASES)
def test_removing_a_part_makes_its_warning_appear(name, part):
    assert not any(w.field == part for w in parse(corpus_text(name)).warnings)
    text = REMOVERS[part](name, corpus_text(name))
    try:
        parsed = parse(text)
    except ParseError as error:
        # Without its items, a text with no meeting sentence has no minutes structure left.
        gold = corpus_gold(name)
        assert part == "items" and gold["chair"] is None and gold["meeting_date"] is None
        assert "会议纪要" in error.message
        return
    assert parsed.to_dict()[part] in (None, [])
    assert any(warning.field == part for warning in parsed.warnings)


def test_every_kind_of_missing_part_is_tried():
    assert {part for _name, part in CASES} == set(REMOVERS)


# --- the text stops mid-sentence ------------------------------------------------------------
# The documents whose stored excerpt already stops mid-sentence or mid-list.
CUT_OFF_AS_STORED = {
    "suzhou-2023-04",
    "yongkang-2011-28",
    "changzhou-xinbei-2021-d1022",
    "guangde-2023-s32",
    "wuxi-binhu-2020-s40",
    "zhonglou-2025-s9",
}


@pytest.mark.parametrize("name", sorted(set(corpus_names()) - CUT_OFF_AS_STORED))
def test_a_text_cut_after_a_comma_is_said_to_be_cut_off(name):
    assert not any("中断" in warning.message for warning in parse(corpus_text(name)).warnings)
    text = corpus_text(name)
    cut = text[: max(text.rfind("，"), text.rfind(",")) + 1]
    last_line = cut.count("\n") + 1
    parsed = parse(cut)
    assert any(
        warning.line == last_line and "中断" in warning.message for warning in parsed.warnings
    )


def test_a_text_cut_inside_a_title_is_said_to_be_cut_off():
    # wuxi-binhu-2020-s40 stops inside 《…: "会议还审议通过《滨湖区现代产业发展基金筹".
    parsed = parse(corpus_text("wuxi-binhu-2020-s40"))
    assert [w.message for w in parsed.warnings if w.line == 7][0].startswith("原文似乎在此处中断")


def test_a_list_cut_after_its_separator_is_said_to_be_cut_off():
    # zhonglou-2025-s9 stops at "毕志袖、": the warning stands beside the 列席 list.
    parsed = parse(corpus_text("zhonglou-2025-s9"))
    assert [(w.line, w.field) for w in parsed.warnings if "中断" in w.message] == [
        (12, "observers")
    ]


# --- lines placed nowhere -------------------------------------------------------------------


def test_a_header_line_the_form_does_not_know_is_kept_aside_and_warned():
    # yongkang-2011-28: office and date in the header, which the gold reads as neither.
    parsed = parse(corpus_text("yongkang-2011-28"))
    assert parsed.unplaced == ((2, "永康市人民政府办公室 二○一一年八月二十七日"),)
    [warning] = [w for w in parsed.warnings if w.line == 2]
    assert "永康市人民政府办公室" in warning.message and warning.field == "issuer"


def test_web_page_chrome_left_in_the_header_is_kept_aside():
    text = "发布时间：2021-03-04 来源：区政府办公室\n" + corpus_text("ningbo-fenghua-2021-s86")
    parsed = parse(text)
    assert parsed.unplaced == ((1, "发布时间：2021-03-04 来源：区政府办公室"),)
    assert parsed.to_dict() == parse(corpus_text("ningbo-fenghua-2021-s86")).to_dict()


def test_unplaced_lines_are_not_part_of_the_record():
    parsed = parse(corpus_text("yongkang-2011-28"))
    assert "unplaced" not in parsed.to_dict()
    assert parse("〔2011〕28号\n" + corpus_text("yongkang-2011-28").split("\n", 2)[2]) == parsed


def test_an_unsplittable_attendance_entry_is_warned_beside_its_list():
    text = corpus_text("suzhou-2021-15").replace("列席：张剑", "列席：某某某某某某 张剑")
    [warning] = parse(text).warnings
    assert warning.field == "observers" and "某某某某某某" in warning.message


def test_an_unreadable_entry_of_a_list_written_as_a_sentence_is_warned():
    # ningbo-yinzhou-rd-2010-s24 with a piece that names neither a body nor a person.
    text = corpus_text("ningbo-yinzhou-rd-2010-s24").replace(
        "区人民法院副院长张盛世列席会议", "区人民法院副院长张盛世、某某某某某某列席会议"
    )
    parsed = parse(text)
    assert [o.name for o in parsed.observers][:2] == ["华志苗", "张盛世"]
    [warning] = [w for w in parsed.warnings if "某某某某某某" in w.message]
    assert (warning.line, warning.field) == (1, "observers")


def test_a_meeting_day_without_a_year_and_nothing_to_date_it_is_warned():
    text = corpus_text("linyi-zhujian-2021-02")
    text = text.replace("图文解读:局长办公会会议纪要【2021】第2号\n", "").replace(
        " 2021年8月16日印", ""
    )
    parsed = parse(text)
    assert parsed.meeting_date is None
    [warning] = [w for w in parsed.warnings if w.field == "meeting_date"]
    assert "8月13日" in warning.message
