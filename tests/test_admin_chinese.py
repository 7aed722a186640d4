"""The admin in proper Chinese (issue 10): Django's own words, every header translated, history
rows in the clerk's words and in local time."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from minutes.models import Meeting, Organization
from tests.conftest import visible_text
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def test_change_is_修改_as_in_djangos_own_catalogue(staff_client):
    make_meeting()
    with translation.override("zh-hans"):
        assert gettext("Change") == "修改"
    text = visible_text(staff_client.get(reverse("admin:minutes_meeting_changelist")))
    assert "选择 纪要 来修改" in text
    index = visible_text(staff_client.get(reverse("admin:index")))
    assert "登录保护" in index and "登录尝试" in index
    for english in ["Access attempts", "Axes", "Model name", "Add link", "Change or view"]:
        assert english not in index, english


def test_inline_headers_are_translated(staff_client):
    meeting = make_meeting(status=Meeting.Status.DRAFT)
    html = staff_client.get(reverse("admin:minutes_meeting_change", args=[meeting.pk])).content
    headers = [
        unescape(header).strip()
        for header in re.findall(r'<th class="djn-th[^"]*"[^>]*>([^<]+)<', html.decode())
    ]
    assert "单位" in headers and "审议文件" in headers
    assert not [header for header in headers if re.search(r"[A-Za-z]{3,}", header)], headers


def test_history_rows_read_in_words_and_local_time(staff_client):
    meeting = make_meeting(status=Meeting.Status.REVIEW, disclosure=Meeting.Disclosure.ON_REQUEST)
    meeting.publish(by=staff_client.user)
    meeting.withdraw(by=staff_client.user)
    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.disclosure = Meeting.Disclosure.PUBLIC
    meeting.compiled_office = None
    meeting.save()
    # A save without a reason, at 23:30 UTC: already the next day in Shanghai.
    late = datetime.datetime(2024, 5, 31, 23, 30, tzinfo=datetime.UTC)
    rows = list(meeting.history.order_by("history_date").values_list("pk", flat=True))
    for back, pk in enumerate(reversed(rows)):
        Meeting.history.filter(pk=pk).update(history_date=late - datetime.timedelta(minutes=back))
    response = staff_client.get(reverse("admin:minutes_meeting_history", args=[meeting.pk]))
    text = visible_text(response)
    assert "状态：已发布 → 已撤回" in text
    assert "状态：审核中 → 已发布" in text
    assert "公开方式：依申请公开 → 主动公开" in text
    assert "整理单位：苏州市人民政府办公室 → —" in text
    assert "2024年6月1日 07:30" in text
    assert "改动" in text and "CHANGES" not in text.upper().replace("改动", "")
    for raw in ["published", "withdrawn", "on_request", "None", "pk=", "+00:00"]:
        assert raw not in text, raw
    # Reference: the same instant in the site's zone.
    assert timezone.localtime(late).day == 1
    assert Organization.objects.filter(name="苏州市人民政府办公室").exists()
