"""Other file forms of the same documents give the same gold: GB18030 with CRLF line ends,
half- or full-width punctuation, .docx, and the text layer of a PDF laid out as official
documents are (28 characters to a line, 22 lines to a page, page numbers at the foot)."""

from __future__ import annotations

import pytest

from minutes.parsing import parse
from minutes.readers import read_text_file
from tests.corpus import comparable, corpus_gold, corpus_names, corpus_text
from tests.parsing.files import (
    OFFICIAL_LINE_WIDTH,
    OFFICIAL_PAGE_LINES,
    make_cjk_pdf,
    make_docx,
    wrap_lines,
)

HALF = ",:;()!"
FULL = "，：；（）！"


def assert_gold(text: str, name: str) -> None:
    assert comparable(parse(text).to_dict()) == comparable(corpus_gold(name))


@pytest.mark.parametrize("name", corpus_names())
def test_gb18030_with_crlf(name):
    data = corpus_text(name).replace("\n", "\r\n").encode("gb18030")
    assert_gold(read_text_file(data, f"{name}.txt"), name)


@pytest.mark.parametrize("name", corpus_names())
def test_half_width_punctuation(name):
    assert_gold(corpus_text(name).translate(str.maketrans(FULL, HALF)), name)


@pytest.mark.parametrize("name", corpus_names())
def test_full_width_punctuation(name):
    assert_gold(corpus_text(name).translate(str.maketrans(HALF, FULL)), name)


@pytest.mark.parametrize("name", corpus_names())
def test_docx(name):
    data = make_docx(corpus_text(name).split("\n"))
    assert_gold(read_text_file(data, f"{name}.docx"), name)


# 28 is the official width; web pages printed to PDF wrap wider or narrower.
@pytest.mark.parametrize("width", [24, OFFICIAL_LINE_WIDTH, 35])
@pytest.mark.parametrize("name", corpus_names())
def test_pdf_text_layer_wrapped_at_the_page_width(name, width):
    lines = wrap_lines(corpus_text(name), width)
    text = read_text_file(make_cjk_pdf(lines, OFFICIAL_PAGE_LINES), f"{name}.pdf")
    assert "- 1 -" in text  # the page numbers are there for the parser to drop
    assert_gold(text, name)
