"""A document in its official forms: the PDF (GB/T 9704 纪要 layout) and the .docx.

The seed is laid out and read back: its text against the document, its pages against the
grid of 22 lines of 28 characters, the .docx laid out by LibreOffice as a reader's office suite
would.
"""

import io
import math
import re
import subprocess
import unicodedata
from html.parser import HTMLParser

import docx
import pdfplumber
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from minutes import exports
from minutes.models import Meeting
from minutes.views import document_html
from tests.corpus import comparable
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # PDF points per millimetre
PAGE_NUMBER = re.compile(r"—\s*(\d+)\s*—")


@pytest.fixture
def seed():
    call_command("load_seed", verbosity=0)
    return Meeting.objects.select_related("issuer", "compiled_office", "printed_office").get()


@pytest.fixture(scope="module")
def seed_pdf(django_db_setup, django_db_blocker):
    """The seed's PDF and its document fragment, made once for the module (a layout takes
    ~0.5 s), in a transaction rolled back and with a cache of its own."""
    locmem = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with django_db_blocker.unblock(), override_settings(CACHES=locmem), transaction.atomic():
        call_command("load_seed", verbosity=0)
        meeting = Meeting.objects.get()
        pdf = exports.render_pdf(meeting)
        with translation.override(exports.OFFICIAL_LANGUAGE):
            html = document_html(meeting)
        transaction.set_rollback(True)
    return pdf, html


