"""No ordinary change of a clerk can break search (issue 8, Build 8).

Hypothesis generates documents with each optional part present or absent (issuer, 文号, date,
chair, attendees, observers, organisations, items numbered, as paragraphs or none, 此件公开发布,
distribution, a line the parser cannot place), imports them through ``minutes.importing`` and
then publishes, edits, withdraws and deletes them one at a time in random order, applying the
search queue after each step. After every step the search page and the API answer 200 to an
anonymous reader and to staff, for a plain query and for each facet value the page offers,
anonymous readers find exactly the public documents, and ``check_search_index`` is clean.
"""

from __future__ import annotations

import datetime
import re
from html import unescape
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from minutes.importing import import_parsed, parse_text
from minutes.models import Assignment, Attendance, Meeting
from minutes.parsing import ParseError
from minutes.parsing.records import AgendaItem, Attendee, Decision
from tests.factories import parsed_minutes

pytestmark = pytest.mark.django_db

# The word every generated document holds (its opening is a meeting sentence), so that one
# query lists them all; and one topic per document, found only in that document.
COMMON_WORD = "会议"
TOPICS = ["集成电路产业", "住房公积金", "城区公共绿地", "养老服务体系", "农村饮水安全"]
MAX_DOCUMENTS = 4
# Few names, so that a step's facet values stay few (each is followed after every step).
ORGANIZATIONS = ["市工信局", "市科技局"]
OBSERVERS = [Attendee(name="王虎", org="市工信局"), Attendee(name=None, org="市科技局")]
ATTENDEES = ["李亚平", "王翔"]
# A header line the parser places in no part (a dated office line, as in yongkang-2011-28).
UNPLACED_LINE = "苏州市人民政府办公室 二○二一年四月二十日"


def apply_search_queue() -> None:
    """Apply every queued change to the search index, as process_search_queue does."""
    from minutes.search.indexing import drain

    assert drain(), "the search queue could not be applied (an index write failed: see the log)"


# --- Documents: each optional part present or absent.


@st.composite
def documents(draw, topic: str):
    """(record, text): one document as parser records and as the text a clerk would import.

    The text is written in the forms the parser reads; the record is what the factories would
    save when the text is refused, and the reference for the test's own expectations.
    """
    issuer = draw(st.sampled_from([None, "苏州市人民政府", "无锡市滨湖区人民政府"]))
    kind = draw(st.sampled_from([None, "常务会议纪要", "专题会议纪要", "局长办公会议纪要"]))
    numbered = draw(st.booleans())
    date = draw(st.sampled_from([None, datetime.date(2021, 4, 12), datetime.date(2023, 1, 20)]))
    chair = draw(st.sampled_from([None, ("李亚平", "市长")]))
    item_form = draw(st.sampled_from(["numbered", "paragraphs", "none"]))
    item_count = draw(st.integers(1, 2)) if item_form != "none" else 0
    with_points = draw(st.booleans())
    assigned = [draw(st.lists(st.sampled_from(ORGANIZATIONS), unique=True)) for _ in "ab"]
    attendees = draw(st.none() | st.lists(st.sampled_from(ATTENDEES), min_size=1, unique=True))
    observers = draw(st.none() | st.lists(st.sampled_from(OBSERVERS), min_size=1, unique=True))
    public_note = draw(st.booleans())
    distribution = draw(st.sampled_from([None, ("各市、区人民政府", "市各有关部门和单位")]))
    printed = draw(st.booleans())
    unplaced = draw(st.booleans())

    when = f"{date.year}年{date.month}月{date.day}日上午，" if date else ""
    who = f"{chair[1]}{chair[0]}主持召开" if chair else "召开"
    opening = f"{when}{who}市政府第{100 + len(topic)}次常务会议，研究{topic}工作。"
    items, item_lines = [], []
    for number in range(1, item_count + 1):
        organizations = tuple(assigned[number - 1])
        subject = f"关于{topic}第{number}项工作的汇报"
        title = f"听取{subject}" if item_form == "numbered" else f"会议听取了{subject}"
        text = "".join(f"由{name}抓好落实，" for name in organizations) + "会议同意该汇报。"
        if item_form == "numbered" and with_points:
            decisions = (Decision(no=1, text=text, organizations=organizations),)
            item_lines += [f"{'一二'[number - 1]}、{title}", f"（一）{text}"]
        elif item_form == "numbered":
            decisions = (Decision(no=None, text=text, organizations=organizations),)
            item_lines += [f"{'一二'[number - 1]}、{title}", text]
        else:
            decisions = (Decision(no=None, text=text, organizations=organizations),)
            item_lines += [f"{title}。{text}"]
        items.append(AgendaItem(no=number, title=title, kind="听取", decisions=decisions))

    lines = [" ".join(part for part in (issuer, kind) if part) or "会议纪要"]
    if unplaced:
        lines.append(UNPLACED_LINE)
    lines.append(opening)
    if item_form == "numbered":
        lines.append("会议议定以下意见：")
    lines += item_lines
    if attendees is not None:
        lines.append("出席：" + " ".join(attendees))
    if observers is not None:
        lines.append("列席：" + " ".join((o.org or "") + (o.name or "") for o in observers))
    if public_note:
        lines.append("（此件公开发布）")
    if distribution:
        lines.append("抄送：" + "，".join(distribution) + "。")
    if printed:
        lines += ["苏州市人民政府办公室", "2021年4月21日印发"]
    record = dict(
        issuer=issuer,
        kind=kind,
        numbered=numbered,
        meeting_date=date,
        chair=chair[0] if chair else None,
        chair_title=chair[1] if chair else None,
        opening=opening,
        items=tuple(items),
        attendees=tuple(Attendee(name=name) for name in attendees) if attendees else None,
        observers=tuple(observers) if observers else None,
        recorder=None,
        compiled_office=None,
        compiled_date=None,
        public=public_note,
        distribution=distribution,
        printed_office="苏州市人民政府办公室" if printed else None,
        printed_date=datetime.date(2021, 4, 21) if printed else None,
    )
    return record, "\n".join(lines) + "\n"


