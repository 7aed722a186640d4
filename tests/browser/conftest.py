"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server."""

import importlib
import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "screenshots"


@pytest.fixture(scope="session")
def browser(live_server):
    # Asking for the live server here makes the browser close first: its idle keep-alive
    # sockets would otherwise outlive the server and wake request threads whose shared
    # in-memory SQLite connection is already gone. Playwright's sync API runs an event loop in this thread; Django's ORM calls made from
    # the test itself would otherwise be refused as "async unsafe".
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name: str, **options):
        page.screenshot(path=SCREENSHOTS / f"{name}.png", **options)

    return take


@pytest.fixture
def roles(transactional_db):
    """The groups of migration 0003_roles, which a transactional test's flush removes."""
    from django.contrib.auth.models import Group, Permission

    role_permissions = importlib.import_module("minutes.migrations.0003_roles").ROLES
    for name, codenames in role_permissions.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="minutes", codename__in=codenames)
        )
