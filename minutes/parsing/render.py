"""ParsedMinutes -> the canonical text of the document, which parses back to the same record."""

from __future__ import annotations

from . import patterns as p
from .dates import format_date
from .opening import chair_of_opening
from .records import Attendee, ParsedMinutes

_CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_number(value: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一, 105 -> 一百零五 (the numbering of items)."""
    if value < 0:
        return str(value)
    if value < 10:
        return _CHINESE_DIGITS[value]
    if value < 20:
        return "十" + (_CHINESE_DIGITS[value % 10] if value % 10 else "")
    if value < 100:
        tens, units = divmod(value, 10)
        return _CHINESE_DIGITS[tens] + "十" + (_CHINESE_DIGITS[units] if units else "")
    if value < 1000:
        hundreds, rest = divmod(value, 100)
        if not rest:
            return _CHINESE_DIGITS[hundreds] + "百"
        middle = "零" if rest < 10 else ""
        tail = chinese_number(rest) if rest >= 20 or rest < 10 else "一" + chinese_number(rest)
        return _CHINESE_DIGITS[hundreds] + "百" + middle + tail
    return str(value)


def _attendee_text(attendee: Attendee) -> str:
    return (attendee.org or "") + (attendee.name or "")


def _attendee_lines(label: str, attendees: tuple[Attendee, ...]) -> list[str]:
    if any(attendee.group for attendee in attendees):
        lines = [f"{label}："]
        groups: list[tuple[str | None, list[Attendee]]] = []
        for attendee in attendees:
            if not groups or groups[-1][0] != attendee.group:
                groups.append((attendee.group, []))
            groups[-1][1].append(attendee)
        for number, (group, members) in enumerate(groups, start=1):
            lines.append(f"（{number}）{group or ''}：{'、'.join(_entries(members))}")
        return lines
    return [f"{label}：{' '.join(_entries(list(attendees)))}"]


def _entries(attendees: list[Attendee]) -> list[str]:
    """Entries as printed; consecutive name-less ones make one "X、Y的代表" entry."""
    entries: list[str] = []
    representatives: list[str] = []
    for attendee in attendees + [Attendee(name="")]:
        if attendee.name is None:
            representatives.append(attendee.org or "")
            continue
        if representatives:
            entries.append("、".join(representatives) + p.REPRESENTATIVE_SUFFIX)
            representatives = []
        if attendee.name:
            entries.append(_attendee_text(attendee))
    return entries


def render(parsed: ParsedMinutes) -> str:
    """The canonical text of ``parsed``: official layout, full-width punctuation, Arabic dates."""
    lines: list[str] = []
    if parsed.issuer:
        # The issuer alone when no kind was printed, so that none is made up.
        lines.append(f"{parsed.issuer} {parsed.kind}" if parsed.kind else parsed.issuer)
        if parsed.doc_number:
            lines.append(parsed.doc_number)
    elif parsed.doc_number:
        lines.append(f"{parsed.kind or ''}{parsed.doc_number}")
    elif parsed.kind:
        lines.append(parsed.kind)
    if parsed.opening:
        lines.append(parsed.opening)
    if parsed.items:
        lines.append(p.RENDERED_LEAD_IN)
    for item in parsed.items:
        lines.append(f"{chinese_number(item.no)}、{item.title}")
        for decision in item.decisions:
            if decision.no is None:
                lines.append(decision.text)
            else:
                lines.append(f"（{chinese_number(decision.no)}）{decision.text}")
    if parsed.chair and chair_of_opening(parsed.opening)[0] != parsed.chair:
        # The chair named at the end of the source ("会议由…主持。"), not in the opening.
        lines.append(p.CHAIR_LINE.format(chair=f"{parsed.chair_title or ''}{parsed.chair}"))
    if parsed.attendees is not None:
        lines.extend(_attendee_lines(p.ATTENDEES_LABEL, parsed.attendees))
    if parsed.observers is not None:
        lines.extend(_attendee_lines(p.OBSERVERS_LABEL, parsed.observers))
    if parsed.recorder:
        lines.append(f"{p.RECORDER_LABEL}：{parsed.recorder}")
    if parsed.compiled_office or parsed.compiled_date:
        lines.append(f"{parsed.compiled_office or ''}{p.COMPILED_WORD}")
        if parsed.compiled_date:
            lines.append(format_date(parsed.compiled_date))
    if parsed.public:
        lines.append(f"（{p.PUBLIC_NOTE}）")
    if parsed.distribution is not None:
        lines.append(f"{p.RENDERED_DISTRIBUTION_LABEL}：{_distribution_text(parsed)}。")
    if parsed.printed_date:
        if parsed.printed_office:
            lines.append(parsed.printed_office)
        lines.append(f"{format_date(parsed.printed_date)}{p.PRINTED_WORD}")
    return "\n".join(lines) + "\n"


def _distribution_text(parsed: ParsedMinutes) -> str:
    """The recipients joined by the marks the source used (， by default)."""
    recipients = parsed.distribution or ()
    separators = parsed.distribution_separators or ()
    if len(separators) != max(len(recipients) - 1, 0):
        separators = (p.ITEM_SEPARATOR,) * max(len(recipients) - 1, 0)
    text = recipients[0] if recipients else ""
    for separator, recipient in zip(separators, recipients[1:], strict=True):
        # A recipient entered by hand has no mark of its own: ， as within a group.
        text += (separator or p.ITEM_SEPARATOR) + recipient
    return text
