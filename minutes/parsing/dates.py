"""Chinese numerals and dates: 第八十次, 二○一一年八月二十七日, 2021年4月12日, 4月24日."""

from __future__ import annotations

import datetime
import re

from .patterns import CHINESE_DIGITS

_DIGIT_VALUES = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNIT_VALUES = {"十": 10, "百": 100, "千": 1000}
# The numbers of items and points: looked up, not computed.
_SMALL = {
    **{str(value): value for value in range(1, 100)},
    **dict(zip("一二三四五六七八九十", range(1, 11), strict=True)),
    **{f"十{digit}": 10 + value for value, digit in enumerate("一二三四五六七八九", start=1)},
}

_NUMBER = rf"[\d{CHINESE_DIGITS}]"
DATE = re.compile(
    rf"(?:(?P<year>{_NUMBER}{{4}})\s*年\s*)?(?P<month>{_NUMBER}{{1,3}})\s*月\s*"
    rf"(?P<day>{_NUMBER}{{1,4}})\s*日"
)
FULL_DATE = re.compile(
    rf"(?P<year>{_NUMBER}{{4}})\s*年\s*(?P<month>{_NUMBER}{{1,3}})\s*月\s*"
    rf"(?P<day>{_NUMBER}{{1,4}})\s*日"
)


def number_value(text: str) -> int | None:
    """The value of an Arabic or Chinese numeral: "133" -> 133, "一百零六" -> 106.

    A run of digit characters without units (二○一一 -> 2011) is read digit by digit, as years are
    written. Returns None when the text is not a numeral.
    """
    if text in _SMALL:
        return _SMALL[text]
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text) if text.isascii() else None
    if any(character not in _DIGIT_VALUES and character not in _UNIT_VALUES for character in text):
        return None
    if not any(character in _UNIT_VALUES for character in text):
        value = 0
        for character in text:
            value = value * 10 + _DIGIT_VALUES[character]
        return value
    total = 0
    pending = 0
    for character in text:
        if character in _DIGIT_VALUES:
            pending = _DIGIT_VALUES[character]
        else:
            # 十 alone at the start means 10 (十五 = 15), not 0 × 10.
            total += (pending or 1) * _UNIT_VALUES[character]
            pending = 0
    return total + pending


def make_date(year: int | None, month: int | None, day: int | None) -> datetime.date | None:
    """A date, or None when a part is missing or the day does not exist."""
    if year is None or month is None or day is None:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def find_date(
    text: str, default_year: int | None = None
) -> tuple[datetime.date | None, re.Match | None]:
    """The first date written in ``text``; the year comes from ``default_year`` when omitted."""
    if "日" not in text:  # cheaper than the search on the long lines of a large upload
        return None, None
    match = DATE.search(text)
    if match is None:
        return None, None
    year = number_value(match["year"]) if match["year"] else default_year
    return make_date(year, number_value(match["month"]), number_value(match["day"])), match


def parse_full_date(text: str) -> datetime.date | None:
    """The date of a line that is nothing but a full date (2021年4月20日), else None."""
    match = FULL_DATE.fullmatch(text.strip())
    if match is None:
        return None
    return make_date(
        number_value(match["year"]), number_value(match["month"]), number_value(match["day"])
    )


def format_date(value: datetime.date) -> str:
    """The Arabic form used by the rendered text: 2021年4月12日."""
    return f"{value.year}年{value.month}月{value.day}日"
