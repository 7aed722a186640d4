"""Any run of characters present in a document is found by a quoted search for it."""

import random
from pathlib import Path

import pytest

from minutes import search
from minutes.search.analysis import CJK_CHAR, gram_terms, units
from minutes.search.query import SearchRequest, parse_query
from minutes.search_indexes import meeting_text

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "docs"

pytestmark = pytest.mark.django_db


def cjk_runs(text):
    run = []
    for character in text + "\n":
        if CJK_CHAR.match(character):
            run.append(character)
        elif run:
            yield "".join(run)
            run = []


def test_every_sampled_literal_run_of_each_corpus_text_is_found(meeting):
    texts = sorted(CORPUS.glob("*.txt"))
    assert texts, CORPUS
    meetings = [
        meeting(seq=number, opening=path.read_text(encoding="utf-8"))
        for number, path in enumerate(texts, start=1)
    ]
    sample = random.Random(20210412)
    missed, checked = [], 0
    for found in meetings:
        body = meeting_text(found)
        runs = list(cjk_runs(body))
        for _ in range(1000):
            run = sample.choice(runs)
            length = sample.randint(1, min(8, len(run)))
            start = sample.randrange(len(run) - length + 1)
            phrase = run[start : start + length]
            request = SearchRequest(clauses=parse_query(f'"{phrase}"'), per_page=len(meetings))
            checked += 1
            if found.pk not in {hit.meeting_id for hit in search.search(request).hits}:
                missed.append(phrase)
    assert checked >= 5000
    assert not missed, missed[:20]


@pytest.mark.parametrize(
    "text",
    [
        *(path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))),
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
