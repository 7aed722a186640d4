"""The words of the source format. Everything Chinese that the parser and renderer match lives here."""

DIGITS = "零一二三四五六七八九"

# Meeting kinds, keyed by the model's stored value.
MEETING_KIND_NAMES = {
    "executive": "常务会议纪要",
    "mayor_office": "市长办公会议纪要",
    "special": "专题会议纪要",
    "other": "会议纪要",
}

REPRESENTATIVE_SUFFIX = "的代表"


def chinese_numeral(number: int) -> str:
    """1 -> 一, 10 -> 十, 15 -> 十五, 23 -> 二十三, 133 -> 一百三十三 (item and point numbers)."""
    if number < 0:
        raise ValueError(number)
    if number < 10:
        return DIGITS[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")
    hundreds, rest = divmod(number, 100)
    if rest == 0:
        return DIGITS[hundreds] + "百"
    middle = "零" if rest < 10 else ""
    tail = (
        DIGITS[rest]
        if rest < 10
        else (DIGITS[rest // 10] + "十" + (DIGITS[rest % 10] if rest % 10 else ""))
    )
    return DIGITS[hundreds] + "百" + middle + tail


def format_doc_number(year: int, seq: int) -> str:
    """The 文号 with full-width brackets: 〔2021〕15号."""
    return f"〔{year}〕{seq}号"


def format_session(session_no: int) -> str:
    return f"第{session_no}次"


# Stored values of the model's choices, keyed by the words of the source format.
TIME_OF_DAY = {"上午": "morning", "下午": "afternoon", "晚上": "evening"}
ITEM_KINDS = {"听取": "hear", "审议": "review", "传达": "convey", "研究": "study"}

# Name endings that tell what kind of body an organisation is, most specific first.
GOVERNMENT_ENDINGS = ("人民政府", "政府", "管委会")
PARTY_PREFIXES = ("市委", "区委", "县委", "省委", "团市委", "市纪委")
DISTRICT_ENDINGS = ("市", "区", "县", "镇", "街道")
DEPARTMENT_ENDINGS = ("局", "委", "办", "室", "厅", "中心", "支队", "海关", "分局", "中支", "所")