def import_document(record: dict, text: str, number: int, *, via_text: bool, disclosure: str):
    """Import one generated document as a draft, through the text when the parser takes it."""
    record = dict(record)
    numbered = record.pop("numbered")
    seq = number if numbered else None
    fields = dict(seq=seq, year=2021 if numbered else None)
    fields["doc_number"] = f"〔2021〕{seq}号" if numbered else None
    if numbered:
        # The 文号 goes on the line under the title, as printed.
        head, rest = text.split("\n", 1)
        text = f"{head}\n{fields['doc_number']}\n{rest}"
    parsed = None
    if via_text:
        try:
            parsed = parse_text(text)
        except ParseError:
            parsed = None  # refused as not minutes: the factories save the record instead
    if parsed is None:
        parsed = parsed_minutes(**record, **fields, session_no=None, session_name=None)
    return import_parsed(parsed, source_text=text, disclosure=disclosure).meeting


# --- What every step must leave working.

FACET_BOX = re.compile(r'<input type="checkbox" form="search-form" name="([^"]*)" value="([^"]*)"')


def facet_links(html: str, query: dict) -> list[str]:
    """The query strings of the facet values the search page offers (each a box of its form:
    the query with that value added)."""
    aside = re.search(r'<aside class="facets".*?</aside>', html, re.S)
    boxes = FACET_BOX.findall(aside.group(0)) if aside else []
    return ["?" + urlencode([*query.items(), (name, unescape(value))]) for name, value in boxes]


def api_answer(client, query: dict) -> dict:
    answer = client.get(reverse("minutes:api-search"), query)
    assert answer.status_code == 200, (query, answer.status_code)
    return answer.json()


def search_answers(client, query: dict) -> dict:
    """The search page, its facet links (each followed once) and the API: all 200."""
    page_url, api_url = reverse("minutes:search"), reverse("minutes:api-search")
    page = client.get(page_url, query)
    assert page.status_code == 200, (query, page.status_code)
    links = facet_links(page.content.decode(), query)
    for link in links:
        for url in (page_url, api_url):
            response = client.get(url + link)
            assert response.status_code == 200, (url + link, response.status_code)
    data = api_answer(client, query)
    # Every facet the API reports is offered on the page too.
    offered = sum(len(values) for values in data["facets"].values())
    assert offered == len(links), (data["facets"], links)
    return data


