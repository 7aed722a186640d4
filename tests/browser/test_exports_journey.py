"""Downloads and versions in a real browser: a reader takes the seed's official PDF and Word
file on a desktop and on a phone; the desk corrects a decision, compares the versions and takes
the catalogue of the archive."""

import csv
import io
import re
import subprocess

import docx
import openpyxl
import pdfplumber
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from minutes.models import Meeting, Role
from tests.browser.conftest import SCREENSHOTS
from tests.corpus import comparable

pytestmark = pytest.mark.django_db(transaction=True)

DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


def seed() -> Meeting:
    call_command("load_seed", verbosity=0)
    return Meeting.objects.get()


def staff_member(django_user_model, username, role):
    user = django_user_model.objects.create_user(
        username, password="pw-for-browser-tests", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def sign_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-browser-tests")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def download(page, link_name, folder):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    done = info.value
    path = folder / done.suggested_filename
    done.save_as(path)
    return path


def pdf_page_pictures(path, name: str) -> list:
    """The first and last pages as PNG pictures (poppler's pdftoppm) in screenshots/."""
    SCREENSHOTS.mkdir(exist_ok=True)
    with pdfplumber.open(path) as pdf:
        last = len(pdf.pages)
    pictures = []
    for number in (1, last):
        target = SCREENSHOTS / f"{name}-page-{number}"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", str(number), "-l", str(number), "-singlefile"]
            + [str(path), str(target)],
            check=True,
        )
        pictures.append(target.with_suffix(".png"))
    return pictures


@pytest.mark.parametrize("device", DEVICES)
def test_reader_downloads_the_seeds_official_pdf_and_word_file(
    browser, live_server, device, tmp_path
):
    meeting = seed()
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", accept_downloads=True, **DEVICES[device]
    )
    page = context.new_page()
    page.goto("/")
    page.get_by_role("link", name="苏州市人民政府第133次常务会议纪要").first.click()
    page.wait_for_url(f"**{meeting.get_absolute_url()}")
    downloads = page.locator(".downloads")
    downloads.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / f"exports-{device}-document-downloads.png")
    assert page.get_by_role("link", name="版本历史").count() == 0  # staff only

    pdf_path = download(page, "PDF（公文格式）", tmp_path)
    assert pdf_path.name == "苏州市人民政府第133次常务会议纪要〔2021〕15号.pdf"
    with pdfplumber.open(pdf_path) as pdf:
        pages = [p.extract_text() for p in pdf.pages]
        first = pdf.pages[0]
        red = {c["non_stroking_color"] for c in first.chars if c["text"] == "纪"}
    text = comparable("".join(re.sub(r"—\s*\d+\s*—", "", page) for page in pages))
    assert text.startswith(comparable("苏州市人民政府常务会议纪要〔2021〕15号"))
    for item in meeting.agenda():
        for decision in item.decisions.all():
            assert comparable(decision.label + decision.text) in text
    assert (
        comparable("分送：各市、区人民政府，苏州工业园区、苏州高新区管委会；市各有关部门和单位。")
        in text
    )
    assert [f"—{n}—" in comparable(p) for n, p in enumerate(pages, start=1)] == [True] * len(pages)
    assert red == {(0.901961, 0.0, 0.0)}
    first_page, last_page = pdf_page_pictures(pdf_path, f"exports-{device}-pdf")
    assert first_page.stat().st_size > 10_000 and last_page.stat().st_size > 10_000

    docx_path = download(page, "Word 文档（.docx）", tmp_path)
    assert docx_path.suffix == ".docx"
    word = docx.Document(str(docx_path))
    assert comparable("\n".join(p.text for p in word.paragraphs)) == comparable(meeting.as_text())
    context.close()


def test_desk_corrects_a_decision_compares_the_versions_and_takes_the_catalogue(
    browser, live_server, django_user_model, roles, search_index, tmp_path
):
    meeting = seed()
    staff_member(django_user_model, "clerk", Role.CLERKS)
    staff_member(django_user_model, "reviewer", Role.REVIEWERS)

    def new_page(device="desktop"):
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", accept_downloads=True, **DEVICES[device]
        )
        return context.new_page()

    reviewer = new_page()
    sign_in(reviewer, "reviewer")
    reviewer.goto(meeting.get_absolute_url())
    reviewer.get_by_role("button", name="撤回").click()
    reviewer.wait_for_selector(".messages")

    clerk = new_page()
    sign_in(clerk, "clerk")
    clerk.goto(f"/admin/minutes/meeting/{meeting.pk}/change/")
    decision = clerk.locator("#id_items-1-decisions-0-text")
    decision.fill(decision.input_value().replace("由市工信局", "由市发改委"))
    clerk.click("input[name=_continue]")
    clerk.wait_for_selector(".messagelist")

    clerk.goto(meeting.get_absolute_url())
    clerk.get_by_role("link", name="版本历史").click()
    clerk.wait_for_url("**/versions/")
    rows = clerk.locator("table.versions tbody tr")
    assert rows.count() == 3
    newest = rows.nth(0).inner_text()
    assert "第 3 版" in newest and "clerk" in newest
    assert "修改了第二项议题的议定事项" in newest
    assert "reviewer" in rows.nth(1).inner_text() and "已撤回" in rows.nth(1).inner_text()
    clerk.screenshot(path=SCREENSHOTS / "exports-desktop-versions.png", full_page=True)
    clerk.get_by_label("从第 1 版比较").check()
    clerk.get_by_label("比较到第 3 版").check()
    clerk.get_by_role("button", name="比较所选版本").click()
    clerk.wait_for_url("**/versions/diff/?*")
    assert "from=1" in clerk.url and "to=3" in clerk.url
    assert clerk.locator("table.diff del").first.inner_text() == "工信局"
    assert clerk.locator("table.diff ins").first.inner_text() == "发改委"
    assert "已发布" in clerk.locator(".diff-side-old").inner_text()
    clerk.screenshot(path=SCREENSHOTS / "exports-desktop-versions-diff.png", full_page=True)

    phone = new_page("phone")
    sign_in(phone, "clerk")
    phone.goto(clerk.url)
    assert phone.locator("table.diff ins").first.is_visible()
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    phone.screenshot(path=SCREENSHOTS / "exports-phone-versions-diff.png", full_page=True)

    clerk.goto("/minutes/?year=2021")
    rows = list(csv.reader(io.StringIO(download(clerk, "CSV", tmp_path).read_text("utf-8-sig"))))
    assert rows[0][0] == "文号" and "状态" in rows[0]
    assert rows[1][0] == "〔2021〕15号" and "已撤回" in rows[1]
    sheet = openpyxl.load_workbook(download(clerk, "Excel (.xlsx)", tmp_path)).active
    assert sheet["A2"].value == "〔2021〕15号"
    assert "由市发改委" not in sheet["F2"].value  # the items' titles, not their decisions
    assert sheet["H2"].value == 22  # the seed's decisions
