"""Files -> text for the parser: .txt in any common encoding, .docx, .pdf. No Django import.

The readers only turn a file into text; one parser (``minutes.parsing.parse``) serves all formats.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

# Government offices save plain text as GB18030/GBK as often as UTF-8; GB18030 is a superset of
# GBK and GB2312, so one attempt covers the three.
_TEXT_ENCODINGS = ("utf-8", "gb18030")
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


# The file kinds an import takes, for commands that walk folders.
SUPPORTED_SUFFIXES = (".txt", ".text", ".docx", ".pdf")


class ReadError(Exception):
    """A file that cannot be turned into text; the message names the file and the cause."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def read_text_file(path_or_bytes: str | os.PathLike | bytes, filename: str | None = None) -> str:
    """The text of a .txt, .docx or .pdf file, with LF line ends.

    ``path_or_bytes`` is a path or the file's content (an upload); ``filename`` gives the name
    (and so the extension) when bytes are passed, and defaults to the path's name.
    """
    if isinstance(path_or_bytes, bytes | bytearray):
        data = bytes(path_or_bytes)
        name = filename or "上传的文件"
    else:
        path = Path(path_or_bytes)
        name = filename or path.name
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ReadError(f"无法打开文件“{name}”：{error.strerror or error}") from error
    extension = Path(name).suffix.lower()
    if extension in (".txt", ".text", ""):
        text = _decode_text(data, name)
    elif extension == ".docx":
        text = _read_docx(data, name)
    elif extension == ".pdf":
        text = _read_pdf(data, name)
    else:
        raise ReadError(f"文件“{name}”的格式 {extension} 不受支持：请提供 .txt、.docx 或 .pdf 文件")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_text(data: bytes, name: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError as error:
                raise ReadError(f"文件“{name}”的编码无法识别（{encoding}）") from error
    if b"\x00" in data[:4096]:
        raise ReadError(f"文件“{name}”不是文本文件（含二进制内容）")
    for encoding in _TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(f"文件“{name}”的编码无法识别：请另存为 UTF-8 或 GB18030 文本")


def _read_docx(data: bytes, name: str) -> str:
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on a bad zip
        raise ReadError(f"文件“{name}”不是有效的 .docx 文件：{error}") from error
    lines: list[str] = []
    # Walk the body in order so that tables (often the 出席/列席 block) stay where they are.
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            lines.append(_paragraph_text(element))
        elif element.tag == qn("w:tbl"):
            for row in element.iter(qn("w:tr")):
                cells = [
                    "\n".join(_paragraph_text(paragraph) for paragraph in cell.iter(qn("w:p")))
                    for cell in row.iter(qn("w:tc"))
                ]
                lines.append(" ".join(cell for cell in cells if cell.strip()))
    return "\n".join(lines)


def _paragraph_text(element) -> str:
    from docx.oxml.ns import qn

    parts: list[str] = []
    for node in element.iter():
        if node.tag == qn("w:t") and node.text:
            parts.append(node.text)
        elif node.tag == qn("w:tab"):
            parts.append("\t")
        elif node.tag in (qn("w:br"), qn("w:cr")):
            parts.append("\n")
    return "".join(parts)


def _read_pdf(data: bytes, name: str) -> str:
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except Exception as error:  # pdfminer raises many kinds on a broken file
        raise ReadError(f"文件“{name}”不是有效的 PDF 文件：{error}") from error
    text = "\n".join(pages)
    if not text.strip():
        raise ReadError(
            f"文件“{name}”没有文字层（no text layer, scanned?）："
            "请提供可复制文字的 PDF，或先做文字识别"
        )
    return text
