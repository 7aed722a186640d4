"""Each save of a document keeps a version of the whole document; staff compare any two."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from minutes import versions as versions_module
from minutes.models import Decision, DocumentVersion, Meeting, Organization, ReviewedDocument
from minutes.versions import changed_parts, line_changes, record_version, side_by_side
from tests.factories import make_meeting
from tests.test_admin_entry import whole_document_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block as if its transaction committed: the versions are taken on commit."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def versions(meeting) -> list[DocumentVersion]:
    return list(meeting.versions.order_by("number"))


def test_an_import_keeps_the_whole_document_as_its_first_version(committed):
    meeting = committed(make_meeting, status=Meeting.Status.DRAFT)
    (first,) = versions(meeting)
    assert first.number == 1
    assert first.text == meeting.as_text()
    assert "由市工信局根据本次会议讨论意见" in first.text  # the decisions, saved after the document
    assert "出席：李亚平 王翔" in first.text
    assert first.status == Meeting.Status.DRAFT
    assert first.reason == "Created"


def test_the_admins_save_is_taken_after_its_inlines(staff_client, committed):
    issuer = Organization.objects.create(name="苏州市人民政府")
    department = Organization.objects.create(name="市住建局")
    reviewed = ReviewedDocument.objects.create(title="苏州市住房公积金实施办法")
    data = whole_document_post(issuer, department, reviewed)

    response = committed(staff_client.post, reverse("admin:minutes_meeting_add"), data)

    assert response.status_code == 302
    meeting = Meeting.objects.get()
    (first,) = versions(meeting)
    assert first.text == meeting.as_text()
    assert "（二）第2项第2点：由市住建局牵头落实。" in first.text
    assert "分送：各市、区人民政府" in first.text
    assert first.user == staff_client.user


def test_an_admin_correction_of_one_decision_is_a_version_naming_the_parts(staff_client, committed):
    issuer = Organization.objects.create(name="苏州市人民政府")
    department = Organization.objects.create(name="市住建局")
    reviewed = ReviewedDocument.objects.create(title="苏州市住房公积金实施办法")
    data = whole_document_post(issuer, department, reviewed)
    committed(staff_client.post, reverse("admin:minutes_meeting_add"), data)
    meeting = Meeting.objects.get()
    change = edit_post(meeting, data)
    change["items-1-decisions-1-text"] = "第2项第2点：由市财政局牵头落实。"

    response = committed(
        staff_client.post, reverse("admin:minutes_meeting_change", args=[meeting.pk]), change
    )

    assert response.status_code == 302
    first, second = versions(meeting)
    assert "由市住建局牵头落实。\n出席" in first.text
    assert "（二）第2项第2点：由市财政局牵头落实。" in second.text
    assert (second.lines_added, second.lines_removed) == (1, 1)
    assert second.user == staff_client.user
    # In the clerk's language, and only the part the clerk changed.
    assert second.reason == "修改了第二项议题的议定事项"


def edit_post(meeting, added):
    """The change form's POST for a document saved from ``added``: each row names its id."""
    data = dict(added)
    items = list(meeting.items.order_by("number"))
    data["items-INITIAL_FORMS"] = str(len(items))
    for i, item in enumerate(items):
        data[f"items-{i}-id"] = str(item.pk)
        data[f"items-{i}-meeting"] = str(meeting.pk)
        decisions = list(item.decisions.order_by("position"))
        data[f"items-{i}-decisions-INITIAL_FORMS"] = str(len(decisions))
        for j, decision in enumerate(decisions):
            data[f"items-{i}-decisions-{j}-id"] = str(decision.pk)
            data[f"items-{i}-decisions-{j}-agenda_item"] = str(item.pk)
            assignments = list(decision.assignments.order_by("position"))
            data[f"items-{i}-decisions-{j}-assignments-INITIAL_FORMS"] = str(len(assignments))
            for k, assignment in enumerate(assignments):
                data[f"items-{i}-decisions-{j}-assignments-{k}-id"] = str(assignment.pk)
                data[f"items-{i}-decisions-{j}-assignments-{k}-decision"] = str(decision.pk)
        reviews = list(item.reviews.order_by("position"))
        data[f"items-{i}-reviews-INITIAL_FORMS"] = str(len(reviews))
        for k, review in enumerate(reviews):
            data[f"items-{i}-reviews-{k}-id"] = str(review.pk)
            data[f"items-{i}-reviews-{k}-agenda_item"] = str(item.pk)
    attendances = list(meeting.attendances.order_by("role", "position"))
    data["attendances-INITIAL_FORMS"] = str(len(attendances))
    by_role = {a.role: a for a in attendances}
    for k in range(3):
        attendance = by_role[data[f"attendances-{k}-role"]]
        data[f"attendances-{k}-id"] = str(attendance.pk)
        data[f"attendances-{k}-meeting"] = str(meeting.pk)
    distributions = list(meeting.distributions.order_by("position"))
    data["distributions-INITIAL_FORMS"] = str(len(distributions))
    for k, distribution in enumerate(distributions):
        data[f"distributions-{k}-id"] = str(distribution.pk)
        data[f"distributions-{k}-meeting"] = str(meeting.pk)
    return data


