"""import -> Meeting.as_text() -> parse is lossless for every real document."""

import pytest

from minutes.importing import import_parsed
from minutes.parsing import parse
from tests.corpus import corpus_names, corpus_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", corpus_names())
def test_import_then_as_text_then_parse_gives_the_same_structure(name):
    parsed = parse(corpus_text(name))
    meeting = import_parsed(parsed, source_text=corpus_text(name)).meeting

    again = parse(meeting.as_text())

    assert again.to_dict() == parsed.to_dict()
    assert again.items == parsed.items
    assert again.observers == parsed.observers
    assert again.opening == parsed.opening
    assert meeting.to_parsed().items == parsed.items
