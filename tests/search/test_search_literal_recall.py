"""Every word of a document can be found: runs sampled from its SOURCE text (issue 8, Build 9).

The runs come from ``Meeting.source_text`` as the clerk imported it, lines the parser could
not place included, not from the fields the index is built from: a word the parser dropped
must still be found. Staff find each run in every document; anonymous readers find it in the
public documents and never in the others.
"""

import random

import pytest

from minutes import search
from minutes.importing import import_parsed, parse_text
from minutes.models import Meeting
from minutes.search.analysis import CJK_CHAR, gram_terms, units
from minutes.search.query import SearchRequest, parse_query
from tests.corpus import corpus_names, corpus_text
from tests.search.test_search_property import apply_search_queue

pytestmark = pytest.mark.django_db

SAMPLES_PER_DOCUMENT = 250
# A line of web-page debris that no part of the minutes takes: the parser leaves it unplaced.
DEBRIS = "本文来源：区政府门户网站　浏览次数：1234"
BUILT = "suzhou-2023-04"  # the corpus document that gets the debris line under its title


def cjk_runs(text):
    run = []
    for character in text + "\n":
        if CJK_CHAR.match(character):
            run.append(character)
        elif run:
            yield "".join(run)
            run = []


def source_texts() -> dict[str, str]:
    """The corpus texts to import; one of them with a line the parser cannot place."""
    texts = {name: corpus_text(name) for name in corpus_names()}
    lines = texts[BUILT].split("\n")
    texts[BUILT] = "\n".join([lines[0], DEBRIS, *lines[1:]])
    return texts


def found_by(meeting, phrase, audience) -> bool:
    request = SearchRequest(clauses=parse_query(f'"{phrase}"'), audience=audience, per_page=50)
    return meeting.pk in {hit.meeting_id for hit in search.search(request).hits}


def test_every_sampled_run_of_each_source_text_is_found():
    meetings = []
    for number, (name, text) in enumerate(source_texts().items()):
        parsed = parse_text(text)
        # Every third document is published but not released: staff only. The built one is
        # public, so that both audiences search a line the parser could not place.
        staff_only = number % 3 == 2 and name != BUILT
        disclosure = Meeting.Disclosure.ON_REQUEST if staff_only else Meeting.Disclosure.PUBLIC
        meeting = import_parsed(
            parsed, source_text=text, status=Meeting.Status.PUBLISHED, disclosure=disclosure
        ).meeting
        meetings.append((meeting, [line for _number, line in parsed.unplaced]))
    apply_search_queue()
    unplaced = dict((meeting.pk, lines) for meeting, lines in meetings)
    assert DEBRIS.replace("　", " ") in [
        line.replace("　", " ") for lines in unplaced.values() for line in lines
    ], "the built document must keep a line the parser could not place"
    unplaced_runs = {run for lines in unplaced.values() for line in lines for run in cjk_runs(line)}
    sample = random.Random(20210412)
    missed, leaked, checked = [], [], 0
    for meeting, lines in meetings:
        meeting.refresh_from_db()
        runs = list(cjk_runs(meeting.source_text))
        phrases = []
        for _ in range(SAMPLES_PER_DOCUMENT):
            run = sample.choice(runs)
            length = sample.randint(1, min(8, len(run)))
            start = sample.randrange(len(run) - length + 1)
            phrases.append(run[start : start + length])
        # Each run of each line the parser left unplaced, whole.
        phrases += [run for line in lines for run in cjk_runs(line)]
        for phrase in phrases:
            checked += 1
            if not found_by(meeting, phrase, "internal"):
                missed.append(("staff", meeting.pk, phrase))
            public = found_by(meeting, phrase, "public")
            if meeting.is_public and not public:
                missed.append(("anonymous", meeting.pk, phrase))
            if public and not meeting.is_public:
                leaked.append((meeting.pk, phrase))
    assert checked >= SAMPLES_PER_DOCUMENT * len(meetings)
    assert not leaked, leaked[:20]
    from_unplaced = [entry for entry in missed if entry[2] in unplaced_runs]
    assert not missed, (len(missed), "from unplaced lines:", from_unplaced[:10], missed[:20])


@pytest.mark.parametrize(
    "text",
    [
        *source_texts().values(),
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
