"""Draft -> in review -> published (and withdrawn), each step by the role allowed to take it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from minutes.models import Meeting, Role
from tests.conftest import signed_in, visible_text
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def transition(client, meeting, action):
    return client.post(reverse("minutes:meeting-transition", args=[meeting.pk, action]))


def test_the_three_roles_exist_as_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        Role.CLERKS,
        Role.REVIEWERS,
        Role.READERS,
    }


def test_clerk_submits_a_draft_and_a_reviewer_publishes_it(client, clerk, reviewer):
    meeting = make_meeting(status=Meeting.Status.DRAFT, session_no=901)
    assert client.get(meeting.get_absolute_url()).status_code == 404

    assert transition(signed_in(clerk), meeting, "submit").status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.REVIEW

    assert transition(signed_in(reviewer), meeting, "publish").status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    assert meeting.published_at is not None
    assert "第901次" in visible_text(client.get(reverse("minutes:home")))


def test_withdrawn_document_leaves_the_pages_and_the_feed(client, reviewer):
    meeting = make_meeting(session_no=902)
    assert "第902次" in client.get(reverse("minutes:feed-atom")).content.decode()

    transition(signed_in(reviewer), meeting, "withdraw")

    gone = client.get(meeting.get_absolute_url())
    assert gone.status_code == 410  # it was public: gone, not "never existed" (issue 10)
    assert "第902次" not in visible_text(gone)
    assert "第902次" not in visible_text(client.get(reverse("minutes:home")))
    assert "第902次" not in client.get(reverse("minutes:feed-atom")).content.decode()


def test_clerk_cannot_publish_and_reader_cannot_change_anything(clerk, reader):
    meeting = make_meeting(status=Meeting.Status.REVIEW)
    assert transition(signed_in(clerk), meeting, "publish").status_code == 403
    assert transition(signed_in(reader), meeting, "send_back").status_code == 403
    assert transition(signed_in(reader), meeting, "submit").status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.REVIEW


def test_a_draft_cannot_be_published_without_review(reviewer):
    meeting = make_meeting(status=Meeting.Status.DRAFT)
    assert transition(signed_in(reviewer), meeting, "publish").status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT


def test_workflow_actions_are_post_only(reviewer):
    meeting = make_meeting(status=Meeting.Status.REVIEW)
    url = reverse("minutes:meeting-transition", args=[meeting.pk, "publish"])
    assert signed_in(reviewer).get(url).status_code == 405


def test_anonymous_is_sent_to_sign_in_and_the_document_does_not_move(client):
    meeting = make_meeting(status=Meeting.Status.REVIEW)
    response = transition(client, meeting, "publish")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.REVIEW


def test_staff_document_page_shows_status_and_only_the_allowed_buttons(clerk, reviewer):
    meeting = make_meeting(status=Meeting.Status.REVIEW)
    clerk_page = signed_in(clerk).get(meeting.get_absolute_url())
    assert "审核中" in visible_text(clerk_page)
    assert clerk_page.context["actions"] == []
    reviewer_page = signed_in(reviewer).get(meeting.get_absolute_url())
    assert reviewer_page.context["actions"] == ["publish", "send_back"]


def test_history_records_who_moved_the_document(clerk, reviewer):
    meeting = make_meeting(status=Meeting.Status.DRAFT)
    transition(signed_in(clerk), meeting, "submit")
    transition(signed_in(reviewer), meeting, "publish")
    latest, before = meeting.history.all()[:2]
    assert (latest.status, latest.history_user) == ("published", reviewer)
    assert (before.status, before.history_user) == ("review", clerk)


def test_clerk_edits_a_draft_but_not_a_published_document_in_the_admin(clerk):
    client = signed_in(clerk)
    draft = make_meeting(status=Meeting.Status.DRAFT)
    published = make_meeting()
    assert client.get(reverse("admin:minutes_meeting_change", args=[draft.pk])).context[
        "has_change_permission"
    ]
    page = client.get(reverse("admin:minutes_meeting_change", args=[published.pk]))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    response = client.post(
        reverse("admin:minutes_meeting_change", args=[published.pk]), {"chair": "改动"}
    )
    assert response.status_code == 403


def test_admin_actions_follow_the_roles(clerk, reviewer):
    meeting = make_meeting(status=Meeting.Status.DRAFT)
    changelist = reverse("admin:minutes_meeting_changelist")
    clerk_actions = signed_in(clerk).get(changelist).context["action_form"].fields["action"]
    assert "submit_selected" in dict(clerk_actions.choices)
    assert "publish_selected" not in dict(clerk_actions.choices)

    signed_in(clerk).post(
        changelist, {"action": "submit_selected", "_selected_action": [meeting.pk]}
    )
    signed_in(reviewer).post(
        changelist, {"action": "publish_selected", "_selected_action": [meeting.pk]}
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED


def test_admin_change_page_offers_the_workflow_buttons(reviewer):
    meeting = make_meeting(status=Meeting.Status.REVIEW)
    html = signed_in(reviewer).get(reverse("admin:minutes_meeting_change", args=[meeting.pk]))
    assert reverse("minutes:meeting-transition", args=[meeting.pk, "publish"]) in (
        html.content.decode()
    )
