"""Small factories: a whole document built in code, saved through the importer."""

import datetime
import itertools

from minutes.importing import import_parsed
from minutes.models import Meeting
from minutes.parsing.records import AgendaItem, Attendee, Decision, ParsedMinutes

_sequence = itertools.count(1)

# Every status and disclosure pair that keeps a document from anonymous readers.
HIDDEN_STATES = [
    (status, disclosure)
    for status, disclosure in itertools.product(Meeting.Status, Meeting.Disclosure)
    if not (status == Meeting.Status.PUBLISHED and disclosure == Meeting.Disclosure.PUBLIC)
]


def parsed_minutes(**overrides) -> ParsedMinutes:
    """A complete, plausible document; each call gets its own 文号 unless given one."""
    seq = overrides.pop("seq", next(_sequence))
    year = overrides.pop("year", 2021)
    # A document without 文号 (year and seq None) still gets a session and a date.
    session = 100 + (seq or next(_sequence))
    date_year = year or 2021
    fields = {
        "issuer": "苏州市人民政府",
        "kind": "常务会议纪要",
        "doc_number": f"〔{year}〕{seq}号",
        "year": year,
        "seq": seq,
        "session_no": session,
        "session_name": f"市政府第{session}次常务会议",
        "meeting_date": datetime.date(date_year, 4, 12),
        "time_of_day": "上午",
        "chair": "李亚平",
        "chair_title": "市长",
        "opening": f"{date_year}年4月12日上午，李亚平市长主持召开市政府第{session}次常务会议，"
        "审议《苏州市促进集成电路产业高质量发展的若干措施》。",
        "items": (
            AgendaItem(
                no=1,
                title="审议《苏州市促进集成电路产业高质量发展的若干措施》",
                kind="审议",
                decisions=(
                    Decision(
                        no=1,
                        text="原则同意《苏州市促进集成电路产业高质量发展的若干措施》。"
                        "由市工信局根据本次会议讨论意见作相应修改完善后，按程序报市委。",
                        organizations=("市工信局",),
                    ),
                    Decision(
                        no=2,
                        text="市科技局要抓好技术研发攻关及成果转化。",
                        organizations=("市科技局",),
                    ),
                ),
                reviewed=("苏州市促进集成电路产业高质量发展的若干措施",),
            ),
        ),
        "attendees": (Attendee(name="李亚平"), Attendee(name="王翔")),
        "observers": (
            Attendee(name="王虎", org="市纪委监委"),
            Attendee(name="黄戟", org="市公安局"),
            Attendee(name="黄戟", org="市资源规划局"),
            Attendee(name=None, org="武警苏州支队"),
        ),
        "recorder": "栗涛",
        "compiled_office": "苏州市人民政府办公室",
        "compiled_date": datetime.date(date_year, 4, 20),
        "public": True,
        "distribution": ("各市、区人民政府", "市各有关部门和单位"),
        "printed_office": "苏州市人民政府办公室",
        "printed_date": datetime.date(date_year, 4, 21),
    }
    fields.update(overrides)
    return ParsedMinutes(**fields)


def make_meeting(
    *, status=Meeting.Status.PUBLISHED, disclosure=Meeting.Disclosure.PUBLIC, **overrides
) -> Meeting:
    return import_parsed(parsed_minutes(**overrides), status=status, disclosure=disclosure).meeting