def test_workflow_moves_keep_a_version_with_who_and_what(committed, reviewer):
    meeting = committed(make_meeting, status=Meeting.Status.REVIEW)
    committed(meeting.publish, by=reviewer)
    committed(meeting.withdraw, by=reviewer)
    first, published, withdrawn = versions(meeting)
    assert [v.status for v in (first, published, withdrawn)] == ["review", "published", "withdrawn"]
    assert published.text == first.text
    assert (published.lines_added, published.lines_removed) == (0, 0)
    assert published.user == reviewer
    assert published.reason == "Published"
    assert withdrawn.reason == "Withdrawn"


def test_a_save_that_changes_nothing_keeps_no_version(committed):
    meeting = committed(make_meeting)
    committed(meeting.save)
    committed(Decision.objects.filter(agenda_item__meeting=meeting).first().save)
    assert len(versions(meeting)) == 1


def test_one_transaction_is_one_version_however_many_parts_it_saves(committed):
    meeting = committed(make_meeting)

    def correct_everything():
        with transaction.atomic():
            for decision in Decision.objects.filter(agenda_item__meeting=meeting):
                decision.text = decision.text.replace("市", "县")
                decision.save()
            meeting.chair = "王翔"
            meeting.save()

    committed(correct_everything)
    first, second = versions(meeting)
    assert second.text.count("县") > first.text.count("县")


def test_a_rolled_back_change_keeps_no_version(committed):
    meeting = committed(make_meeting)

    def failing_change():
        with transaction.atomic():
            decision = Decision.objects.filter(agenda_item__meeting=meeting).first()
            decision.text = "从未保存的文字"
            decision.save()
            transaction.set_rollback(True)

    committed(failing_change)
    assert len(versions(meeting)) == 1
    assert "从未保存的文字" not in meeting.versions.get().text


def test_a_change_to_a_part_inside_a_rolled_back_savepoint_is_not_lost_for_the_rest(committed):
    meeting = committed(make_meeting)

    def change_with_a_failed_step():
        with transaction.atomic():
            try:
                with transaction.atomic():
                    first = Decision.objects.filter(agenda_item__meeting=meeting).first()
                    first.text = "回滚的文字"
                    first.save()
                    raise ValueError("a step that failed")
            except ValueError:
                pass
            last = Decision.objects.filter(agenda_item__meeting=meeting).last()
            last.text = "保存的文字"
            last.save()

    committed(change_with_a_failed_step)
    first, second = versions(meeting)
    assert "保存的文字" in second.text and "回滚的文字" not in second.text


def test_a_version_another_process_kept_meanwhile_gets_the_next_number(committed, monkeypatch):
    meeting = committed(make_meeting)
    Decision.objects.filter(agenda_item__meeting=meeting).update(text="改过的议定")
    describe = versions_module.describe_change

    def another_process_keeps_one_first(last, meeting, text):
        if meeting.versions.count() == 1:
            DocumentVersion.objects.create(
                meeting=meeting,
                number=2,
                text="另一进程的版本",
                status="published",
                disclosure="public",
            )
        return describe(last, meeting, text)

    monkeypatch.setattr(versions_module, "describe_change", another_process_keeps_one_first)
    kept = record_version(meeting.pk)
    assert kept.number == 3
    assert [v.number for v in versions(meeting)] == [1, 2, 3]
    assert "改过的议定" in kept.text


def test_record_versions_keeps_a_first_version_of_documents_saved_before(committed):
    call_command("load_seed", verbosity=0)  # not committed: no version yet
    seed = Meeting.objects.get()
    assert versions(seed) == []
    call_command("record_versions", verbosity=0)
    call_command("record_versions", verbosity=0)
    (first,) = versions(seed)
    assert first.text == seed.as_text()


def test_what_changed_names_the_parts_of_the_document_read_from_both_texts(committed):
    meeting = committed(make_meeting, status=Meeting.Status.DRAFT)

    def correct():
        with transaction.atomic():
            meeting.attendances.filter(person_name="王翔").update(person_name="王翔宇")
            meeting.distributions.filter(position=1).update(recipient="各区人民政府")
            item = meeting.items.get()
            item.title = "审议《苏州市促进集成电路产业发展的若干措施》"
            item.save()
            meeting.disclosure = Meeting.Disclosure.NOT_PUBLIC
            meeting.save()

    committed(correct)
    second = versions(meeting)[1]
    assert second.reason == (
        "Disclosure: Not disclosed；Changed item 一, the attendance, the distribution"
    )
    assert changed_parts("不是纪要", "也不是") == []


