"""导入纪要 in the admin: paste or upload -> preview (the text waits on the server) -> a draft."""

import dataclasses
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minutes import importing, incoming
from minutes.models import Meeting, Organization
from minutes.parsing import ParseWarning, parse
from tests.conftest import signed_in, visible_text
from tests.corpus import corpus_names, corpus_path, corpus_text

pytestmark = pytest.mark.django_db
IMPORT_URL = reverse("admin:minutes_meeting_import")


def more_text(name: str) -> str:
    """A document of ../shared/corpus/more/ (other bodies; most name no issuer)."""
    return corpus_text(name)


@pytest.fixture(autouse=True)
def data_folders(tmp_path, settings):
    """Waiting imports and stored sources in this test's own folders."""
    settings.MINUTES_INCOMING_DIR = tmp_path / "incoming"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MINUTES_DEFAULT_ISSUER = ""
    return tmp_path


def waiting_imports(settings) -> list:
    folder = settings.MINUTES_INCOMING_DIR
    return sorted(folder.iterdir()) if folder.exists() else []


def preview(client, **data):
    """Post a text or a file; follow to its preview. (response, preview URL)"""
    response = client.post(IMPORT_URL, {"preview": "1", **data})
    assert response.status_code == 302, visible_text(response)
    url = response["Location"]
    return client.get(url), url


def save(client, url, **choices):
    return client.post(url, {"save": "1", **choices})


def test_changelist_offers_the_import_button(staff_client):
    page = staff_client.get(reverse("admin:minutes_meeting_changelist")).content.decode()
    assert IMPORT_URL in page


def test_the_form_states_the_limits_and_formats(staff_client, settings):
    settings.MINUTES_IMPORT_MAX_BYTES = 20 * 1024 * 1024
    page = visible_text(staff_client.get(IMPORT_URL))
    assert "20 MB" in page and "2.5 MB" in page
    assert ".docx" in page and "GB18030" in page
    assert "24 小时" in page


def test_pasted_text_is_previewed_then_saved_as_a_draft(staff_client, settings):
    page, url = preview(staff_client, text=corpus_text("suzhou-2021-15"))
    text = visible_text(page)
    assert page.status_code == 200
    assert "〔2021〕15号" in text
    assert "审议《苏州市“十四五”青年发展规划》" in text
    assert Meeting.objects.count() == 0
    assert len(waiting_imports(settings)) == 1
    # The page carries the token, never the text back to the server.
    assert 'name="text"' not in page.content.decode()

    saved = save(staff_client, url)

    meeting = Meeting.objects.get()
    assert saved.status_code == 302
    assert saved["Location"] == reverse("admin:minutes_meeting_change", args=[meeting.pk])
    assert meeting.status == Meeting.Status.DRAFT
    assert meeting.items.count() == 7
    assert meeting.source_text == corpus_text("suzhou-2021-15")
    assert waiting_imports(settings) == []


def test_uploaded_gb18030_file_is_read_and_kept_with_the_document(staff_client, settings):
    original = corpus_text("suzhou-2023-04").encode("gb18030")
    page, url = preview(staff_client, file=SimpleUploadedFile("纪要.txt", original))
    assert "〔2023〕4号" in visible_text(page)
    assert "纪要.txt" in visible_text(page)

    save(staff_client, url, issuer="苏州市人民政府")

    meeting = Meeting.objects.get()
    assert meeting.seq == 4
    assert meeting.source_file.name.startswith("sources/")
    assert meeting.source_file.read() == original
    assert waiting_imports(settings) == []


CORPUS = [corpus_path(name) for name in corpus_names()]


@pytest.mark.parametrize("path", CORPUS, ids=[path.stem for path in CORPUS])
def test_every_corpus_document_previews_and_saves_whole(staff_client, path):
    text = path.read_text(encoding="utf-8")
    page, url = preview(staff_client, file=SimpleUploadedFile(path.name, text.encode()))
    assert page.status_code == 200
    assert "公众" in visible_text(page)  # the visibility verdict

    saved = save(staff_client, url, issuer="" if parse(text).issuer else "某某市人民政府")

    meeting = Meeting.objects.get()
    assert saved["Location"] == reverse("admin:minutes_meeting_change", args=[meeting.pk])
    assert meeting.source_text == text
    assert meeting.issuer is not None
    assert meeting.items.count() == len(parse(text).items)


