"""The PostgreSQL engine: the same answers as Whoosh, visibility by construction, atomic writes."""

import datetime
import random
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from minutes.models import Meeting
from minutes.search import postgres
from minutes.search.postgres import OVERLAP, PostgresEngine, gram_parts
from minutes.search.query import FACETS, SearchRequest, parse_query
from minutes.search_indexes import meeting_text
from tests.factories import make_meeting

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "docs"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the PostgreSQL engine needs PostgreSQL"
    ),
]


@pytest.fixture
def search_engine(settings):
    """These tests ask each engine directly: the settings keep Whoosh for the signals."""
    settings.MINUTES_SEARCH_ENGINE = "whoosh"
    return "whoosh"


def whoosh_search(request: SearchRequest):
    """The Whoosh engine's answer: (hit ids, count, facets {name: {value: count}})."""
    from minutes.search.whoosh_engine import WhooshEngine

    page = WhooshEngine().search(request)
    return [hit.meeting_id for hit in page.hits], page.count, page.facets


def postgres_search(request: SearchRequest):
    page = PostgresEngine().search(request)
    return [hit.meeting_id for hit in page.hits], page.count, page.facets


def index_with_postgres(meetings):
    PostgresEngine().changed([meeting.pk for meeting in meetings])


@pytest.fixture
def corpus(meeting):
    """The corpus texts as documents of several issuers, years, chairs and states."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))]
    assert texts, CORPUS
    issuers = ["苏州市人民政府", "永康市人民政府", "攀枝花市东区人民政府"]
    chairs = ["李亚平", "吴庆文", "王翔"]
    states = [
        (Meeting.Status.PUBLISHED, Meeting.Disclosure.PUBLIC),
        (Meeting.Status.PUBLISHED, Meeting.Disclosure.PUBLIC),
        (Meeting.Status.DRAFT, Meeting.Disclosure.PUBLIC),
        (Meeting.Status.PUBLISHED, Meeting.Disclosure.NOT_PUBLIC),
    ]
    made = []
    for number in range(12):
        status, disclosure = states[number % len(states)]
        year = 2019 + number % 4
        made.append(
            meeting(
                seq=number + 1,
                year=year,
                issuer=issuers[number % 3],
                chair=chairs[number % 3],
                kind="区长办公会议纪要" if number % 5 == 0 else "常务会议纪要",
                meeting_date=datetime.date(year, 1 + number % 12, 1 + number),
                opening=texts[number % len(texts)],
                status=status,
                disclosure=disclosure,
            )
        )
    index_with_postgres(made)
    return made


def sample_queries(meetings) -> list[str]:
    chosen = random.Random(9)
    found = [
        "市长",
        "住房 公积金",
        '"集成电路" 苏州',
        "集成電路",
        "会议 -疫情",
        '-"集成电路"',
        "税",
        '"第133次"',
        "李亚平",
        "审议 市工信局",
        "政府工作报告",
        "abc",
        "2021",
    ]
    for found_meeting in meetings[:5]:
        text = meeting_text(found_meeting)
        for _ in range(6):
            length = chosen.randint(1, 5)
            start = chosen.randrange(len(text) - length)
            piece = text[start : start + length].strip()
            if piece and '"' not in piece:
                found.append(piece if chosen.random() < 0.5 else f'"{piece}"')
    return found


def requests_for(text: str):
    clauses = parse_query(text)
    for audience in ("public", "internal"):
        yield SearchRequest(clauses=clauses, audience=audience, per_page=20)
    yield SearchRequest(clauses=clauses, audience="internal", selected={"year": ["2021"]})
    yield SearchRequest(
        clauses=clauses, selected={"issuer": ["苏州市人民政府"]}, audience="internal"
    )
    yield SearchRequest(clauses=clauses, selected={"people": ["李亚平"]}, sort="newest")
    yield SearchRequest(
        clauses=clauses,
        selected={"organizations": ["市工信局"]},
        date_from=datetime.date(2020, 1, 1),
        date_to=datetime.date(2021, 12, 31),
        audience="internal",
        sort="oldest",
    )


@pytest.mark.parametrize("excluding", [False, True], ids=["plain", "excluding"])
def test_the_same_documents_counts_and_facets_as_whoosh(corpus, excluding):
    compared = 0
    different = []
    found_something = 0
    for text in sample_queries(corpus):
        for request in requests_for(text):
            if bool(request.excluded) != excluding:
                continue
            whoosh_ids, whoosh_count, whoosh_facets = whoosh_search(request)
            ids, count, facets = postgres_search(request)
            compared += 1
            found_something += bool(count)
            if request.sort != "relevance":
                same_hits = ids == whoosh_ids  # dates differ: the order is the same
            else:
                same_hits = set(ids) == set(whoosh_ids)
            if not same_hits or count != whoosh_count or facets != whoosh_facets:
                different.append(
                    (
                        text,
                        request.audience,
                        request.selected,
                        (count, whoosh_count),
                        ids,
                        whoosh_ids,
                    )
                )
    assert compared >= 12
    assert found_something > compared / 3
    assert not different, different[:3]


def test_facets_count_every_value_and_single_valued_values_are_alternatives(corpus):
    request = SearchRequest(clauses=parse_query("会议"), audience="internal")
    page = PostgresEngine().search(request)
    assert page.count == len(corpus)
    assert set(page.facets) == set(FACETS)
    assert page.facets["year"] == {"2019": 3, "2020": 3, "2021": 3, "2022": 3}
    assert page.facets["people"]["吴庆文"] == 4  # chairs a third
    assert page.facets["people"]["李亚平"] == 12  # attends every one
    either = PostgresEngine().search(
        SearchRequest(
            clauses=request.clauses, selected={"year": ["2019", "2021"]}, audience="internal"
        )
    )
    assert either.count == 6
    both = PostgresEngine().search(
        SearchRequest(
            clauses=request.clauses,
            selected={"people": ["吴庆文", "王翔"]},
            audience="internal",
        )
    )
    # People must all be there: 王翔 attends every document, 吴庆文 chairs four.
    assert both.count == 4


def test_fields_match_title_and_chair_literally(meeting):
    # The title is the issuer's name, the session and the kind: 永康市人民政府第…次常务会议纪要.
    made = [meeting(issuer="永康市人民政府", chair="吴庆文"), meeting(chair="李亚平")]
    index_with_postgres(made)

    def found(**fields):
        page = PostgresEngine().search(SearchRequest(fields=fields, audience="internal"))
        return {hit.meeting_id for hit in page.hits}

    assert found(title="永康") == {made[0].pk}
    assert found(title="蘇州市") == {made[1].pk}
    assert found(title="常务会议") == {made[0].pk, made[1].pk}
    assert found(title="市长") == set()  # in the text, not the title
    assert found(chair="庆文") == {made[0].pk}
    assert found(title="永康", chair="李亚平") == set()


def test_the_public_role_reads_no_draft_even_in_raw_sql(meeting):
    public = meeting(opening="公开的纪要内容：青蛙池塘")
    draft = meeting(opening="草稿的纪要内容：青蛙池塘", status=Meeting.Status.DRAFT)
    hidden = meeting(opening="不公开的纪要：青蛙池塘", disclosure=Meeting.Disclosure.NOT_PUBLIC)
    index_with_postgres([public, draft, hidden])
    postgres.flush()

    def public_hits(**request):
        page = PostgresEngine().search(SearchRequest(**request))
        return page.count, {hit.meeting_id for hit in page.hits}

    assert public_hits(clauses=parse_query("青蛙池塘")) == (1, {public.pk})
    internal = PostgresEngine().search(
        SearchRequest(clauses=parse_query("青蛙池塘"), audience="internal")
    )
    assert internal.count == 3
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {postgres.ROLE}")
        cursor.execute(f"SELECT meeting_id FROM {postgres.PUBLIC_DOCUMENT}")
        assert {pk for (pk,) in cursor.fetchall()} == {public.pk}
        cursor.execute(f"SELECT DISTINCT meeting_id FROM {postgres.PUBLIC_TEXT}")
        assert {pk for (pk,) in cursor.fetchall()} == {public.pk}
        for table in (postgres.DOCUMENT, postgres.TEXT, "minutes_meeting"):
            with pytest.raises(DatabaseError, match="permission denied"):
                with transaction.atomic():
                    cursor.execute(f"SELECT count(*) FROM {table}")
        transaction.set_rollback(True)
    # The search's role ended with it: this connection is itself again.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM minutes_meeting")
        assert cursor.fetchone()[0] == 3


def test_a_publish_and_a_withdrawal_are_searchable_in_their_own_transaction(meeting):
    waiting = meeting(opening="待发布的纪要：蜻蜓湖泊", status=Meeting.Status.REVIEW)
    index_with_postgres([waiting])
    request = SearchRequest(clauses=parse_query('"蜻蜓湖泊"'))
    assert PostgresEngine().search(request).count == 0
    with transaction.atomic():
        waiting.publish()
        assert PostgresEngine().search(request).count == 1
        waiting.withdraw()
        assert PostgresEngine().search(request).count == 0
    with transaction.atomic():
        # A new document's text reaches the tables before the transaction's own search.
        created = make_meeting(opening="新的纪要：萤火虫森林")
        PostgresEngine().changed([created.pk])
        found = PostgresEngine().search(SearchRequest(clauses=parse_query("萤火虫森林")))
        assert [hit.meeting_id for hit in found.hits] == [created.pk]


@pytest.mark.django_db(transaction=True)
def test_rows_are_written_once_before_commit_and_forgotten_on_rollback(monkeypatch):
    written = []
    real_write = postgres.write
    monkeypatch.setattr(
        postgres, "write", lambda ids, *a: written.append(set(ids)) or real_write(ids, *a)
    )
    try:
        with transaction.atomic():
            document = make_meeting(opening="提交前写入：孔雀草原")
            for _ in range(5):
                PostgresEngine().changed([document.pk])
            assert written == []
        assert written == [{document.pk}]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {postgres.DOCUMENT} WHERE meeting_id = %s", [document.pk]
            )
            assert cursor.fetchone()[0] == 1
        written.clear()
        with transaction.atomic():
            Meeting.objects.filter(pk=document.pk).update(chair="改了又撤销")
            PostgresEngine().changed([document.pk])
            transaction.set_rollback(True)
        with transaction.atomic():
            pass
        assert written == []
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {postgres.TEXT}; DELETE FROM {postgres.DOCUMENT}")


def test_gram_parts_keep_every_phrase_whole_in_some_part():
    text = "".join(random.Random(3).choice("住房公积金会议审议税") for _ in range(40_000))
    parts = gram_parts(text)
    assert len(parts) > 2
    assert OVERLAP >= 200
    # Each part holds at most 256 positions of a term and none past 16,383.
    with connection.cursor() as cursor:
        for part in parts:
            cursor.execute(
                "SELECT max(cardinality(positions)), max(p) FROM unnest(%s::tsvector), "
                "unnest(positions) p",
                [part],
            )
            most, last = cursor.fetchone()
            assert most <= 256 and last <= 16383


def test_long_documents_are_found_anywhere(meeting):
    filler = random.Random(5)
    body = "".join(filler.choice("住房公积金会议审议同意研究部署") for _ in range(60_000))
    long_one = meeting(opening=body + "结尾独有的短语：鸬鹚渡口", seq=9001)
    index_with_postgres([long_one])
    postgres.flush()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {postgres.TEXT} WHERE meeting_id = %s", [long_one.pk])
        assert cursor.fetchone()[0] > 3
    text = meeting_text(long_one)
    sample = random.Random(7)
    missed = []
    for _ in range(300):
        length = sample.randint(1, 12)
        start = sample.randrange(len(text) - length)
        phrase = text[start : start + length]
        if not phrase.strip() or '"' in phrase:
            continue
        request = SearchRequest(
            clauses=parse_query(f'"{phrase}"'), selected={"doc_number": ["2021-9001"]}
        )
        if PostgresEngine().search(request).count != 1:
            missed.append(phrase)
    assert not missed, missed[:10]
    page = PostgresEngine().search(SearchRequest(clauses=parse_query("鸬鹚渡口")))
    assert [hit.meeting_id for hit in page.hits] == [long_one.pk]


@pytest.mark.parametrize("index", ["gin", "rum"])
def test_rebuild_and_check(corpus, index):
    if index == "rum":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'rum'")
            # `make test` installs it on PostgreSQL (make rum); the migration creates it.
            assert cursor.fetchone() is not None, "the rum extension is missing: run make rum"
    import io

    out = io.StringIO()
    before = postgres_search(next(requests_for("会议 -疫情")))
    assert PostgresEngine().rebuild(out=out, index=index) == len(corpus)
    from minutes.search.pg_build import current_method

    assert current_method() == index
    assert postgres_search(next(requests_for("会议 -疫情"))) == before
    assert PostgresEngine().check(out=out), out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {postgres.TEXT} WHERE meeting_id = %s", [corpus[0].pk])
        cursor.execute(
            f"UPDATE {postgres.DOCUMENT} SET items = 7 WHERE meeting_id = %s", [corpus[1].pk]
        )
        cursor.execute(
            f"INSERT INTO {postgres.DOCUMENT} SELECT meeting_id + 100000, updated, items, year, "
            f"kind, issuer, doc_number, date, organizations, people, title, chair "
            f"FROM {postgres.DOCUMENT} WHERE meeting_id = %s",
            [corpus[2].pk],
        )
    out = io.StringIO()
    assert not PostgresEngine().check(out=out)
    report = out.getvalue()
    assert "1 missing" in report and "1 stale" in report and "1 extra" in report
    assert not PostgresEngine().check(repair=True, out=io.StringIO())
    assert PostgresEngine().check(out=io.StringIO())
    assert postgres_search(next(requests_for("会议 -疫情"))) == before


@pytest.mark.parametrize(
    "text",
    [
        *(path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))),
        "ヿ漢字ＡＢＣ１２３ 税，第133次会议 豈更 abc 住房公积金。x",
        "兀⺠⽇ 﨎ＡＢ１２ 㐀𠀀 a'b c\\d Don't ＂＇＼",
        "会议" * 400 + "住房公积金" * 300,  # terms past 256 positions
        # 1.2 MB of words, one entry each: over PostgreSQL's limit for a literal
        "".join(
            random.Random(9).choice("住房公积金会议审议同意研究部署税") for _ in range(400_000)
        ),
    ],
    ids=lambda text: f"{len(text)} characters",
)
def test_the_vectors_hold_the_analysis_terms_at_their_positions(text):
    """The build's literals (one entry per position) are the grouped vectors of the analysis."""
    from minutes.search import analysis

    words: dict[str, list[int]] = {}
    for term, position, _start, _end in analysis.word_terms(text):
        found = words.setdefault(term, [])
        position = min(position + 1, postgres.MAX_POSITION)
        if (not found or found[-1] < position) and len(found) < postgres.MAX_POSITIONS_PER_TERM:
            found.append(position)
    grams: dict[str, list[int]] = {}
    for term, position, _start, _end in analysis.gram_terms(text):
        grams.setdefault(term, []).append(position + 1)
    parts = postgres.gram_parts(text)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::tsvector = %s::tsvector, length(%s::tsvector)",
            [postgres.words_vector(text), postgres.vector(words), postgres.words_vector(text)],
        )
        same, length = cursor.fetchone()
        assert same and length == len(words)
        if len(parts) == 1:
            cursor.execute("SELECT %s::tsvector = %s::tsvector", [parts[0], postgres.vector(grams)])
            assert cursor.fetchone()[0]


