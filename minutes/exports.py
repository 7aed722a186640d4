"""The official forms of a document (PDF and .docx in the GB/T 9704 纪要 layout) and the
catalogue of any list of documents (CSV and .xlsx).

Callers pass documents they have already taken through the one door
(``Meeting.objects.visible_to``); nothing here looks at a request or a user, except that the
catalogue shows the workflow columns only to staff.

The PDF is the site's own document fragment (``document_html``) with the site's print style
sheet and the paged-media rules of ``official.css``, laid out by WeasyPrint; the .docx is built
with python-docx from the canonical records (``Meeting.to_parsed``), part by part, so that its
text is ``Meeting.as_text()``'s.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minutes.models import AgendaItem, Decision, Meeting, archive_version
from minutes.parsing import patterns, render
from minutes.parsing.dates import format_date
from minutes.parsing.records import ParsedMinutes
from minutes.parsing.render import chinese_number

# An official document speaks the language of the source, whatever the reader's interface.
OFFICIAL_LANGUAGE = "zh-hans"
STYLE_SHEETS = ("minutes/css/print.css", "minutes/css/official.css")
RED = (0xE6, 0x00, 0x00)

PDF_CONTENT_TYPE = "application/pdf"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A rendered PDF is kept per document and state of the archive, like the page's body: the
# archive changes seldom, the seed's PDF takes ~0.5 s of CPU (benchmarks/export_bench.py).
PDF_CACHE_SECONDS = 24 * 60 * 60


def font_families(role: str) -> list[str]:
    """The families of one part of the layout (title, body, heading, page_number), in order."""
    return list(settings.EXPORT_FONTS[role])


def export_filename(meeting: Meeting, extension: str) -> str:
    """苏州市人民政府第133次常务会议纪要〔2021〕15号.pdf, as the document is called."""
    return f"{meeting.title or meeting.kind_name}{meeting.doc_number}.{extension}"


# --- PDF -----------------------------------------------------------------------------------


def _css_family_list(families: list[str]) -> str:
    quoted = ", ".join('"{}"'.format(f.replace("\\", "\\\\").replace('"', '\\"')) for f in families)
    return f"{quoted}, serif" if quoted else "serif"


def fonts_css() -> str:
    """The EXPORT_FONTS setting as the rules that follow ``official.css``."""
    body = _css_family_list(font_families("body"))
    title = _css_family_list(font_families("title"))
    heading = _css_family_list(font_families("heading"))
    number = _css_family_list(font_families("page_number"))
    return (
        f".minutes-document {{ font-family: {body}; }}\n"
        f".red-header {{ font-family: {title}; font-weight: {settings.EXPORT_TITLE_WEIGHT}; }}\n"
        f".minutes-document .agenda-item h2, .minutes-document .attendance dt "
        f"{{ font-family: {heading}; }}\n"
        f"@page {{ @bottom-right {{ font-family: {number}; }} }}\n"
        f"@page :left {{ @bottom-left {{ font-family: {number}; }} }}\n"
    )


def status_mark(meeting: Meeting) -> str:
    """What a copy of a document that is not published says at the top of each page (草稿)."""
    if meeting.status == Meeting.Status.PUBLISHED:
        return ""
    with translation.override(OFFICIAL_LANGUAGE):
        return str(meeting.get_status_display())


def _status_css(meeting: Meeting) -> str:
    mark = status_mark(meeting)
    if not mark:
        return ""
    return (
        f'@page {{ @top-right {{ content: "{mark}"; color: #666; font-size: 14pt; '
        f"vertical-align: bottom; padding-bottom: 6mm; font-family: "
        f"{_css_family_list(font_families('heading'))}; }} }}\n"
    )


def _refuse_fetch(url, *args, **kwargs):
    # The document names no image or style sheet of its own; nothing is fetched while a PDF is
    # made (no network, and no file a crafted URL could name).
    raise ValueError(f"PDF export fetches nothing: {url}")


def document_pdf(meeting: Meeting) -> bytes:
    """The document as a PDF in the GB/T 9704 纪要 layout, cached per state of the archive."""
    key = f"minutes:pdf:{meeting.pk}:{archive_version()}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_pdf(meeting)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


def render_pdf(meeting: Meeting) -> bytes:
    """Lay out the site's document fragment with the print and official style sheets."""
    import weasyprint  # imported here: it loads pango at import, which only exports need

    from minutes.views import document_html

    with translation.override(OFFICIAL_LANGUAGE):
        html = render_to_string(
            "minutes/export_document.html",
            {"meeting": meeting, "document": document_html(meeting)},
        )
    sheets = [weasyprint.CSS(filename=finders.find(name)) for name in STYLE_SHEETS]
    sheets.append(weasyprint.CSS(string=fonts_css() + _status_css(meeting)))
    document = weasyprint.HTML(string=html, url_fetcher=_refuse_fetch)
    return document.write_pdf(stylesheets=sheets)