def test_a_word_file_is_read_and_kept_as_received(staff_client, tmp_path):
    import docx

    document = docx.Document()
    for line in corpus_text("suzhou-2021-15").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "纪要.docx"
    document.save(path)

    page, url = preview(staff_client, file=SimpleUploadedFile("纪要.docx", path.read_bytes()))
    assert "〔2021〕15号" in visible_text(page)
    save(staff_client, url)

    meeting = Meeting.objects.get()
    assert meeting.items.count() == 7
    assert meeting.source_file.name.endswith(".docx")
    assert meeting.source_file.read() == path.read_bytes()


def test_unparseable_text_shows_the_error_with_its_line_and_keeps_nothing(staff_client, settings):
    response = staff_client.post(IMPORT_URL, {"text": "随便写的一句话。\n", "preview": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "errornote" in page
    assert "第1行" in page
    assert Meeting.objects.count() == 0
    assert waiting_imports(settings) == []


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("空.txt", b"", "所提交的是空文件"),
        ("binary.txt", b"\x00\x01\x02\x03" * 100, "不是文本文件"),
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00", "格式 .exe 不受支持"),
        ("big5.txt", "會議紀要：市長主持".encode("big5") + b"\xff\xfe\xfd", "编码无法识别"),
        ("scan.pdf", b"%PDF-1.4 not really a pdf", "不是有效的 PDF 文件"),
        ("broken.docx", b"PK\x03\x04 not a zip", "不是有效的 .docx 文件"),
        ("prose.txt", "今天天气很好，我们去公园散步。\n".encode(), "未找到会议纪要的结构"),
    ],
)
def test_bad_files_get_a_clear_message_and_nothing_is_kept(
    staff_client, settings, name, content, expected
):
    response = staff_client.post(
        IMPORT_URL, {"file": SimpleUploadedFile(name, content), "preview": "1"}
    )
    assert response.status_code == 200
    assert expected in visible_text(response)
    assert Meeting.objects.count() == 0
    assert waiting_imports(settings) == []


def test_an_empty_form_asks_for_a_text(staff_client):
    response = staff_client.post(IMPORT_URL, {"text": "  \n", "preview": "1"})
    assert "请粘贴纪要文本或选择文件" in visible_text(response)


def test_a_file_over_the_limit_is_refused_on_the_form(staff_client, settings):
    settings.MINUTES_IMPORT_MAX_BYTES = 4096
    big = corpus_text("suzhou-2021-15").encode()  # 12 KB
    response = staff_client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("大文件.txt", big), "preview": "1"}
    )
    assert response.status_code == 200
    text = visible_text(response)
    assert "大文件.txt" in text and "4 KB" in text and "导入最多接受" in text
    assert waiting_imports(settings) == []


