"""The plain list and document pages, behind the one door."""

import pytest
from django.urls import reverse

from minutes.models import Meeting
from tests.conftest import visible_text
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def test_list_shows_published_documents_to_anonymous_readers(client):
    make_meeting(year=2021, seq=15, session_no=133)
    page = client.get(reverse("minutes:meeting-list")).content.decode()
    assert "苏州市人民政府第133次常务会议纪要" in page
    assert "〔2021〕15号" in page


@pytest.mark.parametrize(
    "status, disclosure",
    [
        (Meeting.Status.DRAFT, Meeting.Disclosure.PUBLIC),
        (Meeting.Status.REVIEW, Meeting.Disclosure.PUBLIC),
        (Meeting.Status.WITHDRAWN, Meeting.Disclosure.PUBLIC),
        (Meeting.Status.PUBLISHED, Meeting.Disclosure.ON_REQUEST),
        (Meeting.Status.PUBLISHED, Meeting.Disclosure.NOT_PUBLIC),
    ],
)
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