def test_terms_with_quotes_and_backslashes_survive_the_literals():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::tsvector @@ %s::tsquery",
            [
                postgres.vector({"a'b": [1], "c\\d": [2]}),
                postgres.lexeme("a'b") + " <-> " + postgres.lexeme("c\\d"),
            ],
        )
        assert cursor.fetchone()[0] is True


@pytest.mark.django_db(transaction=True)
def test_two_transactions_writing_one_document_both_commit():
    import threading

    from django.db import connections

    document = make_meeting(opening="并发写入：鹈鹕海湾")
    first_wrote, errors = threading.Event(), []

    def writer(wait_for_other: bool):
        try:
            with transaction.atomic():
                PostgresEngine().changed([document.pk])
                postgres.flush()  # rows written, their locks held until commit
                first_wrote.set()
                if wait_for_other:
                    import time

                    time.sleep(0.5)  # the other transaction now waits on these rows
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    try:
        holder = threading.Thread(target=writer, args=(True,))
        holder.start()
        assert first_wrote.wait(30)
        second = threading.Thread(target=writer, args=(False,))
        second.start()
        holder.join(60)
        second.join(60)
        assert errors == []
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {postgres.TEXT} WHERE meeting_id = %s", [document.pk]
            )
            assert cursor.fetchone()[0] == 1
        page = PostgresEngine().search(SearchRequest(clauses=parse_query("鹈鹕海湾")))
        assert [hit.meeting_id for hit in page.hits] == [document.pk]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {postgres.TEXT}; DELETE FROM {postgres.DOCUMENT}")


def test_rows_written_inside_a_savepoint_that_rolls_back_are_written_again(meeting):
    document = meeting(opening="原来的开头：海鸥礁石")
    index_with_postgres([document])
    request = SearchRequest(clauses=parse_query('"白鹭沙洲"'))
    with transaction.atomic():
        document.opening = "改写的开头：白鹭沙洲"
        document.save()
        PostgresEngine().changed([document.pk])
        with pytest.raises(RuntimeError), transaction.atomic():
            # A search inside the savepoint writes the change there, and the rollback of
            # the savepoint takes those rows back while the change itself stays.
            assert PostgresEngine().search(request).count == 1
            raise RuntimeError
        assert PostgresEngine().search(request).count == 1
