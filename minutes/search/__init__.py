"""Search: the one interface the site talks to (DESIGN §4, §7).

``search(request)`` answers a ``query.SearchRequest``; ``changed(ids)`` is called in the
transaction that changed documents; ``drain()``, ``rebuild()`` and ``check()`` serve the
commands. The engine behind them is chosen by settings (``minutes.search.engines``).
"""


def search(request):
    from minutes.search.engines import get_engine

    return get_engine().search(request)


def changed(meeting_ids) -> None:
    from minutes.search.engines import get_engine

    get_engine().changed([pk for pk in dict.fromkeys(meeting_ids) if pk is not None])


def drain() -> bool:
    """Apply whatever changes wait in a queue; True when none is left."""
    from minutes.search.engines import get_engine

    return get_engine().drain()


def rebuild(*, out=None, **options) -> int:
    from minutes.search.engines import get_engine

    return get_engine().rebuild(out=out, **options)


def check(*, repair: bool = False, out=None) -> bool:
    from minutes.search.engines import get_engine

    return get_engine().check(repair=repair, out=out)
