"""Snippets mark exactly the characters that matched, escaped."""

from minutes.search.query import parse_terms
from minutes.search.results import snippets


def marked(text, query):
    return "".join(snippets(text, parse_terms(query), limit=5))


def test_marks_a_run_inside_a_word_jieba_cuts_otherwise():
    html = marked("审议促进集成电路产业的措施", "成电")
    assert "集<mark>成电</mark>路" in html


def test_marks_whole_names_and_single_characters():
    assert "<mark>李亚平</mark>市长" in marked("李亚平市长主持会议", "李亚平")
    assert "<mark>税</mark>收" in marked("研究税收工作", "税")


def test_traditional_query_marks_simplified_text():
    assert "<mark>集成电路</mark>" in marked("集成电路产业", "集成電路")


def test_stored_text_is_escaped_around_marks():
    html = marked("<script>alert(1)</script>住房公积金", "公积金")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "住房<mark>公积金</mark>" in html


def test_digits_match_whole_numbers_only():
    assert "<mark>" not in marked("第2021次会议", "202")
