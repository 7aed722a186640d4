"""The follow-up of a decision of the seed document, in a real browser: a supervisor sets the
due date, a clerk of the organisation reports progress from a phone, the supervisor accepts
it, and the organisation's page and the statistics show it. Screenshots and axe on the way."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone

from minutes.models import Meeting, Organization, Task, TaskEntry
from tests.browser.conftest import SCREENSHOTS
from tests.followup_helpers import make_handler, make_supervisor

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def seed(transactional_db, roles, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    call_command("loaddata", "seed", verbosity=0)
    call_command("create_tasks", verbosity=0)
    return Meeting.objects.get()


@pytest.fixture
def people(django_user_model, seed):
    make_supervisor(django_user_model, username="duchá", first_name="督查室王")
    make_handler(django_user_model, "市工信局", username="gongxin", first_name="工信局李")


def window(browser, live_server, viewport, **options):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=viewport, **options
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def sign_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-only")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def shot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def no_horizontal_scroll(page) -> bool:
    return (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )


def test_supervisor_sets_a_due_date_clerk_reports_supervisor_closes_and_the_figures_show_it(
    browser, live_server, seed, people
):
    due = timezone.localdate() + datetime.timedelta(days=30)
    supervisor = window(browser, live_server, DESKTOP)
    sign_in(supervisor, "duchá")

    # The document: each decision's tasks beside it; 二（一） assigns work to 市工信局.
    supervisor.goto(seed.get_absolute_url())
    panel = supervisor.locator(".document-tasks")
    assert "二（一）" in panel.inner_text()
    assert serious_violations(supervisor) == []
    panel.locator("li", has_text="二（一）").get_by_role("link", name="市工信局").click()
    supervisor.wait_for_url("**/followup/tasks/*/")
    assert "市工信局：议定事项 二（一）" in supervisor.locator("h1").inner_text()
    supervisor.fill("#id_due-due_date", due.isoformat())
    supervisor.fill("#id_due-note", "按市委要求报送")
    supervisor.get_by_role("button", name="保存时限").click()
    supervisor.wait_for_selector(".messages")
    assert "办理时限已保存。" in supervisor.locator(".messages").inner_text()
    assert due.strftime("%Y年%-m月%-d日") in supervisor.locator(".task-facts").inner_text()
    task_url = supervisor.url
    shot(supervisor, "followup-task-due-date")

    # The clerk of 市工信局, on a phone: the task list, narrowed to the bureau, then the task.
    clerk = window(browser, live_server, PHONE, is_mobile=True)
    sign_in(clerk, "gongxin")
    clerk.goto("/")
    clerk.get_by_role("link", name="督办", exact=True).click()
    clerk.wait_for_url("**/followup/")
    clerk.get_by_label("承办单位").select_option(label="市工信局")
    clerk.get_by_role("button", name="显示").click()
    clerk.wait_for_url("**/followup/?*")
    assert no_horizontal_scroll(clerk)
    shot(clerk, "followup-list-phone")
    clerk.get_by_role("link", name="二（一）").click()
    clerk.wait_for_url(task_url)
    clerk.fill("#id_text", "已按会议讨论意见修改完善，并按程序报送市委。")
    clerk.set_input_files(
        "#id_attachment",
        files=[{"name": "报送函.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 letter"}],
    )
    clerk.get_by_role("button", name="报告办结").click()
    clerk.wait_for_selector(".messages")
    assert "已报告办结" in clerk.locator(".messages").inner_text()
    assert "待确认办结" in clerk.locator(".task-state-line").inner_text()
    assert no_horizontal_scroll(clerk)
    assert serious_violations(clerk) == []
    shot(clerk, "followup-task-reported-phone")

    # The supervisor accepts the completion; the attachment opens for staff.
    supervisor.goto(task_url)
    assert "报送函.pdf" in supervisor.locator(".task-entries").inner_text()
    with supervisor.expect_download() as download:
        supervisor.get_by_role("link", name="附件：报送函.pdf").click()
    assert download.value.suggested_filename == "报送函.pdf"
    assert "确认办结" in supervisor.locator("#close-form h3").inner_text()
    supervisor.fill("#id_close-note", "已报市委，同意办结。")
    supervisor.get_by_role("button", name="办结任务").click()
    supervisor.wait_for_selector(".messages")
    assert "已办结" in supervisor.locator(".task-state-line").inner_text()
    assert "按期" in supervisor.locator(".task-facts").inner_text()
    assert serious_violations(supervisor) == []
    shot(supervisor, "followup-task-closed")
    task = Task.objects.get(organization__name="市工信局", item_number=2, decision_position=1)
    assert (task.status, task.due_date) == (Task.Status.DONE, due)
    assert list(task.entries.values_list("kind", flat=True)) == [
        TaskEntry.Kind.DUE_DATE,
        TaskEntry.Kind.REPORTED,
        TaskEntry.Kind.CLOSED,
    ]

    # The organisation's page: the task among the recently closed; the rest still open.
    supervisor.locator(".breadcrumbs").get_by_role("link", name="市工信局").click()
    supervisor.wait_for_url("**/followup/organizations/*/")
    closed = supervisor.locator("section", has=supervisor.locator("#closed-heading"))
    assert "二（一）" in closed.inner_text()
    open_count = Task.objects.filter(organization__name="市工信局").open().count()
    summary = supervisor.locator(".task-summary").inner_text()
    assert f"{open_count} 未办结" in summary.replace("\n", " ")
    assert serious_violations(supervisor) == []
    shot(supervisor, "followup-organization")

    # The statistics: 市工信局 has one task completed on time.
    supervisor.get_by_role("link", name="统计").click()
    supervisor.wait_for_url("**/statistics/")
    row = supervisor.locator("#followup tbody tr", has_text="市工信局").first
    cells = row.locator("td").all_inner_texts()
    assert cells[3] == "1"  # completed on time (tasks, open, overdue, on time, …)
    assert serious_violations(supervisor) == []
    shot(supervisor, "statistics-staff")
    supervisor.emulate_media(media="print")
    assert supervisor.locator(".site-header").is_hidden()
    assert supervisor.locator(".statistics-sections").is_hidden()
    assert supervisor.locator("svg.chart").nth(4).is_visible()
    assert supervisor.locator("#followup table").is_visible()
    shot(supervisor, "statistics-print")
    supervisor.emulate_media(media="screen")

    # A public reader: the statistics without the follow-up, the document without its tasks.
    reader = window(browser, live_server, PHONE, is_mobile=True)
    reader.goto("/statistics/")
    assert reader.locator("#followup").count() == 0
    assert reader.locator("svg.chart").count() == 4
    assert no_horizontal_scroll(reader)
    assert serious_violations(reader) == []
    shot(reader, "statistics-phone")
    reader.goto(seed.get_absolute_url())
    assert reader.locator(".document-tasks").count() == 0
    assert "已按会议讨论意见修改完善" not in reader.content()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_staff_pages_pass_axe_and_fit_the_screen(browser, live_server, seed, people, viewport):
    page = window(browser, live_server, viewport)
    sign_in(page, "duchá")
    task = Task.objects.order_by("pk").first()
    industry = Organization.objects.get(name="市工信局")
    name = "desktop" if viewport is DESKTOP else "phone"
    for path, shot_name in [
        ("/followup/", "followup-list"),
        (task.get_absolute_url(), "followup-task"),
        (f"/followup/organizations/{industry.pk}/", "followup-organization-open"),
        ("/statistics/", "statistics"),
        (seed.get_absolute_url(), "document-tasks"),
    ]:
        page.goto(path)
        assert serious_violations(page) == [], path
        assert no_horizontal_scroll(page), path
        shot(page, f"{shot_name}-{name}")
