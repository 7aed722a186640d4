"""Files as clerks receive them, made in the tests: PDFs with a Chinese text layer, .docx."""

from __future__ import annotations

import io

import docx

# GB/T 9704 (the layout of official documents) sets 28 characters to a line, 22 lines to a page.
OFFICIAL_LINE_WIDTH = 28
OFFICIAL_PAGE_LINES = 22


def make_cjk_pdf(lines: list[str], lines_per_page: int | None = None) -> bytes:
    """A PDF whose text layer holds ``lines``, ``lines_per_page`` to a page, each page numbered
    "- N -" at its foot as official documents are.

    No CJK TrueType font is installed on the test machines, so the pages use the standard
    non-embedded Adobe-GB1 font STSong-Light with the UniGB-UCS2-H encoding: every PDF reader
    (pdfminer included) maps its codes back to Unicode without a font file.
    """
    per_page = lines_per_page or max(len(lines), 1)
    pages = [lines[start : start + per_page] for start in range(0, len(lines), per_page)] or [[]]
    numbered = lines_per_page is not None
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, written once the pages are numbered
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H"
        b" /DescendantFonts [4 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >>"
        b" /FontDescriptor 5 0 R >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6"
        b" /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120"
        b" /CapHeight 880 /StemV 93 >>",
    ]
    kids = []
    for number, page in enumerate(pages, start=1):
        content = ["BT", "/F1 12 Tf", "16 TL", "50 800 Td"]
        content += [f"<{_utf16(line)}> Tj T*" for line in page]
        if numbered:
            content.append(f"T* <{_utf16(f'- {number} -')}> Tj")
        content.append("ET")
        stream = "\n".join(content).encode("ascii")
        kids.append(len(objects) + 1)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            b" /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (len(objects) + 2)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    return _pdf_file(objects)


def _utf16(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def make_blank_pdf() -> bytes:
    """A PDF page with no text at all, as a scanner without OCR produces."""
    stream = b"0 0 m 100 100 l S"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    return _pdf_file(objects)


def _pdf_file(objects: list[bytes]) -> bytes:
    output = io.BytesIO()
    output.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(output.tell())
        output.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = output.tell()
    output.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        output.write(b"%010d 00000 n \n" % offset)
    output.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    output.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return output.getvalue()


def wrap_lines(text: str, width: int) -> list[str]:
    """The text as a PDF lays it out: every paragraph cut into lines of ``width`` characters."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        while len(paragraph) > width:
            lines.append(paragraph[:width])
            paragraph = paragraph[width:]
        if paragraph:
            lines.append(paragraph)
    return lines


def make_docx(lines: list[str]) -> bytes:
    """A .docx with one paragraph per line, as a clerk's word processor saves it."""
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
