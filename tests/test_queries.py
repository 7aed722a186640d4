"""Each page runs a fixed number of queries, whatever the size of the document or the list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minutes.models import Organization, ReviewedDocument
from minutes.parsing.records import AgendaItem, Attendee, Decision
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def large_document(**overrides):
    return make_meeting(
        items=tuple(
            AgendaItem(
                no=n,
                title=f"审议《第{n}号办法》",
                decisions=tuple(
                    Decision(no=d, text=f"第{n}项第{d}点", organizations=(f"单位{d}", "市科技局"))
                    for d in range(1, 8)
                ),
                reviewed=(f"第{n}号办法", "苏州市促进集成电路产业高质量发展的若干措施"),
            )
            for n in range(1, 16)
        ),
        observers=tuple(Attendee(name=f"人{n}", org=f"单位{n}") for n in range(1, 60)),
        distribution=tuple(f"分送{n}" for n in range(1, 30)),
        **overrides,
    )


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_document_page_runs_as_many_queries_for_a_large_document_as_for_a_small(client):
    small = make_meeting()
    large = large_document()
    assert queries(client, small.get_absolute_url()) == queries(client, large.get_absolute_url())


def test_document_page_stays_within_its_query_budget(client, django_assert_max_num_queries):
    large = large_document()
    with django_assert_max_num_queries(8):
        client.get(large.get_absolute_url())


def test_api_detail_runs_a_fixed_number_of_queries(client):
    small = make_meeting()
    large = large_document()
    assert queries(client, reverse("minutes:api-meeting-detail", args=[small.pk])) == queries(
        client, reverse("minutes:api-meeting-detail", args=[large.pk])
    )


@pytest.mark.parametrize(
    "url",
    [
        reverse("minutes:home"),
        reverse("minutes:meeting-list"),
        reverse("minutes:api-meeting-list"),
        reverse("minutes:feed-atom"),
        "/sitemap.xml",
        reverse("minutes:organization-list"),
        reverse("minutes:person-list"),
    ],
)
def test_list_pages_run_as_many_queries_for_thirty_documents_as_for_two(client, url):
    for _ in range(2):
        make_meeting()
    few = queries(client, url)
    for _ in range(28):
        make_meeting()
    assert queries(client, url) == few


def test_index_pages_are_cached_for_the_public_and_renewed_by_a_change(client):
    make_meeting()
    url = reverse("minutes:person-list")
    first = queries(client, url)
    assert queries(client, url) < first
    make_meeting(observers=(Attendee(name="新人", org="市新局"),))
    assert "新人" in client.get(url).content.decode()


def test_a_withdrawn_address_runs_a_fixed_number_of_queries(client):
    small = make_meeting(status="review")
    large = large_document(status="review")
    counts = []
    for meeting in (small, large):
        meeting.publish()
        meeting.withdraw()
        with CaptureQueriesContext(connection) as context:
            assert client.get(meeting.get_absolute_url()).status_code == 410
        counts.append(len(context))
    assert counts[0] == counts[1] <= 4


def test_organization_person_and_reviewed_pages_do_not_grow_with_the_archive(client):
    make_meeting()
    organization = Organization.objects.get(name="市科技局")
    document = ReviewedDocument.objects.get(title="苏州市促进集成电路产业高质量发展的若干措施")
    urls = [
        reverse("minutes:organization-detail", args=[organization.pk]),
        reverse("minutes:person-detail", args=["黄戟"]),
        reverse("minutes:reviewed-document-detail", args=[document.pk]),
    ]
    before = [queries(client, url) for url in urls]
    for _ in range(5):
        large_document()
    assert [queries(client, url) for url in urls] == before


def test_an_index_batch_reads_every_part_in_a_fixed_number_of_queries():
    """``with_parts`` loads what the nested prefetch of ``meetings_for`` loads, flat."""
    from minutes.importing import import_parsed, parse_text, replace_issuer
    from minutes.models import Meeting
    from minutes.search_indexes import MeetingIndex, meetings_for, with_parts
    from tests.corpus import corpus_names, corpus_text

    for name in corpus_names():
        parsed = parse_text(corpus_text(name))
        import_parsed(parsed if parsed.issuer else replace_issuer(parsed, "测试市人民政府"))
    large_document(seq=900)
    make_meeting(seq=901, items=())
    prepare = MeetingIndex().full_prepare
    expected = {m.pk: prepare(m) for m in meetings_for("internal")}
    assert len(expected) == Meeting.objects.count() > 10
    for count in (1, len(expected)):
        ids = sorted(expected)[:count]
        with CaptureQueriesContext(connection) as context:
            loaded = with_parts(meetings_for("internal").filter(pk__in=ids))
            got = {m.pk: prepare(m) for m in loaded}
            # Each part knows its document without asking the database.
            parents = {item.meeting.pk for m in loaded for item in m.items.all()}
        assert got == {pk: expected[pk] for pk in ids}
        assert parents <= set(ids)
        assert len(context.captured_queries) == 7
