"""The search engines and the one chosen by settings (``MINUTES_SEARCH_ENGINE``).

An engine answers ``SearchRequest`` objects (``minutes.search.query``) and keeps its index equal
to the database. ``whoosh`` is the embedded index on disk, the default on SQLite; ``postgres``
keeps the index in the database's own tables, the default on PostgreSQL (README, "Search").
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

ENGINES = {
    "whoosh": "minutes.search.whoosh_engine.WhooshEngine",
    "postgres": "minutes.search.postgres.PostgresEngine",
}


class Engine:
    """What every engine does. Each method's contract is the interface's, not the engine's."""

    name = ""

    def search(self, request):
        """A ``SearchPage`` for ``request``: hits of its page, exact count, facet counts.

        A request with ``audience="public"`` must be unable to match a document that is not
        released to the public, whatever else the request says.
        """
        raise NotImplementedError

    def changed(self, meeting_ids) -> None:
        """Called inside the transaction that changed (or deleted) these documents."""
        raise NotImplementedError

    def drain(self) -> bool:
        """Apply changes left queued after their commit (an engine that writes in the
        transaction has none); True when nothing is left. ``process_search_queue`` calls it."""
        return True

    def rebuild(self, *, out=None, **options) -> int:
        """Index every document anew; returns the number of documents indexed.

        ``options``: ``batch`` (documents per batch) and ``workers`` (processes), which an
        engine may ignore."""
        raise NotImplementedError

    def check(self, *, repair: bool = False, out=None) -> bool:
        """Whether the index matches the database (reporting to ``out``); repair if asked."""
        raise NotImplementedError


def engine_name() -> str:
    return settings.MINUTES_SEARCH_ENGINE


@cache
def _engine(name: str) -> Engine:
    if name not in ENGINES:
        raise ValueError(f"MINUTES_SEARCH_ENGINE: unknown engine {name!r} (one of {list(ENGINES)})")
    return import_string(ENGINES[name])()


def get_engine(name: str | None = None) -> Engine:
    """The engine of that name, by default the one the settings choose."""
    return _engine(name or engine_name())
