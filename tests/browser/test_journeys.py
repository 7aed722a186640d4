"""A reader's and the publishing desk's journeys through the site, in a real browser."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group

from minutes.models import Meeting, Role
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-browser-tests")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def staff_member(django_user_model, username, role):
    user = django_user_model.objects.create_user(
        username, password="pw-for-browser-tests", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def test_reader_searches_opens_a_document_follows_an_item_permalink_and_prints_it(
    page, screenshot, search_index
):
    meeting = make_meeting(year=2021, seq=15, session_no=133)
    make_meeting(year=2021, seq=16, session_no=134, opening="听取全市防汛工作情况的汇报。")

    page.goto("/")
    screenshot("home")
    page.locator("#home-search").fill("集成电路")
    page.locator("#home-search").press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert "找到 2 件纪要" in page.locator(".result-count").inner_text()
    assert page.locator(".search-result mark").first.inner_text() == "集成电路"
    screenshot("search", full_page=True)
    page.get_by_role("link", name="〔2021〕15号 苏州市人民政府第133次常务会议纪要").click()
    page.wait_for_url(f"**{meeting.get_absolute_url()}")
    assert page.locator("h1.red-header").inner_text().replace("\n", "") == (
        "苏州市人民政府常务会议纪要"
    )
    screenshot("document", full_page=True)

    page.locator("#item-1 a.permalink").click()
    assert page.url.endswith(f"{meeting.get_absolute_url()}#item-1")
    assert page.locator("#item-1").is_visible()

    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".downloads").is_hidden()
    red = page.locator("h1.red-header").evaluate("e => getComputedStyle(e).color")
    assert red == "rgb(204, 0, 0)"
    screenshot("document-print", full_page=True)


def test_clerk_corrects_and_submits_a_draft_reviewer_publishes_then_withdraws(
    browser, live_server, django_user_model, roles, search_index
):
    staff_member(django_user_model, "clerk", Role.CLERKS)
    staff_member(django_user_model, "reviewer", Role.REVIEWERS)
    draft = make_meeting(status=Meeting.Status.DRAFT, session_no=140, chair="李亚")

    def new_page():
        context = browser.new_context(base_url=live_server.url, locale="zh-CN")
        return context.new_page()

    clerk = new_page()
    sign_in(clerk, "clerk")
    clerk.goto(f"/admin/minutes/meeting/{draft.pk}/change/")
    clerk.fill("#id_chair", "李亚平")
    clerk.click("input[name=_continue]")
    clerk.wait_for_selector(".messagelist")
    clerk.get_by_role("button", name="提交审核").click()
    clerk.wait_for_selector(".messagelist")
    clerk.screenshot(path=str(_shot("admin-submitted")))
    draft.refresh_from_db()
    assert (draft.chair, draft.status) == ("李亚平", Meeting.Status.REVIEW)

    reader = new_page()
    reader.goto("/")
    assert "第140次" not in reader.content()

    reviewer = new_page()
    sign_in(reviewer, "reviewer")
    reviewer.goto(draft.get_absolute_url())
    reviewer.get_by_role("button", name="发布").click()
    reviewer.wait_for_selector(".messages")

    reader.goto("/")
    reader.get_by_role("link", name="苏州市人民政府第140次常务会议纪要").click()
    reader.wait_for_url(f"**{draft.get_absolute_url()}")
    assert "第140次" in reader.request.get(f"{live_server.url}/feeds/atom/").text()
    reader.goto("/search/?q=李亚平")
    assert "第140次" in reader.locator(".results").inner_text()

    reviewer.goto(draft.get_absolute_url())
    reviewer.get_by_role("button", name="撤回").click()
    reviewer.wait_for_selector(".messages")

    assert reader.goto(draft.get_absolute_url()).status == 410  # once public: gone, not missing
    reader.goto("/")
    assert "第140次" not in reader.content()
    assert "第140次" not in reader.request.get(f"{live_server.url}/feeds/atom/").text()
    reader.goto("/search/?q=李亚平")
    assert "第140次" not in reader.locator(".results").inner_text()


@pytest.mark.parametrize("path", ["/", "/minutes/", "document", "/search/?q=集成电路"])
def test_pages_have_no_serious_accessibility_violation(page, path, search_index):
    meeting = make_meeting(year=2021, seq=15)
    page.goto(meeting.get_absolute_url() if path == "document" else path)
    results = Axe().run(page)
    serious = [
        violation["id"]
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_phone_sized_screen_needs_no_horizontal_scroll(browser, live_server, search_index):
    meeting = make_meeting(year=2021, seq=15)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True
    )
    phone = context.new_page()
    for path in ["/", "/minutes/", meeting.get_absolute_url(), "/search/?q=集成电路"]:
        phone.goto(path)
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
    phone.screenshot(path=str(_shot("phone-document")), full_page=True)
    context.close()


def _shot(name):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