# --- .docx ----------------------------------------------------------------------------------

BODY_SIZE_PT = 16  # 3号
FOOTER_SIZE_PT = 14  # 4号: 版记 and page numbers
TITLE_SIZE_PT = 31
LINE_PITCH_TWIPS = 579  # 28.95 pt: 22 lines in 225 mm
TEXT_WIDTH_MM = 156
# 28 characters of 16 pt are 448 pt, the line 442 pt: each character is set 0.25 pt closer (in
# twentieths of a point). Word's character grid (docGrid charSpace) would say the same, but
# LibreOffice measures that grid otherwise and spreads the characters; a line grid and condensed
# spacing read alike in both.
CHARACTER_SPACING = -5


def _parts(parsed: ParsedMinutes, **fields) -> list[str]:
    """The canonical lines of some parts of a document (the renderer prints only what is set)."""
    return render(ParsedMinutes(**fields)).splitlines()


def document_docx(meeting: Meeting) -> bytes:
    """The document as a Word file in the same layout as the PDF."""
    builder = _DocxBuilder(meeting)
    return builder.build()


class _DocxBuilder:
    def __init__(self, meeting: Meeting):
        from docx import Document

        self.meeting = meeting
        self.parsed = meeting.to_parsed()
        self.document = Document()
        self.body_font = font_families("body")[0]
        self.title_font = font_families("title")[0]
        self.heading_font = font_families("heading")[0]
        self.number_font = font_families("page_number")[0]

    def build(self) -> bytes:
        self._page_setup()
        self._styles()
        self._properties()
        self._header()
        self._body()
        self._attendance()
        self._closing()
        self._record()
        self._page_numbers()
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()

    # The page: A4, the GB/T 9704 margins (inside and outside for printing on both sides) and
    # the grid of 22 lines of 28 characters.
    def _page_setup(self):
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm

        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance = Mm(25)
        # The page number's 一字线 7 mm below the type area: a 4号 line ends ~5 mm lower.
        section.footer_distance = Mm(23)
        _put(self.document.settings.element, OxmlElement("w:mirrorMargins"), SETTINGS_ORDER)
        self.document.settings.odd_and_even_pages_header_footer = True
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            section._sectPr.append(grid)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
        grid.attrib.pop(qn("w:charSpace"), None)

    def _styles(self):
        from docx.enum.text import WD_LINE_SPACING
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt

        # The document's defaults too: Word and LibreOffice measure the character grid from them.
        defaults = self.document.styles.element.find(qn("w:docDefaults"))
        default_rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for name in ("w:sz", "w:szCs"):
            default_rpr.find(qn(name)).set(qn("w:val"), str(BODY_SIZE_PT * 2))
        _set_fonts(default_rpr, self.body_font)
        default_rpr.remove(default_rpr.find(qn("w:lang")))
        _set_language(default_rpr)
        condensed = OxmlElement("w:spacing")
        condensed.set(qn("w:val"), str(CHARACTER_SPACING))
        _put(default_rpr, condensed, RPR_ORDER)
        spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), str(LINE_PITCH_TWIPS))
        spacing.set(qn("w:lineRule"), "exact")
        normal = self.document.styles["Normal"]
        normal.font.size = Pt(BODY_SIZE_PT)
        normal.font.color.rgb = None
        _set_fonts(normal.element.get_or_add_rPr(), self.body_font)
        _set_language(normal.element.get_or_add_rPr())
        paragraph = normal.paragraph_format
        paragraph.space_before = paragraph.space_after = Pt(0)
        paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        paragraph.line_spacing = Pt(LINE_PITCH_TWIPS / 20)
        paragraph.widow_control = True

    def _properties(self):
        properties = self.document.core_properties
        properties.title = f"{self.meeting.title}{self.meeting.doc_number}"
        properties.author = self.parsed.issuer or ""
        properties.language = "zh-CN"
        properties.comments = ""

    # 版头: the red 纪要标志 35 mm into the type area, the 文号 two lines below, the red rule.
    def _header(self):
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt, RGBColor

        parsed = self.parsed
        lines = [parsed.issuer, parsed.kind or patterns.DEFAULT_KIND] if parsed.issuer else []
        if not lines and parsed.kind:
            lines = [parsed.kind]
        for position, line in enumerate(lines):
            paragraph = self._paragraph(line, indent=False, font=self.title_font)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt = paragraph.paragraph_format
            fmt.line_spacing = Pt(TITLE_SIZE_PT * 1.3)
            if position == 0:
                fmt.space_before = Mm(35)
            _no_grid(paragraph)
            for run in paragraph.runs:
                run.font.size = Pt(TITLE_SIZE_PT)
                run.font.bold = settings.EXPORT_TITLE_WEIGHT >= 600
                run.font.color.rgb = RGBColor(*RED)
        number = self._paragraph(parsed.doc_number or "", indent=False)
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        number.paragraph_format.space_before = Pt(2 * LINE_PITCH_TWIPS / 20)
        number.paragraph_format.space_after = Pt(LINE_PITCH_TWIPS / 20)
        _border(number, "bottom", size=12, color="E60000", space=11)

    def _body(self):
        parsed = self.parsed
        if parsed.opening:
            self._paragraph(parsed.opening)
        if parsed.items:
            self._paragraph(patterns.RENDERED_LEAD_IN)
        for item in parsed.items:
            self._paragraph(f"{chinese_number(item.no)}、{item.title}", font=self.heading_font)
            for decision in item.decisions:
                label = f"（{chinese_number(decision.no)}）" if decision.no is not None else ""
                self._paragraph(f"{label}{decision.text}")

    # 出席, 列席, 记录: the label in 黑体 two characters in, the names hanging after the colon.
    def _attendance(self):
        parsed = self.parsed
        lines = [
            *_parts(parsed, attendees=parsed.attendees),
            *_parts(parsed, observers=parsed.observers),
            *_parts(parsed, recorder=parsed.recorder),
        ]
        for position, line in enumerate(lines):
            label, colon, names = line.partition("：")
            paragraph = self.document.add_paragraph()
            if label in (
                patterns.ATTENDEES_LABEL,
                patterns.OBSERVERS_LABEL,
                patterns.RECORDER_LABEL,
            ):
                paragraph.add_run(f"{label}{colon}")
                _set_fonts(paragraph.runs[0]._r.get_or_add_rPr(), self.heading_font)
                paragraph.add_run(names)
            else:  # a group of a grouped list: （1）市领导：…
                paragraph.add_run(line)
            _indent(paragraph, left_chars=5, hanging_chars=3)
            if position == 0:
                paragraph.paragraph_format.space_before = _line()

    # 整理 and its date on the right, the office centred over the date; 附注 two characters in.
    def _closing(self):
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        parsed = self.parsed
        if parsed.compiled_office or parsed.compiled_date:
            office = f"{parsed.compiled_office or ''}{patterns.COMPILED_WORD}"
            date = format_date(parsed.compiled_date) if parsed.compiled_date else ""
            width = max(_width(office), _width(date))
            for position, line in enumerate(filter(None, (office, date))):
                paragraph = self._paragraph(line, indent=False)
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                _indent(paragraph, right_chars=2 + (width - _width(line)) / 2)
                if position == 0:
                    paragraph.paragraph_format.space_before = _line()
        if parsed.public:
            self._paragraph(f"（{patterns.PUBLIC_NOTE}）")

    # 版记 (分送, 印发) at the foot of the last page: 4号, thick rules above and below and a thin
    # one between, one character in on both sides. Each part is a frame placed by its top, from
    # the page's top, which Word, WPS and LibreOffice all honour (LibreOffice ignores a frame
    # aligned to the bottom, and drops a framed paragraph whose next framed paragraph has
    # borders, hence two frames with an empty unframed paragraph between them), so their
    # heights are reckoned from the lines they hold.
    def _record(self):
        from docx.shared import Pt

        parsed = self.parsed
        distribution = printed = None
        if parsed.distribution is not None:
            (distribution,) = _parts(
                parsed,
                distribution=parsed.distribution,
                distribution_separators=parsed.distribution_separators,
            )
        if parsed.printed_date:
            date = f"{format_date(parsed.printed_date)}{patterns.PRINTED_WORD}"
            printed = f"{parsed.printed_office or ''}\t{date}"
        if distribution is None and printed is None:
            return
        printed_top = TYPE_AREA_BOTTOM_PT - (RECORD_LINE_PT + RECORD_RULES_PT if printed else 0)
        if distribution is not None:
            top = printed_top - _record_lines(distribution) * RECORD_LINE_PT - RECORD_RULES_PT
            paragraph = self._record_paragraph(distribution, top)
            _indent(paragraph, left_chars=4, hanging_chars=3, right_chars=1, size=FOOTER_SIZE_PT)
            _border(paragraph, "top", size=8)
            if printed is None:
                _border(paragraph, "bottom", size=8)
            else:
                spacer = self.document.add_paragraph()
                spacer.paragraph_format.line_spacing = Pt(1)
                _no_grid(spacer)
        if printed is not None:
            paragraph = self._record_paragraph(printed, printed_top)
            _indent(paragraph, left_chars=1, right_chars=1, size=FOOTER_SIZE_PT)
            _right_tab(paragraph, TEXT_WIDTH_MM - 2 * FOOTER_SIZE_PT * 25.4 / 72)
            _border(paragraph, "top", size=8 if distribution is None else 6)
            _border(paragraph, "bottom", size=8)

    def _record_paragraph(self, text: str, top_pt: float):
        from docx.shared import Pt

        paragraph = self._paragraph(text, indent=False)
        _no_grid(paragraph)
        paragraph.paragraph_format.line_spacing = Pt(RECORD_LINE_PT)
        for run in paragraph.runs:
            run.font.size = Pt(FOOTER_SIZE_PT)
        _frame(paragraph, top_pt=top_pt)
        return paragraph

    # Page numbers: — 1 — in 4号, odd pages on the right and even pages on the left, one
    # character in.
    def _page_numbers(self):
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        section = self.document.sections[0]
        for footer, alignment in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.alignment = alignment
            if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
                _indent(paragraph, right_chars=1, size=FOOTER_SIZE_PT)
            else:
                _indent(paragraph, left_chars=1, size=FOOTER_SIZE_PT)
            _page_field(paragraph, self.number_font)
        mark = status_mark(self.meeting)
        if mark:
            for header in (section.header, section.even_page_header):
                header.is_linked_to_previous = False
                paragraph = header.paragraphs[0]
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                paragraph.add_run(mark)

    def _paragraph(self, text: str, *, indent: bool = True, font: str | None = None):
        paragraph = self.document.add_paragraph()
        run = paragraph.add_run(text)
        if font:
            _set_fonts(run._r.get_or_add_rPr(), font)
        if indent:
            _indent(paragraph, first_line_chars=2)
        return paragraph


