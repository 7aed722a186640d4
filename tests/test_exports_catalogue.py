"""The catalogue of a browse or a search, as CSV and .xlsx: every document of the list, not one
page of it, streamed; the public only ever gets public documents, staff also the workflow."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from minutes.models import Meeting
from minutes.search import drain
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db

PUBLIC_HEADER = [
    "文号",
    "标题",
    "会议日期",
    "发文机关",
    "纪要类别",
    "议题",
    "议题数",
    "议定事项数",
    "网址",
]
STAFF_HEADER = PUBLIC_HEADER[:-1] + ["状态", "公开属性", "网址"]


def body(response) -> bytes:
    assert response.streaming, "a catalogue is streamed, not built in memory"
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


@pytest.fixture
def archive():
    older = make_meeting(
        year=2020, seq=3, meeting_date=datetime.date(2020, 6, 1), opening="二〇二〇年的导语。"
    )
    newer = make_meeting(year=2021, seq=15)
    draft = make_meeting(year=2021, seq=16, status=Meeting.Status.DRAFT)
    return older, newer, draft


def test_public_csv_lists_the_public_documents_newest_first_without_workflow(client, archive):
    older, newer, _draft = archive
    rows = csv_rows(client.get(reverse("minutes:catalogue-export", args=["csv"])))
    assert rows[0] == PUBLIC_HEADER
    assert [row[0] for row in rows[1:]] == ["〔2021〕15号", "〔2020〕3号"]
    first = dict(zip(PUBLIC_HEADER, rows[1], strict=True))
    assert first["标题"] == newer.title
    assert first["会议日期"] == "2021-04-12"
    assert first["发文机关"] == "苏州市人民政府"
    assert first["纪要类别"] == "常务会议纪要"
    assert first["议题"] == "审议《苏州市促进集成电路产业高质量发展的若干措施》"
    assert (first["议题数"], first["议定事项数"]) == ("1", "2")
    assert first["网址"] == "http://testserver" + newer.get_absolute_url()


def test_staff_csv_lists_every_document_with_its_status(staff_client, archive):
    rows = csv_rows(staff_client.get(reverse("minutes:catalogue-export", args=["csv"])))
    assert rows[0] == STAFF_HEADER
    by_number = {row[0]: dict(zip(STAFF_HEADER, row, strict=True)) for row in rows[1:]}
    assert set(by_number) == {"〔2021〕16号", "〔2021〕15号", "〔2020〕3号"}
    assert by_number["〔2021〕16号"]["状态"] == "草稿"
    assert by_number["〔2021〕15号"]["公开属性"] == "主动公开"


def test_catalogue_follows_the_browse_filters(client, archive):
    url = reverse("minutes:catalogue-export", args=["csv"])
    assert [row[0] for row in csv_rows(client.get(url, {"year": 2020}))[1:]] == ["〔2020〕3号"]
    assert csv_rows(client.get(url, {"kind": "special"}))[1:] == []
    issuer = archive[0].issuer_id
    assert len(csv_rows(client.get(url, {"issuer": issuer}))) == 3
    # A filter that does not parse is ignored, as on the browse page.
    assert len(csv_rows(client.get(url, {"year": "abc"}))) == 3


def test_xlsx_holds_the_same_rows_with_dates_and_numbers_typed(client, archive):
    response = client.get(reverse("minutes:catalogue-export", args=["xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in response["Content-Disposition"]
    rows = xlsx_rows(response)
    assert list(rows[0]) == PUBLIC_HEADER
    assert [row[0] for row in rows[1:]] == ["〔2021〕15号", "〔2020〕3号"]
    assert rows[1][2] == datetime.datetime(2021, 4, 12)
    assert rows[1][6:8] == [1, 2]


def test_a_formula_typed_into_a_title_stays_text_in_both_formats(staff_client):
    make_meeting(
        items=(),
        opening="",
        issuer="=1+2市人民政府",
    )
    url = reverse("minutes:catalogue-export", args=["csv"])
    row = csv_rows(staff_client.get(url))[1]
    assert row[3] == "'=1+2市人民政府"
    cells = xlsx_rows(staff_client.get(reverse("minutes:catalogue-export", args=["xlsx"])))[1]
    assert cells[3] == "=1+2市人民政府"  # a string cell, not a formula


def test_unknown_format_is_a_404(client):
    assert client.get("/minutes/export.pdf").status_code == 404
    assert client.get("/search/export.exe?q=市").status_code == 404


def test_browse_page_links_to_its_catalogue_with_its_filters(client, archive):
    page = client.get(reverse("minutes:meeting-list"), {"year": 2020}).content.decode()
    assert reverse("minutes:catalogue-export", args=["csv"]) + "?year=2020&amp;" in page
    assert reverse("minutes:catalogue-export", args=["xlsx"]) + "?year=2020&amp;" in page


def test_search_catalogue_holds_every_hit_not_one_page(client, search_index):
    for seq in range(1, 26):
        make_meeting(year=2021, seq=seq)
    make_meeting(year=2021, seq=99, status=Meeting.Status.REVIEW)
    assert drain()
    response = client.get(reverse("minutes:search-export", args=["csv"]), {"q": "集成电路"})
    rows = csv_rows(response)
    assert len(rows) == 1 + 25  # the search page shows 20 at a time
    assert "〔2021〕99号" not in {row[0] for row in rows}


def test_search_catalogue_keeps_the_searchs_order_and_filters(staff_client, search_index):
    make_meeting(year=2019, seq=1, meeting_date=datetime.date(2019, 1, 1))
    make_meeting(year=2021, seq=2)
    make_meeting(year=2020, seq=3, meeting_date=datetime.date(2020, 1, 1))
    assert drain()
    url = reverse("minutes:search-export", args=["csv"])
    newest = csv_rows(staff_client.get(url, {"q": "集成电路", "sort": "newest"}))
    assert [row[0] for row in newest[1:]] == ["〔2021〕2号", "〔2020〕3号", "〔2019〕1号"]
    oldest = csv_rows(staff_client.get(url, {"q": "集成电路", "sort": "oldest"}))
    assert [row[0] for row in oldest[1:]] == ["〔2019〕1号", "〔2020〕3号", "〔2021〕2号"]
    year = csv_rows(staff_client.get(url, {"q": "集成电路", "year": "2020"}))
    assert [row[0] for row in year[1:]] == ["〔2020〕3号"]
    by_number = csv_rows(staff_client.get(url, {"q": "〔2019〕1号"}))
    assert [row[0] for row in by_number[1:]] == ["〔2019〕1号"]
    assert csv_rows(staff_client.get(url, {"q": ""}))[1:] == []


def test_search_page_links_to_the_catalogue_of_its_query(client, search_index):
    make_meeting()
    assert drain()
    page = client.get(reverse("minutes:search"), {"q": "集成电路", "sort": "newest"})
    html = page.content.decode()
    assert reverse("minutes:search-export", args=["xlsx"]) + "?q=" in html
    assert "sort=newest" in html


def test_catalogue_reads_documents_in_chunks_with_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr("minutes.exports.CATALOGUE_CHUNK", 5)
    for seq in range(1, 13):
        make_meeting(year=2021, seq=seq)
    response = client.get(reverse("minutes:catalogue-export", args=["csv"]))
    # Three chunks of documents, each with one query for their items.
    with django_assert_max_num_queries(6):
        rows = csv_rows(response)
    assert len(rows) == 13