class ClerksWork(RuleBasedStateMachine):
    """Documents imported, published, edited, withdrawn and deleted one at a time."""

    # Set by the test before the machine runs: the two readers and a counter of 文号.
    anonymous = staff = None

    def __init__(self):
        super().__init__()
        # Each run starts from the database and index the test began with, and leaves them so.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.topics: dict[int, str] = {}
        self.imported = 0
        self.touched = None  # the topic of the document the last step changed

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        # The rollback took the documents away; the index on disk forgets them too.
        call_command("rebuild_index", "--noinput", stdout=StringIO())

    def meetings(self, *statuses) -> list[Meeting]:
        found = Meeting.objects.filter(pk__in=self.topics).order_by("pk")
        return list(found.filter(status__in=statuses) if statuses else found)

    @precondition(lambda self: len(self.topics) < MAX_DOCUMENTS)
    @rule(
        data=st.data(),
        via_text=st.booleans(),
        disclosure=st.sampled_from(Meeting.Disclosure.values),
    )
    def import_(self, data, via_text, disclosure):
        topic = next(t for t in TOPICS if t not in self.topics.values())
        record, text = data.draw(documents(topic))
        self.imported += 1
        meeting = import_document(
            record, text, self.imported, via_text=via_text, disclosure=disclosure
        )
        self.topics[meeting.pk] = topic
        self.touched = topic

    @precondition(lambda self: self.meetings(*Meeting.EDITABLE))
    @rule(data=st.data())
    def publish(self, data):
        meeting = data.draw(st.sampled_from(self.meetings(*Meeting.EDITABLE)))
        meeting.submit()
        meeting.publish()
        self.touched = self.topics[meeting.pk]

    @precondition(lambda self: self.meetings(Meeting.Status.PUBLISHED))
    @rule(data=st.data())
    def withdraw(self, data):
        meeting = data.draw(st.sampled_from(self.meetings(Meeting.Status.PUBLISHED)))
        meeting.withdraw()
        self.touched = self.topics[meeting.pk]

    @precondition(lambda self: self.meetings(*Meeting.EDITABLE))
    @rule(
        data=st.data(),
        edit=st.sampled_from(
            ["opening", "no issuer", "no attendance", "no assignments", "no items", "no date"]
        ),
    )
    def edit(self, data, edit):
        """What a clerk changes in the admin on a draft or a withdrawn document."""
        meeting = data.draw(st.sampled_from(self.meetings(*Meeting.EDITABLE)))
        if edit == "opening":
            meeting.opening += f"会议强调，要抓好{self.topics[meeting.pk]}各项工作。"
        elif edit == "no issuer":
            meeting.issuer = None
        elif edit == "no date":
            meeting.meeting_date = None
        elif edit == "no attendance":
            for attendance in Attendance.objects.filter(meeting=meeting):
                attendance.delete()
        elif edit == "no assignments":
            for assignment in Assignment.objects.filter(decision__agenda_item__meeting=meeting):
                assignment.delete()
        elif edit == "no items":
            for item in meeting.items.all():
                item.delete()
        meeting.save()
        self.touched = self.topics[meeting.pk]

    @precondition(lambda self: self.meetings(*Meeting.EDITABLE))
    @rule(data=st.data())
    def delete(self, data):
        meeting = data.draw(st.sampled_from(self.meetings(*Meeting.EDITABLE)))
        self.touched = self.topics.pop(meeting.pk)
        meeting.delete()

    @invariant()
    def search_answers_everyone(self):
        apply_search_queue()
        call_command("check_search_index", stdout=StringIO())
        public = {m.pk for m in self.meetings() if m.is_public}
        everything = {m.pk for m in self.meetings()}
        for client, expected in ((self.anonymous, public), (self.staff, everything)):
            data = search_answers(client, {"q": COMMON_WORD})
            assert {row["id"] for row in data["results"]} == expected
            if self.touched:
                # The document the step changed, by its own words: found where it is visible.
                data = api_answer(client, {"q": f'"{self.touched}"'})
                owner = [pk for pk, topic in self.topics.items() if topic == self.touched]
                assert {row["id"] for row in data["results"]} == expected & set(owner)


def test_search_answers_after_every_step_of_a_clerks_work(client, staff_client):
    ClerksWork.anonymous, ClerksWork.staff = client, staff_client
    run_state_machine_as_test(
        ClerksWork,
        settings=settings(
            max_examples=5,  # each example follows every facet on both sides: ~1 min on PostgreSQL
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
