"""Unpublished text never reaches anonymous searchers; changes show within 2 seconds."""

import time

import pytest
from django.urls import reverse

from minutes.models import Meeting
from tests.factories import HIDDEN_STATES
from tests.search.engines import public_side_bytes

pytestmark = pytest.mark.django_db
SECRET = "绝密独有词语"


def anonymous_sees(client, word):
    page = client.get(reverse("minutes:search"), {"q": word}).content.decode()
    data = client.get(reverse("minutes:api-search"), {"q": word}).json()
    return word in page.split("</form>", 1)[1] or data["count"] > 0


@pytest.mark.parametrize("status, disclosure", HIDDEN_STATES)
def test_unreleased_word_is_absent_from_hits_facets_api_and_public_files(
    client, meeting, search_index, search_engine, status, disclosure
):
    meeting(seq=1)
    meeting(seq=2, status=status, disclosure=disclosure, opening=SECRET, chair="秘密人")
    assert not anonymous_sees(client, SECRET)
    data = client.get(reverse("minutes:api-search"), {"q": "集成电路"}).json()
    assert data["count"] == 1
    assert "秘密人" not in str(data["facets"])
    public_side = public_side_bytes(search_engine, search_index)
    assert "集成".encode() in public_side  # the public document is there to be found
    assert SECRET[:2].encode() not in public_side
    assert "秘密".encode() not in public_side


def test_publish_withdraw_edit_delete_show_within_two_seconds(client, meeting, saved):
    draft = meeting(status=Meeting.Status.REVIEW, opening=SECRET)
    started = time.monotonic()
    saved(draft.publish)
    assert anonymous_sees(client, SECRET)
    saved(draft.withdraw)
    assert not anonymous_sees(client, SECRET)
    saved(draft.submit)
    saved(draft.publish)
    draft.opening = "改写后的开头甲乙"
    saved(draft.save)
    assert anonymous_sees(client, "甲乙") and not anonymous_sees(client, SECRET)
    saved(draft.delete)
    assert not anonymous_sees(client, "甲乙")
    assert time.monotonic() - started < 2 * 5


def test_editing_a_decision_reindexes_its_document(client, meeting, saved):
    found = meeting()
    decision = found.items.get().decisions.first()
    decision.text = "新增加的决定内容丙丁"
    saved(decision.save)
    assert anonymous_sees(client, "丙丁")
