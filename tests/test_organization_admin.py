"""Correcting organisations in the admin: merge a misspelling into the right name, delete the
unused, name the issuer of documents that have none — atomic, in the history, search following."""

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.urls import reverse

from minutes.models import (
    Assignment,
    Attendance,
    Meeting,
    Organization,
)
from minutes.parsing.records import AgendaItem, Attendee, Decision
from tests.conftest import signed_in, visible_text
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db
ORGANIZATIONS = reverse("admin:minutes_organization_changelist")
MEETINGS = reverse("admin:minutes_meeting_changelist")

RIGHT, WRONG = "市工业和信息化局", "市工业和信息化厅"


def misspelt_meeting(**overrides):
    """A document naming the right and the wrong spelling in every place an organisation goes."""
    items = (
        AgendaItem(
            no=1,
            title="审议《若干措施》",
            kind="审议",
            decisions=(
                Decision(
                    no=1,
                    text="由市工业和信息化局牵头，市工业和信息化厅配合。",
                    organizations=(RIGHT, "市科技局", WRONG),
                ),
                Decision(no=2, text="市工业和信息化厅要抓好落实。", organizations=(WRONG,)),
            ),
        ),
    )
    return make_meeting(
        items=items,
        observers=(Attendee(name="王虎", org=WRONG), Attendee(name="李四", org=RIGHT)),
        compiled_office=WRONG,
        **overrides,
    )


def merge(client, organizations, target):
    return client.post(
        ORGANIZATIONS,
        {
            "action": "merge_selected",
            "_selected_action": [o.pk for o in organizations],
            "merge": "1",
            "target": target.pk,
        },
        follow=True,
    )


def test_merging_moves_every_reference_and_collapses_duplicates(staff_client):
    meeting = misspelt_meeting(status=Meeting.Status.DRAFT)
    other = make_meeting(issuer=WRONG, status=Meeting.Status.DRAFT)
    right, wrong = Organization.objects.get(name=RIGHT), Organization.objects.get(name=WRONG)

    response = merge(staff_client, [right, wrong], right)

    assert "已将市工业和信息化厅并入市工业和信息化局" in visible_text(response)
    assert not Organization.objects.filter(name=WRONG).exists()
    meeting.refresh_from_db()
    other.refresh_from_db()
    assert meeting.compiled_office == right
    assert other.issuer == right
    assert Attendance.objects.filter(meeting=meeting, organization=right).count() == 2
    first, second = meeting.items.get().decisions.order_by("position")
    assert [(a.position, a.organization.name) for a in first.assignments.all()] == [
        (1, RIGHT),
        (2, "市科技局"),
    ]
    assert [a.organization.name for a in second.assignments.all()] == [RIGHT]
    assert meeting.as_text().count(WRONG) == 2  # the decisions' own words are not rewritten


def test_a_merge_is_in_each_documents_history_and_in_the_organizations(staff_client):
    meeting = misspelt_meeting(status=Meeting.Status.DRAFT)
    right, wrong = Organization.objects.get(name=RIGHT), Organization.objects.get(name=WRONG)

    merge(staff_client, [right, wrong], right)

    latest = meeting.history.first()
    assert latest.history_change_reason == f"单位“{WRONG}”并入“{RIGHT}”"
    assert latest.history_user == staff_client.user
    assert LogEntry.objects.filter(object_id=str(right.pk), change_message__contains=WRONG)
    assert LogEntry.objects.get(object_id=str(wrong.pk), action_flag=DELETION).object_repr == WRONG