class PrintedText(HTMLParser):
    """The text the document fragment prints: no .no-print or .visually-hidden parts, and the
    attendance labels with the colon that the style sheet adds after them."""

    HIDDEN = {"no-print", "visually-hidden"}
    VOID = {"br", "img", "input", "meta", "link", "hr"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []

    def hidden(self) -> bool:
        return any(hidden for _tag, hidden in self.stack)

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        self.stack.append((tag, bool(classes & self.HIDDEN)))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            open_tag, _hidden = self.stack.pop()
            if open_tag == tag:
                break
        if tag == "dt" and not self.hidden():
            self.parts.append("：")

    def handle_data(self, data):
        if not self.hidden():
            self.parts.append(data)


def printed_text(html: str) -> str:
    parser = PrintedText()
    parser.feed(html)
    return "".join(parser.parts)


def pdf_pages(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def without_page_numbers(text: str) -> str:
    return PAGE_NUMBER.sub("", text)


def text_lines(page) -> list[list[dict]]:
    """The printed characters of a PDF page grouped into lines by their baseline."""
    lines: dict[int, list[dict]] = {}
    for char in page.chars:
        if not char["text"].isspace():
            lines.setdefault(round(char["bottom"]), []).append(char)
    return [sorted(chars, key=lambda c: c["x0"]) for _bottom, chars in sorted(lines.items())]


def width(line: list[dict]) -> float:
    """A line's length in full-width characters: a half-width digit or letter counts half."""
    return sum(1 if unicodedata.east_asian_width(c["text"]) in "WF" else 0.5 for c in line)


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


# --- The PDF ------------------------------------------------------------------------------


def test_seed_pdf_prints_the_documents_text_whole_and_in_order(seed_pdf):
    pdf, html = seed_pdf
    printed = comparable(without_page_numbers("".join(pdf_pages(pdf))))
    assert printed == comparable(printed_text(html))
    # The same as the canonical text, but for the two things the site's fragment prints
    # otherwise (the lead-in line, and "A、B的代表" as two entries).
    assert "苏州市人民政府常务会议纪要" in printed
    assert printed.startswith(comparable("苏州市人民政府常务会议纪要〔2021〕15号2021年4月12日上午"))
    assert printed.endswith(comparable("苏州市人民政府办公室2021年4月21日印发"))


def test_seed_pdf_holds_every_decision_of_the_document_in_order(seed_pdf, seed):
    pdf, _html = seed_pdf
    printed = comparable(without_page_numbers("".join(pdf_pages(pdf))))
    position = 0
    for item in seed.agenda():
        for decision in [str(item), *(d.label + d.text for d in item.decisions.all())]:
            found = printed.find(comparable(decision), position)
            assert found >= position, decision
            position = found


def test_seed_pdf_numbers_its_a4_pages_in_the_official_way(seed_pdf):
    pdf, _html = seed_pdf
    pages = pdf_pages(pdf)
    numbers = [PAGE_NUMBER.findall(text) for text in pages]
    assert numbers == [[str(n)] for n in range(1, len(pages) + 1)]
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            assert (round(page.width / MM), round(page.height / MM)) == (210, 297)
        # "— 1 —": odd pages on the right, even pages on the left, 7 mm under the type area.
        for index, page in enumerate(document.pages[:2]):
            number = [c for c in page.chars if c["top"] > (297 - 35) * MM]
            assert number, f"page {index + 1} has no page number"
            if index % 2 == 0:
                assert min(c["x0"] for c in number) > 105 * MM
            else:
                assert max(c["x1"] for c in number) < 105 * MM
            assert min(c["top"] for c in number) == pytest.approx((297 - 35 + 7) * MM, abs=2 * MM)


def test_seed_pdf_sets_22_lines_of_28_characters_in_the_standard_type_area(seed_pdf):
    pdf, _html = seed_pdf
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        body_pages = document.pages[1:-1]
        counts, lefts = [], []
        for number, page in enumerate(body_pages, start=2):
            lines = [line for line in text_lines(page) if line[0]["bottom"] < (297 - 35) * MM + 1]
            counts.append(len(lines))
            # 天头 37 mm (the first line's glyphs sit in its leading, below the type area's
            # top); 订口 28 mm on the odd pages' left, 26 mm on the even pages' left.
            assert 37 * MM <= lines[0][0]["top"] < (37 + 10.22 - 5.57) * MM
            left = 28 if number % 2 else 26
            lefts.append(min(line[0]["x0"] for line in lines) / MM - left)
            assert max(line[-1]["x1"] for line in lines) <= (left + 156) * MM + 1
            for line in lines:
                assert width(line) <= 28, "".join(c["text"] for c in line)
        # Every page's text starts at its 订口 or right of it (an attendance page is indented
        # throughout), and most pages have a line that starts right at it.
        assert all(offset > -0.5 for offset in lefts)
        assert sum(abs(offset) < 0.5 for offset in lefts) >= len(lefts) / 2
        assert max(counts) == 22
        assert all(count <= 22 for count in counts)
        full_lines = [
            line
            for page in body_pages
            for line in text_lines(page)
            if all(unicodedata.east_asian_width(c["text"]) in "WF" for c in line)
            and line[0]["x0"] < 29 * MM
        ]
        assert max(len(line) for line in full_lines) == 28


def test_seed_pdf_has_as_many_pages_as_its_text_needs_on_that_grid(seed_pdf, seed):
    pdf, _html = seed_pdf
    lines = sum(math.ceil((len(line) + 2) / 28) for line in seed.as_text().splitlines())
    # The header (35 mm, the title, the 文号 and its rule) takes about nine lines of the first
    # page; headings kept with their paragraph leave a line or two at the foot of some pages.
    least = math.ceil((lines + 9) / 22)
    assert least <= len(pdf_pages(pdf)) <= least + 2


def test_pdf_title_is_red_and_the_rule_below_the_doc_number_too(seed_pdf):
    pdf, _html = seed_pdf
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        title = [c for c in page.chars if c["text"] in "苏州市人民政府常务会议纪要"][:13]
        assert {tuple(round(v, 2) for v in c["non_stroking_color"]) for c in title} == {
            (0.9, 0.0, 0.0)
        }
        number = next(c for c in page.chars if c["text"] == "〔")
        # A border is drawn as a red fill clipped to the rule: its box ends where the rule does.
        rules = [
            r
            for r in page.rects
            if abs(r["x1"] - r["x0"] - 156 * MM) < MM and r["non_stroking_color"][1:] == (0, 0)
        ]
        assert any(0 < r["bottom"] - number["bottom"] < 8 * MM for r in rules)
        assert title[0]["top"] >= (37 + 30) * MM  # 35 mm into the type area


def test_pdf_of_a_draft_says_so_on_every_page():
    meeting = make_meeting(status=Meeting.Status.DRAFT)
    pages = pdf_pages(exports.render_pdf(meeting))
    assert all("草稿" in page for page in pages)
    published = make_meeting()
    assert not any(
        "草稿" in page or "已发布" in page for page in pdf_pages(exports.render_pdf(published))
    )


def test_pdf_uses_the_font_families_of_the_setting(settings):
    meeting = make_meeting()
    settings.EXPORT_FONTS = {**settings.EXPORT_FONTS, "body": ["No Such Face", "Noto Sans CJK SC"]}
    with pdfplumber.open(io.BytesIO(exports.render_pdf(meeting))) as document:
        opening = [c for c in document.pages[0].chars if c["text"] == "召"]
        assert opening and all("Noto-Sans-CJK-SC" in c["fontname"] for c in opening)
    settings.EXPORT_FONTS = {
        **settings.EXPORT_FONTS,
        "body": ["Noto Serif CJK SC"],
        "heading": ["Noto Serif CJK SC"],
    }
    with pdfplumber.open(io.BytesIO(exports.render_pdf(meeting))) as document:
        opening = [c for c in document.pages[0].chars if c["text"] == "召"]
        assert opening and all("Noto-Serif-CJK-SC" in c["fontname"] for c in opening)
        heading = [c for c in document.pages[0].chars if c["text"] == "议"]  # 一、审议《…》
        assert heading and not any("Sans" in c["fontname"] for c in heading)


def test_pdf_is_an_official_document_in_chinese_whatever_the_readers_language(client):
    meeting = make_meeting()
    response = client.get(
        reverse("minutes:meeting-pdf", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    text = "".join(pdf_pages(response.content))
    assert "出席：" in text and "Present" not in text


# --- The .docx ----------------------------------------------------------------------------


def test_seed_docx_text_is_the_documents_canonical_text(seed):
    data = exports.document_docx(seed)
    assert comparable(docx_text(data)) == comparable(seed.as_text())


def test_docx_has_the_standard_page_grid_and_numbers_its_pages(seed):
    document = docx.Document(io.BytesIO(exports.document_docx(seed)))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(margin.mm) for margin in margins] == [37, 35, 28, 26]
    grid = section._sectPr.find(docx.oxml.ns.qn("w:docGrid"))
    assert grid.get(docx.oxml.ns.qn("w:linePitch")) == "579"  # 28.95 pt: 22 lines in 225 mm
    assert document.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and "— " in footer.paragraphs[0].text
    title = document.paragraphs[0].runs[0]
    assert title.font.color.rgb == docx.shared.RGBColor(*exports.RED)
    assert document.paragraphs[0].text == "苏州市人民政府"


def test_docx_properties_keep_their_children_in_the_order_word_requires(seed):
    """Word refuses a file whose pPr or rPr children are out of the schema's order."""
    document = docx.Document(io.BytesIO(exports.document_docx(seed)))
    parts = [document.element, document.styles.element, document.settings.element]
    parts += [document.sections[0].footer._element, document.sections[0].even_page_footer._element]
    checked = 0
    for part in parts:
        for name, order in (("pPr", exports.PPR_ORDER), ("rPr", exports.RPR_ORDER)):
            for properties in part.iter(docx.oxml.ns.qn(f"w:{name}")):
                names = [child.tag.rsplit("}", 1)[1] for child in properties]
                assert names == sorted(names, key=order.index), names
                checked += 1
    settings_names = [c.tag.rsplit("}", 1)[1] for c in document.settings.element]
    known = [n for n in settings_names if n in exports.SETTINGS_ORDER]
    assert known == sorted(known, key=exports.SETTINGS_ORDER.index)
    assert checked > 100


def laid_out_by_libreoffice(data: bytes, tmp_path) -> bytes:
    source = tmp_path / "document.docx"
    source.write_bytes(data)
    profile = tmp_path / "profile"
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()
    return (tmp_path / "document.pdf").read_bytes()


def test_seed_docx_opens_in_an_office_suite_with_the_pages_and_grid_of_the_pdf(
    seed, seed_pdf, tmp_path
):
    laid_out = laid_out_by_libreoffice(exports.document_docx(seed), tmp_path)
    pages = pdf_pages(laid_out)
    pdf, _html = seed_pdf
    assert abs(len(pages) - len(pdf_pages(pdf))) <= 1
    assert [PAGE_NUMBER.findall(text) for text in pages] == [
        [str(n)] for n in range(1, len(pages) + 1)
    ]
    assert comparable(without_page_numbers("".join(pages))) == comparable(seed.as_text())
    with pdfplumber.open(io.BytesIO(laid_out)) as document:
        for number, page in enumerate(document.pages[1:-1], start=2):
            lines = [line for line in text_lines(page) if line[0]["bottom"] < (297 - 35) * MM]
            assert len(lines) <= 22
            # LibreOffice, like Word, lets a comma or full stop hang past the line's end.
            right = (28 if number % 2 else 26) + 156
            for line in lines:
                inside = [c for c in line if c["x1"] <= right * MM + 1]
                hanging = line[len(inside) :]
                assert width(inside) <= 28, "".join(c["text"] for c in line)
                assert all(unicodedata.category(c["text"]).startswith("P") for c in hanging)
        # The 版记 sits at the foot of the last page's type area.
        last = document.pages[-1]
        printed = [c for c in last.chars if c["text"] == "印"][-1]
        assert printed["bottom"] == pytest.approx((297 - 35) * MM, abs=6 * MM)


# --- The downloads ------------------------------------------------------------------------


def test_reader_downloads_a_public_documents_pdf_and_docx_named_after_it(client):
    meeting = make_meeting(year=2021, seq=15)
    pdf = client.get(reverse("minutes:meeting-pdf", args=[meeting.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''" in pdf["Content-Disposition"]
    assert "%E3%80%942021%E3%80%9515%E5%8F%B7.pdf" in pdf["Content-Disposition"]  # 〔2021〕15号
    assert pdf.content.startswith(b"%PDF-")
    word = client.get(reverse("minutes:meeting-docx", args=[meeting.pk]))
    assert word.status_code == 200
    assert word["Content-Type"] == exports.DOCX_CONTENT_TYPE
    assert comparable(docx_text(word.content)) == comparable(meeting.as_text())


def test_document_page_links_to_its_pdf_and_docx(client):
    meeting = make_meeting()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("minutes:meeting-pdf", args=[meeting.pk]) in page
    assert reverse("minutes:meeting-docx", args=[meeting.pk]) in page
    assert reverse("minutes:meeting-versions", args=[meeting.pk]) not in page


def test_staff_download_a_drafts_pdf_and_docx_kept_out_of_shared_caches(staff_client):
    meeting = make_meeting(status=Meeting.Status.REVIEW)
    for name in ("minutes:meeting-pdf", "minutes:meeting-docx"):
        response = staff_client.get(reverse(name, args=[meeting.pk]))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
    text = "".join(
        pdf_pages(staff_client.get(reverse("minutes:meeting-pdf", args=[meeting.pk])).content)
    )
    assert "审核中" in text


def test_pdf_is_made_once_per_state_of_the_archive(client):
    meeting = make_meeting()
    url = reverse("minutes:meeting-pdf", args=[meeting.pk])
    first = client.get(url).content
    assert client.get(url).content == first
    meeting.items.filter(number=1).update(title="审议《一个改过的标题》")
    meeting.save()  # any save renews the archive's token
    again = client.get(url).content
    assert "一个改过的标题" in "".join(pdf_pages(again))


@pytest.mark.parametrize("file_format", ["pdf", "docx"])
def test_a_document_missing_its_header_and_closing_parts_still_exports(staff_client, file_format):
    """A district record (panzhihua) has no 文号, no 分送 and no 印发 line."""
    meeting = make_meeting(
        status=Meeting.Status.DRAFT,
        year=None,
        seq=None,
        doc_number=None,
        attendees=None,
        observers=None,
        recorder=None,
        compiled_office=None,
        compiled_date=None,
        public=None,
        distribution=None,
        printed_office=None,
        printed_date=None,
    )
    response = staff_client.get(reverse(f"minutes:meeting-{file_format}", args=[meeting.pk]))
    assert response.status_code == 200
    if file_format == "pdf":
        text = comparable("".join(pdf_pages(response.content)))
        assert "草稿" in text
    else:
        document = docx.Document(io.BytesIO(response.content))
        text = comparable("\n".join(p.text for p in document.paragraphs))
        assert document.sections[0].header.paragraphs[0].text == "草稿"
    assert comparable("审议《苏州市促进集成电路产业高质量发展的若干措施》") in text
    assert "分送" not in text and "印发" not in text
