"""The Whoosh engine's merge policy: ordinary updates merge small segments, never big ones."""

from dataclasses import dataclass

import pytest

from minutes.models import Meeting
from minutes.search import backend
from minutes.search.backend import BIG_SEGMENT, segments_to_merge
from minutes.search.indexing import backend as index_of

pytestmark = pytest.mark.django_db


@dataclass(eq=False)
class Segment:
    documents: int

    def doc_count_all(self):
        return self.documents


def test_a_big_segment_is_never_merged_by_an_update_however_many_small_ones_wait():
    big = Segment(BIG_SEGMENT * 10)
    small = [Segment(1) for _ in range(30)]
    merging = segments_to_merge([big, *small])
    assert big not in merging
    assert set(merging) == set(small)


def test_small_segments_wait_until_their_tier_is_full():
    tens = [Segment(20), Segment(35), Segment(90)]
    ones = [Segment(1), Segment(2)]
    assert segments_to_merge([*tens, *ones, Segment(BIG_SEGMENT)]) == []
    fourth = Segment(11)
    assert set(segments_to_merge([*tens, fourth, *ones])) == {*tens, fourth}


def test_one_change_at_a_time_keeps_few_segments_and_every_document(settings, meeting, saved):
    settings.MINUTES_SEARCH_ENGINE = "whoosh"
    documents = [meeting(seq=seq) for seq in range(1, 13)]
    for document in documents[:6]:
        document.opening = "改写后的开头。"
        saved(document.save)
    reader = index_of("internal").searcher().reader()
    segments = [segment for segment, _offset in reader.leaf_readers()]
    assert len(segments) < backend.SEGMENTS_PER_TIER * 2
    assert reader.doc_count() == Meeting.objects.count() == 12