# The order WordprocessingML gives the children of a paragraph's and a run's properties (ECMA-376
# CT_PPr, CT_RPr) and of the settings: Word refuses a file whose children are out of order.
PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
    "rPr sectPr pPrChange"
).split()
RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
    "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
).split()
SETTINGS_ORDER = (
    "writeProtection view zoom removePersonalInformation removeDateAndTime "
    "doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText "
    "printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts "
    "saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges bordersDoNotSurroundHeader "
    "bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors hideGrammaticalErrors "
    "activeWritingStyle proofState formsDesign attachedTemplate linkStyles "
    "stylePaneFormatFilter stylePaneSortMethod documentType mailMerge revisionView "
    "trackRevisions doNotTrackMoves doNotTrackFormatting documentProtection "
    "autoFormatOverride styleLockTheme styleLockQFSet defaultTabStop"
).split()


def _put(parent, element, order: list[str]):
    """Put ``element`` into ``parent`` in its schema place, replacing one of the same name."""
    from docx.oxml.ns import qn

    name = element.tag
    for old in parent.findall(name):
        parent.remove(old)
    local = name.rsplit("}", 1)[1]
    successors = {qn(f"w:{tag}") for tag in order[order.index(local) + 1 :]}
    for child in parent:
        if child.tag in successors:
            child.addprevious(element)
            return element
    parent.append(element)
    return element


