"""Whatever the input, parse() returns a ParsedMinutes or raises ParseError, nothing else.

An import page must be able to show every failure as a line number and a message; an internal
error (which ``parse`` also wraps as a ParseError) would be a bug, so the tests reject it too.
"""

from __future__ import annotations

import random

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
