"""Any run of characters of a document's source text is found by a quoted search for it."""

import random

import pytest

from minutes import search
from minutes.importing import import_parsed
from minutes.models import Meeting
from minutes.parsing import parse
from minutes.search.analysis import CJK_CHAR, gram_terms, units
from minutes.search.query import SearchRequest, parse_query
from tests.corpus import corpus_names, corpus_text
from tests.factories import parsed_minutes

pytestmark = pytest.mark.django_db
PUBLIC = {"status": Meeting.Status.PUBLISHED, "disclosure": Meeting.Disclosure.PUBLIC}


def cjk_runs(text):
    run = []
    for character in text + "\n":
        if CJK_CHAR.match(character):
            run.append(character)
        elif run:
            yield "".join(run)
            run = []


def found(text, audience="public", per_page=20) -> set[int]:
    request = SearchRequest(clauses=parse_query(text), audience=audience, per_page=per_page)
    return {hit.meeting_id for hit in search.search(request).hits}


def test_every_sampled_literal_run_of_each_corpus_source_text_is_found(saved):
    names = corpus_names()
    meetings = [
        saved(import_parsed, parse(corpus_text(name)), source_text=corpus_text(name), **PUBLIC)
        for name in names
    ]
    sample = random.Random(20210412)
    missed, checked = [], 0
    for document in (result.meeting for result in meetings):
        # Sampled from the text as the clerk imported it, unplaced lines and all.
        runs = list(cjk_runs(document.source_text))
        for _ in range(500):
            run = sample.choice(runs)
            length = sample.randint(1, min(8, len(run)))
            start = sample.randrange(len(run) - length + 1)
            phrase = run[start : start + length]
            checked += 1
            if document.pk not in found(f'"{phrase}"', per_page=len(meetings)):
                missed.append(phrase)
    assert checked >= 500 * len(names)
    assert not missed, missed[:20]


def test_a_line_the_parser_could_not_place_is_found_and_only_by_who_may_read_it(saved):
    line = "附：本纪要涉及的榕树湾片区清单另行印发"
    source = f"苏州市人民政府\n{line}\n会议纪要正文。"
    public = saved(import_parsed, parsed_minutes(), source_text=source, **PUBLIC).meeting
    draft = saved(
        import_parsed,
        parsed_minutes(),
        source_text=source.replace("榕树湾", "梧桐湾"),
        status=Meeting.Status.REVIEW,
        disclosure=Meeting.Disclosure.PUBLIC,
    ).meeting
    assert found('"榕树湾片区清单"') == {public.pk}
    assert found("梧桐湾") == set()
    assert found("梧桐湾", audience="internal") == {draft.pk}


@pytest.mark.parametrize(
    "text",
    [
        *(corpus_text(name) for name in corpus_names()),
        "ヿ漢字ＡＢＣ１２３ 税，第133次会议 豈更 abc 住房公积金。x",
        "税",
        "",
    ],
)
def test_index_grams_pair_up_the_units_queries_are_cut_into(text):
    sequence = units(text)
    expected = [
        (unit.text + sequence[n + 1].text, n, unit.start, sequence[n + 1].end)
        if unit.cjk and not unit.run_end
        else (unit.text, n, unit.start, unit.end)
        for n, unit in enumerate(sequence)
    ]
    assert gram_terms(text) == expected
