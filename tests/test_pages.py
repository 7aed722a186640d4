"""The plain list and document pages, behind the one door."""

import datetime

import pytest
from django.urls import reverse

import minutes.parsing
from minutes.models import Meeting, Organization, ReviewedDocument
from tests.conftest import visible_text
from tests.factories import HIDDEN_STATES, make_meeting

pytestmark = pytest.mark.django_db


def test_list_shows_published_documents_to_anonymous_readers(client):
    make_meeting(year=2021, seq=15, session_no=133)
    page = client.get(reverse("minutes:meeting-list")).content.decode()
    assert "苏州市人民政府第133次常务会议纪要" in page
    assert "〔2021〕15号" in page


@pytest.mark.parametrize("status, disclosure", HIDDEN_STATES)
def test_unreleased_document_is_absent_for_anonymous_and_shown_to_staff(
    client, staff_client, status, disclosure
):
    hidden = make_meeting(status=status, disclosure=disclosure, session_no=999)
    assert "第999次" not in client.get(reverse("minutes:meeting-list")).content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 404
    staff_page = staff_client.get(hidden.get_absolute_url()).content.decode()
    assert "第999次" in staff_page
    assert hidden.get_status_display() in staff_page


def test_document_page_shows_the_structured_document(client):
    meeting = make_meeting(year=2021, seq=15)
    response = client.get(meeting.get_absolute_url())
    page = visible_text(response)
    assert 'id="item-1"' in response.content.decode()
    for part in [
        "苏州市人民政府常务会议纪要",
        "〔2021〕15号",
        "一、审议《苏州市促进集成电路产业高质量发展的若干措施》",
        "（二）市科技局要抓好技术研发攻关及成果转化。",
        "市纪委监委王虎",
        "武警苏州支队的代表",
        "栗涛",
        "各市、区人民政府",
    ]:
        assert part in page


def test_stored_text_is_escaped(client):
    from minutes.parsing.records import AgendaItem, Decision

    meeting = make_meeting(
        items=(
            AgendaItem(no=1, title="审议", decisions=(Decision(no=1, text="<script>x</script>"),)),
        )
    )
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page


def test_home_shows_latest_documents_years_and_no_search_box_until_search_exists(client):
    make_meeting(year=2020, seq=3, meeting_date=datetime.date(2020, 5, 1))
    make_meeting(year=2021, seq=15, session_no=133)
    page = visible_text(client.get(reverse("minutes:home")))
    assert "第133次常务会议纪要" in page
    assert "2021" in page and "2020" in page


def test_browse_narrows_by_year_kind_and_issuer_and_pages(client):
    for seq in range(1, 24):
        make_meeting(year=2021, seq=seq)
    make_meeting(year=2020, seq=1, meeting_date=datetime.date(2020, 3, 1), session_no=77)
    first = client.get(reverse("minutes:meeting-list"), {"year": 2021})
    assert first.context["paginator"].count == 23
    assert "第77次" not in visible_text(first)
    second = client.get(reverse("minutes:meeting-list"), {"year": 2021, "page": 2})
    assert len(second.context["meetings"]) == 3
    assert "year=2021&amp;page=1" in second.content.decode()
    special = client.get(reverse("minutes:meeting-list"), {"kind": "special"})
    assert special.context["paginator"].count == 0
    issuer = Meeting.objects.first().issuer_id
    by_issuer = client.get(reverse("minutes:meeting-list"), {"issuer": issuer, "year": "x"})
    assert by_issuer.context["paginator"].count == 24


def test_document_is_found_by_issuer_kind_year_and_number_and_its_id_url_redirects(client):
    meeting = make_meeting(year=2021, seq=15)
    url = meeting.get_absolute_url()
    assert url == f"/minutes/{meeting.issuer_id}/executive/2021/15/"
    response = client.get(f"/minutes/{meeting.pk}/")
    assert response.status_code == 301
    assert response["Location"] == url
    assert client.get(url).status_code == 200


def test_document_without_doc_number_keeps_its_id_url(client):
    meeting = make_meeting(year=None, seq=None, doc_number=None, session_no=5)
    assert meeting.get_absolute_url() == f"/minutes/{meeting.pk}/"
    assert client.get(meeting.get_absolute_url()).status_code == 200


def test_every_agenda_item_has_an_anchor_and_a_permalink(client):
    meeting = make_meeting(year=2021, seq=15)
    item = meeting.items.get()
    assert item.get_absolute_url() == f"{meeting.get_absolute_url()}#item-1"
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert 'id="item-1"' in html
    assert f'href="{item.get_absolute_url()}"' in html


