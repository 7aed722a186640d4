"""import -> Meeting.as_text() -> parse is lossless for every real document."""

import pytest

from minutes.importing import import_parsed
from minutes.parsing import parse
from tests.corpus import corpus_names, corpus_text

pytestmark = pytest.mark.django_db


# The model keeps a 文号 as year and sequence only, so "〔2021〕第2号" (the 第 as printed, kept by
# the parser and the gold) comes back as "〔2021〕2号" until the importer keeps the printed form.
# Strict: the test fails as soon as that is mended, so the mark cannot outlive the gap.
NUMBER_WITH_DI = pytest.mark.xfail(
    strict=True, reason="Meeting does not keep the 第 of a 文号 printed 〔2021〕第2号"
)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=NUMBER_WITH_DI)
        if "第" in (parse(corpus_text(name)).doc_number or "")
        else name
        for name in corpus_names()
    ],
)
def test_import_then_as_text_then_parse_gives_the_same_structure(name):
    parsed = parse(corpus_text(name))
    meeting = import_parsed(parsed, source_text=corpus_text(name)).meeting

    again = parse(meeting.as_text())

    assert again.to_dict() == parsed.to_dict()
    assert again.items == parsed.items
    assert again.observers == parsed.observers
    assert again.opening == parsed.opening
    assert meeting.to_parsed().items == parsed.items