def test_a_merge_brings_the_search_facets_along(
    staff_client, search_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        misspelt_meeting()
    right, wrong = Organization.objects.get(name=RIGHT), Organization.objects.get(name=WRONG)

    def facet():
        data = staff_client.get(reverse("minutes:api-search"), {"q": "若干措施"}).json()
        return {f["value"]: f["count"] for f in data["facets"]["organizations"]}

    assert facet()[WRONG] == 1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        merge(staff_client, [right, wrong], right)
    for callback in callbacks:
        callback()

    assert WRONG not in facet()
    assert facet()[RIGHT] == 1


def test_a_merge_that_would_duplicate_a_doc_number_changes_nothing(staff_client):
    make_meeting(issuer="苏州市人民政府", seq=15, status=Meeting.Status.DRAFT)
    make_meeting(issuer="苏州市人民政府办", seq=15, status=Meeting.Status.DRAFT)
    right = Organization.objects.get(name="苏州市人民政府")
    wrong = Organization.objects.get(name="苏州市人民政府办")

    response = merge(staff_client, [right, wrong], right)

    assert "不能合并" in visible_text(response) and "〔2021〕15号" in visible_text(response)
    assert Organization.objects.filter(name="苏州市人民政府办").exists()
    assert Meeting.objects.filter(issuer=wrong).count() == 1


def test_a_clerk_merges_in_drafts_but_not_in_published_documents(django_user_model, clerk):
    misspelt_meeting(status=Meeting.Status.PUBLISHED)
    right, wrong = Organization.objects.get(name=RIGHT), Organization.objects.get(name=WRONG)

    response = merge(signed_in(clerk), [right, wrong], right)

    assert "只有审核人员才能修改" in visible_text(response)
    assert Organization.objects.filter(name=WRONG).exists()
    assert Assignment.objects.filter(organization=wrong).count() == 2

    Meeting.objects.update(status=Meeting.Status.DRAFT)
    merge(signed_in(clerk), [right, wrong], right)
    assert not Organization.objects.filter(name=WRONG).exists()


def test_a_reviewer_may_merge_in_published_documents(reviewer):
    meeting = misspelt_meeting()
    right, wrong = Organization.objects.get(name=RIGHT), Organization.objects.get(name=WRONG)
    merge(signed_in(reviewer), [right, wrong], right)
    assert not Organization.objects.filter(name=WRONG).exists()
    meeting.refresh_from_db()
    assert meeting.is_public and meeting.compiled_office == right


def test_merging_needs_two_organizations(staff_client):
    right = Organization.objects.create(name=RIGHT)
    response = merge(staff_client, [right], right)
    assert "请选中写错的单位和名称正确的单位" in visible_text(response)


def test_the_merge_page_asks_which_name_is_right(staff_client):
    right = Organization.objects.create(name=RIGHT)
    wrong = Organization.objects.create(name=WRONG)
    page = staff_client.post(
        ORGANIZATIONS, {"action": "merge_selected", "_selected_action": [right.pk, wrong.pk]}
    )
    assert page.status_code == 200
    text = visible_text(page)
    assert "请选择名称正确的单位" in text and RIGHT in text and WRONG in text
    assert Organization.objects.count() == 2


def test_deleting_removes_only_organizations_no_document_names(staff_client):
    make_meeting()
    unused = Organization.objects.create(name="市无关局")
    used = Organization.objects.get(name="市工信局")

    response = staff_client.post(
        ORGANIZATIONS,
        {"action": "delete_unused_selected", "_selected_action": [unused.pk, used.pk]},
        follow=True,
    )

    text = visible_text(response)
    assert "已删除市无关局" in text
    assert "市工信局 未删除：有 1 处提到它（请改用合并）" in text
    assert not Organization.objects.filter(name="市无关局").exists()
    assert Organization.objects.filter(name="市工信局").exists()
    assert LogEntry.objects.get(object_id=str(unused.pk), action_flag=DELETION)


def test_the_list_counts_references_and_filters_the_unused(staff_client):
    make_meeting()
    Organization.objects.create(name="市无关局")
    page = visible_text(staff_client.get(ORGANIZATIONS))
    assert "删除所选的 单位" not in page  # Django's delete would end on "protected"
    unused = visible_text(staff_client.get(ORGANIZATIONS, {"named": "no"}))
    assert "市无关局" in unused and "市工信局" not in unused
    used = visible_text(staff_client.get(ORGANIZATIONS, {"named": "yes"}))
    assert "市工信局" in used and "市无关局" not in used and "1 处" in used


# --- Documents without an issuer.


def name_issuer(client, meetings, name):
    return client.post(
        MEETINGS,
        {
            "action": "name_issuer_selected",
            "_selected_action": [m.pk for m in meetings],
            "apply": "1",
            "issuer": name,
        },
        follow=True,
    )


def test_a_clerk_names_the_issuer_of_drafts_that_have_none(clerk):
    draft = make_meeting(issuer=None, status=Meeting.Status.DRAFT, seq=9)
    named = make_meeting(issuer="苏州市人民政府", status=Meeting.Status.DRAFT)
    published = make_meeting(issuer=None, seq=10)

    response = name_issuer(signed_in(clerk), [draft, named, published], "常州市钟楼区人民政府")

    text = visible_text(response)
    assert "1 份纪要已写明发文机关：常州市钟楼区人民政府" in text
    assert "已有发文机关苏州市人民政府" in text
    assert "只有审核人员才能写明其发文机关" in text
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.issuer.name == "常州市钟楼区人民政府"
    assert draft.has_stable_url
    assert published.issuer is None
    record = draft.history.first()
    assert record.history_change_reason == "写明发文机关：常州市钟楼区人民政府"
    assert record.history_user == clerk


def test_a_reviewer_names_the_issuer_of_a_published_document(reviewer, client):
    published = make_meeting(issuer=None, seq=10)
    old_address = published.get_absolute_url()

    name_issuer(signed_in(reviewer), [published], "宁波市奉化区人民政府")

    published.refresh_from_db()
    assert published.issuer.name == "宁波市奉化区人民政府"
    assert published.history.first().history_user == reviewer
    # The old address leads to the new one, for readers too.
    response = client.get(old_address)
    assert response.status_code == 301
    assert response["Location"] == published.get_absolute_url()
    assert client.get(published.get_absolute_url()).status_code == 200


def test_naming_an_issuer_that_already_has_the_doc_number_is_refused(staff_client):
    make_meeting(issuer="苏州市人民政府", seq=3, status=Meeting.Status.DRAFT)
    orphan = make_meeting(issuer=None, seq=3, status=Meeting.Status.DRAFT)

    response = name_issuer(staff_client, [orphan], "苏州市人民政府")

    assert "已有同类别、文号为〔2021〕3号的纪要" in visible_text(response)
    orphan.refresh_from_db()
    assert orphan.issuer is None


def test_the_name_issuer_page_offers_known_organizations(staff_client):
    orphan = make_meeting(issuer=None, status=Meeting.Status.DRAFT)
    make_meeting(issuer="苏州市人民政府")
    page = staff_client.post(
        MEETINGS, {"action": "name_issuer_selected", "_selected_action": [orphan.pk]}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert '<option value="苏州市人民政府">' in html
    assert 'list="known-issuers"' in html


def test_the_edit_page_asks_for_the_issuer(staff_client):
    orphan = make_meeting(issuer=None, status=Meeting.Status.DRAFT)
    url = reverse("admin:minutes_meeting_change", args=[orphan.pk])
    page = staff_client.get(url)
    form = page.context["adminform"].form
    assert form.fields["issuer"].required
    assert '<label class="required" for="id_issuer">' in page.content.decode()
    assert form.__class__({"kind": "executive"}).errors["issuer"]


def test_a_failing_merge_changes_nothing(staff_client, monkeypatch):
    from minutes import organizations

    meeting = misspelt_meeting(status=Meeting.Status.DRAFT)
    right, wrong = Organization.objects.get(name=RIGHT), Organization.objects.get(name=WRONG)

    def fail(*args, **kwargs):
        raise organizations.OrganizationError("磁盘已满")

    monkeypatch.setattr(organizations, "_move_assignments", fail)
    response = merge(staff_client, [right, wrong], right)

    assert "磁盘已满" in visible_text(response)
    assert not LogEntry.objects.filter(action_flag=DELETION).exists()
    meeting.refresh_from_db()
    assert meeting.compiled_office == wrong
    assert Attendance.objects.filter(organization=wrong).count() == 1
    assert Organization.objects.filter(name=WRONG).exists()


def test_tasks_and_handlers_follow_a_merge_and_twin_tasks_become_one(
    staff_client, django_user_model
):
    from minutes import followup
    from minutes.models import OrganizationMember, Task, TaskEntry
    from tests.followup_helpers import make_handler

    meeting = misspelt_meeting()  # published: one task per decision and organisation
    right, wrong = Organization.objects.get(name=RIGHT), Organization.objects.get(name=WRONG)
    first, second = meeting.items.get().decisions.order_by("position")
    twin_of_wrong = Task.objects.get(decision=first, organization=wrong)
    handler = make_handler(django_user_model, WRONG)
    followup.add_progress(twin_of_wrong, by=handler, text="已起草实施方案")

    merge(staff_client, [right, wrong], right)

    assert not Organization.objects.filter(name=WRONG).exists()
    kept = Task.objects.get(decision=first, organization=right)
    assert Task.objects.filter(decision=first, organization__name=RIGHT).count() == 1
    assert not Task.objects.filter(pk=twin_of_wrong.pk).exists()
    texts = list(kept.entries.values_list("text", flat=True))
    assert "已起草实施方案" in texts
    assert any(WRONG in text for text in texts)  # the entry that says which task joined
    assert kept.entries.filter(kind=TaskEntry.Kind.CORRECTED).count() == 1
    assert Task.objects.get(decision=second).organization == right
    assert OrganizationMember.objects.get(user=handler).organization == right
