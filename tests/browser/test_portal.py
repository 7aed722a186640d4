"""The reader's portal in a real browser (issue 10): catalogue, document page and print,
bodies and people, errors, layout, the admin's history, and axe on every page type."""

import datetime
import io
import re

import pdfplumber
import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group
from django.core.management import call_command

from minutes.models import Meeting, Organization, ReviewedDocument, Role
from tests.browser.conftest import SCREENSHOTS
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def archive():
    """The seed's real 〔2021〕15号 between 〔2021〕14号 and a draft 〔2021〕16号 of the same series,
    and 25 documents of 2020 for the catalogue's pages."""
    call_command("loaddata", "seed", verbosity=0)  # first: the fixture names its ids
    for seq in range(1, 26):
        make_meeting(year=2020, seq=seq, session_no=seq)
    document = Meeting.objects.get(year=2021, seq=15)
    first = make_meeting(year=2021, seq=14, session_no=132, meeting_date=datetime.date(2021, 3, 29))
    make_meeting(year=2021, seq=16, session_no=134, status=Meeting.Status.DRAFT)
    return first, document


def new_page(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **(DESKTOP | options))
    page = context.new_page()
    # Generous: the live server is one process, and the machine is shared.
    page.set_default_timeout(20_000)
    return page


def shot(page, name, **options):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", **options)


def test_reader_browses_the_catalogue_reads_a_document_and_prints_it_with_page_numbers(
    browser, live_server, search_index
):
    first, document = archive()
    page = new_page(browser, live_server)
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)

    page.goto("/")
    assert page.locator("form[role=search]").count() == 1  # one search box on the home page
    shot(page, "home")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="浏览").click()
    pages = page.get_by_role("navigation", name="分页")
    assert pages.get_by_role("link", name="2", exact=True).is_visible()
    assert pages.get_by_role("link", name="末页").is_visible()
    page.select_option("#filter-sort", "number")
    page.get_by_role("button", name="显示").click()
    page.wait_for_url("**sort=number**")
    assert (
        "〔2021〕15号" in page.locator(".meeting-row").first.inner_text()
    )  # the draft's 16 hidden
    pages.get_by_role("link", name="2", exact=True).click()
    assert "sort=number" in page.url and "page=2" in page.url
    page.goto("/minutes/?page=99")
    assert page.locator(".pagination [aria-current=page]").inner_text() == "2"
    shot(page, "browse")

    page.goto("/search/?q=集成电路")
    assert page.locator(".search-result").count() >= 2
    shot(page, "search-top")

    page.goto(document.get_absolute_url())
    crumbs = page.get_by_role("navigation", name="当前位置").locator("li").all_inner_texts()
    assert crumbs == ["首页", "浏览", "2021年", "常务会议纪要", "〔2021〕15号"]
    facts = page.locator(".document-facts").inner_text()
    for fact in ["发文机关：", "苏州市人民政府", "文号：", "会议日期：", "公开方式：", "主动公开"]:
        assert fact in facts
    related = page.locator(".related")
    assert "第134次" not in related.inner_text()  # the draft stays out of the public list
    assert page.get_by_role("button", name="打印").is_visible()  # shown by site.js
    shot(page, "document", full_page=True)
    shot(page, "document-top")  # the first screen, for the README

    observers = page.locator(".attendance-role").nth(1)
    assert observers.locator("dt").inner_text() == "列席："
    assert observers.locator(".representatives").inner_text() == "市委政法委、武警苏州支队的代表"
    entry = observers.locator(".attendee").filter(has_text="吴松青")
    assert entry.inner_text() == "市委统战部吴松青"
    org_color, name_color = entry.evaluate(
        "e => [...e.querySelectorAll('a')].map(a => getComputedStyle(a).color)"
    )
    assert org_color != name_color  # body and person read apart

    with page.expect_navigation(wait_until="domcontentloaded"):
        related.locator(".series a[rel=prev]").click()
    assert page.url.endswith(first.get_absolute_url())

    page.goto(document.get_absolute_url())
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden() and page.locator(".document-facts").is_hidden()
    shot(page, "document-print", full_page=True)
    pdf = page.pdf(format="A4")
    (SCREENSHOTS / "document-print.pdf").write_bytes(pdf)
    with pdfplumber.open(io.BytesIO(pdf)) as printed:
        first_page = printed.pages[0].extract_text()
        second_page = printed.pages[1].extract_text()
        printed.pages[0].to_image(resolution=110).save(SCREENSHOTS / "document-print-page-1.png")
    assert (
        "— 1 —" in first_page
        and "〔2021〕15号" in first_page.split("— 1 —")[0][-40:] + (first_page.split("— 1 —")[1])
    )
    assert "— 2 —" in second_page and "〔2021〕15号" in second_page
    assert missing == []  # no favicon (or any) 404 on the way


def test_names_never_break_on_a_phone_and_no_page_scrolls_sideways(
    browser, live_server, search_index
):
    _first, document = archive()
    phone = new_page(browser, live_server, **PHONE)
    phone.goto(document.get_absolute_url())
    heights = phone.locator(".attendee:not(.representatives)").evaluate_all(
        "es => es.map(e => [e.innerText, e.getBoundingClientRect().height,"
        " parseFloat(getComputedStyle(e).lineHeight)])"
    )
    broken = [text for text, height, line in heights if height > line * 1.5]
    assert broken == []
    shot(phone, "phone-document", full_page=True)
    organization = Organization.objects.get(name="市公安局")
    for path in [
        "/",
        "/minutes/",
        document.get_absolute_url(),
        "/organizations/",
        f"/organizations/{organization.pk}/",
        "/people/",
        "/people/黄戟/",
        "/no/such/page/",
    ]:
        phone.goto(path)
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path


