"""Whatever the input, parse() returns a ParsedMinutes or raises ParseError, nothing else.

An import page must be able to show every failure as a line number and a message; an internal
error (which ``parse`` also wraps as a ParseError) would be a bug, so the tests reject it too.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minutes.parsing import INTERNAL_ERROR_MESSAGE, ParsedMinutes, ParseError, parse, render
from tests.corpus import corpus_names, corpus_text

CORPUS = [corpus_text(name) for name in corpus_names()]
FORMAT_WORDS = list("一二三四五六七八九十（）、：；，。《》〔〕[]第次年月日") + [
    "会议议定以下意见",
    "主持召开",
    "出席：",
    "列席：",
    "记录：",
    "分送：",
    "整理",
    "印发",
    "的代表",
    "市长",
    "汇报",
    "\n",
]
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parses_or_fails_cleanly(text: str) -> None:
    try:
        result = parse(text)
    except ParseError as error:
        assert isinstance(error.line, int) and error.line >= 1
        assert error.message and not error.message.startswith(INTERNAL_ERROR_MESSAGE)
        return
    assert isinstance(result, ParsedMinutes)
    result.to_dict()
    render(result)


@SETTINGS
@given(st.text())
def test_random_text(text):
    parses_or_fails_cleanly(text)


@SETTINGS
@given(st.lists(st.sampled_from(FORMAT_WORDS) | st.text(max_size=5), max_size=60))
def test_random_pieces_of_the_format(pieces):
    parses_or_fails_cleanly("".join(pieces))


@SETTINGS
@given(st.binary(max_size=2000), st.sampled_from(["utf-8", "gb18030", "latin-1", "utf-16"]))
def test_random_bytes_decoded(data, encoding):
    parses_or_fails_cleanly(data.decode(encoding, errors="replace"))


@SETTINGS
@given(st.sampled_from(CORPUS), st.floats(min_value=0, max_value=1))
def test_corpus_document_truncated(text, fraction):
    parses_or_fails_cleanly(text[: int(len(text) * fraction)])


@SETTINGS
@given(st.sampled_from(CORPUS), st.randoms(use_true_random=False))
def test_corpus_lines_shuffled(text, generator: random.Random):
    lines = text.split("\n")
    generator.shuffle(lines)
    parses_or_fails_cleanly("\n".join(lines))


@SETTINGS
@given(
    st.sampled_from(CORPUS),
    st.lists(
        st.tuples(
            st.sampled_from(["flip", "delete", "insert"]),
            st.floats(min_value=0, max_value=1),
            st.sampled_from(FORMAT_WORDS) | st.characters(),
        ),
        min_size=1,
        max_size=30,
    ),
)
def test_corpus_characters_flipped_deleted_inserted(text, edits):
    for operation, where, piece in edits:
        position = int(where * (len(text) - 1)) if text else 0
        if operation == "flip":
            text = text[:position] + piece + text[position + 1 :]
        elif operation == "delete":
            text = text[:position] + text[position + 1 :]
        else:
            text = text[:position] + piece + text[position:]
    parses_or_fails_cleanly(text)


@SETTINGS
@given(st.sampled_from(CORPUS), st.floats(min_value=0, max_value=1))
def test_truncated_documents_still_round_trip(text, fraction):
    try:
        parsed = parse(text[: int(len(text) * fraction)])
    except ParseError:
        return
    again = parse(render(parsed))
    assert again.items[: len(parsed.items) - 1] == parsed.items[: len(parsed.items) - 1]
    assert (again.doc_number, again.session_no, again.chair) == (
        parsed.doc_number,
        parsed.session_no,
        parsed.chair,
    )


# --- large uploads (clerks upload files up to 15 MB; the time is measured by parse_bench) ---
FIFTEEN_MB = 15 * 1024 * 1024


def test_a_15_mb_document_parses_with_a_bounded_list_of_warnings():
    seed = corpus_text("suzhou-2021-15")
    head, rest = seed.split("会议议定以下意见：", 1)
    body, footer = rest.split("出席：", 1)
    copies = FIFTEEN_MB // len(body.encode()) + 1
    parsed = parse(head + "会议议定以下意见：" + body * copies + "出席：" + footer)
    assert len(parsed.items) == 7 * copies
    assert parsed.recorder == "栗涛" and len(parsed.observers) == 73
    # The numbering restarts with every copy: one warning each, listed up to a limit.
    assert len(parsed.warnings) == 101
    assert "不再逐条列出" in parsed.warnings[-1].message


def test_a_15_mb_file_of_several_documents_reads_the_first_and_says_so():
    seed = corpus_text("suzhou-2021-15")
    parsed = parse(seed * (FIFTEEN_MB // len(seed.encode()) + 1))
    assert parsed.to_dict() == parse(seed).to_dict()
    assert any("另一份纪要" in warning.message for warning in parsed.warnings)
    assert len(parsed.warnings) <= 102
    assert len(parsed.unplaced) > 40_000  # kept for search


def test_15_mb_of_something_else_is_refused():
    generator = random.Random(8)
    line = "".join(chr(generator.randint(0x4E00, 0x9FFF)) for _ in range(4000))
    with pytest.raises(ParseError) as refused:
        parse("\n".join([line] * (FIFTEEN_MB // len(line.encode()) + 1)))
    assert "会议纪要" in refused.value.message


def test_known_organizations_of_any_kind_never_break_parsing():
    text = corpus_text("suzhou-2013-04")
    for known in ([], ["市政府法制办"], [1, None, "市政府法制办"], (name for name in ["团市委"])):
        assert parse(text, known_organizations=known).items[0].points == 3
