"""The search keeps its state and explains itself (issue 10, item 1): what a person sees.

Filters survive a new query and show as chips, each removable, with "clear all"; what cannot
be read is said on the form, in the site's words, with the typed text kept; the API answers
the same problems with a 400 that names the parameter.
"""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from minutes.search.query import MAX_QUERY_LENGTH
from tests.search.pages import page_of, with_class

pytestmark = pytest.mark.django_db


def chips(page) -> dict[str, dict]:
    """Each chip's visible label -> the parameters of its link."""
    return {
        chip.text_content().replace("×", "").strip(): parse_qs(urlsplit(chip.get("href")).query)
        for chip in with_class(page, "chip")
    }


def problems(page) -> list[str]:
    return [item.text_content() for item in page.xpath('//*[@id="search-problems"]//li')]


def test_a_new_query_keeps_the_facets_dates_and_sort(client, meeting):
    meeting(seq=1)
    page = page_of(
        client,
        q="集成电路",
        year="2021",
        organization="市工信局",
        date_from="2021-01-01",
        sort="newest",
    )
    form = page.xpath('//form[@role="search"]')[0]
    assert form.get_element_by_id("id_date_from").get("value") == "2021-01-01"
    assert form.xpath('.//select[@id="id_sort"]/option[@selected]')[0].get("value") == "newest"
    # What the browser sends when the reader types a new query in the same form: its own
    # fields, and the facets' checked boxes, which belong to it (form="search-form").
    sent = {(name, value) for name, value in form.form_values() if value}
    sent |= {
        (box.get("name"), box.get("value"))
        for box in page.xpath('//input[@form="search-form"][@checked]')
    }
    assert sent == {
        ("q", "集成电路"),
        ("year", "2021"),
        ("organization", "市工信局"),
        ("date_from", "2021-01-01"),
        ("sort", "newest"),
    }


def test_a_refused_search_carries_its_facets_as_hidden_fields(client, meeting):
    meeting(seq=1)
    page = page_of(client, q="集成电路" * 60, year="2021", organization="市工信局")
    form = page.xpath('//form[@role="search"]')[0]
    hidden = {(i.get("name"), i.get("value")) for i in form.xpath('.//input[@type="hidden"]')}
    assert hidden == {("year", "2021"), ("organization", "市工信局")}
    assert with_class(page, "facets") == []


def test_each_active_filter_is_a_chip_whose_link_removes_only_it(client, meeting):
    meeting(seq=1)
    params = {
        "q": "集成电路",
        "year": "2021",
        "kind": "executive",
        "date_from": "2021-01-01",
        "date_to": "2021-12-31",
        "sort": "oldest",
        "title": "集成电路",
    }
    found = chips(page_of(client, **params))
    assert set(found) == {
        "年份：2021",
        "类别：常务会议纪要",
        "起始日期：2021-01-01",
        "截止日期：2021-12-31",
        "标题含：集成电路",
        "排序：最早在前",
    }
    everything = {name: [value] for name, value in params.items()}
    for label, link in found.items():
        removed = {name for name in everything if name not in link}
        assert len(removed) == 1, (label, link)
        kept = {name: value for name, value in everything.items() if name not in removed}
        assert link == kept, label


def test_chips_say_what_they_remove_to_a_screen_reader(client, meeting):
    meeting(seq=1)
    page = page_of(client, q="集成电路", year="2021")
    chip = with_class(page, "chip")[0]
    assert chip.get("aria-label") == "移除筛选条件：年份：2021"


def test_one_value_of_several_in_a_facet_is_removed_alone(client, meeting):
    meeting(seq=1)
    page = page_of(client, q="集成电路", organization=["市工信局", "市科技局"])
    found = chips(page)
    assert found["单位：市工信局"]["organization"] == ["市科技局"]
    assert found["单位：市科技局"]["organization"] == ["市工信局"]


def test_clear_all_keeps_the_query_and_drops_every_filter(client, meeting):
    meeting(seq=1)
    page = page_of(client, q="集成电路", year="2021", date_to="2021-12-31", sort="newest")
    clear = with_class(page, "clear-all")[0]
    assert clear.text_content() == "清除全部"
    assert parse_qs(urlsplit(clear.get("href")).query) == {"q": ["集成电路"]}


def test_no_chips_without_filters(client, meeting):
    meeting(seq=1)
    page = page_of(client, q="集成电路")
    assert with_class(page, "chip") == [] and with_class(page, "clear-all") == []


def test_a_too_long_query_is_refused_with_a_message_and_kept_in_the_box(client, meeting):
    meeting(seq=1)
    typed = "集成电路" * 51  # 204 characters
    assert len(typed) > MAX_QUERY_LENGTH
    page = page_of(client, q=typed)
    assert page.get_element_by_id("id_q").get("value") == typed
    assert page.get_element_by_id("id_q").get("aria-invalid") == "true"
    assert problems(page) == [
        "搜索：搜索内容共 204 个字，最多只能读取 200 个字。请缩短，或使用下方的高级搜索。"
    ]
    assert with_class(page, "search-result") == []