def test_pasted_text_over_the_request_limit_is_a_message_not_a_400(staff_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024
    response = staff_client.post(
        IMPORT_URL, {"text": corpus_text("suzhou-2021-15"), "preview": "1"}
    )
    assert response.status_code == 200
    text = visible_text(response)
    assert "粘贴的文本大于" in text and "上传" in text
    assert waiting_imports(settings) == []


def test_duplicate_doc_number_is_refused_unless_replace(staff_client):
    _page, url = preview(staff_client, text=corpus_text("suzhou-2021-15"))
    save(staff_client, url)
    page, url = preview(staff_client, text=corpus_text("suzhou-2021-15"))
    assert "已存在" in visible_text(page)  # said in the preview, before any save

    again = save(staff_client, url)

    assert again.status_code == 200
    assert "已存在" in visible_text(again)
    assert Meeting.objects.count() == 1
    first = Meeting.objects.get()

    replaced = save(staff_client, url, replace="on")

    assert replaced.status_code == 302
    assert Meeting.objects.get().pk == first.pk


def test_anonymous_users_cannot_reach_the_import_pages(client, staff_client):
    _page, url = preview(staff_client, text=corpus_text("suzhou-2021-15"))
    for address in (IMPORT_URL, url, f"{url}source/"):
        response = client.get(address)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    assert client.post(url, {"save": "1"}).status_code == 302
    assert Meeting.objects.count() == 0


def test_only_the_clerk_who_made_an_import_can_see_or_save_it(
    staff_client, django_user_model, settings
):
    _page, url = preview(staff_client, text=corpus_text("suzhou-2021-15"))
    other = signed_in(
        django_user_model.objects.create_user("other", is_staff=True, is_superuser=True)
    )

    for response in (other.get(url), other.post(url, {"save": "1"})):
        assert response.status_code == 302
        assert response["Location"] == IMPORT_URL
    assert "不再等待保存" in visible_text(other.get(IMPORT_URL))
    assert Meeting.objects.count() == 0
    assert len(waiting_imports(settings)) == 1


def test_an_expired_import_is_gone_with_a_message(staff_client, settings, monkeypatch):
    _page, url = preview(staff_client, text=corpus_text("suzhou-2021-15"))
    later = time.time() + settings.MINUTES_IMPORT_EXPIRY_HOURS * 3600 + 1
    monkeypatch.setattr(incoming.time, "time", lambda: later)

    response = save(staff_client, url)

    assert response["Location"] == IMPORT_URL
    assert "24 小时" in visible_text(staff_client.get(IMPORT_URL))
    assert Meeting.objects.count() == 0
    assert waiting_imports(settings) == []


@pytest.mark.parametrize("token", ["..", "x" * 43, "a.b" * 15, "short"])
def test_a_made_up_token_finds_nothing(staff_client, token):
    response = staff_client.get(f"{IMPORT_URL}{token}/")
    assert response.status_code == 302
    assert response["Location"] == IMPORT_URL


def test_saving_twice_imports_once(staff_client):
    _page, url = preview(staff_client, text=more_text("zhonglou-2025-s9"))
    assert save(staff_client, url, issuer="常州市钟楼区人民政府").status_code == 302
    second = save(staff_client, url, issuer="常州市钟楼区人民政府")
    assert second["Location"] == IMPORT_URL
    assert Meeting.objects.count() == 1


def test_a_save_failing_midway_keeps_nothing_and_the_import_waits(
    staff_client, settings, monkeypatch, data_folders
):
    from django.db import DatabaseError

    original = corpus_text("suzhou-2021-15").encode()
    _page, url = preview(staff_client, file=SimpleUploadedFile("a.txt", original))

    def fail(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(importing, "_save_attendance", fail)
    response = save(staff_client, url)

    assert response.status_code == 200
    assert "未能保存" in visible_text(response) and "disk full" in visible_text(response)
    assert Meeting.objects.count() == 0
    assert Organization.objects.count() == 0
    stored = data_folders / "media" / "sources"
    assert not stored.exists() or not any(stored.rglob("*.txt"))
    assert len(waiting_imports(settings)) == 1

    monkeypatch.undo()
    assert save(staff_client, url).status_code == 302
    assert Meeting.objects.count() == 1


def test_a_broken_constraint_is_a_message_and_nothing_is_saved(staff_client, settings):
    # The parser reads 第0次 as written; the archive's constraint refuses a session 0.
    text = corpus_text("suzhou-2021-15").replace("第133次", "第0次")
    _page, url = preview(staff_client, text=text)
    response = save(staff_client, url)
    assert response.status_code == 200
    assert "会议次数须为正数" in visible_text(response)
    assert Meeting.objects.count() == 0
    assert len(waiting_imports(settings)) == 1


def test_a_published_document_is_not_replaced_from_the_import_page(staff_client):
    _page, url = preview(staff_client, text=corpus_text("suzhou-2021-15"))
    save(staff_client, url)
    meeting = Meeting.objects.get()
    meeting.submit()
    meeting.publish()
    changed = corpus_text("suzhou-2021-15").replace("原则同意市安委办", "原则同意市应急局")

    _page, url = preview(staff_client, text=changed)
    response = save(staff_client, url, replace="on")

    assert "请先撤回或退回草稿，再覆盖" in response.content.decode()
    assert "市安委办" in Meeting.objects.get().items.get(number=1).decisions.first().text


# --- Where the parser is unsure: each warning beside its field, and a summary on top.


def with_warnings(monkeypatch, *warnings, only=False):
    """The parser as used by the import, giving these warnings as well (or ``only`` these)."""

    def parse_with_warnings(text, **options):
        parsed = parse(text, **options)
        kept = () if only else parsed.warnings
        return dataclasses.replace(parsed, warnings=(*kept, *warnings))

    monkeypatch.setattr(importing, "parse", parse_with_warnings)


def field_box(page, field: str) -> str:
    """The text of the preview's part (table row or section) that shows ``field``."""
    html = page.content.decode()
    match = re.search(rf'<(tr|section)[^>]*data-field="{field}"[^>]*>(.*?)</\1>', html, flags=re.S)
    assert match, field
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(2)))