def test_reader_finds_a_body_and_a_person_in_context(browser, live_server, search_index):
    archive()
    page = new_page(browser, live_server)
    page.goto("/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="单位").click()
    assert page.locator("h1").inner_text() == "单位"
    letters = page.get_by_role("navigation", name="按首字母").locator("a").all_inner_texts()
    assert letters == sorted(letters)
    page.get_by_role("link", name="市公安局").click()
    assert "所属政府：苏州市人民政府" in page.locator(".belongs-to").inner_text()
    shot(page, "organization")
    page.goto("/people/")
    page.get_by_role("link", name="李亚平").click()
    rows = page.locator(".appearances tbody tr")
    assert "主持（市长）" in rows.first.inner_text()
    page.goto("/people/黄戟/")
    assert "列席（市公安局）" in page.locator(".appearances").inner_text()
    shot(page, "person")


def test_errors_speak_in_the_sites_voice_and_the_footer_stays_at_the_bottom(
    browser, live_server, search_index
):
    page = new_page(browser, live_server)
    response = page.goto("/no/such/page/")
    assert response.status == 404
    assert page.locator(".site-header .brand").inner_text() == "纪要库"
    assert page.locator("h1").inner_text() == "未找到"
    footer_bottom = page.locator(".site-footer").evaluate("e => e.getBoundingClientRect().bottom")
    assert footer_bottom == pytest.approx(900, abs=1)
    shot(page, "404")
    response = page.goto("/minutes/1/workflow/publish/")
    assert response.status == 405 and "不能直接打开" in page.locator("h1").inner_text()
    api = page.request.get(f"{live_server.url}/api/nothing/")
    assert api.status == 404 and api.json()["error"] == "not_found"

    page.goto("/search/?q=集成电路")
    header = page.locator(".site-nav").evaluate("e => e.getBoundingClientRect().width")
    content = page.locator("main").evaluate("e => e.getBoundingClientRect().width")
    assert header >= content - 32  # the header is as wide as the search page below it

    assert "English" in page.locator("#language").inner_text()
    page.select_option("#language", "en")  # switches at once (site.js)
    page.wait_for_load_state()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert "Search the minutes" in page.locator("h1").inner_text()


def test_a_withdrawn_document_says_so_and_the_history_says_what_happened(
    browser, live_server, django_user_model, roles, search_index
):
    reviewer = django_user_model.objects.create_user(
        "reviewer", password="pw-for-browser-tests", is_staff=True
    )
    reviewer.groups.add(Group.objects.get(name=Role.REVIEWERS))
    django_user_model.objects.create_superuser("chief", password="pw-for-browser-tests")
    meeting = make_meeting(status=Meeting.Status.REVIEW, session_no=150)
    meeting.publish(by=reviewer)

    desk = new_page(browser, live_server)
    desk.goto("/admin/login/")
    desk.fill("#id_username", "reviewer")
    desk.fill("#id_password", "pw-for-browser-tests")
    desk.click("input[type=submit]")
    desk.wait_for_url("**/admin/")
    desk.goto(meeting.get_absolute_url())
    desk.get_by_role("button", name="撤回").click()
    desk.wait_for_selector(".messages")

    reader = new_page(browser, live_server)
    response = reader.goto(meeting.get_absolute_url())
    assert response.status == 410
    notice = reader.locator(".gone-notice").inner_text()
    assert "已不再公开" in notice and re.search(r"自\d{4}年\d{1,2}月\d{1,2}日起", notice)
    assert "第150次" not in reader.content()
    shot(reader, "withdrawn")

    chief = new_page(browser, live_server)
    chief.goto("/admin/login/")
    chief.fill("#id_username", "chief")
    chief.fill("#id_password", "pw-for-browser-tests")
    chief.click("input[type=submit]")
    chief.wait_for_url("**/admin/")
    chief.goto(f"/admin/minutes/meeting/{meeting.pk}/history/")
    history = chief.locator("#change-history").inner_text()
    assert "状态：已发布 → 已撤回" in history and "状态：审核中 → 已发布" in history
    assert "改动" in chief.locator("#change-history thead").inner_text()
    assert "None" not in history and "published" not in history
    shot(chief, "admin-history")


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_every_public_page_type_and_the_import_page_pass_axe(
    browser, live_server, django_user_model, size, search_index
):
    first, document = archive()
    first.withdraw()
    organization = Organization.objects.get(name="市公安局")
    reviewed = ReviewedDocument.objects.first()
    django_user_model.objects.create_superuser("chief", password="pw-for-browser-tests")
    page = new_page(browser, live_server, **(PHONE if size == "phone" else DESKTOP))
    found = {}
    for path in [
        "/",
        "/minutes/?page=2",
        document.get_absolute_url(),
        "/search/?q=集成电路",
        "/search/",
        "/organizations/",
        f"/organizations/{organization.pk}/",
        "/people/",
        "/people/黄戟/",
        f"/reviewed/{reviewed.pk}/",
        "/no/such/page/",
        first.get_absolute_url(),  # 410
    ]:
        page.goto(path)
        found[path] = serious_violations(page)
    page.goto("/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "pw-for-browser-tests")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto("/admin/minutes/meeting/import/")
    found["import"] = serious_violations(page)
    assert {path: ids for path, ids in found.items() if ids} == {}
