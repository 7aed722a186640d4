"""A clerk imports minutes from another body in a real browser: upload, read the warnings and
the visibility verdict, name the issuer, save, land on the edit page; on a phone too."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from minutes.models import Meeting, Organization, Role
from tests.browser.test_journeys import sign_in, staff_member
from tests.corpus import CORPUS_DIR
from tests.large_minutes import large_minutes

pytestmark = pytest.mark.django_db(transaction=True)
# A district government's minutes that do not print their issuer (../shared/corpus/more/).
NO_ISSUER = CORPUS_DIR / "more" / "docs" / "zhonglou-2025-s9.txt"
ISSUER = "常州市钟楼区人民政府"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def data_folders(tmp_path, settings):
    settings.MINUTES_INCOMING_DIR = tmp_path / "incoming"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MINUTES_DEFAULT_ISSUER = ""


@pytest.fixture
def clerk_page(browser, live_server, django_user_model, roles, search_index):
    def open_page(viewport, name="clerk"):
        staff_member(django_user_model, name, Role.CLERKS)
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", viewport=viewport, is_mobile=viewport == PHONE
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        sign_in(page, name)
        return page

    return open_page


def horizontal_overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def import_without_issuer(page, screenshot, size_name: str):
    Organization.objects.create(name=ISSUER, kind=Organization.Kind.GOVERNMENT)
    page.goto("/admin/minutes/meeting/")
    page.get_by_role("link", name="导入纪要").click()
    page.wait_for_url("**/meeting/import/")
    assert "最大 20 MB" in page.locator(".import-limits").inner_text()
    screenshot(f"import-form-{size_name}", full_page=True)
    page.set_input_files("#id_file", str(NO_ISSUER))
    page.get_by_role("button", name="预览").click()
    page.wait_for_selector("#import-visibility")

    # Where the parser and the import are unsure, beside the field; what the public will see.
    issuer_row = page.locator('[data-field="issuer"]')
    assert "原文未写明发文机关" in issuer_row.inner_text()
    assert "发文机关" in page.locator("#import-missing").inner_text()
    verdict = page.locator("#import-visibility").inner_text()
    assert "即使发布，公众也看不到" in verdict and "此件公开发布" in verdict
    assert "李德森" in page.locator("#import-found").inner_text()
    screenshot(f"import-preview-{size_name}", full_page=True)

    # Saving without an issuer is refused, on the page; naming it saves.
    page.get_by_role("button", name="保存为草稿").click()
    page.wait_for_selector(".import-problems")
    assert Meeting.objects.count() == 0
    page.get_by_label("发文机关").fill(ISSUER)
    page.get_by_role("button", name="保存为草稿").click()
    page.wait_for_url("**/change/")
    meeting = Meeting.objects.get()
    assert page.url.endswith(f"/admin/minutes/meeting/{meeting.pk}/change/")
    assert f"已导入为草稿：{meeting}" in page.locator(".messagelist").inner_text()
    assert meeting.issuer.name == ISSUER
    assert meeting.status == Meeting.Status.DRAFT
    screenshot(f"import-saved-{size_name}", full_page=True)
    return meeting


def test_clerk_imports_minutes_naming_no_issuer_and_names_it(clerk_page):
    page = clerk_page(DESKTOP)
    meeting = import_without_issuer(page, screenshot_of(page), "desktop")
    assert meeting.has_stable_url is False  # zhonglou's text prints no 文号
    assert meeting.title.startswith(ISSUER)


def test_the_same_journey_on_a_phone(clerk_page):
    page = clerk_page(PHONE)
    take = screenshot_of(page)

    def checked(name, **options):
        assert horizontal_overflow(page) <= 0, name
        take(name, **options)

    import_without_issuer(page, checked, "phone")


def serious_violations(page) -> list[str]:
    return [
        violation["id"]
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_import_pages_have_no_serious_accessibility_violation(clerk_page):
    page = clerk_page(DESKTOP)
    page.goto("/admin/minutes/meeting/import/")
    assert serious_violations(page) == []
    page.set_input_files("#id_file", str(NO_ISSUER))
    page.get_by_role("button", name="预览").click()
    page.wait_for_selector("#import-visibility")
    assert serious_violations(page) == []


def test_a_one_megabyte_text_saves_in_the_browser(clerk_page, tmp_path):
    page = clerk_page(DESKTOP)
    big = tmp_path / "一兆纪要.txt"
    # A long document: ten items of five long points each.
    big.write_text(large_minutes(1024 * 1024, items=10, points=5), encoding="utf-8")
    page.goto("/admin/minutes/meeting/import/")
    page.set_input_files("#id_file", str(big))
    page.get_by_role("button", name="预览").click()
    page.wait_for_selector("#import-visibility")
    assert "10 个议题" in page.locator("#import-found").inner_text()
    # The save writes the rows and the search entries, then opens the edit page of the
    # whole document (nested inlines of every decision): slow on a busy machine.
    page.get_by_role("button", name="保存为草稿").click(no_wait_after=True)
    page.wait_for_url("**/change/", timeout=180_000)
    meeting = Meeting.objects.get()
    assert meeting.items.count() == 10
    assert len(meeting.source_text.encode()) >= 1024 * 1024
    assert meeting.source_file.size == big.stat().st_size


def screenshot_of(page):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name, **options):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), **options)

    return take
