"""A clerk enters a whole document on the admin's one page."""

import pytest
from django.urls import reverse

from minutes.models import Meeting, Organization, ReviewedDocument
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def whole_document_post(issuer, department, reviewed):
    """What the clerk's browser sends for one document with two items, nested points and all."""
    data = {
        "issuer": str(issuer.pk),
        "kind": "executive",
        "year": "2022",
        "seq": "7",
        "session_no": "150",
        "session_name": "市政府第150次常务会议",
        "meeting_date": "2022-03-01",
        "time_of_day": "afternoon",
        "chair": "吴庆文",
        "chair_title": "市长",
        "place": "",
        "opening": "2022年3月1日下午，吴庆文市长主持召开市政府第150次常务会议。",
        "compiled_office": "",
        "compiled_date": "2022-03-05",
        "printed_office": "",
        "printed_date": "",
        "disclosure": "public",
        "source_text": "",
        "_save": "保存",
    }
    data |= management("items", 2)
    # The browser also sends the empty templates' management forms; Django ignores them.
    data |= management("items-empty-decisions", 0)
    data |= management("items-empty-reviews", 0)
    data |= management("items-empty-decisions-empty-assignments", 0)
    for i, (title, kind) in enumerate(
        [("听取全市安全生产工作情况的汇报", "hear"), ("审议《苏州市住房公积金实施办法》", "review")]
    ):
        data |= {
            f"items-{i}-number": str(i + 1),
            f"items-{i}-kind": kind,
            f"items-{i}-title": title,
        }
        data |= management(f"items-{i}-decisions", 2)
        for j in range(2):
            prefix = f"items-{i}-decisions-{j}"
            data |= {
                f"{prefix}-position": str(j + 1),
                f"{prefix}-number": str(j + 1),
                f"{prefix}-text": f"第{i + 1}项第{j + 1}点：由市住建局牵头落实。",
            }
            data |= management(f"{prefix}-assignments", 1 if j == 0 else 0)
        data |= {
            f"items-{i}-decisions-0-assignments-0-organization": str(department.pk),
            f"items-{i}-decisions-0-assignments-0-position": "1",
        }
        data |= management(f"items-{i}-reviews", 1 if i == 1 else 0)
    data |= {"items-1-reviews-0-document": str(reviewed.pk), "items-1-reviews-0-position": "1"}
    data |= management("attendances", 3)
    for k, (role, name, org) in enumerate(
        [
            ("present", "吴庆文", ""),
            ("observer", "王虎", str(department.pk)),
            ("recorder", "栗涛", ""),
        ]
    ):
        data |= {
            f"attendances-{k}-role": role,
            f"attendances-{k}-position": "1",
            f"attendances-{k}-person_name": name,
            f"attendances-{k}-organization": org,
            f"attendances-{k}-group": "",
        }
    data |= management("distributions", 2)
    data |= {
        "distributions-0-position": "1",
        "distributions-0-recipient": "各市、区人民政府",
        "distributions-1-position": "2",
        "distributions-1-recipient": "市各有关部门和单位",
    }
    return data


def test_admin_add_page_saves_a_whole_document_from_the_clerks_post(staff_client):
    issuer = Organization.objects.create(name="苏州市人民政府")
    department = Organization.objects.create(name="市住建局")
    reviewed = ReviewedDocument.objects.create(title="苏州市住房公积金实施办法")
    add_url = reverse("admin:minutes_meeting_add")
    assert staff_client.get(add_url).status_code == 200

    response = staff_client.post(add_url, whole_document_post(issuer, department, reviewed))

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    meeting = Meeting.objects.get()
    assert meeting.doc_number == "〔2022〕7号"
    assert meeting.status == Meeting.Status.DRAFT
    assert [item.title for item in meeting.items.all()] == [
        "听取全市安全生产工作情况的汇报",
        "审议《苏州市住房公积金实施办法》",
    ]
    second = meeting.items.get(number=2)
    assert [d.label for d in second.decisions.all()] == ["（一）", "（二）"]
    assert [a.organization.name for a in second.decisions.first().assignments.all()] == ["市住建局"]
    assert list(second.reviewed_documents.values_list("title", flat=True)) == [
        "苏州市住房公积金实施办法"
    ]
    assert meeting.attendances.count() == 3
    assert list(meeting.distributions.values_list("recipient", flat=True)) == [
        "各市、区人民政府",
        "市各有关部门和单位",
    ]
    assert meeting.history.count() == 1


def test_admin_refuses_a_repeated_point_number_with_a_message(staff_client):
    issuer = Organization.objects.create(name="苏州市人民政府")
    department = Organization.objects.create(name="市住建局")
    reviewed = ReviewedDocument.objects.create(title="苏州市住房公积金实施办法")
    data = whole_document_post(issuer, department, reviewed)
    data["items-0-decisions-1-number"] = "1"

    response = staff_client.post(reverse("admin:minutes_meeting_add"), data)

    assert response.status_code == 200
    assert Meeting.objects.count() == 0
    assert "请更正" in response.content.decode() or "Please correct" in response.content.decode()


def test_admin_list_shows_doc_number_meeting_and_date(staff_client):
    make_meeting(year=2021, seq=15, session_no=133)
    page = staff_client.get(reverse("admin:minutes_meeting_changelist")).content.decode()
    assert "〔2021〕15号" in page
    assert "苏州市人民政府第133次常务会议纪要" in page
    assert "2021年4月12日" in page


@pytest.mark.parametrize("query", ["〔2021〕15号", "[2021]15号", "2021年15号", "［2021］15"])
def test_admin_search_finds_a_document_by_doc_number_in_any_form(staff_client, query):
    make_meeting(year=2021, seq=15)
    make_meeting(year=2021, seq=16)
    response = staff_client.get(reverse("admin:minutes_meeting_changelist"), {"q": query})
    assert [m.seq for m in response.context["cl"].result_list] == [15]


def test_admin_search_finds_text_of_decisions(staff_client):
    make_meeting(year=2021, seq=15)
    response = staff_client.get(reverse("admin:minutes_meeting_changelist"), {"q": "成果转化"})
    assert [m.seq for m in response.context["cl"].result_list] == [15]
