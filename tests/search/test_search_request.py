"""The search interface itself: a SearchRequest in, a page of hits, the count and facets out.

These hold for every engine (``minutes.search.search`` asks the one the settings choose).
"""

import datetime
import io
import itertools

import pytest

from minutes import search
from minutes.models import Meeting
from minutes.parsing.records import AgendaItem, Decision
from minutes.search.query import SearchRequest, parse_query

pytestmark = pytest.mark.django_db


def found(query="", **options) -> list[int]:
    page = search.search(SearchRequest(clauses=parse_query(query), per_page=100, **options))
    assert page.count == len(page.hits)
    return sorted(hit.meeting_id for hit in page.hits)


def test_or_joins_alternatives_and_binds_tighter_than_and(meeting):
    housing = meeting(seq=1, opening="研究住房公积金。")
    tax = meeting(seq=2, opening="研究税收征管。")
    both = meeting(seq=3, opening="研究住房公积金和社保。")
    assert found("公积金 OR 税收") == sorted([housing.pk, tax.pk, both.pk])
    assert found("住房 社保 OR 税收") == [both.pk]
    assert found("税收 | 社保") == sorted([tax.pk, both.pk])
    assert found("研究 -公积金 -税收") == []
    assert found("研究 -公积金 OR -税收") == []
    assert found("研究 -公积金 OR 税收") == [tax.pk]


def test_values_of_one_single_valued_facet_are_alternatives(meeting):
    old = meeting(seq=1, year=2020, meeting_date=datetime.date(2020, 3, 1))
    new = meeting(seq=2, year=2021)
    assert found("集成电路", selected={"year": ["2020", "2021"]}) == sorted([old.pk, new.pk])
    assert found("集成电路", selected={"year": ["2020"]}) == [old.pk]
    assert found("", selected={"doc_number": ["2021-2"]}) == [new.pk]


def test_values_of_a_many_valued_facet_must_all_hold(meeting):
    both = meeting(seq=1)
    tax_only = meeting(
        seq=2,
        items=(
            AgendaItem(
                no=1,
                title="研究税收工作",
                kind="研究",
                decisions=(Decision(no=1, text="由市税务局负责。", organizations=("市税务局",)),),
            ),
        ),
    )
    selected = {"organizations": ["市工信局", "市科技局"]}
    assert found("", selected=selected) == [both.pk]
    assert found("", selected={"organizations": ["市税务局"]}) == [tax_only.pk]


def test_fields_match_literally_in_that_field_only(meeting):
    named = meeting(seq=1, chair="张三丰", opening="会议研究集成电路。")
    mentioned = meeting(seq=2, opening="张三丰同志列席会议，研究集成电路。")
    assert found(fields={"chair": "张三丰"}) == [named.pk]
    assert found("张三丰") == sorted([named.pk, mentioned.pk])
    session = f"第{mentioned.session_no}次常务"
    assert found(fields={"title": session}) == [mentioned.pk]
    assert found(fields={"title": "集成电路"}) == []


def test_audience_decides_what_can_match(meeting):
    public = meeting(seq=1)
    draft = meeting(seq=2, status=Meeting.Status.DRAFT)
    assert found("集成电路") == [public.pk]
    assert found("集成电路", audience="internal") == sorted([public.pk, draft.pk])
    facets = search.search(SearchRequest(clauses=parse_query("集成电路"))).facets
    assert facets["year"] == {"2021": 1}


def test_facets_count_every_value_and_pages_split_the_hits(meeting):
    for seq in range(1, 16):
        meeting(seq=seq, chair=f"主持人{seq:02d}号", meeting_date=datetime.date(2021, 1, seq))
    request = SearchRequest(clauses=parse_query("集成电路"), sort="oldest", per_page=4, page=2)
    page = search.search(request)
    assert page.count == 15
    assert len(page.facets["people"]) >= 15 and page.facets["people"]["主持人15号"] == 1
    dates = Meeting.objects.in_bulk([hit.meeting_id for hit in page.hits])
    assert [dates[hit.meeting_id].meeting_date.day for hit in page.hits] == [5, 6, 7, 8]


@pytest.mark.parametrize("days", list(itertools.permutations((1, 2, 3))), ids=str)
def test_an_excluded_term_with_a_filter_excludes_every_document_holding_it(meeting, days):
    """Whoosh 2.7's AndNot skipped its excluded matcher up to the first candidate only when
    they met exactly there: when a filtered-out document holding the excluded words came
    first in the index, the first candidate escaped the exclusion. Dates decide the order of
    a rebuilt index (newest first), so every order is tried."""
    chips = "集成电路"
    when = [datetime.date(2021, 1, day) for day in days]
    # Filtered out by its issuer (and by the date range when its date lies at one end).
    filtered_out = meeting(issuer="吴中区人民政府", meeting_date=when[0])
    holder = meeting(meeting_date=when[1])
    other = meeting(meeting_date=when[2], opening="研究税收征管。", items=())
    search.rebuild(out=io.StringIO())  # one segment, in the order the dates give
    city = {"issuer": ["苏州市人民政府"]}
    assert found("", selected=city) == sorted([holder.pk, other.pk])
    for query in (f'-"{chips}"', f"-{chips}", f'研究 -"{chips}"', f"-{chips} -非遗"):
        assert found(query, selected=city) == [other.pk], query
    if days[0] != 2:
        span = {"date_to": when[0] - datetime.timedelta(days=1)}
        if days[0] == 1:
            span = {"date_from": when[0] + datetime.timedelta(days=1)}
        assert found(f'-"{chips}"', **span) == [other.pk]
    page = search.search(SearchRequest(clauses=parse_query(f'-"{chips}"'), selected=city))
    assert (page.count, [hit.meeting_id for hit in page.hits]) == (1, [other.pk])
    assert page.facets["issuer"] == {"苏州市人民政府": 1}
    assert "市工信局" not in page.facets["organizations"]  # only the holders' decisions name it
    assert filtered_out.pk not in found(f"{chips}", selected=city)


def test_the_count_of_an_or_is_exact_when_the_hits_fill_more_than_a_page(meeting):
    # Whoosh's scored collector pruned the branches of an OR scoring below the page's lowest
    # hit once the page was full: 公积金 OR 医保 counted 337 of 945 documents.
    housing = [meeting(seq=n, opening="研究住房公积金。" * n) for n in range(1, 9)]
    health = [meeting(seq=n, opening="研究医保。") for n in range(20, 28)]
    for per_page in (1, 2, 5):
        page = search.search(
            SearchRequest(clauses=parse_query("公积金 OR 医保"), per_page=per_page)
        )
        assert page.count == len(housing) + len(health)
        assert sum(page.facets["year"].values()) == page.count