def _line():
    from docx.shared import Pt

    return Pt(LINE_PITCH_TWIPS / 20)


def _width(text: str) -> float:
    """Width in full-width characters: half-width digits and letters count half."""
    return sum(0.5 if ord(character) < 0x2E80 else 1 for character in text)


def _set_fonts(rpr, family: str) -> None:
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), family)


def _set_language(rpr) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "zh-CN")
    language.set(qn("w:eastAsia"), "zh-CN")
    _put(rpr, language, RPR_ORDER)


def _indent(
    paragraph,
    *,
    first_line_chars: float = 0,
    left_chars: float = 0,
    hanging_chars: float = 0,
    right_chars: float = 0,
    size: float = BODY_SIZE_PT,
) -> None:
    """Indents in characters (Word's *Chars attributes) with the lengths Word falls back to."""
    from docx.oxml.ns import qn

    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    twips_per_char = size * 20

    def put(name: str, chars: float) -> None:
        if chars:
            ind.set(qn(f"w:{name}Chars"), str(round(chars * 100)))
            ind.set(qn(f"w:{name}"), str(round(chars * twips_per_char)))

    put("firstLine", first_line_chars)
    put("left", left_chars)
    put("hanging", hanging_chars)
    put("right", right_chars)


def _no_grid(paragraph) -> None:
    """Out of the line grid: the title and the 版记 have their own sizes and spacing."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    _put(paragraph._p.get_or_add_pPr(), snap, PPR_ORDER)


def _border(paragraph, side: str, *, size: int, color: str = "000000", space: int = 1) -> None:
    """A rule above or below a paragraph; ``size`` in eighths of a point (8: 0.35 mm)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = _put(ppr, OxmlElement("w:pBdr"), PPR_ORDER)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), color)
    borders.append(line)


