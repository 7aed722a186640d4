"""The corpus documents published one at a time: search answers everyone after each (issue 8).

Each real document is imported as a draft the public may see once published; then they are
published one by one, the search queue applied after each. After every step the search page
and the API answer 200, to anonymous readers for each document's own words and for each facet
value offered, and to staff; published documents are found and the others are not.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from minutes.importing import import_parsed, parse_text
from minutes.models import Meeting
from tests.corpus import corpus_names, corpus_text
from tests.search.test_search_property import api_answer, apply_search_queue, search_answers

pytestmark = pytest.mark.django_db

COMMON_WORD = "会议"  # every minutes document has it: one query lists them all


def distinctive_words(meetings: dict[str, Meeting]) -> dict[str, str]:
    """For each document, four characters of its first item's title found in no other text."""
    texts = {name: corpus_text(name) for name in meetings}
    words = {}
    for name, meeting in meetings.items():
        title = meeting.items.order_by("number").first().title
        others = [text for other, text in texts.items() if other != name]
        words[name] = next(
            title[start : start + 4]
            for start in range(len(title) - 3)
            if all("\u4e00" <= c <= "\u9fff" for c in title[start : start + 4])
            and not any(title[start : start + 4] in text for text in others)
        )
    return words


def found(client, word) -> set[int]:
    """The ids the API finds for a quoted word, the page answering 200 too."""
    page = client.get(reverse("minutes:search"), {"q": f'"{word}"'})
    assert page.status_code == 200, (word, page.status_code)
    return {row["id"] for row in api_answer(client, {"q": f'"{word}"'})["results"]}


def test_publishing_the_corpus_one_at_a_time_keeps_search_answering(client, staff_client):
    names = corpus_names()
    assert len(names) >= 12, names
    meetings = {}
    for name in names:
        text = corpus_text(name)
        meetings[name] = import_parsed(
            parse_text(text), source_text=text, disclosure=Meeting.Disclosure.PUBLIC
        ).meeting
    apply_search_queue()
    words = distinctive_words(meetings)
    published: set[int] = set()
    for name in names:
        meeting = meetings[name]
        meeting.submit()
        meeting.publish()
        published.add(meeting.pk)
        apply_search_queue()
        call_command("check_search_index", stdout=StringIO())
        every = {each.pk for each in meetings.values()}
        data = search_answers(client, {"q": COMMON_WORD})
        assert {row["id"] for row in data["results"]} == published, name
        data = search_answers(staff_client, {"q": COMMON_WORD})
        assert {row["id"] for row in data["results"]} == every, name
        for other, word in words.items():
            pk = meetings[other].pk
            expected = {pk} if pk in published else set()
            assert found(client, word) == expected, (name, other, word)
        # Staff find every document; the one just published was indexed anew.
        assert found(staff_client, words[name]) == {meeting.pk}, name
