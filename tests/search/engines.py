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
