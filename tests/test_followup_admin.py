"""The follow-up in the clerk's desk: handlers are named there; tasks are read there."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minutes import followup
from minutes.models import Organization, OrganizationMember, Task
from tests.conftest import signed_in, visible_text
from tests.factories import make_meeting
from tests.followup_helpers import make_supervisor, task_of

pytestmark = pytest.mark.django_db


def test_an_administrator_names_a_handler_who_may_then_report(staff_client, django_user_model):
    task = task_of(make_meeting(year=2021, seq=15), "市工信局")
    clerk = django_user_model.objects.create_user(
        "gongxin", password="pw-for-tests-only", is_staff=True
    )
    industry = Organization.objects.get(name="市工信局")
    url = reverse("minutes:task-action", args=[task.pk, "progress"])
    data = {"done_on": "2021-05-01", "text": "已启动修改。"}
    assert signed_in(clerk).post(url, data).status_code == 403

    response = staff_client.post(
        reverse("admin:minutes_organizationmember_add"),
        {"user": clerk.pk, "organization": industry.pk},
    )

    assert response.status_code == 302
    assert OrganizationMember.objects.filter(user=clerk, organization=industry).exists()
    assert signed_in(clerk).post(url, data).status_code == 302
    assert task.entries.get().text == "已启动修改。"


def test_a_member_named_twice_is_refused_with_a_message(staff_client, django_user_model):
    make_meeting(year=2021, seq=15)
    clerk = django_user_model.objects.create_user("gongxin", is_staff=True)
    industry = Organization.objects.get(name="市工信局")
    OrganizationMember.objects.create(user=clerk, organization=industry)
    response = staff_client.post(
        reverse("admin:minutes_organizationmember_add"),
        {"user": clerk.pk, "organization": industry.pk},
    )
    assert response.status_code == 200
    assert "该用户已是本单位承办人员。" in visible_text(response)


def test_tasks_read_in_the_admin_with_their_entries_history_and_attachments(
    staff_client, django_user_model, tmp_path, settings
):
    settings.DATA_DIR = tmp_path
    task = task_of(make_meeting(year=2021, seq=15), "市工信局")
    supervisor = make_supervisor(django_user_model)
    followup.add_progress(
        task,
        by=supervisor,
        text="进展说明",
        attachment=SimpleUploadedFile("回执.pdf", b"%PDF-1.4"),
    )

    page = staff_client.get(reverse("admin:minutes_task_change", args=[task.pk]))
    assert page.status_code == 200
    text = visible_text(page)
    assert "进展说明" in text and "回执.pdf" in text
    entry = task.entries.get()
    assert reverse("minutes:task-attachment", args=[entry.pk]) in page.content.decode()
    history = staff_client.get(reverse("admin:minutes_task_history", args=[task.pk]))
    assert history.status_code == 200
    assert staff_client.get(reverse("admin:minutes_task_changelist")).status_code == 200
    assert staff_client.get(reverse("admin:minutes_taskentry_changelist")).status_code == 200


def test_tasks_change_only_through_their_steps_not_in_the_admin(staff_client):
    task = task_of(make_meeting(year=2021, seq=15), "市工信局")
    staff_client.post(
        reverse("admin:minutes_task_change", args=[task.pk]), {"status": Task.Status.DONE}
    )
    task.refresh_from_db()
    assert task.status == Task.Status.PENDING
    assert staff_client.get(reverse("admin:minutes_task_add")).status_code == 403
