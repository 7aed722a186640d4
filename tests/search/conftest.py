"""Each search test gets its own index on disk, in a temporary folder."""

import pytest

from tests.factories import make_meeting
from tests.search.engines import search_engine  # noqa: F401 (autouse: each engine)


@pytest.fixture(autouse=True)
def _every_search_test_has_its_own_index(search_index):
    return search_index


@pytest.fixture
def saved(django_capture_on_commit_callbacks):
    """Run code as one committed transaction would: its after-commit indexing included."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = function(*args, **kwargs)
        return result

    return run


@pytest.fixture
def meeting(saved):
    """make_meeting, indexed as after a real commit."""

    def create(**overrides):
        return saved(make_meeting, **overrides)

    return create
