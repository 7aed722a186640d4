"""导入纪要 in the admin: paste or upload -> preview with warnings -> saved as a draft."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minutes.models import Meeting
from tests.corpus import corpus_text

pytestmark = pytest.mark.django_db
IMPORT_URL = reverse("admin:minutes_meeting_import")


def test_changelist_offers_the_import_button(staff_client):
    page = staff_client.get(reverse("admin:minutes_meeting_changelist")).content.decode()
    assert IMPORT_URL in page


def test_pasted_text_is_previewed_then_saved_as_a_draft(staff_client):
    preview = staff_client.post(IMPORT_URL, {"text": corpus_text("suzhou-2021-15"), "preview": "1"})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "〔2021〕15号" in page
    assert "审议《苏州市“十四五”青年发展规划》" in page
    assert Meeting.objects.count() == 0

    saved = staff_client.post(
        IMPORT_URL, {"text": preview.context["form"].cleaned_data["text"], "save": "1"}
    )

    meeting = Meeting.objects.get()
    assert saved.status_code == 302
    assert saved["Location"] == reverse("admin:minutes_meeting_change", args=[meeting.pk])
    assert meeting.status == Meeting.Status.DRAFT
    assert meeting.items.count() == 7
    assert meeting.source_text == corpus_text("suzhou-2021-15")


def test_uploaded_gb18030_file_is_read_and_kept(staff_client):
    upload = SimpleUploadedFile("纪要.txt", corpus_text("suzhou-2023-04").encode("gb18030"))
    preview = staff_client.post(IMPORT_URL, {"file": upload, "preview": "1"})
    assert "〔2023〕4号" in preview.content.decode()
    stored_file = preview.context["stored_file"]
    assert stored_file.startswith("incoming/")

    staff_client.post(
        IMPORT_URL,
        {
            "text": preview.context["form"].cleaned_data["text"],
            "stored_file": stored_file,
            "save": "1",
        },
    )
    meeting = Meeting.objects.get()
    assert meeting.source_file.name == stored_file
    assert meeting.seq == 4


def test_unparseable_text_shows_the_error_with_its_line(staff_client):
    response = staff_client.post(IMPORT_URL, {"text": "随便写的一句话。\n", "preview": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "errornote" in page
    assert "Line 1" in page or "第1行" in page
    assert Meeting.objects.count() == 0


def test_duplicate_doc_number_is_refused_unless_replace(staff_client):
    staff_client.post(IMPORT_URL, {"text": corpus_text("suzhou-2021-15"), "save": "1"})
    again = staff_client.post(IMPORT_URL, {"text": corpus_text("suzhou-2021-15"), "save": "1"})
    assert "already exists" in again.content.decode() or "已" in again.content.decode()
    assert Meeting.objects.count() == 1

    staff_client.post(
        IMPORT_URL, {"text": corpus_text("suzhou-2021-15"), "save": "1", "replace": "on"}
    )
    assert Meeting.objects.count() == 1


def test_anonymous_users_cannot_reach_the_import_page(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_published_document_is_not_replaced_from_the_import_page(staff_client):
    staff_client.post(IMPORT_URL, {"text": corpus_text("suzhou-2021-15"), "save": "1"})
    meeting = Meeting.objects.get()
    meeting.submit()
    meeting.publish()
    changed = corpus_text("suzhou-2021-15").replace("原则同意市安委办", "原则同意市应急局")

    response = staff_client.post(IMPORT_URL, {"text": changed, "save": "1", "replace": "on"})

    assert "请先撤回或退回草稿，再覆盖" in response.content.decode()
    assert "市安委办" in Meeting.objects.get().items.get(number=1).decisions.first().text