def test_an_invalid_date_is_explained_on_the_form(client, meeting):
    meeting(seq=1)
    page = page_of(client, q="集成电路", date_from="2021-02-30")
    assert problems(page) == ["起始日期：请填写有效的日期，如 2021-04-06。"]
    assert page.get_element_by_id("id_date_from").get("aria-invalid") == "true"
    assert with_class(page, "search-result") == []


def test_a_reversed_range_is_explained_on_the_form(client, meeting):
    meeting(seq=1)
    page = page_of(client, q="集成电路", date_from="2021-12-31", date_to="2021-01-01")
    assert problems(page) == ["截止日期：早于起始日期（2021-12-31），请调换或修改。"]


def test_a_wrong_document_number_in_the_advanced_search_is_explained(client, meeting):
    meeting(seq=1)
    page = page_of(client, doc_number="十五号")
    assert problems(page) == ["文号：“十五号”不是文号，请写作〔2021〕15号或2021年15号。"]
    assert page.xpath('//details[@open][contains(@class, "advanced-search")]')


def test_a_page_that_is_not_a_number_is_the_first_page_not_an_error(client, meeting):
    meeting(seq=1)
    page = page_of(client, q="集成电路", page="abc")
    assert problems(page) == []
    assert len(with_class(page, "search-result")) == 1


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"q": "税" * (MAX_QUERY_LENGTH + 1)}, "q"),
        ({"q": "税", "date_from": "yesterday"}, "date_from"),
        ({"q": "税", "date_to": "2021-13-01"}, "date_to"),
        ({"q": "税", "date_from": "2021-12-31", "date_to": "2021-01-01"}, "date_to"),
        ({"q": "税", "page": "abc"}, "page"),
        ({"q": "税", "page": "0"}, "page"),
        ({"q": "税", "sort": "random"}, "sort"),
        ({"doc_number": "十五号"}, "doc_number"),
    ],
)
def test_the_api_names_the_parameter_it_cannot_read(client, meeting, params, parameter):
    response = client.get(reverse("minutes:api-search"), params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"] == "bad_parameter" and body["parameter"] == parameter
    assert f"“{parameter}”" in body["message"]


def test_the_api_answers_a_good_request(client, meeting):
    meeting(seq=1, meeting_date=datetime.date(2021, 4, 12))
    response = client.get(
        reverse("minutes:api-search"),
        {"q": "集成电路", "date_from": "2021-01-01", "date_to": "2021-12-31", "page": "1"},
    )
    assert response.status_code == 200 and response.json()["count"] == 1


def test_page_numbers_keep_the_search_and_its_filters(client, meeting):
    for seq in range(1, 26):  # two pages of 20
        meeting(seq=seq)
    page = page_of(client, q="集成电路", year="2021", sort="newest")
    pages = page.xpath('//nav[@class="pagination"]//a')
    by_text = {link.text_content().strip(): link.get("href") for link in pages}
    assert set(by_text) == {"1", "2", "下一页", "末页"}
    assert parse_qs(urlsplit(by_text["2"]).query) == {
        "q": ["集成电路"],
        "year": ["2021"],
        "sort": ["newest"],
        "page": ["2"],
    }
    second = page_of(client, q="集成电路", year="2021", sort="newest", page="2")
    current = second.xpath('//nav[@class="pagination"]//a[@aria-current="page"]')[0]
    assert current.text_content() == "2"
    assert len(with_class(second, "search-result")) == 5


def test_the_advanced_document_number_shows_as_printed(client, meeting):
    meeting(seq=1)
    assert "文号：〔2021〕1号" in chips(page_of(client, doc_number="2021年1号"))


@pytest.mark.parametrize(
    "params",
    [
        {"q": "税", "year": "abc"},
        {"q": "税", "year": "99999999999999999999"},
        {"q": "税", "kind": "bogus"},
        {"q": "税", "person": "人" * 500},
        {"q": "税", "date_from": "99999-01-01"},
        {"q": "税", "date_to": "0000-00-00"},
        {"q": "税", "page": "9" * 30},
        {"q": "税", "sort": "bogus"},
        {"q": '"', "title": "《"},
        {"q": "OR OR | -", "chair": " "},
        {"q": "-税"},
        {"issuer": "不存在的机关"},
        {"doc_number": "〔2021〕99999号"},
    ],
)
def test_the_page_answers_whatever_the_parameters(client, meeting, params):
    meeting(seq=1, opening="会议研究了税收征管工作。")
    response = client.get(reverse("minutes:search"), params)
    assert response.status_code == 200
    api = client.get(reverse("minutes:api-search"), params)
    assert api.status_code in (200, 400) and api["Content-Type"] == "application/json"


def test_a_query_of_punctuation_alone_is_explained(client, meeting):
    meeting(seq=1)
    page = page_of(client, q="，。！")
    assert "其中没有可搜索的字词：请输入词语、短语或文号。" in page.text_content()
    assert page.get_element_by_id("id_q").get("value") == "，。！"
