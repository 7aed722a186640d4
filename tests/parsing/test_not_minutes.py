"""Know what is not minutes: a text without the structure of minutes is refused, with a message
that says what minutes have; real minutes, even cut off, are never refused."""

from __future__ import annotations

import pytest

from minutes.parsing import ParseError, parse
from tests.corpus import corpus_names, corpus_text

# A government notice in the form of the documents clerks handle; accepted and filed as
# 常务会议纪要 before (it has a 文号 and numbered headings).
NOTICE = """苏州市人民政府办公室关于做好2021年防汛防旱工作的通知
苏府办〔2021〕45号
各市、区人民政府，苏州工业园区、苏州高新区管委会；市各委办局，各直属单位：
为切实做好今年防汛防旱工作，确保人民群众生命财产安全，经市政府同意，现将有关事项通知如下：
一、提高思想认识
各地各部门要充分认识做好防汛防旱工作的重要性，克服麻痹思想和侥幸心理。
二、落实防汛责任
各地要严格落实以行政首长负责制为核心的各项防汛责任制，层层分解任务。
三、强化值班值守
汛期实行24小时值班和领导带班制度，确保信息畅通。
特此通知。
苏州市人民政府办公室
2021年5月10日
（此件公开发布）
"""
# A notice calling a meeting: a meeting, a day, a session, but one to come.
MEETING_NOTICE = """关于召开市政府第134次常务会议的通知
各有关单位：
经研究，定于2021年4月26日上午9:00在市政府会议中心召开市政府第134次常务会议。现将有关事项通知如下：
一、会议议程
听取全市二季度安全生产工作情况的汇报。
二、参会人员
市政府领导，各有关部门主要负责同志。
请准时参加。
"""
# A news report of a meeting: the meeting sentence is there, the record is not.
NEWS = """区政府召开第86次常务会议
本报讯（记者 张明 通讯员 李华）3月3日，区长胡永光主持召开区政府第86次常务会议，研究部署生态环境问题整改等工作。
会议指出，要深刻汲取长江经济带生态环境警示片中披露的问题教训，举一反三，坚决抓好整改。
胡永光强调，各有关部门要结合周边生产、生活、生态环境，合理确定项目选址。
会议还研究了其他事项。
"""
PROSE = """春天来了，公园里的花都开了。我们一家人沿着湖边散步，看见很多人在放风筝。
傍晚的时候，天边的云被夕阳染成了红色，湖面上泛着金光。
"""
CONTENTS = """目  录
一、总则……………………………………1
二、组织机构……………………………3
三、工作职责……………………………5
四、附则……………………………………9
"""


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (NOTICE, "通知"),
        (MEETING_NOTICE, "通知"),
        (NEWS, "新闻报道"),
        (CONTENTS, "目录"),
        (PROSE, ""),
    ],
    ids=["notice", "meeting-notice", "news", "contents", "prose"],
)
def test_a_text_that_is_not_minutes_is_refused_saying_what_minutes_have(text, kind):
    with pytest.raises(ParseError) as refused:
        parse(text)
    message = refused.value.message
    assert "会议纪要" in message and "主持召开会议" in message and "议题" in message
    assert kind in message
    assert 1 <= refused.value.line <= text.count("\n") + 1


def test_the_refusal_points_at_the_line_that_gave_it_away():
    with pytest.raises(ParseError) as refused:
        parse(NEWS)
    assert refused.value.line == 2


@pytest.mark.parametrize("name", corpus_names())
def test_every_real_document_is_taken(name):
    parse(corpus_text(name))


@pytest.mark.parametrize("name", corpus_names())
def test_real_minutes_cut_off_after_their_first_item_are_taken(name):
    text = corpus_text(name)
    first = parse(text).items[0].title[:12]
    lines = text.split("\n")
    at = next(
        index
        for index, line in enumerate(lines)
        if line.strip().lstrip("一、").replace(",", "，").startswith(first)
    )
    parsed = parse("\n".join(lines[: at + 1]))
    assert parsed.items and parsed.items[0].title.startswith(first)


def test_minutes_sent_under_a_covering_notice_are_taken():
    cover = (
        "关于印发《市政府第133次常务会议纪要》的通知\n各市、区人民政府：\n"
        "现将《市政府第133次常务会议纪要》印发给你们，请认真贯彻执行。\n"
    )
    parsed = parse(cover + corpus_text("suzhou-2021-15"))
    assert parsed.to_dict() == parse(corpus_text("suzhou-2021-15")).to_dict()
    assert [line for line, _text in parsed.unplaced] == [2, 3]


def test_a_doc_number_alone_is_not_minutes():
    with pytest.raises(ParseError):
        parse("常务会议纪要〔2021〕15号\n")


def test_an_implausible_doc_number_is_not_taken_and_is_said():
    text = corpus_text("suzhou-2021-15").replace("〔2021〕15号", "〔1900〕15号")
    parsed = parse(text)
    assert parsed.doc_number is None
    warnings = [w for w in parsed.warnings if w.field == "doc_number"]
    assert len(warnings) == 1 and "〔1900〕15号" in warnings[0].message
    assert "不合理" in warnings[0].message