def test_each_warning_is_shown_beside_the_field_it_concerns(staff_client, monkeypatch):
    with_warnings(
        monkeypatch,
        ParseWarning(7, "主持人未能识别", field="chair"),
        ParseWarning(3, "文号的括号不规范", field="doc_number"),
        ParseWarning(11, "议题标题似乎在下一行继续", field="items"),
        ParseWarning(60, "文本似乎在此处中断", field="text"),
    )
    page, _url = preview(staff_client, text=corpus_text("suzhou-2021-15"))

    assert "主持人未能识别" in field_box(page, "chair")
    assert "第7行" in field_box(page, "chair")
    assert "文号的括号不规范" in field_box(page, "doc_number")
    assert "主持人未能识别" not in field_box(page, "doc_number")
    assert "议题标题似乎在下一行继续" in field_box(page, "items")
    assert "文本似乎在此处中断" in field_box(page, "text")
    # ...and on their source lines.
    html = page.content.decode()
    line_7 = re.search(r'<li id="line-7"[^>]*>(.*?)</li>', html, flags=re.S).group(1)
    assert "主持人未能识别" in line_7
    assert "4" in field_box_summary(page)


def field_box_summary(page) -> str:
    html = page.content.decode()
    return re.search(r'id="import-warning-count">(.*?)</dd>', html, flags=re.S).group(1)


def test_the_summary_says_what_was_found_and_what_is_missing(staff_client):
    page, _url = preview(staff_client, text=more_text("zhonglou-2025-s9"))
    html = page.content.decode()
    found = re.search(r'id="import-found">(.*?)</dd>', html, flags=re.S).group(1)
    missing = re.search(r'id="import-missing">(.*?)</dd>', html, flags=re.S).group(1)
    assert "2025-09-23" in found and "李德森" in found and "个议题" in found
    for part in ("发文机关", "文号", "记录人"):
        assert part in missing
    assert "会议日期" not in missing
    # The issuer row says the text names none, beside the field.
    assert "未写明发文机关" in field_box(page, "issuer")


def test_the_preview_says_whether_the_public_will_see_the_document(staff_client):
    page, url = preview(staff_client, text=more_text("zhonglou-2025-s9"))
    verdict = visible_text(page)
    assert "即使发布，公众也看不到" in verdict
    assert "原文没有“此件公开发布”" in verdict and "依申请公开" in verdict

    again = staff_client.post(url, {"check": "1", "issuer": "", "disclosure": "public"})
    assert again.status_code == 302
    assert "发布后公众可见：您选择了公开属性“主动公开”" in visible_text(staff_client.get(url))

    public_source, _url = preview(staff_client, text=corpus_text("suzhou-2021-15"))
    assert "发布后公众可见：原文写明“此件公开发布”" in visible_text(public_source)


def test_the_disclosure_chosen_on_the_form_is_saved_and_the_source_line_is_not_invented(
    staff_client,
):
    _page, url = preview(staff_client, text=more_text("zhonglou-2025-s9"), disclosure="public")
    save(staff_client, url, issuer="常州市钟楼区人民政府", disclosure="public")
    meeting = Meeting.objects.get()
    assert meeting.disclosure == Meeting.Disclosure.PUBLIC
    assert meeting.source_public is False
    assert "此件公开发布" not in meeting.as_text()


# --- The issuer the text does not name.


def test_a_text_naming_no_issuer_is_not_saved_until_the_clerk_names_it(staff_client):
    page, url = preview(staff_client, text=more_text("zhonglou-2025-s9"))
    assert "请写明发文机关" in visible_text(page)

    refused = save(staff_client, url)

    assert refused.status_code == 200
    assert "请写明发文机关" in visible_text(refused)
    assert Meeting.objects.count() == 0

    saved = save(staff_client, url, issuer=" 常州市钟楼区人民政府 ")

    meeting = Meeting.objects.get()
    assert saved["Location"] == reverse("admin:minutes_meeting_change", args=[meeting.pk])
    assert meeting.issuer.name == "常州市钟楼区人民政府"
    assert meeting.title.startswith("常州市钟楼区人民政府")
    assert meeting.issuer.kind == Organization.Kind.GOVERNMENT


def test_a_named_issuer_gives_the_stable_address(staff_client):
    issuer = Organization.objects.create(name="苏州市人民政府")
    text = corpus_text("suzhou-2021-15").replace("苏州市人民政府 常务会议纪要", "常务会议纪要")
    page, url = preview(staff_client, text=text, issuer="苏州市人民政府")
    assert f"/minutes/{issuer.pk}/executive/2021/15/" in page.content.decode()
    save(staff_client, url, issuer="苏州市人民政府")
    meeting = Meeting.objects.get()
    assert meeting.get_absolute_url() == f"/minutes/{issuer.pk}/executive/2021/15/"


