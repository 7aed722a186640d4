"""Tasks from published documents, and what corrections and republication do to them."""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from minutes import followup
from minutes.importing import import_parsed
from minutes.models import Meeting, Task, TaskEntry
from minutes.parsing.records import AgendaItem, Decision
from tests.conftest import signed_in
from tests.factories import make_meeting, parsed_minutes
from tests.followup_helpers import make_handler, make_supervisor, task_of

pytestmark = pytest.mark.django_db

ORIGINAL = (
    AgendaItem(
        no=1,
        title="审议《苏州市促进集成电路产业高质量发展的若干措施》",
        decisions=(
            Decision(no=1, text="由市工信局修改完善后报市委。", organizations=("市工信局",)),
            Decision(
                no=2,
                text="市科技局、市财政局要抓好技术攻关。",
                organizations=("市科技局", "市财政局"),
            ),
        ),
    ),
    AgendaItem(
        no=2,
        title="听取全市安全生产工作情况的汇报",
        decisions=(Decision(no=1, text="会议强调，要压实安全责任。", organizations=()),),
    ),
)


def published(items=ORIGINAL, **fields):
    return make_meeting(year=2021, seq=15, items=items, **fields)


def corrected(meeting, items):
    """Withdraw, re-import the corrected text over it (the clerk's route), review, publish."""
    meeting.withdraw()
    import_parsed(parsed_minutes(year=2021, seq=15, items=items), replace=True)
    meeting.refresh_from_db()
    meeting.submit()
    meeting.publish()
    return meeting


def test_publishing_makes_one_task_per_decision_and_organization():
    meeting = make_meeting(year=2021, seq=15, items=ORIGINAL, status=Meeting.Status.REVIEW)
    assert not Task.objects.exists()

    meeting.publish()

    tasks = Task.objects.filter(meeting=meeting).order_by("item_number", "decision_position", "pk")
    assert [(t.decision_reference, t.organization.name, t.status) for t in tasks] == [
        ("一（一）", "市工信局", Task.Status.PENDING),
        ("一（二）", "市科技局", Task.Status.PENDING),
        ("一（二）", "市财政局", Task.Status.PENDING),
    ]
    assert tasks[0].decision_text == "由市工信局修改完善后报市委。"
    assert tasks[0].due_date is None
    assert all(task.history.count() == 1 for task in tasks)


def test_an_import_that_publishes_makes_the_tasks_and_a_draft_has_none():
    published()
    draft = make_meeting(year=2021, seq=16, items=ORIGINAL, status=Meeting.Status.DRAFT)
    assert Task.objects.exclude(meeting=draft).count() == 3
    assert not Task.objects.filter(meeting=draft).exists()


def test_create_tasks_makes_the_missing_ones_for_the_seed_and_then_nothing(capsys):
    call_command("loaddata", "seed", verbosity=0)
    assert not Task.objects.exists()

    call_command("create_tasks")
    assert Task.objects.count() == 16
    assert "1 document(s): 16 task(s) created" in capsys.readouterr().out

    call_command("create_tasks")
    assert Task.objects.count() == 16
    assert "0 document(s): 0 task(s) created" in capsys.readouterr().out


def test_publishing_again_changes_nothing_when_the_decisions_did_not_change():
    meeting = published()
    histories = sorted(Task.history.values_list("history_id", flat=True))

    assert followup.sync_tasks(meeting) == followup.SyncResult()
    assert sorted(Task.history.values_list("history_id", flat=True)) == histories


def test_withdrawing_keeps_the_tasks_and_their_progress(django_user_model):
    meeting = published()
    task = task_of(meeting, "市工信局")
    handler = make_handler(django_user_model, "市工信局")
    followup.add_progress(task, by=handler, text="已起草修改稿。")

    meeting.withdraw()

    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS
    assert task.entries.get().text == "已起草修改稿。"


def test_a_corrected_and_republished_document_keeps_each_task_its_progress_and_due_date(
    django_user_model,
):
    meeting = published()
    task = task_of(meeting, "市工信局")
    followup.add_progress(
        task, by=make_handler(django_user_model, "市工信局"), text="已起草修改稿。"
    )
    followup.set_due_date(
        task, by=make_supervisor(django_user_model), due_date=datetime.date(2021, 6, 30)
    )
    ids = set(Task.objects.values_list("pk", flat=True))
    reworded = (
        AgendaItem(
            no=1,
            title=ORIGINAL[0].title,
            decisions=(
                Decision(
                    no=1,
                    text="由市工信局修改完善后，按程序报市委。",
                    organizations=("市工信局",),
                ),
                ORIGINAL[0].decisions[1],
            ),
        ),
        ORIGINAL[1],
    )

    corrected(meeting, reworded)

    assert set(Task.objects.values_list("pk", flat=True)) == ids
    task.refresh_from_db()
    assert task.decision.text == "由市工信局修改完善后，按程序报市委。"
    assert task.decision_text == task.decision.text
    assert (task.status, task.due_date) == (Task.Status.IN_PROGRESS, datetime.date(2021, 6, 30))
    kinds = list(task.entries.values_list("kind", "text"))
    assert kinds[0] == (TaskEntry.Kind.PROGRESS, "已起草修改稿。")
    assert kinds[-1] == (TaskEntry.Kind.CORRECTED, "由市工信局修改完善后报市委。")
    # The unchanged decision's tasks are linked to the new rows without an entry.
    unchanged = task_of(meeting, "市科技局", position=2)
    assert unchanged.decision.agenda_item.meeting == meeting
    assert not unchanged.entries.exists()


