import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import translation
from haystack import connections

from minutes.models import Role


@pytest.fixture
def staff_client(django_user_model):
    """A signed-in staff member's browser, apart from the anonymous ``client``."""
    user = django_user_model.objects.create_user(
        username="staff", password="pw-for-tests-only", is_staff=True, is_superuser=True
    )
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def visible_text(response) -> str:
    """What a person reads on the page: the HTML without tags, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", "", html))
    return re.sub(r"\s+", " ", text)


def user_in_role(django_user_model, role: str):
    user = django_user_model.objects.create_user(
        username=role, password="pw-for-tests-only", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def clerk(django_user_model):
    return user_in_role(django_user_model, Role.CLERKS)


@pytest.fixture
def reviewer(django_user_model):
    return user_in_role(django_user_model, Role.REVIEWERS)


@pytest.fixture
def reader(django_user_model):
    return user_in_role(django_user_model, Role.READERS)


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """A cache of this process, empty: a test's documents are rolled back at its end, so what
    was cached about them must go too, and two test runs must not share the folder cache."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Code outside a request speaks the English msgids (as before the zh-hans catalogue
    existed); pages still come in the reader's language, which LocaleMiddleware chooses."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def search_tables_flushed_with_the_database(request, django_db_blocker):
    """Empty the PostgreSQL engine's tables after a test that committed for real.

    Django flushes a transactional test's database by truncating its managed tables; the
    search tables are unmanaged (migration 0012 makes them), so their rows would outlive the
    documents and the next test's check would find them extra.
    """
    yield
    marker = request.node.get_closest_marker("django_db")
    committed = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if committed and connection.vendor == "postgresql":
        from minutes.search import postgres

        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {postgres.DOCUMENT}, {postgres.TEXT}")


@pytest.fixture
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