def _right_tab(paragraph, position_mm: float) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Mm

    paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(position_mm), WD_TAB_ALIGNMENT.RIGHT)


RECORD_LINE_PT = FOOTER_SIZE_PT * 1.6
TYPE_AREA_BOTTOM_PT = (297 - 35) / 25.4 * 72


RECORD_RULES_PT = 4  # a rule and the space between it and the text


def _record_lines(distribution: str) -> int:
    """The lines the 分送 paragraph takes: it starts one character in and wraps four in, one
    character from the right. A line is counted one character short, so that a line Word
    breaks earlier than reckoned still ends inside the type area (the 版记 sits a little higher).
    """
    characters = TEXT_WIDTH_MM / 25.4 * 72 / (FOOTER_SIZE_PT + CHARACTER_SPACING / 20)
    first, rest = int(characters) - 2 - 1, int(characters) - 5 - 1
    return 1 + max(0, -(-(_width(distribution) - first) // rest))


def _frame(paragraph, *, top_pt: float) -> None:
    """A frame as wide as the type area at ``top_pt`` from the top of the page (Word puts
    consecutive paragraphs with the same frame into one)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    frame = OxmlElement("w:framePr")
    frame.set(qn("w:w"), str(round(TEXT_WIDTH_MM / 25.4 * 1440)))
    frame.set(qn("w:wrap"), "around")
    frame.set(qn("w:vAnchor"), "page")
    frame.set(qn("w:hAnchor"), "margin")
    frame.set(qn("w:xAlign"), "center")
    frame.set(qn("w:y"), str(round(top_pt * 20)))
    _put(paragraph._p.get_or_add_pPr(), frame, PPR_ORDER)


def _page_field(paragraph, family: str) -> None:
    """— PAGE — as a field, so Word and WPS number the pages they lay out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def run(text: str = ""):
        added = paragraph.add_run(text)
        added.font.size = Pt(FOOTER_SIZE_PT)
        _set_fonts(added._r.get_or_add_rPr(), family)
        return added

    def field_char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run()._r.append(element)

    run("— ")
    field_char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    run()._r.append(instruction)
    field_char("separate")
    run("1")
    field_char("end")
    run(" —")


# --- The catalogue (CSV and .xlsx) --------------------------------------------------------

CATALOGUE_CHUNK = 1000
ITEM_SEPARATOR = "；"
CATALOGUE_COLUMNS = [
    ("doc_number", gettext_lazy("Document number")),
    ("title", gettext_lazy("Title")),
    ("meeting_date", gettext_lazy("Meeting date")),
    ("issuer", gettext_lazy("Issuer")),
    ("kind", gettext_lazy("Kind of minutes")),
    ("items", gettext_lazy("Agenda items")),
    ("item_count", gettext_lazy("Number of items")),
    ("decision_count", gettext_lazy("Number of decisions")),
]
STAFF_COLUMNS = [
    ("status", gettext_lazy("Status")),
    ("disclosure", gettext_lazy("Disclosure")),
]
ADDRESS_COLUMN = ("url", gettext_lazy("Address"))


def catalogue_columns(*, staff: bool) -> list[tuple[str, str]]:
    columns = [*CATALOGUE_COLUMNS, *(STAFF_COLUMNS if staff else []), ADDRESS_COLUMN]
    return [(key, str(label)) for key, label in columns]


CATALOGUE_FIELDS = [
    "issuer__name",
    "kind",
    "kind_label",
    "year",
    "seq",
    "doc_number_ordinal",
    "session_no",
    "meeting_date",
    "status",
    "disclosure",
]


def catalogue_queryset(meetings):
    """What a catalogue row shows of each document, with its count of decisions."""
    decisions = (
        Decision.objects.filter(agenda_item__meeting=OuterRef("pk"))
        .order_by()
        .values("agenda_item__meeting")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        meetings.select_related("issuer")
        # Only what a row shows: the source text and opening paragraph are most of a row's
        # bytes (measured: 24 MiB peak for 1,000-document chunks with them, see export_bench).
        .only(*CATALOGUE_FIELDS)
        .annotate(
            decision_count=Coalesce(Subquery(decisions, output_field=IntegerField()), Value(0))
        )
    )


def browse_catalogue(meetings) -> Iterator[Meeting]:
    """The documents of a browse query, read a chunk at a time in the list's order."""
    return catalogue_queryset(meetings.newest_first()).iterator(chunk_size=CATALOGUE_CHUNK)


def documents_by_id(meetings, ids: list[int]) -> Iterator[Meeting]:
    """The documents of ``ids`` in that order (a search's), a chunk at a time, through
    ``meetings`` (the one door): an id the user may not see is skipped."""
    for start in range(0, len(ids), CATALOGUE_CHUNK):
        chunk = ids[start : start + CATALOGUE_CHUNK]
        found = catalogue_queryset(meetings.filter(pk__in=chunk)).in_bulk()
        yield from (found[pk] for pk in chunk if pk in found)


def _item_titles(meeting_ids: list[int]) -> dict[int, list[str]]:
    """The item titles of some documents, in order: one query, no model instances (five items
    a document made 50,000 of them for 10,000 rows)."""
    titles: dict[int, list[str]] = {}
    rows = (
        AgendaItem.objects.filter(meeting_id__in=meeting_ids)
        .order_by("meeting_id", "number")
        .values_list("meeting_id", "title")
    )
    for meeting_id, title in rows:
        titles.setdefault(meeting_id, []).append(title)
    return titles


def catalogue_rows(meetings: Iterable[Meeting], *, staff: bool, base_url: str) -> Iterator[dict]:
    """One dict per document, keyed by ``catalogue_columns``; ``base_url`` makes addresses whole.
    Documents are taken a chunk at a time, with one query for the chunk's items."""
    statuses = {value: str(label) for value, label in Meeting.Status.choices}
    disclosures = {value: str(label) for value, label in Meeting.Disclosure.choices}
    documents = iter(meetings)
    while chunk := list(islice(documents, CATALOGUE_CHUNK)):
        titles = _item_titles([meeting.pk for meeting in chunk])
        for meeting in chunk:
            items = titles.get(meeting.pk, [])
            row = {
                "doc_number": meeting.doc_number,
                "title": meeting.title,
                "meeting_date": meeting.meeting_date,
                "issuer": meeting.issuer.name if meeting.issuer_id else "",
                "kind": meeting.kind_name,
                "items": ITEM_SEPARATOR.join(items),
                "item_count": len(items),
                "decision_count": meeting.decision_count,
                "url": base_url + meeting.get_absolute_url(),
            }
            if staff:
                row["status"] = statuses[meeting.status]
                row["disclosure"] = disclosures[meeting.disclosure]
            yield row


class _Line:
    """A file-like object that hands back what csv.writer writes (Django's streaming recipe)."""

    def write(self, value: str) -> str:
        return value


# A cell a spreadsheet would run as a formula (=, +, -, @, or a control character first) gets a
# leading apostrophe: titles are typed by clerks and opened in Excel (OWASP's CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    if not isinstance(value, int) and text.startswith(FORMULA_START):
        return "'" + text
    return text


def csv_chunks(rows: Iterable[dict], columns: list[tuple[str, str]]) -> Iterator[bytes]:
    """UTF-8 CSV with a byte-order mark (so that Excel reads the Chinese), 200 rows a chunk."""
    writer = csv.writer(_Line())
    keys = [key for key, _label in columns]
    buffer = ["\ufeff" + writer.writerow([label for _key, label in columns])]
    for row in rows:
        buffer.append(writer.writerow([_csv_cell(row.get(key)) for key in keys]))
        if len(buffer) >= 200:
            yield "".join(buffer).encode()
            buffer = []
    if buffer:
        yield "".join(buffer).encode()


XLSX_WIDTHS = {
    "doc_number": 14,
    "title": 36,
    "meeting_date": 12,
    "issuer": 22,
    "kind": 16,
    "items": 60,
    "item_count": 8,
    "decision_count": 8,
    "status": 10,
    "disclosure": 12,
    "url": 40,
}
XLSX_MAX_URLS = 65_000  # Excel keeps at most 65,530 links on a sheet
STREAM_CHUNK = 64 * 1024


def xlsx_chunks(
    rows: Iterable[dict], columns: list[tuple[str, str]], *, sheet_name: str
) -> Iterator[bytes]:
    """An .xlsx written row by row to a temporary file (xlsxwriter's constant_memory mode:
    each row leaves memory once the next begins), then sent in 64 KiB chunks."""
    import xlsxwriter

    with tempfile.TemporaryFile() as output:
        workbook = xlsxwriter.Workbook(
            output,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "tmpdir": tempfile.gettempdir(),
            },
        )
        sheet = workbook.add_worksheet(sheet_name[:31])
        header = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
        date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        link = workbook.add_format({"font_color": "#0645AD", "underline": 1})
        keys = [key for key, _label in columns]
        for index, (key, label) in enumerate(columns):
            sheet.set_column(index, index, XLSX_WIDTHS.get(key, 14))
            sheet.write_string(0, index, label, header)
        sheet.freeze_panes(1, 0)
        count = 0
        for count, row in enumerate(rows, start=1):
            for index, key in enumerate(keys):
                value = row.get(key)
                if value is None or value == "":
                    continue
                if key == "meeting_date":
                    sheet.write_datetime(count, index, value, date)
                elif isinstance(value, int):
                    sheet.write_number(count, index, value)
                elif key == "url" and count <= XLSX_MAX_URLS:
                    sheet.write_url(count, index, value, link, string=value)
                else:
                    sheet.write_string(count, index, str(value))
        sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
        workbook.close()
        output.seek(0)
        while chunk := output.read(STREAM_CHUNK):
            yield chunk


def catalogue_sheet_name() -> str:
    return _("Minutes")


def search_hit_ids(user, form) -> list[int]:
    """The ids of every document a search finds for this user, in the search page's order.

    The search page shows one page of hits; a catalogue takes them all: the same request as
    the page's (a 文号 is a filter, the audience is the user's), asked once for the count and
    once for a page holding every hit.
    """
    from minutes import search
    from minutes.search.results import audience_for

    request = form.search_request(audience_for(user))
    if not request:
        return []
    request.page = 1
    page = search.search(request)
    if page.count > len(page.hits):
        request.per_page = page.count
        page = search.search(request)
    return [hit.meeting_id for hit in page.hits]
