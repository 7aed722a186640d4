"""A document that names no organisation and no person is an ordinary change: every search
answers, and the index check sees what readers see (issue 8, item 8)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from minutes.parsing.records import AgendaItem, Decision
from minutes.search.whoosh_engine import FACET_TABLES

pytestmark = pytest.mark.django_db

# Each facet offered, and the plain search that lists them.
SEARCHES = [
    {"q": "集成电路"},
    {"q": "集成电路", "organization": "市工信局"},
    {"q": "集成电路", "person": "李亚平"},
    {"q": "集成电路", "issuer": "苏州市人民政府"},
    {"q": "集成电路", "year": "2021", "sort": "newest"},
    {"kind": "standing"},
]


def nameless(**overrides):
    """A web copy of minutes that names nobody: no issuer, chair, attendees or assignees."""
    fields = {
        "issuer": None,
        "chair": None,
        "chair_title": None,
        "opening": "会议研究集成电路产业工作。",
        "attendees": (),
        "observers": (),
        "recorder": None,
        "compiled_office": None,
        "printed_office": None,
        "items": (
            AgendaItem(
                no=1,
                title="研究集成电路产业工作",
                kind="研究",
                decisions=(Decision(no=1, text="会议同意。"),),
            ),
        ),
    }
    return fields | overrides


def test_publishing_a_document_that_names_nobody_breaks_no_search(client, meeting):
    meeting(seq=1)  # names organisations and people: its segment has their columns
    meeting(seq=2, **nameless())  # a later segment without them
    for params in SEARCHES:
        for name in ("minutes:search", "minutes:api-search"):
            response = client.get(reverse(name), params)
            assert response.status_code == 200, (name, params)
    data = client.get(reverse("minutes:api-search"), {"q": "集成电路"}).json()
    assert data["count"] == 2
    assert {f["value"]: f["count"] for f in data["facets"]["organizations"]}["市工信局"] == 1
    call_command("check_search_index")


def test_check_runs_a_faceted_search_and_sees_an_index_readers_cannot_use(
    meeting, search_index, settings, capsys
):
    settings.MINUTES_SEARCH_ENGINE = "whoosh"  # the damage below is done to Whoosh's files
    meeting(seq=1)
    call_command("check_search_index")
    client = Client(raise_request_exception=False)
    # Every document is there, but a facet's column no longer reads.
    (column,) = (search_index / "public").resolve().glob("*.organizations.col")
    column.write_bytes(b"\xff" * 3)
    FACET_TABLES.tables.clear()  # as a web worker started now would find it
    assert client.get(reverse("minutes:api-search"), {"q": "集成电路"}).status_code == 500
    with pytest.raises(CommandError):
        call_command("check_search_index")
    assert "public: a faceted search fails" in capsys.readouterr().out
    call_command("check_search_index", "--repair")
    call_command("check_search_index")
    assert client.get(reverse("minutes:api-search"), {"q": "集成电路"}).status_code == 200
