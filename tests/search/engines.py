"""The search engines a test run can exercise: Whoosh always, PostgreSQL on PostgreSQL.

``search_engine`` is autouse in ``tests/search`` (imported by its conftest): every search test
runs once per engine available on the test database, with ``MINUTES_SEARCH_ENGINE`` set, so
both engines pass the same suite (issue 9).
"""

import pytest
from django.db import connection


def available_engines() -> list[str]:
    engines = ["whoosh"]
    if connection.vendor == "postgresql":
        engines.append("postgres")
    return engines


@pytest.fixture(params=available_engines(), autouse=True)
def search_engine(request, settings):
    """The name of the engine this run of the test uses (and the settings choose)."""
    settings.MINUTES_SEARCH_ENGINE = request.param
    return request.param


def public_side_bytes(engine: str, index_root) -> bytes:
    """Everything the public side of an engine holds, as bytes to look for a word in.

    Whoosh: the files of the public index. PostgreSQL: every row the public search role can
    read (its views), read under that role.
    """
    if engine == "whoosh":
        return b"".join(path.read_bytes() for path in (index_root / "public").resolve().iterdir())
    from django.db import transaction

    from minutes.search import postgres

    postgres.flush()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {postgres.ROLE}")
        cursor.execute(
            f"SELECT coalesce(string_agg(d::text, ' '), '') FROM {postgres.PUBLIC_DOCUMENT} d "
            f"UNION ALL SELECT coalesce(string_agg(t::text, ' '), '') FROM {postgres.PUBLIC_TEXT} t"
        )
        text = " ".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return text.encode()