def test_the_clerks_issuer_wins_over_the_texts_and_the_preview_says_so(staff_client):
    page, url = preview(staff_client, text=corpus_text("suzhou-2021-15"), issuer="苏州市政府")
    note = field_box(page, "issuer")
    assert "原文写明的发文机关是“苏州市人民政府”" in note and "“苏州市政府”" in note
    assert "新建" in note  # 苏州市政府 is not a known organisation

    save(staff_client, url, issuer="苏州市政府")

    assert Meeting.objects.get().issuer.name == "苏州市政府"


def test_the_archives_default_issuer_fills_in_but_never_overrides_the_text(staff_client, settings):
    settings.MINUTES_DEFAULT_ISSUER = "常州市钟楼区人民政府"
    page, url = preview(staff_client, text=more_text("zhonglou-2025-s9"))
    assert "本库默认的发文机关" in field_box(page, "issuer")
    save(staff_client, url)
    page, url = preview(staff_client, text=corpus_text("suzhou-2021-15"))
    save(staff_client, url)

    assert sorted(Meeting.objects.values_list("issuer__name", flat=True)) == [
        "常州市钟楼区人民政府",
        "苏州市人民政府",
    ]


def test_known_organizations_are_offered_issuers_first_then_governments(staff_client):
    from tests.factories import make_meeting

    make_meeting(issuer="苏州市人民政府")  # also names 市工信局, 市科技局, …
    Organization.objects.create(name="无锡市滨湖区人民政府", kind=Organization.Kind.GOVERNMENT)
    page, _url = preview(staff_client, text=more_text("zhonglou-2025-s9"))
    options = re.findall(
        r'<option value="([^"]+)">',
        re.search(r'<datalist id="known-issuers">(.*?)</datalist>', page.content.decode()).group(1),
    )
    assert options[:2] == ["苏州市人民政府", "无锡市滨湖区人民政府"]
    assert "市工信局" in options[2:]


# --- Any size a clerk has.


def test_a_long_text_saves_without_travelling_back_and_its_preview_stays_small(staff_client):
    document = corpus_text("suzhou-2021-15")
    head, tail = document.split("一、", 1)
    body = "一、" + tail.split("\n出席", 1)[0]
    padding = "\n".join(f"（{n}）会议要求各地各部门认真落实安全生产责任。" for n in range(1, 40))
    big = (
        head
        + body.replace("（三）", padding + "\n（三）", 1)
        + "\n出席"
        + tail.split("\n出席", 1)[1]
    )
    big = big.replace(
        "（一）原则同意市安委办", "（一）原则同意市安委办" + "详细说明。" * 120_000, 1
    )
    assert len(big.encode()) > 1_000_000
    page, url = preview(staff_client, file=SimpleUploadedFile("long.txt", big.encode()))
    assert len(page.content) < 400_000

    response = save(staff_client, url)

    assert response.status_code == 302
    assert Meeting.objects.get().source_text == big


def test_the_source_view_pages_through_the_lines_with_their_warnings(staff_client, monkeypatch):
    with_warnings(monkeypatch, ParseWarning(510, "这一行未能归入任何部分", field="text"), only=True)
    text = corpus_text("suzhou-2021-15") + "\n".join(f"附录第{n}行" for n in range(1, 1000))
    page, url = preview(staff_client, text=text)
    html = page.content.decode()
    assert 'id="line-200"' in html and 'id="line-300"' not in html  # head, then a gap
    assert 'id="line-510"' in html  # around the warning

    source = staff_client.get(f"{url}source/", {"start": 501})
    lines = re.findall(r'<li id="line-(\d+)"', source.content.decode())
    assert lines[0] == "501" and len(lines) == 500
    assert "这一行未能归入任何部分" in visible_text(source)
    assert "?start=1001" in source.content.decode()


def test_the_clean_incoming_command_removes_expired_imports(staff_client, settings, monkeypatch):
    from django.core.management import call_command

    preview(staff_client, text=corpus_text("suzhou-2021-15"))
    call_command("clean_incoming")
    assert len(waiting_imports(settings)) == 1
    later = time.time() + settings.MINUTES_IMPORT_EXPIRY_HOURS * 3600 + 1
    monkeypatch.setattr(incoming.time, "time", lambda: later)
    call_command("clean_incoming")
    assert waiting_imports(settings) == []
