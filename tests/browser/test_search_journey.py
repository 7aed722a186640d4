"""A reader's search in a real browser (issue 10, item 1): search, narrow by a facet, type a new
query and keep the filter, remove it by its chip, clear all — at desktop and phone size, with
axe on the way; and a refused query that stays in its box, explained."""

import datetime

import pytest
from django.core.management import call_command

from minutes.parsing.records import Attendee
from tests.browser.test_portal import DESKTOP, PHONE, new_page, serious_violations, shot
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db(transaction=True)


def archive():
    """The seed's 〔2021〕15号 and documents of 2020 and 2021 about 集成电路 and 住房."""
    call_command("loaddata", "seed", verbosity=0)  # first: the fixture names its ids
    for seq in range(1, 4):
        make_meeting(year=2020, seq=seq, meeting_date=datetime.date(2020, 5, seq))
    make_meeting(
        year=2021,
        seq=30,
        opening="会议研究住房保障工作。",
        observers=(Attendee(name="周明", org="市住房城乡建设局"),),
    )


def chip_labels(page) -> list[str]:
    return [label.strip() for label in page.locator(".chip > span:first-child").all_inner_texts()]


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_filters_survive_a_new_query_and_leave_by_their_chips(
    browser, live_server, search_index, size
):
    archive()
    page = new_page(browser, live_server, **(PHONE if size == "phone" else DESKTOP))
    page.goto("/search/")
    start = page.locator(".search-start")
    assert "2020" in start.inner_text() and "常务会议纪要" in start.inner_text()
    shot(page, f"search-empty-{size}")

    page.fill("#id_q", "集成电路")
    page.press("#id_q", "Enter")
    page.wait_for_url("**q=**")
    assert "&title=" not in page.url  # the fields left empty stay out of the address
    everything = page.locator(".search-result").count()
    assert everything == 5

    years = page.get_by_role("group", name="年份")
    with page.expect_navigation():
        years.get_by_role("checkbox", name="2020").check()  # applies itself (site.js)
    assert chip_labels(page) == ["年份：2020"]
    assert page.locator(".search-result").count() == 3

    # A new query in the same box keeps the year.
    page.fill("#id_q", "集成电路 OR 住房")
    with page.expect_navigation():
        page.press("#id_q", "Enter")
    assert "year=2020" in page.url
    assert chip_labels(page) == ["年份：2020"]
    assert page.locator(".search-result").count() == 3

    # Order and dates join the chips; the chips wrap inside a phone's width.
    page.select_option("#id_sort", "newest")
    page.fill("#id_date_from", "2020-01-01")
    with page.expect_navigation():
        page.get_by_role("button", name="应用").click()
    assert chip_labels(page) == ["年份：2020", "起始日期：2020-01-01", "排序：最新在前"]
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert serious_violations(page) == []
    shot(page, f"search-chips-{size}")

    with page.expect_navigation():
        page.get_by_role("link", name="移除筛选条件：年份：2020").click()
    assert "year=" not in page.url
    assert chip_labels(page) == ["起始日期：2020-01-01", "排序：最新在前"]
    assert page.locator(".search-result").count() == everything

    with page.expect_navigation():
        page.get_by_role("link", name="清除全部筛选条件").click()
    assert chip_labels(page) == []
    assert page.input_value("#id_q") == "集成电路 OR 住房"
    assert page.input_value("#id_date_from") == ""


def test_a_refused_query_stays_in_its_box_with_the_reason(browser, live_server, search_index):
    archive()
    page = new_page(browser, live_server, **PHONE)
    page.goto("/search/")
    typed = "苏州市促进集成电路产业高质量发展" * 13  # 208 characters
    page.fill("#id_q", typed)
    with page.expect_navigation():
        page.press("#id_q", "Enter")
    assert page.input_value("#id_q") == typed
    assert "最多只能读取 200 个字" in page.get_by_role("alert").inner_text()
    page.fill("#id_q", "集成电路")
    page.fill("#id_date_from", "2021-12-31")
    page.fill("#id_date_to", "2021-01-01")
    with page.expect_navigation():
        page.press("#id_q", "Enter")
    assert "早于起始日期" in page.get_by_role("alert").inner_text()
    assert page.locator(".search-result").count() == 0
    assert serious_violations(page) == []
    shot(page, "search-refused-phone", full_page=True)

    page.locator("details.search-help summary").click()
    assert page.locator("details.search-help dl").is_visible()
    page.locator("details.advanced-search summary").click()
    page.fill("#id_date_from", "")
    page.fill("#id_date_to", "")
    page.fill("#id_q", "")
    page.fill("#id_doc_number", "2021年15号")
    assert serious_violations(page) == []
    shot(page, "search-help-advanced-phone", full_page=True)
    with page.expect_navigation():
        page.locator("details.advanced-search button").click()
    assert chip_labels(page) == ["文号：〔2021〕15号"]
    assert page.locator(".search-result").count() == 1
