"""Files as clerks receive them -> text: .txt in several encodings, .docx, .pdf."""

from __future__ import annotations

import io

import docx
import pytest

from minutes.parsing import parse
from minutes.readers import ReadError, read_text_file
from tests.corpus import corpus_text
from tests.parsing.files import make_blank_pdf, make_cjk_pdf

SAMPLE = "常务会议纪要〔2021〕15号\n2021年4月12日上午，李亚平市长主持召开市政府第133次常务会议。\n"


# --- .txt -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "encoded",
    [
        SAMPLE.encode("utf-8"),
        b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"),
        SAMPLE.encode("gb18030"),
        SAMPLE.encode("gbk"),
        SAMPLE.encode("utf-16"),
        SAMPLE.replace("\n", "\r\n").encode("utf-8"),
        SAMPLE.replace("\n", "\r\n").encode("gb18030"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "gbk", "utf-16-bom", "utf-8-crlf", "gb18030-crlf"],
)
def test_txt_in_common_encodings_reads_the_same_text(encoded):
    assert read_text_file(encoded, "纪要.txt") == SAMPLE


def test_txt_read_from_a_path(tmp_path):
    path = tmp_path / "suzhou.txt"
    path.write_bytes(corpus_text("suzhou-2021-15").encode("gb18030"))
    assert parse(read_text_file(path)).session_no == 133


def test_undecodable_txt_names_the_file():
    with pytest.raises(ReadError, match="乱码.txt"):
        read_text_file(b"\x81\xff\xfe\x00\x80" * 10, "乱码.txt")


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(ReadError, match="none.txt"):
        read_text_file(tmp_path / "none.txt")


def test_unsupported_extension_names_the_file():
    with pytest.raises(ReadError, match="纪要.doc"):
        read_text_file(b"\xd0\xcf\x11\xe0", "纪要.doc")


# --- .docx ------------------------------------------------------------------------------------
def test_docx_paragraphs_and_table_cells_in_document_order():
    document = docx.Document()
    document.add_paragraph("苏州市人民政府 常务会议纪要")
    document.add_paragraph("〔2021〕15号")
    document.add_paragraph("2021年4月12日上午，李亚平市长主持召开市政府第133次常务会议。")
    document.add_paragraph("会议议定以下意见：")
    document.add_paragraph("一、听取全市一季度安全生产工作情况的汇报")
    document.add_paragraph("（一）原则同意。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "出席："
    table.cell(0, 1).text = "李亚平 王翔"
    table.cell(1, 0).text = "列席："
    table.cell(1, 1).text = "市纪委监委王虎 团市委方芳"
    document.add_paragraph("记录：栗涛")
    buffer = io.BytesIO()
    document.save(buffer)

    text = read_text_file(buffer.getvalue(), "纪要.docx")

    assert text.index("（一）原则同意。") < text.index("出席：") < text.index("记录：栗涛")
    parsed = parse(text)
    assert [attendee.name for attendee in parsed.attendees] == ["李亚平", "王翔"]
    assert [(o.org, o.name) for o in parsed.observers] == [
        ("市纪委监委", "王虎"),
        ("团市委", "方芳"),
    ]
    assert parsed.recorder == "栗涛"


def test_broken_docx_names_the_file():
    with pytest.raises(ReadError, match="坏.docx"):
        read_text_file(b"PK\x03\x04 not a zip", "坏.docx")


# --- .pdf -------------------------------------------------------------------------------------
def test_pdf_text_layer_with_chinese_text_is_read_and_parsed():
    pdf = make_cjk_pdf(
        [
            "常务会议纪要〔2021〕15号",
            "2021年4月12日上午，李亚平市长主持召开市政府第133次常务会议。",
            "一、听取全市一季度安全生产工作情况的汇报",
            "（一）原则同意。",
            "列席：市纪委监委王虎 市",
            "民政局芮静珈",
        ]
    )
    parsed = parse(read_text_file(pdf, "纪要.pdf"))
    assert parsed.doc_number == "〔2021〕15号"
    assert parsed.chair == "李亚平"
    assert [(o.org, o.name) for o in parsed.observers] == [
        ("市纪委监委", "王虎"),
        ("市民政局", "芮静珈"),
    ]


def test_pdf_without_text_layer_says_it_may_be_scanned():
    with pytest.raises(ReadError, match="no text layer, scanned"):
        read_text_file(make_blank_pdf(), "扫描件.pdf")


def test_broken_pdf_names_the_file():
    with pytest.raises(ReadError, match="坏.pdf"):
        read_text_file(b"%PDF-1.4 garbage", "坏.pdf")
