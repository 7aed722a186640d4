"""Every corpus document against its hand-checked gold structure, field by field."""

from __future__ import annotations

import pytest

from minutes.parsing import parse
from tests.corpus import CORPUS_FOLDERS, comparable, corpus_gold, corpus_names, corpus_text

GOLD_FIELDS = list(corpus_gold(corpus_names()[0]))


def test_both_corpus_folders_are_read():
    assert [len(corpus_names(folder)) >= 5 for folder in CORPUS_FOLDERS] == [True, True]
    assert len(corpus_names()) == sum(len(corpus_names(folder)) for folder in CORPUS_FOLDERS)


@pytest.mark.parametrize("name", corpus_names())
@pytest.mark.parametrize("field", GOLD_FIELDS)
def test_parsed_field_matches_gold(name, field):
    parsed = parse(corpus_text(name)).to_dict()
    assert comparable(parsed[field]) == comparable(corpus_gold(name)[field])


@pytest.mark.parametrize("name", corpus_names())
def test_to_dict_has_the_gold_shape(name):
    assert list(parse(corpus_text(name)).to_dict()) == list(corpus_gold(name))
