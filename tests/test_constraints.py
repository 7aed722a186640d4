"""What must never happen is refused by the database, and by validation with a clear message."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from minutes.models import AgendaItem, Attendance, Decision, Distribution, Meeting, Organization
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def rejected_by_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_two_documents_with_one_doc_number_for_same_issuer_and_kind_are_refused():
    first = make_meeting(year=2021, seq=15)
    duplicate = Meeting(issuer=first.issuer, kind=first.kind, year=2021, seq=15)
    with pytest.raises(ValidationError, match="already has minutes of this kind"):
        duplicate.full_clean()
    rejected_by_database(
        lambda: Meeting.objects.create(issuer=first.issuer, kind=first.kind, year=2021, seq=15)
    )


def test_same_doc_number_is_allowed_for_another_kind_or_issuer():
    first = make_meeting(year=2021, seq=15)
    Meeting.objects.create(issuer=first.issuer, kind=Meeting.Kind.SPECIAL, year=2021, seq=15)
    other = Organization.objects.create(name="无锡市人民政府")
    Meeting.objects.create(issuer=other, kind=first.kind, year=2021, seq=15)
    assert Meeting.objects.filter(year=2021, seq=15).count() == 3


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"year": 2021, "seq": 0}, "sequence number must be positive"),
        ({"year": 2021, "seq": None}, "needs both its year and its sequence"),
        ({"year": 1800, "seq": 3}, "between 1949 and 2100"),
        ({"session_no": 0}, "session number must be positive"),
    ],
)
def test_meeting_numbers_out_of_range_are_refused(fields, message):
    with pytest.raises(ValidationError, match=message):
        Meeting(**fields).full_clean()
    rejected_by_database(lambda: Meeting.objects.create(**fields))


def test_item_number_repeated_within_a_document_is_refused():
    meeting = make_meeting()
    with pytest.raises(ValidationError, match="share a number"):
        AgendaItem(meeting=meeting, number=1, title="重复").full_clean()
    rejected_by_database(lambda: AgendaItem.objects.create(meeting=meeting, number=1, title="x"))


def test_item_number_must_be_positive():
    meeting = make_meeting()
    rejected_by_database(lambda: AgendaItem.objects.create(meeting=meeting, number=0, title="x"))


def test_decision_number_repeated_within_an_item_is_refused():
    item = make_meeting().items.get()
    with pytest.raises(ValidationError, match="share a number"):
        Decision(agenda_item=item, number=1, position=9, text="x").full_clean()
    rejected_by_database(
        lambda: Decision.objects.create(agenda_item=item, number=1, position=9, text="x")
    )


def test_unnumbered_decisions_may_share_an_item():
    item = make_meeting().items.get()
    Decision.objects.create(agenda_item=item, number=None, position=8, text="会议议定：原则同意。")
    Decision.objects.create(agenda_item=item, number=None, position=9, text="另行研究。")
    assert item.decisions.filter(number=None).count() == 2


def test_decision_number_must_be_positive():
    item = make_meeting().items.get()
    rejected_by_database(
        lambda: Decision.objects.create(agenda_item=item, number=0, position=9, text="x")
    )


def test_attendance_needs_a_person_or_an_organization():
    meeting = make_meeting()
    with pytest.raises(ValidationError, match="needs a person or an organization"):
        Attendance(meeting=meeting, role=Attendance.Role.OBSERVER, position=99).full_clean()
    rejected_by_database(
        lambda: Attendance.objects.create(
            meeting=meeting, role=Attendance.Role.OBSERVER, position=99
        )
    )


def test_distribution_positions_are_unique():
    meeting = make_meeting()
    rejected_by_database(
        lambda: Distribution.objects.create(meeting=meeting, position=1, recipient="x")
    )


def test_one_name_at_two_organizations_is_two_attendances():
    meeting = make_meeting()
    same_name = meeting.attendances.filter(person_name="黄戟")
    assert sorted(a.organization.name for a in same_name) == ["市公安局", "市资源规划局"]


def test_representative_without_name_is_kept_with_its_organization():
    meeting = make_meeting()
    entry = meeting.attendances.get(organization__name="武警苏州支队")
    assert entry.person_name == ""
    assert str(entry) == "武警苏州支队的代表"


def test_meeting_reads_as_a_clerk_would_say_it():
    meeting = make_meeting(year=2021, seq=15, session_no=133)
    assert str(meeting) == "〔2021〕15号 第133次常务会议纪要"
    assert meeting.title == "苏州市人民政府第133次常务会议纪要"
