"""The seed document ships as complete records equal to the gold structure."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from minutes.models import Meeting
from minutes.parsing import parse
from tests.conftest import visible_text
from tests.corpus import comparable, corpus_gold, corpus_text

pytestmark = pytest.mark.django_db
SEED = "suzhou-2021-15"


@pytest.fixture
def seed():
    call_command("load_seed", verbosity=0)
    return Meeting.objects.get()


def test_seed_fixture_matches_the_gold_structure_in_every_field(seed):
    assert comparable(seed.to_parsed().to_dict()) == comparable(corpus_gold(SEED))


def test_seed_fixture_holds_the_full_text_of_every_decision_point(seed):
    stored = seed.to_parsed()
    parsed = parse(corpus_text(SEED))
    assert [item.decisions for item in stored.items] == [item.decisions for item in parsed.items]
    assert stored.items[5].decisions[3].text.endswith("积极推进房地产市场健康发展。")


def test_seed_as_text_equals_the_published_text(seed):
    assert comparable(seed.as_text()) == comparable(corpus_text(SEED))


def test_seed_is_published_and_public(seed):
    assert seed.is_public
    assert seed.source_text.strip() == corpus_text(SEED).strip()


def test_load_seed_does_nothing_when_the_archive_has_documents(seed):
    call_command("load_seed", verbosity=0)
    assert Meeting.objects.count() == 1


def test_fresh_database_page_shows_the_seed_document(client, seed):
    page = client.get(reverse("minutes:meeting-list")).content.decode()
    assert "〔2021〕15号" in page
    detail = visible_text(client.get(seed.get_absolute_url(), follow=True))
    assert "审议《苏州市“十四五”青年发展规划》" in detail
    assert "人行苏州中支郑文清" in detail
