"""The staff's follow-up pages: the task list with its filters and counts, the CSV, an
organisation's tasks, and each decision's tasks beside the document."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from minutes import followup
from minutes.models import Meeting, Organization, Task
from minutes.parsing.records import AgendaItem, Decision
from tests.conftest import visible_text
from tests.factories import make_meeting
from tests.followup_helpers import make_handler, make_supervisor, task_of

pytestmark = pytest.mark.django_db

LIST = reverse("minutes:task-list")


def items_for(*organizations, text="要抓好落实。"):
    return (
        AgendaItem(
            no=1,
            title="研究有关事项",
            decisions=tuple(
                Decision(no=n, text=f"{name}{text}", organizations=(name,))
                for n, name in enumerate(organizations, start=1)
            ),
        ),
    )


@pytest.fixture
def archive(django_user_model):
    """Two documents of 2021 and one of 2019; one task overdue, one closed, one reported."""
    first = make_meeting(year=2021, seq=15, items=items_for("市工信局", "市科技局", "市财政局"))
    second = make_meeting(year=2021, seq=16, items=items_for("市工信局", "市教育局"))
    old = make_meeting(
        year=2019,
        seq=3,
        meeting_date=datetime.date(2019, 5, 6),
        items=items_for("市工信局"),
    )
    supervisor = make_supervisor(django_user_model)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    followup.set_due_date(task_of(first, "市工信局"), by=supervisor, due_date=yesterday)
    followup.close(task_of(first, "市科技局", position=2), by=supervisor, outcome="done")
    handler = make_handler(django_user_model, "市工信局")
    followup.add_progress(task_of(second, "市工信局"), by=handler, text="已完成。", report=True)
    return {"first": first, "second": second, "old": old, "supervisor": supervisor}


def rows(response) -> list[str]:
    """The task rows of a list page: organisation and decision reference of each."""
    return [
        f"{task.organization.name} {task.meeting.doc_number} {task.decision_reference}"
        for task in response.context["tasks"]
    ]


def test_the_list_shows_every_task_with_counts_by_state(staff_client, archive):
    response = staff_client.get(LIST)

    assert len(rows(response)) == 6
    counts = response.context["counts"]
    assert (counts["total"], counts["open"], counts["overdue"], counts["reported"]) == (6, 5, 1, 1)
    assert (counts["pending"], counts["in_progress"], counts["done"]) == (4, 1, 1)
    # Soonest due first: the overdue task leads.
    assert rows(response)[0] == "市工信局 〔2021〕15号 一（一）"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("overdue=on", ["市工信局 〔2021〕15号 一（一）"]),
        ("status=done", ["市科技局 〔2021〕15号 一（二）"]),
        ("status=reported", ["市工信局 〔2021〕16号 一（一）"]),
        ("year=2019", ["市工信局 〔2019〕3号 一（一）"]),
        ("status=open&year=2019", ["市工信局 〔2019〕3号 一（一）"]),
    ],
)
def test_each_filter_narrows_the_list(staff_client, archive, query, expected):
    assert rows(staff_client.get(f"{LIST}?{query}")) == expected


def test_filters_by_organization_and_meeting_and_counts_follow_them(staff_client, archive):
    industry = Organization.objects.get(name="市工信局")
    response = staff_client.get(f"{LIST}?organization={industry.pk}")
    assert sorted(rows(response)) == [
        "市工信局 〔2019〕3号 一（一）",
        "市工信局 〔2021〕15号 一（一）",
        "市工信局 〔2021〕16号 一（一）",
    ]
    assert response.context["counts"]["overdue"] == 1

    second = archive["second"]
    response = staff_client.get(f"{LIST}?meeting={second.pk}")
    assert sorted(rows(response)) == [
        "市工信局 〔2021〕16号 一（一）",
        "市教育局 〔2021〕16号 一（二）",
    ]
    assert str(second) in visible_text(response)


def test_a_filter_value_that_does_not_parse_is_ignored(staff_client, archive):
    response = staff_client.get(f"{LIST}?organization=x&year=abc&status=nonsense&meeting=-1")
    assert response.status_code == 200
    assert len(rows(response)) == 6


def test_the_list_reads_the_same_number_of_queries_for_any_number_of_tasks(staff_client):
    make_meeting(year=2021, seq=1, items=items_for("市工信局"))
    staff_client.get(LIST)  # sessions, caches
    with CaptureQueriesContext(connection) as few:
        staff_client.get(LIST)
    make_meeting(year=2021, seq=2, items=items_for("市科技局", "市财政局", "市教育局", "市民政局"))
    make_meeting(year=2020, seq=2, items=items_for("市公安局", "市商务局"))
    staff_client.get(LIST)
    with CaptureQueriesContext(connection) as many:
        staff_client.get(LIST)
    assert len(many) == len(few)


def test_the_csv_is_streamed_and_holds_the_filtered_tasks(staff_client, archive):
    response = staff_client.get(reverse("minutes:task-export") + "?overdue=on")

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(table) == 2
    header, row = table
    record = dict(zip(header, row, strict=True))
    assert record["文号"] == "〔2021〕15号"
    assert record["承办单位"] == "市工信局"
    assert record["逾期"] == "是"
    assert record["网址"].endswith(task_of(archive["first"], "市工信局").get_absolute_url())


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_stay_text(staff_client):
    meeting = make_meeting(year=2021, seq=1, items=items_for("市工信局"))
    task = task_of(meeting, "市工信局")
    Task.objects.filter(pk=task.pk).update(decision_text='=HYPERLINK("http://x")')
    text = b"".join(staff_client.get(reverse("minutes:task-export")).streaming_content).decode()
    assert "'=HYPERLINK" in text


def test_the_organizations_page_shows_its_open_and_overdue_tasks(staff_client, archive):
    industry = Organization.objects.get(name="市工信局")
    response = staff_client.get(reverse("minutes:organization-tasks", args=[industry.pk]))

    assert response.context["counts"]["open"] == 3
    assert response.context["counts"]["overdue"] == 1
    text = visible_text(response)
    assert "〔2019〕3号" in text and "〔2021〕16号" in text
    assert "逾期" in text
    science = Organization.objects.get(name="市科技局")
    closed = staff_client.get(reverse("minutes:organization-tasks", args=[science.pk]))
    assert [t.decision_reference for t in closed.context["closed_tasks"]] == ["一（二）"]


def test_the_staff_document_page_shows_each_decisions_tasks(staff_client, archive):
    first = archive["first"]
    response = staff_client.get(first.get_absolute_url())
    html = response.content.decode()
    panel = html[html.index('class="document-tasks') :]
    assert "市工信局" in panel and "逾期" in panel
    assert "市科技局" in panel and "已办结" in panel
    assert reverse("minutes:task-detail", args=[task_of(first, "市工信局").pk]) in panel
    assert f"{LIST}?meeting={first.pk}" in panel


def test_the_panel_reads_a_fixed_number_of_queries(staff_client):
    small = make_meeting(year=2021, seq=1, items=items_for("市工信局"))
    large = make_meeting(
        year=2021, seq=2, items=items_for("市工信局", "市科技局", "市财政局", "市教育局")
    )
    counts = []
    for meeting in (small, large):
        staff_client.get(meeting.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            staff_client.get(meeting.get_absolute_url())
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_draft_says_its_tasks_come_with_publication(staff_client):
    draft = make_meeting(year=2021, seq=1, status=Meeting.Status.DRAFT)
    text = visible_text(staff_client.get(draft.get_absolute_url()))
    assert "纪要发布后，其议定事项将生成督办任务。" in text


def test_the_pages_send_anyone_but_staff_to_sign_in(client, reader, archive, django_user_model):
    outsider = django_user_model.objects.create_user("outsider", password="pw-for-tests-only")
    task = task_of(archive["first"], "市工信局")
    industry = Organization.objects.get(name="市工信局")
    urls = [
        LIST,
        reverse("minutes:task-export"),
        task.get_absolute_url(),
        reverse("minutes:task-detail", args=[999_999]),
        reverse("minutes:organization-tasks", args=[industry.pk]),
    ]
    client.force_login(outsider)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login"))


def test_the_counts_follow_each_step_and_the_day(staff_client, archive, monkeypatch):
    assert staff_client.get(LIST).context["counts"]["done"] == 1
    followup.close(
        task_of(archive["old"], "市工信局"), by=archive["supervisor"], outcome=Task.Status.DONE
    )
    response = staff_client.get(LIST)
    assert response.context["counts"]["done"] == 2
    assert staff_client.get(f"{LIST}?status=done").context["page_obj"].paginator.count == 2

    tomorrow = timezone.localdate() + datetime.timedelta(days=40)
    followup.set_due_date(
        task_of(archive["second"], "市工信局"), by=archive["supervisor"], due_date=tomorrow
    )
    assert staff_client.get(LIST).context["counts"]["overdue"] == 1
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow + datetime.timedelta(days=1))
    assert staff_client.get(LIST).context["counts"]["overdue"] == 2


def test_the_organizations_page_shows_the_first_tasks_and_links_to_all(staff_client, monkeypatch):
    monkeypatch.setattr("minutes.followup_views.ON_ORGANIZATION_PAGE", 2)
    industry_url = None
    for seq in (1, 2):
        make_meeting(year=2021, seq=seq, items=items_for("市工信局"))
        industry = Organization.objects.get(name="市工信局")
        industry_url = reverse("minutes:organization-tasks", args=[industry.pk])
        assert "项未办结任务" not in visible_text(staff_client.get(industry_url))
    make_meeting(year=2021, seq=3, items=items_for("市工信局"))
    response = staff_client.get(industry_url)
    assert len(response.context["open_tasks"]) == 2
    assert "在任务清单中查看全部 3 项未办结任务" in visible_text(response)