# --- Differences ---------------------------------------------------------------------------


def test_line_changes_count_a_changed_line_as_added_and_removed():
    assert line_changes("甲\n乙\n丙", "甲\n乙改\n丙\n丁") == (2, 1)
    assert line_changes("", "甲\n乙") == (2, 0)


def test_side_by_side_pairs_changed_lines_and_marks_the_changed_characters():
    old = "\n".join(["一", "二", "三", "四", "五", "六", "由市工信局落实。", "七", "八", "九"])
    new = "\n".join(
        ["一", "二", "三", "四", "五", "六", "由市财政局落实。", "七", "八", "九", "十"]
    )
    rows = side_by_side(old, new)
    kinds = [row.kind for row in rows]
    # Two lines of context around each change; the three lines between the two changes are
    # fewer than two contexts, so they stay.
    assert kinds == ["skip", "equal", "equal", "replace", "equal", "equal", "equal", "insert"]
    assert rows[0].skipped == 4
    changed = rows[3]
    assert (changed.old.number, changed.new.number) == (7, 7)
    assert [(s.text, s.changed) for s in changed.old.segments] == [
        ("由市", False),
        ("工信", True),
        ("局落实。", False),
    ]
    assert [(s.text, s.changed) for s in changed.new.segments if s.changed] == [("财政", True)]
    assert rows[-1].new.segments[0].text == "十" and rows[-1].old.number is None
    assert [row.kind for row in side_by_side(old, new, context=None)].count("equal") == 9


# --- The pages -----------------------------------------------------------------------------


@pytest.fixture
def corrected(committed, reviewer):
    meeting = committed(make_meeting, status=Meeting.Status.DRAFT)

    def correct():
        with transaction.atomic():
            decision = Decision.objects.filter(agenda_item__meeting=meeting).first()
            decision.text = decision.text.replace("市工信局", "市发改委")
            decision._history_user = reviewer
            decision.save()
            meeting._history_user = reviewer
            meeting.save()

    committed(correct)
    return meeting


def test_staff_see_the_list_of_versions_with_who_when_and_what(staff_client, corrected, reviewer):
    response = staff_client.get(reverse("minutes:meeting-versions", args=[corrected.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert [v.number for v in response.context["versions"]] == [2, 1]
    assert "第 2 版" in page and "第 1 版" in page
    assert "reviewers" in page  # the user who saved the correction
    assert "+1" in page and "−1" in page
    assert 'name="from" value="1" aria-label' in page and "checked" in page


def test_staff_compare_two_versions_side_by_side(staff_client, corrected):
    url = reverse("minutes:meeting-version-diff", args=[corrected.pk])
    page = staff_client.get(url, {"from": 1, "to": 2}).content.decode()
    assert "<del>工信局</del>" in page
    assert "<ins>发改委</ins>" in page
    assert page.count('class="diff-replace"') == 1
    assert "未改动" in page  # unchanged lines far from the change are folded
    whole = staff_client.get(url, {"from": 1, "to": 2, "all": 1}).content.decode()
    assert "未改动" not in whole and "出席：李亚平 王翔" in whole
    default = staff_client.get(url)
    assert (default.context["old"].number, default.context["new"].number) == (1, 2)


def test_comparing_a_version_that_does_not_exist_is_a_404(staff_client, corrected):
    url = reverse("minutes:meeting-version-diff", args=[corrected.pk])
    assert staff_client.get(url, {"from": 1, "to": 9}).status_code == 404
    assert staff_client.get(url, {"from": "x"}).status_code == 404
    other = make_meeting()
    assert (
        staff_client.get(reverse("minutes:meeting-version-diff", args=[other.pk])).status_code
        == 404
    )


def test_versions_of_a_published_document_are_staff_only(client, committed):
    meeting = committed(make_meeting)
    for url in (
        reverse("minutes:meeting-versions", args=[meeting.pk]),
        reverse("minutes:meeting-version-diff", args=[meeting.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_staff_document_page_links_to_its_versions(staff_client, committed):
    meeting = committed(make_meeting)
    page = staff_client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("minutes:meeting-versions", args=[meeting.pk]) in page


def test_record_version_of_a_deleted_document_is_nothing(committed):
    meeting = committed(make_meeting)
    pk = meeting.pk
    meeting.delete()
    assert record_version(pk) is None
    assert not DocumentVersion.objects.filter(meeting_id=pk).exists()
