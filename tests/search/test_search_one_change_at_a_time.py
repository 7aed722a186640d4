"""A clerk's ordinary work, one change at a time, never breaks search (issue 8, item 8).

Hypothesis generates documents with each optional part present or absent and imports,
publishes, edits, withdraws and deletes them in random order; the search queue is applied
after each step (as after each real commit). After every step the search page and the API
answer 200 for a plain search and for one value of each facet offered, and
``check_search_index`` finds the index equal to the database.
"""

import datetime
import io
import itertools

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minutes.importing import import_parsed
from minutes.models import Meeting
from minutes.parsing.records import AgendaItem, Attendee, Decision
from minutes.search.forms import FACET_PARAMETERS
from tests.factories import parsed_minutes

pytestmark = pytest.mark.django_db
PARAMETER_OF = {name: parameter for parameter, name in FACET_PARAMETERS.items()}
_numbers = itertools.count(1)

PARTS = st.fixed_dictionaries(
    {
        "issuer": st.booleans(),
        "doc_number": st.booleans(),
        "date": st.booleans(),
        "chair": st.booleans(),
        "attendees": st.booleans(),
        "organizations": st.booleans(),
        "items": st.sampled_from(["numbered", "unnumbered", "none"]),
    }
)
STEPS = st.lists(
    st.tuples(
        st.sampled_from(["import", "publish", "edit", "withdraw", "delete"]),
        st.integers(min_value=0, max_value=5),
        PARTS,
    ),
    min_size=1,
    max_size=6,
)


def document(parts: dict):
    """The parsed form of a document holding only the parts ``parts`` says."""
    number = next(_numbers)
    organizations = ("市工信局",) if parts["organizations"] else ()
    items = {
        "numbered": (
            AgendaItem(
                no=1,
                title="研究集成电路产业工作",
                kind="研究",
                decisions=(Decision(no=1, text="会议同意。", organizations=organizations),),
            ),
        ),
        "unnumbered": (
            AgendaItem(
                no=1,
                title="会议听取了集成电路产业工作汇报",
                kind="",
                decisions=(Decision(no=None, text="会议原则同意。"),),
            ),
        ),
        "none": (),
    }[parts["items"]]
    return parsed_minutes(
        seq=number if parts["doc_number"] else None,
        year=2021 if parts["doc_number"] else None,
        issuer="苏州市人民政府" if parts["issuer"] else None,
        meeting_date=datetime.date(2021, 4, 12) if parts["date"] else None,
        chair="李亚平" if parts["chair"] else None,
        chair_title="市长" if parts["chair"] else None,
        opening=f"会议研究集成电路产业工作，第{number}号试验。",
        attendees=(Attendee(name="王翔"),) if parts["attendees"] else (),
        observers=(Attendee(name="黄戟", org="市公安局"),) if parts["organizations"] else (),
        compiled_office="苏州市人民政府办公室" if parts["organizations"] else None,
        printed_office="苏州市人民政府办公室" if parts["organizations"] else None,
        items=items,
    )


def apply(step, saved) -> None:
    action, which, parts = step
    meetings = list(Meeting.objects.order_by("pk"))
    if action == "import" or not meetings:
        saved(import_parsed, document(parts), status=Meeting.Status.REVIEW)
        return
    meeting = meetings[which % len(meetings)]
    if action == "delete":
        saved(meeting.delete)
    elif action == "edit":
        meeting.opening = f"改写后的开头，集成电路，第{next(_numbers)}号。"
        saved(meeting.save)
    elif meeting.status == Meeting.Status.PUBLISHED:
        saved(meeting.withdraw)
    elif meeting.status == Meeting.Status.REVIEW:
        saved(meeting.publish)
    else:
        saved(meeting.submit)


def assert_every_search_answers(client) -> None:
    plain = {"q": "集成电路"}
    response = client.get(reverse("minutes:api-search"), plain)
    assert response.status_code == 200, response.content[:500]
    data = response.json()
    assert "facets" in data, data
    asked = [plain, {"q": "集成电路", "sort": "newest"}]
    for name, values in data["facets"].items():
        asked += [{"q": "集成电路", PARAMETER_OF[name]: value["value"]} for value in values[:1]]
        asked += [{PARAMETER_OF[name]: value["value"]} for value in values[:1]]
    for params in asked:
        for url in (reverse("minutes:search"), reverse("minutes:api-search")):
            assert client.get(url, params).status_code == 200, (url, params)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_any_order_of_ordinary_changes_keeps_every_search_answering(saved, steps):
    anonymous, staff = Client(raise_request_exception=False), Client(raise_request_exception=False)
    staff.force_login(staff_user())
    for step in steps:
        apply(step, saved)
        assert_every_search_answers(anonymous)
        assert_every_search_answers(staff)
        call_command("check_search_index", stdout=io.StringIO())


def staff_user():
    from django.contrib.auth.models import User

    user, _created = User.objects.get_or_create(
        username="staff-property", defaults={"is_staff": True, "is_superuser": True}
    )
    return user
