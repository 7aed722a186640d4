"""The steps of a task, each by the role allowed to take it, through the staff pages."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from minutes import followup
from minutes.models import Task, TaskEntry
from tests.conftest import signed_in, visible_text
from tests.factories import make_meeting
from tests.followup_helpers import make_handler, make_supervisor, task_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def task():
    return task_of(make_meeting(year=2021, seq=15), "市工信局")


@pytest.fixture
def supervisor(django_user_model):
    return signed_in(make_supervisor(django_user_model, first_name="督查员"))


@pytest.fixture
def handler(django_user_model, task):
    return signed_in(make_handler(django_user_model, "市工信局", first_name="工信承办人"))


@pytest.fixture
def data_dir(tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.DATA_DIR


def step(client, task, action, data=None, **extra):
    return client.post(reverse("minutes:task-action", args=[task.pk, action]), data or {}, **extra)


def today():
    return timezone.localdate()


def test_a_handler_records_progress_and_the_task_is_in_progress(handler, task):
    response = step(handler, task, "progress", {"done_on": today(), "text": "已召开专题会研究。"})

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS
    entry = task.entries.get()
    assert (entry.kind, entry.text, entry.author_name) == (
        TaskEntry.Kind.PROGRESS,
        "已召开专题会研究。",
        "工信承办人",
    )
    page = visible_text(handler.get(task.get_absolute_url()))
    assert "已召开专题会研究。" in page and "工信承办人" in page


def test_only_the_organizations_handlers_and_supervisors_report_progress(
    django_user_model, task, reader, clerk
):
    other = signed_in(make_handler(django_user_model, "市科技局", username="other"))
    for client in (other, signed_in(reader), signed_in(clerk)):
        response = step(client, task, "progress", {"done_on": today(), "text": "越权填写"})
        assert response.status_code == 403
    assert not task.entries.exists()
    page = visible_text(other.get(task.get_absolute_url()))
    assert "进展由承办单位的承办人员报送" in page


def test_a_supervisor_sets_moves_and_clears_the_due_date(supervisor, handler, task):
    assert step(handler, task, "due_date", {"due-due_date": "2021-06-30"}).status_code == 403

    step(supervisor, task, "due_date", {"due-due_date": "2021-06-30", "due-note": "按市委要求"})
    task.refresh_from_db()
    assert task.due_date == datetime.date(2021, 6, 30)
    step(supervisor, task, "due_date", {"due-due_date": ""})
    task.refresh_from_db()
    assert task.due_date is None
    assert [(e.kind, e.due_date) for e in task.entries.all()] == [
        (TaskEntry.Kind.DUE_DATE, datetime.date(2021, 6, 30)),
        (TaskEntry.Kind.DUE_DATE, None),
    ]


def test_a_due_date_before_the_meeting_is_refused_on_the_page(supervisor, task):
    response = step(supervisor, task, "due_date", {"due-due_date": "2020-01-01"})

    assert response.status_code == 200
    assert "2021-04-12" in visible_text(response)
    task.refresh_from_db()
    assert task.due_date is None and not task.entries.exists()


def test_overdue_is_derived_from_the_due_date_and_ends_when_the_task_is_closed(supervisor, task):
    followup.set_due_date(task, by=supervisor.user, due_date=today() - datetime.timedelta(days=1))
    task.refresh_from_db()
    assert task.is_overdue
    assert list(Task.objects.overdue()) == [task]
    assert Task.objects.overdue(today=today() - datetime.timedelta(days=2)).count() == 0

    step(supervisor, task, "close", {"close-outcome": "done", "close-note": "已报市委。"})
    task.refresh_from_db()
    assert not task.is_overdue and not Task.objects.overdue().exists()
    assert task.closed_on_time is False


def test_report_return_report_and_accept(supervisor, handler, task):
    assert step(handler, task, "report", {"done_on": today(), "text": "修改稿已报市委。"})
    task.refresh_from_db()
    assert task.awaits_acceptance
    assert "report" not in followup.allowed_actions(task, handler.user)

    assert step(handler, task, "return", {"return-reason": "x"}).status_code == 403
    step(supervisor, task, "return", {"return-reason": "请附市委办公室回执。"})
    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS and not task.awaits_acceptance

    step(
        handler,
        task,
        "report",
        {"done_on": today(), "text": "回执已附。"},
    )
    step(supervisor, task, "close", {"close-outcome": "done", "close-note": "同意办结。"})

    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert task.closing_note == "同意办结。"
    assert task.closed_on_time  # no due date: on time
    assert [e.kind for e in task.entries.all()] == [
        TaskEntry.Kind.REPORTED,
        TaskEntry.Kind.RETURNED,
        TaskEntry.Kind.REPORTED,
        TaskEntry.Kind.CLOSED,
    ]
    # A closed task takes no more progress, from anyone.
    assert (
        step(handler, task, "progress", {"done_on": today(), "text": "再补充"}).status_code == 403
    )


def test_no_longer_pursued_needs_its_reason_and_nothing_is_saved_without_it(supervisor, task):
    response = step(supervisor, task, "close", {"close-outcome": "dropped", "close-note": " "})

    assert response.status_code == 200
    assert "请说明不再办理的理由。" in visible_text(response)
    task.refresh_from_db()
    assert task.status == Task.Status.PENDING and not task.entries.exists()

    step(supervisor, task, "close", {"close-outcome": "dropped", "close-note": "事项已调整。"})
    task.refresh_from_db()
    assert task.status == Task.Status.DROPPED


def test_a_supervisor_reopens_a_closed_task(supervisor, task):
    followup.close(task, by=supervisor.user, outcome=Task.Status.DONE, note="办结")
    step(supervisor, task, "reopen", {"reopen-reason": "市委要求再修改。"})

    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS
    assert task.closed_on is None and task.closing_note == ""
    assert task.entries.last().text == "市委要求再修改。"


def test_a_date_in_the_future_is_refused(handler, task):
    tomorrow = today() + datetime.timedelta(days=1)
    response = step(handler, task, "progress", {"done_on": tomorrow, "text": "提前填写"})
    assert response.status_code == 200
    assert not task.entries.exists()


def test_an_attachment_is_kept_under_the_data_folder_and_served_only_to_staff(
    handler, task, data_dir, client, settings
):
    upload = SimpleUploadedFile("回执.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
    step(handler, task, "progress", {"done_on": today(), "text": "附回执。", "attachment": upload})

    entry = task.entries.get()
    stored = Path(entry.attachment.path)
    assert stored.is_relative_to(data_dir / "attachments")
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert entry.attachment_name == "回执.pdf"
    url = reverse("minutes:task-attachment", args=[entry.pk])
    assert url in handler.get(task.get_absolute_url()).content.decode()

    response = handler.get(url)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 receipt"
    assert response["Content-Disposition"].startswith("attachment;")

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("admin:login"))
    with pytest.raises(ValueError):
        entry.attachment.url  # noqa: B018 — never a public address


def test_an_attachment_of_the_wrong_kind_or_too_large_is_refused_by_name(
    handler, task, data_dir, monkeypatch
):
    script = SimpleUploadedFile("说明.html", b"<script>alert(1)</script>")
    response = step(
        handler, task, "progress", {"done_on": today(), "text": "x", "attachment": script}
    )
    assert response.status_code == 200
    assert "html" in visible_text(response)

    monkeypatch.setattr("minutes.followup_forms.ATTACHMENT_MAX_BYTES", 10)
    big = SimpleUploadedFile("大文件.pdf", b"%PDF-1.4 " + b"x" * 100)
    response = step(handler, task, "progress", {"done_on": today(), "text": "x", "attachment": big})
    assert response.status_code == 200
    assert "大文件.pdf" in visible_text(response)
    assert not task.entries.exists()
    assert not (data_dir / "attachments").exists()


def test_every_step_is_in_the_history_with_who_took_it(supervisor, handler, task):
    step(supervisor, task, "due_date", {"due-due_date": "2021-06-30"})
    step(handler, task, "progress", {"done_on": today(), "text": "进展"})
    step(supervisor, task, "close", {"close-outcome": "done"})

    history = list(task.history.order_by("history_id"))
    assert [(h.status, h.history_user) for h in history] == [
        (Task.Status.PENDING, None),
        (Task.Status.PENDING, supervisor.user),
        (Task.Status.IN_PROGRESS, handler.user),
        (Task.Status.DONE, supervisor.user),
    ]
    assert TaskEntry.history.filter(history_type="+").count() == 3


def test_steps_are_post_only_and_an_unknown_step_is_not_found(supervisor, task):
    url = reverse("minutes:task-action", args=[task.pk, "close"])
    assert supervisor.get(url).status_code == 405
    assert step(supervisor, task, "destroy").status_code == 404


def test_a_step_no_longer_open_says_so_instead_of_failing(supervisor, task, django_user_model):
    other = make_supervisor(django_user_model, username="second")
    followup.close(task, by=other, outcome=Task.Status.DONE)
    stale = Task.objects.get(pk=task.pk)
    stale.status = Task.Status.PENDING  # the page the first supervisor still has open
    stale.closed_on = None
    with pytest.raises(followup.TaskError):
        followup.close(stale, by=supervisor.user, outcome=Task.Status.DONE)
