"""The document body is rendered once per state of the archive, and never outlives a change."""

import pytest

from minutes.models import Organization
from tests.conftest import visible_text
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def page_text(client, meeting):
    return visible_text(client.get(meeting.get_absolute_url()))


def test_a_second_reading_runs_fewer_queries(client, django_assert_max_num_queries):
    meeting = make_meeting()
    client.get(meeting.get_absolute_url())
    # One query for the document through the one door; the body comes from the cache.
    with django_assert_max_num_queries(2):
        response = client.get(meeting.get_absolute_url())
    assert "市科技局要抓好技术研发攻关及成果转化" in visible_text(response)
    # The cached body is markup, not text to escape again.
    assert '<section class="agenda-item" id="item-1"' in response.content.decode()


def test_editing_a_decision_shows_at_once(client):
    meeting = make_meeting()
    assert "成果转化" in page_text(client, meeting)
    decision = meeting.items.get().decisions.get(number=2)
    decision.text = "市科技局要加快建设中试基地。"
    decision.save()
    text = page_text(client, meeting)
    assert "加快建设中试基地" in text and "成果转化" not in text


def test_renaming_an_organisation_shows_at_once(client):
    meeting = make_meeting()
    assert "市纪委监委王虎" in page_text(client, meeting)
    organization = Organization.objects.get(name="市纪委监委")
    organization.name = "市纪委市监委"
    organization.save()
    assert "市纪委市监委王虎" in page_text(client, meeting)


def test_withdrawn_document_is_not_served_from_the_cache(client):
    meeting = make_meeting(status="review")
    meeting.publish()
    assert client.get(meeting.get_absolute_url()).status_code == 200
    meeting.withdraw()
    response = client.get(meeting.get_absolute_url())
    # Gone (410, it was public), and nothing of the cached body with it.
    assert response.status_code == 410
    assert "成果转化" not in visible_text(response)


def test_staff_status_and_buttons_stay_outside_the_shared_body(client, staff_client):
    meeting = make_meeting()
    assert "成果转化" in page_text(client, meeting)
    staff_page = staff_client.get(meeting.get_absolute_url()).content.decode()
    anonymous_page = client.get(meeting.get_absolute_url()).content.decode()
    assert "workflow" in staff_page and "workflow" not in anonymous_page
