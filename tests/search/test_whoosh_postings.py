"""The Whoosh engine builds its postings from the analysis's term lists, not Whoosh's tokens.

``SharedText`` hands Whoosh the (term, frequency, weight, value) tuples itself; they must be
exactly what Whoosh's own ``word_values`` makes from the same analyzer's ``Token`` stream, or
phrases, counts and ranking would drift between a rebuilt index and an updated one.
"""

import pytest
from whoosh import fields

from minutes.search import analysis, postgres
from minutes.search.backend import Analysed, build_schema
from tests.corpus import corpus_names, corpus_text

TEXTS = [
    *(corpus_text(name) for name in corpus_names()),
    "ヿ漢字ＡＢＣ１２３ 税，第133次会议 豈更 abc 住房公积金。x",
    "兀⺠⽇ 﨎ＡＢ１２ 㐀𠀀 a'b c\\d Don't ＂＇＼ İstanbul ß",
    "会议" * 400 + "住房公积金" * 300,
    "",
]


@pytest.mark.parametrize("name", ["words", "grams"])
@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_the_postings_are_whoosh_own(name, text):
    field = build_schema()[name]
    generic = fields.TEXT(analyzer=field.analyzer, phrase=name == "grams")
    assert type(generic.format) is type(field.format)
    expected = sorted(generic.index(text))
    assert sorted(field.index(Analysed(text))) == expected
    assert expected or not text.strip()


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_the_term_lists_are_the_analysis_own(text):
    assert analysis.gram_list(text) == [term for term, *_ in analysis.gram_terms(text)]
    assert postgres.gram_list(text) == [
        postgres.quoted(term) for term, *_ in analysis.gram_terms(text)
    ]
    terms = analysis.word_terms(text)
    assert analysis.search_words(text) == [term for term, *_ in terms]
    assert analysis.word_positions(text) == (
        [term for term, *_ in terms],
        [position + 1 for _term, position, *_ in terms],
    )
