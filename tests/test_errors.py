"""Errors in the site's own voice (issue 10): styled pages in the reader's language, JSON
under /api/, 410 for what was public and is no longer, and a favicon."""

import datetime
import json
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minutes.models import Meeting, Organization
from tests.conftest import signed_in, visible_text
from tests.factories import make_meeting
from tests.test_leaks import without_csrf_token

pytestmark = pytest.mark.django_db


def site_page(response) -> str:
    """The page's text, after checking it is one of the site's own pages."""
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert 'class="site-header"' in html and "/static/minutes/css/site.css" in html
    return visible_text(response)


def test_404_is_the_sites_page_in_chinese_and_in_english(client):
    text = site_page(client.get("/no/such/page/"))
    assert "未找到" in text and "纪要库" in text
    english = site_page(client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Not found" in english and "未找到" not in english


def test_403_and_a_stale_form_are_the_sites_pages(reader):
    meeting = make_meeting(status=Meeting.Status.REVIEW)
    response = signed_in(reader).post(
        reverse("minutes:meeting-transition", args=[meeting.pk, "publish"])
    )
    assert response.status_code == 403
    assert "无权操作" in site_page(response)
    strict = Client(enforce_csrf_checks=True)
    stale = strict.post(reverse("set_language"), {"language": "en"})
    assert stale.status_code == 403
    assert "表单已失效" in site_page(stale)


def test_400_for_a_bad_host_is_the_sites_page(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "请求有误" in site_page(response)


def test_a_get_on_a_workflow_address_is_a_page_that_explains(client, staff_client):
    meeting = make_meeting(status=Meeting.Status.REVIEW)
    url = reverse("minutes:meeting-transition", args=[meeting.pk, "publish"])
    for browser in (client, staff_client):
        response = browser.get(url)
        assert response.status_code == 405
        assert response["Allow"] == "POST"
        assert "此网址不能直接打开" in site_page(response)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.REVIEW


def test_500_page_stands_alone_when_the_database_is_down(client):
    client.raise_request_exception = False
    down = OperationalError("could not connect to server")
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=down):
        response = client.get(reverse("minutes:home"))
        api = client.get(reverse("minutes:api-meeting-list"))
    assert response.status_code == 500
    text = site_page(response)
    assert "服务器错误" in text and "纪要库" in text
    assert api.status_code == 500
    assert api.json() == {
        "status": 500,
        "error": "server_error",
        "message": "服务器出现故障，请稍后再试。",
    }


@pytest.mark.parametrize(
    "method, url, status, error",
    [
        ("get", "/api/nothing/", 404, "not_found"),
        ("get", "/api/meetings/999999/", 404, "not_found"),
        ("post", "/api/meetings/", 405, "method_not_allowed"),
        ("delete", "/api/meetings/1/", 405, "method_not_allowed"),
        ("get", "/api/meetings/?page=abc", 400, "bad_parameter"),
        ("get", "/api/meetings/?page=0", 400, "bad_parameter"),
        ("get", "/api/meetings/?page=9", 404, "page_not_found"),
    ],
)
def test_every_api_error_is_json(client, method, url, status, error):
    make_meeting()
    response = getattr(client, method)(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["status"] == status and body["error"] == error and body["message"]
    if status == 400:
        assert body["parameter"] == "page"


def test_favicon_is_linked_and_served(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/minutes/img/favicon.svg" type="image/svg+xml">' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/minutes/img/favicon.svg"


# --- 410: once public and no longer (minutes.withdrawals).


def published_then_withdrawn(**fields):
    meeting = make_meeting(status=Meeting.Status.REVIEW, **fields)
    meeting.publish()
    meeting.withdraw()
    return meeting


def test_a_withdrawn_document_is_gone_since_its_withdrawal_without_any_of_its_content(client):
    meeting = published_then_withdrawn(year=2021, seq=15, session_no=133)
    withdrawn_at = timezone.localtime(meeting.history.latest("history_date").history_date)
    for url in [
        meeting.get_absolute_url(),
        reverse("minutes:meeting-detail", args=[meeting.pk]),
        reverse("minutes:meeting-text", args=[meeting.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 410, url
        text = site_page(response)
        assert "已不再公开" in text
        assert f"自{withdrawn_at.year}年{withdrawn_at.month}月{withdrawn_at.day}日起" in text
        for content in ["第133次", "苏州市人民政府", "集成电路", "李亚平", "〔2021〕15号"]:
            assert content not in text.replace("纪要库", ""), (url, content)
    api = client.get(reverse("minutes:api-meeting-detail", args=[meeting.pk]))
    assert api.status_code == 410
    assert api.json()["error"] == "gone"
    assert datetime.datetime.fromisoformat(api.json()["withdrawn_at"]) == withdrawn_at


def test_corrected_and_resubmitted_it_is_still_gone_until_published_again(client):
    meeting = published_then_withdrawn()
    meeting.opening = "更正后的导语。"
    meeting.save()
    meeting.submit()
    assert client.get(meeting.get_absolute_url()).status_code == 410
    meeting.publish()
    assert client.get(meeting.get_absolute_url()).status_code == 200


def test_public_then_made_not_public_is_gone_but_never_public_is_not_found(client):
    was_public = published_then_withdrawn(seq=41)
    was_public.disclosure = Meeting.Disclosure.ON_REQUEST
    was_public.save()
    was_public.submit()
    was_public.publish()
    on_request = make_meeting(seq=42, status=Meeting.Status.REVIEW, disclosure="on_request")
    on_request.publish()
    on_request.withdraw()
    never = make_meeting(seq=43, status=Meeting.Status.DRAFT)
    never.disclosure = Meeting.Disclosure.PUBLIC  # public only on paper, never published
    never.save()
    assert client.get(was_public.get_absolute_url()).status_code == 410
    missing = without_csrf_token(client.get("/minutes/999999/").content)
    for meeting in (on_request, never):
        response = client.get(meeting.get_absolute_url())
        assert response.status_code == 404
        assert without_csrf_token(response.content) == missing


def test_renumbered_and_republished_the_old_address_leads_to_the_new(client):
    meeting = published_then_withdrawn(year=2021, seq=15)
    old_url = meeting.get_absolute_url()
    meeting.seq = 16
    meeting.save()
    assert client.get(old_url).status_code == 410
    meeting.submit()
    meeting.publish()
    response = client.get(old_url)
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url() != old_url


def test_a_deleted_document_that_was_public_is_gone(client):
    meeting = published_then_withdrawn()
    url = meeting.get_absolute_url()
    meeting.delete()
    assert client.get(url).status_code == 410
    assert Organization.objects.filter(name="苏州市人民政府").exists()
