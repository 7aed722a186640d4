"""Each search test gets its own index on disk, in a temporary folder."""

import pytest
from haystack import connections

from minutes.search.indexing import drain
from tests.factories import make_meeting


@pytest.fixture(autouse=True)
def search_index(tmp_path, settings):
    """A real Whoosh index under a fresh data folder, as MINUTES_DATA_DIR would give."""
    root = tmp_path / "search"
    paths = {"default": root / "internal", "internal": root / "internal", "public": root / "public"}
    settings.HAYSTACK_CONNECTIONS = {
        alias: {**options, "PATH": paths[alias]}
        for alias, options in settings.HAYSTACK_CONNECTIONS.items()
    }
    previous = {alias: dict(options) for alias, options in connections.connections_info.items()}
    for alias, path in paths.items():
        connections.connections_info[alias]["PATH"] = path
        connections.reload(alias)
    yield root
    for alias, options in previous.items():
        connections.connections_info[alias].update(options)
        connections.reload(alias)


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


__all__ = ["drain"]
