"""Every corpus document against its hand-checked gold structure, field by field."""

from __future__ import annotations

import pytest

from minutes.parsing import parse
from tests.corpus import comparable, corpus_gold, corpus_names, corpus_text

GOLD_FIELDS = list(corpus_gold(corpus_names()[0]))


def test_corpus_is_present():
    assert len(corpus_names()) >= 5


@pytest.mark.parametrize("name", corpus_names())
@pytest.mark.parametrize("field", GOLD_FIELDS)
def test_parsed_field_matches_gold(name, field):
    parsed = parse(corpus_text(name)).to_dict()
    assert comparable(parsed[field]) == comparable(corpus_gold(name)[field])


@pytest.mark.parametrize("name", corpus_names())
def test_to_dict_has_the_gold_shape(name):
    assert list(parse(corpus_text(name)).to_dict()) == list(corpus_gold(name))
