"""The search page: query syntax, results, facets, filters, sorting, pages."""

import datetime

import pytest
from django.urls import reverse

from minutes.models import Meeting

pytestmark = pytest.mark.django_db


def search(client, **params):
    return client.get(reverse("minutes:search"), params)


def test_a_word_finds_the_document_and_its_item(client, meeting):
    found = meeting(year=2021, seq=15, session_no=133)
    page = search(client, q="集成电路").content.decode()
    assert "〔2021〕15号" in page
    assert "苏州市人民政府第133次常务会议纪要" in page
    assert found.items.get().get_absolute_url() in page


def test_one_character_queries_find_documents(client, meeting):
    meeting(opening="会议研究了税收征管工作。")
    assert "找到 1 件纪要" in search(client, q="税").content.decode()
    assert "找到 1 件纪要" in search(client, q="市").content.decode()


def test_traditional_query_finds_simplified_text(client, meeting):
    meeting()
    assert "找到 1 件纪要" in search(client, q="集成電路").content.decode()


@pytest.mark.parametrize("doc_number", ["〔2021〕15号", "[2021]15号", "［2021］15号", "2021年15号"])
def test_doc_number_in_any_form_goes_to_the_document(client, meeting, doc_number):
    found = meeting(year=2021, seq=15)
    meeting(year=2021, seq=16)
    response = search(client, q=doc_number)
    assert response.status_code == 302
    assert response["Location"] == found.get_absolute_url()


def test_person_and_organisation_names_are_found(client, meeting):
    meeting(chair="张三丰", opening="张三丰市长主持会议。", seq=1)
    meeting(seq=2)
    assert "找到 1 件纪要" in search(client, q="张三丰").content.decode()
    page = search(client, q="工信局").content.decode()
    assert "找到 2 件纪要" in page, page[page.find("<main") :]


def test_minus_excludes_documents(client, meeting):
    meeting(seq=1, opening="研究住房公积金。")
    meeting(seq=2, opening="研究住房公积金和税收。")
    page = search(client, q="住房公积金 -税收").content.decode()
    assert "找到 1 件纪要" in page
    assert "〔2021〕1号" in page


def test_a_quoted_phrase_needs_the_words_together_while_space_means_and(client, meeting):
    meeting(seq=1, opening="住房公积金")
    meeting(seq=2, opening="公积金的住房")
    assert "找到 1 件纪要" in search(client, q='"住房公积金"').content.decode()
    assert "找到 2 件纪要" in search(client, q="住房 公积金").content.decode()


def test_facets_count_the_matching_documents(client, meeting):
    meeting(seq=1, year=2020, meeting_date=datetime.date(2020, 3, 1))
    meeting(seq=2, year=2021)
    meeting(seq=3, year=2021)
    data = client.get(reverse("minutes:api-search"), {"q": "集成电路"}).json()
    years = {facet["value"]: facet["count"] for facet in data["facets"]["year"]}
    assert years == {"2020": 1, "2021": 2}
    people = {facet["value"]: facet["count"] for facet in data["facets"]["people"]}
    assert people["黄戟"] == 3
    narrowed = client.get(reverse("minutes:api-search"), {"q": "集成电路", "year": "2020"}).json()
    assert narrowed["count"] == 1


def test_date_range_filters(client, meeting):
    meeting(seq=1, meeting_date=datetime.date(2021, 1, 5))
    meeting(seq=2, meeting_date=datetime.date(2021, 6, 5))
    data = client.get(
        reverse("minutes:api-search"),
        {"q": "集成电路", "date_from": "2021-05-01", "date_to": "2021-12-31"},
    ).json()
    assert [result["doc_number"] for result in data["results"]] == ["〔2021〕2号"]


def test_sorting_by_date(client, meeting):
    for seq, month in [(1, 3), (2, 9), (3, 6)]:
        meeting(seq=seq, meeting_date=datetime.date(2021, month, 1))
    newest = client.get(reverse("minutes:api-search"), {"q": "集成电路", "sort": "newest"}).json()
    oldest = client.get(reverse("minutes:api-search"), {"q": "集成电路", "sort": "oldest"}).json()
    assert [r["doc_number"] for r in newest["results"]] == [
        "〔2021〕2号",
        "〔2021〕3号",
        "〔2021〕1号",
    ]
    assert [r["doc_number"] for r in oldest["results"]] == [
        "〔2021〕1号",
        "〔2021〕3号",
        "〔2021〕2号",
    ]


def test_pages_of_twenty(client, meeting):
    for seq in range(1, 26):
        meeting(seq=seq)
    first = client.get(reverse("minutes:api-search"), {"q": "集成电路"}).json()
    second = client.get(reverse("minutes:api-search"), {"q": "集成电路", "page": 2}).json()
    assert first["count"] == second["count"] == 25
    assert len(first["results"]) == 20 and len(second["results"]) == 5
    ids = {r["id"] for r in first["results"]} | {r["id"] for r in second["results"]}
    assert len(ids) == 25
    assert 'rel="next"' in search(client, q="集成电路").content.decode()


def test_no_results_page_helps(client, meeting):
    meeting()
    page = search(client, q="不存在的词语").content.decode()
    assert "没有符合搜索条件的纪要。" in page


def test_staff_see_drafts_with_their_status(client, staff_client, meeting):
    meeting(status=Meeting.Status.DRAFT, opening="草稿里的独有词语甲乙丙。")
    assert "没有符合搜索条件的纪要" in search(client, q="甲乙丙").content.decode()
    page = search(staff_client, q="甲乙丙").content.decode()
    assert "找到 1 件纪要" in page
    assert "草稿" in page