def test_a_renumbered_decision_is_found_again_by_its_text():
    meeting = published()
    task = task_of(meeting, "市工信局")
    inserted = (
        AgendaItem(
            no=1,
            title=ORIGINAL[0].title,
            decisions=(
                Decision(no=1, text="会议原则同意该措施。", organizations=()),
                Decision(no=2, text=ORIGINAL[0].decisions[0].text, organizations=("市工信局",)),
                Decision(no=3, text=ORIGINAL[0].decisions[1].text, organizations=("市科技局",)),
            ),
        ),
    )

    corrected(meeting, inserted)

    task.refresh_from_db()
    assert (task.decision_reference, task.in_document) == ("一（二）", True)
    assert task.entries.get().kind == TaskEntry.Kind.CORRECTED
    assert Task.objects.filter(meeting=meeting).count() == 3


def test_an_organization_taken_out_of_a_decision_keeps_its_task_flagged_and_a_new_one_is_made():
    meeting = published()
    dropped = task_of(meeting, "市财政局", position=2)
    changed = (
        AgendaItem(
            no=1,
            title=ORIGINAL[0].title,
            decisions=(
                ORIGINAL[0].decisions[0],
                Decision(
                    no=2,
                    text="市科技局、市教育局要抓好技术攻关。",
                    organizations=("市科技局", "市教育局"),
                ),
            ),
        ),
    )

    corrected(meeting, changed)

    dropped.refresh_from_db()
    assert dropped.in_document is False
    assert dropped.decision is None
    assert dropped.decision_text == "市科技局、市财政局要抓好技术攻关。"
    assert dropped.status == Task.Status.PENDING
    assert dropped.entries.get().kind == TaskEntry.Kind.REMOVED
    assert task_of(meeting, "市教育局", position=2).in_document
    assert Task.objects.filter(meeting=meeting).count() == 4

    # Publishing once more neither repeats the entry nor duplicates a task.
    meeting.withdraw()
    meeting.submit()
    meeting.publish()
    assert dropped.entries.count() == 1
    assert Task.objects.filter(meeting=meeting).count() == 4


def test_a_decision_put_back_by_a_later_correction_takes_its_task_back():
    meeting = published()
    task = task_of(meeting, "市财政局", position=2)
    without = (
        AgendaItem(
            no=1,
            title=ORIGINAL[0].title,
            decisions=(
                ORIGINAL[0].decisions[0],
                Decision(no=2, text=ORIGINAL[0].decisions[1].text, organizations=("市科技局",)),
            ),
        ),
    )
    corrected(meeting, without)
    task.refresh_from_db()
    assert not task.in_document

    corrected(meeting, ORIGINAL)

    task.refresh_from_db()
    assert task.in_document and task.decision is not None
    assert [e.kind for e in task.entries.all()] == [
        TaskEntry.Kind.REMOVED,
        TaskEntry.Kind.CORRECTED,
    ]
    assert Task.objects.filter(meeting=meeting).count() == 3


def test_a_decision_edited_in_place_in_the_admin_updates_its_task_on_publication():
    meeting = published()
    meeting.withdraw()
    decision = meeting.items.get(number=1).decisions.get(position=1)
    decision.text = "由市工信局修改完善后，报市政府常务会议。"
    decision.save()
    meeting.submit()
    meeting.publish()

    task = task_of(meeting, "市工信局")
    assert task.decision == decision
    assert task.decision_text == "由市工信局修改完善后，报市政府常务会议。"
    assert task.entries.get().text == "由市工信局修改完善后报市委。"


def test_a_document_with_tasks_is_deleted_only_by_someone_who_may_delete_tasks(clerk, staff_client):
    meeting = published()
    meeting.withdraw()  # clerks may delete a withdrawn document, as far as the document goes
    model_admin = site._registry[Meeting]
    request = RequestFactory().get("/")
    request.user = clerk
    _objects, _counts, perms_needed, _protected = model_admin.get_deleted_objects(
        [meeting], request
    )
    assert perms_needed  # the tasks: the admin refuses the clerk's deletion

    url = reverse("admin:minutes_meeting_delete", args=[meeting.pk])
    assert signed_in(clerk).post(url, {"post": "yes"}).status_code == 403
    assert Task.objects.filter(meeting=meeting).count() == 3

    staff_client.post(url, {"post": "yes"})  # a superuser
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert not Task.objects.exists()
    # The history keeps what the tasks were.
    assert Task.history.filter(history_type="-").count() == 3