def test_document_page_links_print_style_and_downloads(client):
    meeting = make_meeting(year=2021, seq=15)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert 'media="print"' in html
    assert reverse("minutes:meeting-text", args=[meeting.pk]) in html
    assert reverse("minutes:api-meeting-detail", args=[meeting.pk]) in html


@pytest.mark.xfail(
    not hasattr(minutes.parsing, "render"),
    reason="Meeting.as_text() renders through minutes.parsing.render, which the parser brings",
    raises=ImportError,
    strict=True,
)
def test_text_download_is_the_canonical_text(client):
    meeting = make_meeting(year=2021, seq=15)
    response = client.get(reverse("minutes:meeting-text", args=[meeting.pk]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "〔2021〕15号" in response.content.decode()


def test_organization_page_lists_meetings_attended_and_decisions_assigned(client):
    meeting = make_meeting(year=2021, seq=15)
    page = visible_text(
        client.get(
            reverse(
                "minutes:organization-detail",
                args=[Organization.objects.get(name="市科技局").pk],
            )
        )
    )
    assert "市科技局要抓好技术研发攻关及成果转化。" in page
    observer = Organization.objects.get(name="市纪委监委")
    page = visible_text(client.get(reverse("minutes:organization-detail", args=[observer.pk])))
    assert meeting.title in page


def test_person_page_shows_one_name_at_two_bodies_apart(client):
    make_meeting(year=2021, seq=15)
    response = client.get(reverse("minutes:person-detail", args=["黄戟"]))
    sections = [organization.name for organization, _rows in response.context["by_organization"]]
    assert sections == ["市公安局", "市资源规划局"]


def test_person_page_lists_meetings_chaired(client):
    meeting = make_meeting(year=2021, seq=15)
    page = visible_text(client.get(reverse("minutes:person-detail", args=["李亚平"])))
    assert meeting.title in page


def test_reviewed_document_page_shows_where_it_was_discussed(client):
    meeting = make_meeting(year=2021, seq=15)
    document = ReviewedDocument.objects.get()
    page = visible_text(client.get(reverse("minutes:reviewed-document-detail", args=[document.pk])))
    assert "《苏州市促进集成电路产业高质量发展的若干措施》" in page
    assert meeting.title in page


def test_names_only_in_unpublished_documents_are_not_found_for_anonymous(client, staff_client):
    from minutes.parsing.records import Attendee

    make_meeting(
        status=Meeting.Status.DRAFT,
        chair="秘书甲",
        observers=(Attendee(name="秘书乙", org="秘密局"),),
        items=(),
    )
    secret = Organization.objects.get(name="秘密局")
    for url in [
        reverse("minutes:person-detail", args=["秘书甲"]),
        reverse("minutes:person-detail", args=["秘书乙"]),
        reverse("minutes:organization-detail", args=[secret.pk]),
    ]:
        assert client.get(url).status_code == 404
        assert staff_client.get(url).status_code == 200


def test_feeds_list_newly_published_documents(client):
    meeting = make_meeting(year=2021, seq=15)
    for name in ["minutes:feed-rss", "minutes:feed-atom"]:
        body = client.get(reverse(name)).content.decode()
        assert meeting.title in body
        assert meeting.get_absolute_url() in body


def test_sitemap_lists_published_documents(client):
    meeting = make_meeting(year=2021, seq=15)
    body = client.get("/sitemap.xml").content.decode()
    assert meeting.get_absolute_url() in body


def test_api_lists_and_shows_documents(client):
    meeting = make_meeting(year=2021, seq=15)
    listing = client.get(reverse("minutes:api-meeting-list")).json()
    assert listing["count"] == 1
    assert listing["results"][0]["doc_number"] == "〔2021〕15号"
    assert "status" not in listing["results"][0]
    detail = client.get(reverse("minutes:api-meeting-detail", args=[meeting.pk])).json()
    assert detail["items"][0]["decisions"][1]["organizations"] == ["市科技局"]
    assert {"role": "observer", "person": "黄戟", "organization": "市公安局", "group": None} in (
        detail["attendance"]
    )


def test_api_shows_staff_the_status(staff_client):
    make_meeting(status=Meeting.Status.DRAFT)
    result = staff_client.get(reverse("minutes:api-meeting-list")).json()["results"][0]
    assert result["status"] == "draft"


def test_interface_reads_in_english_after_switching_language(client):
    make_meeting(year=2021, seq=15)
    assert "浏览" in visible_text(client.get(reverse("minutes:home")))
    client.post(reverse("set_language"), {"language": "en"})
    page = visible_text(client.get(reverse("minutes:home")))
    assert "Browse" in page
    assert "Latest minutes" in page
