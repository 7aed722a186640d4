"""The footer: 出席/列席/记录 lists, the compiling office and date, the disclosure line, 分送, and
the printing office and date — in any of the labels real minutes use (参加人员, 列席人员, 本期发 …).
"""

from __future__ import annotations

import re

from . import patterns as p
from .dates import find_date, parse_full_date
from .draft import Draft
from .names import parse_attendees
from .normalize import Line, squeeze_spaces


def is_compiled_line(text: str) -> bool:
    return text.endswith(p.COMPILED_WORD) and len(text) <= p.FOOTER_LINE_MAX and "。" not in text


def is_printed_line(text: str) -> bool:
    """ "苏州市人民政府办公室 2021年4月21日印发", "…办公室 2021年8月16日印", "2021年4月21日印发"."""
    return (
        text.endswith(p.PRINTED_WORDS)
        and len(text) <= p.FOOTER_LINE_MAX
        and "。" not in text
        and find_date(text)[0] is not None
    )


def is_footer_start(text: str) -> bool:
    # A point "（三）由市档案馆整理" is body text even though it ends like the compiled line.
    if p.ITEM.match(text) or p.POINT.match(text):
        return False
    return bool(
        p.LABEL_LINE.match(text)
        or p.DISCLOSURE_NOTE.match(text)
        or is_compiled_line(text)
        or is_printed_line(text)
    )


def read_footer(lines: list[Line], draft: Draft) -> dict[str, list[Line]]:
    """Read the footer lines into ``draft``; returns the 出席/列席 blocks as lines, by label."""
    values = draft.values
    state: str | None = None
    blocks: dict[str, list[Line]] = {}
    distribution: list[str] = []
    skip = False
    for index, line in enumerate(lines):
        if skip:
            skip = False
            continue
        text = line.text
        following = lines[index + 1].text if index + 1 < len(lines) else ""
        joined = text + following
        if (
            following
            and not is_footer_start(text)
            and (is_printed_line(joined) or is_compiled_line(joined))
            and not p.LABEL_LINE.match(following)
        ):
            # "…办公室 2021年8月16" / "日印": the printing line cut by the PDF's wrap.
            text, skip = joined, True
            following = lines[index + 2].text if index + 2 < len(lines) else ""
        label = p.LABEL_LINE.match(text)
        if label:
            name = p.LABELS[label["label"]]
            rest = label["rest"].strip()
            if name in p.IGNORED_LABELS:
                draft.leave(line.number, text, f"“{name}”一栏不入库，已略过")
                state = "ignored"
            elif name == p.RECORDER_LABEL:
                values["recorder"] = squeeze_spaces(rest) or None
                state = None
            elif name == p.RENDERED_DISTRIBUTION_LABEL:
                # The list ends with its 。 ("本期发：局领导，…，局属各单位。").
                state = None if rest.endswith("。") else "distribution"
                distribution.append(rest)
            else:
                state = name
                blocks.setdefault(name, [])
                if rest:
                    blocks[name].append(Line(line.number, rest))
            continue
        if p.DISCLOSURE_NOTE.match(text):
            if p.PUBLIC_NOTE in text:
                values["public"] = True
            else:
                draft.leave(line.number, text, None)
            state = None
            continue
        if is_compiled_line(text):
            office = squeeze_spaces(text[: -len(p.COMPILED_WORD)])
            date, match = find_date(office)
            if match is not None:
                office = office[: match.start()].strip()
                values["compiled_date"] = date
            values["compiled_office"] = office or None
            state = "compiled"
            continue
        if is_printed_line(text):
            date, match = find_date(text)
            values["printed_date"] = date
            office = squeeze_spaces(text[: match.start()]) if match else ""
            if office:
                values["printed_office"] = office
            state = None
            continue
        if is_printed_line(following) and find_date(following)[1].start() == 0:
            # The office of "…印发" stands alone on the line before the date.
            values["printed_office"] = squeeze_spaces(text)
            state = None
            continue
        if state == "compiled" and parse_full_date(text):
            values["compiled_date"] = parse_full_date(text)
            state = None
            continue
        if state == "distribution":
            distribution.append(text)
            if text.endswith("。"):
                state = None
        elif state in (p.ATTENDEES_LABEL, p.OBSERVERS_LABEL):
            blocks[state].append(line)
        elif state == "ignored":
            draft.leave(line.number, text, None)
        elif parse_full_date(text):
            draft.leave(
                line.number,
                text,
                f"日期“{text}”未标明是整理日期还是印发日期，未录入",
                "compiled_date",
            )
        else:
            draft.leave(line.number, text, f"文末的“{text[:20]}”未能识别，已略过")
    if distribution:
        joined = squeeze_spaces("".join(distribution)).rstrip("。")
        recipients, separators = split_distribution(joined)
        values["distribution"] = recipients
        values["distribution_separators"] = separators
    return blocks


def read_attendance_blocks(blocks: dict[str, list[Line]], draft: Draft) -> None:
    """The labelled 出席/列席 lists; each replaces what sentences of the opening said."""
    for label, key in ((p.ATTENDEES_LABEL, "attendees"), (p.OBSERVERS_LABEL, "observers")):
        if label in blocks:
            attendees, warnings = parse_attendees(blocks[label])
            draft.values[key] = attendees
            for line_number, message in warnings:
                draft.warn(line_number, message, key)
        elif draft.narrative.get(key):
            draft.values[key] = tuple(draft.narrative[key])


def split_distribution(joined: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """分送 recipients, and the mark that follows each but the last.

    The line groups its recipients: "各市、区人民政府，苏州工业园区管委会；市各有关部门和单位" —
    ， within a group and ； between groups; keeping the marks lets the document print as issued.
    """
    recipients: list[str] = []
    separators: list[str] = []
    for part in re.split(f"({p.DISTRIBUTION_SEPARATORS.pattern})", joined):
        if p.DISTRIBUTION_SEPARATORS.fullmatch(part):
            if recipients and len(separators) < len(recipients):
                separators.append(p.GROUP_SEPARATOR if part in "；;" else p.ITEM_SEPARATOR)
        elif part.strip():
            if len(separators) < len(recipients):
                separators.append(p.ITEM_SEPARATOR)
            recipients.append(part.strip())
    return tuple(recipients), tuple(separators[: max(len(recipients) - 1, 0)])
