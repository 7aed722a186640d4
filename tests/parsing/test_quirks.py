"""One test per real-world variation of the source format (README of the corpus, DESIGN §1).

The texts are small documents written in the style of real minutes; the names in them are
invented, so that the parser is checked on rules and not on the corpus's particular people.
"""

from __future__ import annotations

import datetime

import pytest

from minutes.parsing import Attendee, ParseError, parse

HEADER = "南通市人民政府 常务会议纪要\n〔2022〕7号\n"
ITEMS = (
    "会议议定以下意见：\n一、听取全市防汛工作情况的汇报\n"
    "（一）原则同意市水利局关于全市防汛工作情况的汇报。\n"
)


def minutes(opening: str, header: str = HEADER, items: str = ITEMS, footer: str = "") -> str:
    return header + opening + "\n" + items + footer


# --- session number ---------------------------------------------------------------------------
def test_session_number_in_chinese_numerals():
    parsed = parse(minutes("3月2日上午，张国强市长主持召开市政府第八十次常务会议。"))
    assert parsed.session_no == 80
    assert parsed.session_name == "市政府第八十次常务会议"


def test_session_number_with_a_term_prefix_in_chinese_numerals():
    parsed = parse(minutes("3月2日上午，市长张国强主持召开十五届政府第二十八次常务会议。"))
    assert parsed.session_no == 28
    assert parsed.session_name == "十五届政府第二十八次常务会议"


def test_session_number_with_a_term_prefix_in_arabic_numerals():
    parsed = parse(minutes("3月2日，区长刘芳主持召开区十一届政府第106次常务会议。"))
    assert parsed.session_no == 106


def test_session_number_above_one_hundred_in_chinese_numerals():
    parsed = parse(minutes("3月2日，区长刘芳主持召开区政府第一百零六次常务会议。"))
    assert parsed.session_no == 106


# --- chair ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "chair", "title"),
    [
        ("3月2日上午，市长吴庆文主持召开市政府第30次常务会议。", "吴庆文", "市长"),
        ("3月2日上午，吴庆文市长主持召开市政府第30次常务会议。", "吴庆文", "市长"),
        ("3月2日上午，代市长徐华水主持会议，研究近期工作。", "徐华水", "代市长"),
        (
            "3月2日，区政府代理区长毛志强在区政府会议室主持召开区政府第9次常务会议。",
            "毛志强",
            "代理区长",
        ),
        ("3月2日，常务副市长欧阳明华主持召开市政府专题会议。", "欧阳明华", "常务副市长"),
        ("3月2日下午，王翔副市长主持召开专题会议。", "王翔", "副市长"),
    ],
)
def test_chair_title_before_or_after_the_name(sentence, chair, title):
    parsed = parse(minutes(sentence))
    assert (parsed.chair, parsed.chair_title) == (chair, title)


def test_place_of_the_meeting_is_read():
    parsed = parse(minutes("3月2日，区长刘芳在区行政中心三楼会议室主持召开区政府第9次常务会议。"))
    assert parsed.place == "区行政中心三楼会议室"
    assert parsed.chair == "刘芳"


# --- dates ------------------------------------------------------------------------------------
def test_meeting_date_without_year_takes_the_year_of_the_doc_number():
    parsed = parse(minutes("4月24日下午，张国强市长主持召开市政府第12次常务会议。"))
    assert parsed.meeting_date == datetime.date(2022, 4, 24)
    assert parsed.time_of_day == "下午"


@pytest.mark.parametrize("zero", ["〇", "○", "零"])
def test_meeting_date_in_chinese_numerals(zero):
    opening = f"二{zero}一一年八月二十七日上午，张国强市长主持召开市政府第5次常务会议。"
    parsed = parse(minutes(opening))
    assert parsed.meeting_date == datetime.date(2011, 8, 27)


def test_meeting_date_with_full_width_digits():
    parsed = parse(minutes("２０２２年３月２日晚上，张国强市长主持召开市政府第５次常务会议。"))
    assert parsed.meeting_date == datetime.date(2022, 3, 2)
    assert parsed.time_of_day == "晚上"
    assert parsed.session_no == 5


# --- kinds of meeting -------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["市长办公会议纪要", "专题会议纪要", "常务会议纪要"])
def test_other_kinds_of_meeting(kind):
    header = f"南通市人民政府 {kind}\n〔2022〕7号\n"
    parsed = parse(minutes("3月2日，张国强市长主持召开会议。", header=header))
    assert parsed.kind == kind
    assert parsed.issuer == "南通市人民政府"
    assert [item.title for item in parsed.items] == ["听取全市防汛工作情况的汇报"]


def test_kind_printed_before_the_doc_number():
    header = "市政府第12次常务会议纪要\n\n专题会议纪要[2013]4号\n"
    parsed = parse(minutes("4月24日下午，周海市长主持召开会议。", header=header))
    assert parsed.kind == "专题会议纪要"
    assert parsed.issuer is None


# --- doc number brackets ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "number", ["[2013]4号", "［2013］4号", "〔2013〕4号", "【2013】4号", "(2013)4号"]
)
def test_doc_number_brackets_are_normalised(number):
    header = f"常务会议纪要{number}\n"
    parsed = parse(minutes("4月24日，周海市长主持召开市政府第12次常务会议。", header=header))
    assert (parsed.doc_number, parsed.year, parsed.seq) == ("〔2013〕4号", 2013, 4)


# --- items ------------------------------------------------------------------------------------
def test_items_followed_by_one_unnumbered_decision_line():
    items = (
        "会议研究了以下事项:\n"
        "一、审议《东区农贸市场改造方案(送审稿)》\n"
        "会议议定:原则同意,由区商务局按程序组织实施。\n"
        "二、研究区属国有企业改革有关事宜\n"
        "会议议定:原则同意。\n"
    )
    parsed = parse(minutes("5月6日上午,区长刘芳主持召开区政府第20次常务会议,", items=items))
    assert [(item.no, item.kind, item.points) for item in parsed.items] == [
        (1, "审议", 0),
        (2, "研究", 0),
    ]
    assert parsed.items[0].decisions[0].text == "会议议定：原则同意，由区商务局按程序组织实施。"
    assert parsed.items[0].decisions[0].organizations == ("区商务局",)
    assert parsed.items[0].reviewed == ("东区农贸市场改造方案（送审稿）",)


def test_inline_sentence_items_with_numbered_sub_decisions_count_no_points():
    items = (
        "一、会议听取了市教育局李红关于中小学布局调整的汇报。会议明确:1.原则同意调整方案;"
        "2.由市财政局会同市教育局落实资金。\n"
        "二、会议听取了市府办赵强关于命名“明湖路”的情况汇报,同意命名。\n"
    )
    parsed = parse(
        minutes("", header="〔2011〕30号\n永康市人民政府办公室 二○一一年九月五日\n", items=items)
    )
    assert [item.title for item in parsed.items] == [
        "会议听取了市教育局李红关于中小学布局调整的汇报",
        "会议听取了市府办赵强关于命名“明湖路”的情况汇报",
    ]
    assert [item.points for item in parsed.items] == [0, 0]
    assert parsed.items[0].decisions[0].text.startswith("会议明确：1.原则同意")
    assert parsed.items[0].decisions[0].organizations == ("市财政局",)
    assert parsed.items[1].decisions[0].text == "同意命名。"


def test_unnumbered_paragraph_items():
    items = (
        "会议听取了市应急局关于安全生产工作情况的汇报。会议要求，各地各部门要压实责任。\n"
        "会议审议通过了《南通市城市道路管理办法》。由市城管局按程序报批。\n"
        "会议强调，要抓好落实。\n"
        "会议传达学习了全省经济工作会议精神。\n"
    )
    parsed = parse(minutes("3月2日，张国强市长主持召开市政府第5次常务会议。", items=items))
    assert [(item.no, item.kind) for item in parsed.items] == [
        (1, "听取"),
        (2, "审议"),
        (3, "传达"),
    ]
    assert parsed.items[0].title == "会议听取了市应急局关于安全生产工作情况的汇报"
    assert parsed.items[1].title == "会议审议通过了《南通市城市道路管理办法》"
    assert parsed.items[1].reviewed == ("南通市城市道路管理办法",)
    assert [decision.text for decision in parsed.items[1].decisions] == [
        "由市城管局按程序报批。",
        "会议强调，要抓好落实。",
    ]


@pytest.mark.parametrize(
    "lead_in", ["会议研究了以下事项：", "现将会议主要内容纪要如下：", "会议议定以下意见", ""]
)
def test_lead_in_lines_with_or_without_colon_or_none(lead_in):
    items = lead_in + "\n一、听取全市防汛工作情况的汇报\n（一）原则同意。\n（二）要抓好落实。\n"
    parsed = parse(minutes("3月2日，张国强市长主持召开市政府第5次常务会议。", items=items))
    assert [(item.title, item.points) for item in parsed.items] == [
        ("听取全市防汛工作情况的汇报", 2)
    ]
    assert not parsed.warnings


def test_lead_in_at_the_end_of_the_opening_paragraph():
    opening = "5月6日上午,区长刘芳主持召开区政府第20次常务会议,会议研究了以下事项:"
    parsed = parse(minutes(opening, items="一、审议《东区停车管理办法》\n会议议定:原则同意。\n"))
    assert parsed.session_no == 20
    assert parsed.items[0].title == "审议《东区停车管理办法》"


def test_reviewed_titles_skip_short_names_introduced_by_yixia_jiancheng():
    items = (
        "一、审议《南通市促进数字经济发展若干政策》\n"
        "（一）原则同意《南通市促进数字经济发展若干政策》（以下简称《若干政策》）。\n"
        "（二）《若干政策》要与《南通市“十四五”数字经济发展规划》衔接。\n"
    )
    parsed = parse(minutes("3月2日，张国强市长主持召开市政府第5次常务会议。", items=items))
    assert parsed.items[0].reviewed == (
        "南通市促进数字经济发展若干政策",
        "南通市“十四五”数字经济发展规划",
    )


def test_decision_organizations():
    items = (
        "一、审议《南通市青年发展规划》\n"
        "（一）原则同意。由团市委根据会议意见修改完善后，按程序报市委。\n"
        "（二）市科技局要抓好成果转化；市发改委、市财政局等相关部门要主动配合。\n"
        "（三）各地各部门要加强宣传，充分发挥各级青年工作委员会作用。\n"
    )
    parsed = parse(minutes("3月2日，张国强市长主持召开市政府第5次常务会议。", items=items))
    assert [decision.organizations for decision in parsed.items[0].decisions] == [
        ("团市委",),
        ("市科技局", "市发改委", "市财政局"),
        (),
    ]


def test_heading_wrapped_inside_a_title_is_joined():
    items = "一、审议《南通市住房公积金异地个人住房贷款实施\n\n细则》\n（一）原则同意。\n"
    parsed = parse(minutes("3月2日，张国强市长主持召开市政府第5次常务会议。", items=items))
    assert parsed.items[0].title == "审议《南通市住房公积金异地个人住房贷款实施细则》"
    assert parsed.items[0].points == 1


# --- attendees --------------------------------------------------------------------------------
def test_observers_with_organisation_and_person_run_together():
    footer = (
        "列席：市审计局李明 海门市张伟 人行南通中支王芳 市“345”热线办周洁 团市委钱亮"
        " 南通海关孙斌 市政府办公室督查室吴迪 市委宣传部欧阳晓\n"
    )
    parsed = parse(minutes("3月2日，张国强市长主持召开会议。", footer=footer))
    assert [(o.org, o.name) for o in parsed.observers] == [
        ("市审计局", "李明"),
        ("海门市", "张伟"),
        ("人行南通中支", "王芳"),
        ("市“345”热线办", "周洁"),
        ("团市委", "钱亮"),
        ("南通海关", "孙斌"),
        ("市政府办公室督查室", "吴迪"),
        ("市委宣传部", "欧阳晓"),
    ]
    assert not parsed.warnings


def test_observer_entries_split_across_pdf_lines():
    footer = (
        "列席：冯刚 何静\n\n市纪委监委林海 市\n\n民政局宋佳 如皋市\n\n蒋平 启\n"
        "东市沈立 市“345”热线办\n朱彤 南通经济技术开发\n区韩梅 崇川区\n程远\n"
    )
    parsed = parse(minutes("3月2日，张国强市长主持召开会议。", footer=footer))
    assert [(o.org, o.name) for o in parsed.observers] == [
        (None, "冯刚"),
        (None, "何静"),
        ("市纪委监委", "林海"),
        ("市民政局", "宋佳"),
        ("如皋市", "蒋平"),
        ("启东市", "沈立"),
        ("市“345”热线办", "朱彤"),
        ("南通经济技术开发区", "韩梅"),
        ("崇川区", "程远"),
    ]


def test_representatives_without_names():
    footer = "列席：市审计局李明\n市委政法委、武警南通支队的代表\n"
    parsed = parse(minutes("3月2日，张国强市长主持召开会议。", footer=footer))
    assert [(o.org, o.name) for o in parsed.observers] == [
        ("市审计局", "李明"),
        ("市委政法委", None),
        ("武警南通支队", None),
    ]


def test_attendee_names_separated_by_spaces_across_lines_and_padding():
    footer = "出席：张国强 王  翔 李红梅\n\n赵  军 欧阳明华\n"
    parsed = parse(minutes("3月2日，张国强市长主持召开会议。", footer=footer))
    assert [a.name for a in parsed.attendees] == ["张国强", "王翔", "李红梅", "赵军", "欧阳明华"]


def test_attendee_lists_grouped_by_category():
    footer = (
        "出席：\n（1）市领导：张国强、王翔、李红梅\n"
        "（2）市政府秘书长：赵军\n"
        "列席：\n（1）市直部门：市发改委钱亮、市财政局孙斌\n（2）县（市、区）：海门市张伟\n"
    )
    parsed = parse(minutes("3月2日，张国强市长主持召开会议。", footer=footer))
    assert parsed.attendees == (
        Attendee(name="张国强", group="市领导"),
        Attendee(name="王翔", group="市领导"),
        Attendee(name="李红梅", group="市领导"),
        Attendee(name="赵军", group="市政府秘书长"),
    )
    assert [(o.org, o.name, o.group) for o in parsed.observers] == [
        ("市发改委", "钱亮", "市直部门"),
        ("市财政局", "孙斌", "市直部门"),
        ("海门市", "张伟", "县（市、区）"),
    ]


def test_present_list_naming_departments_splits_them_like_observers():
    # 专题会议纪要 often list the departments present: "（2）有关部门：市财政局赵四，上城区政府刘五".
    footer = "出席：（1）市领导：王宏\n（2）有关部门：市规划和自然资源局李明，上城区政府刘五\n"
    parsed = parse(minutes("6月8日下午，副市长王宏主持召开专题会议。", footer=footer))
    assert [(a.org, a.name) for a in parsed.attendees] == [
        (None, "王宏"),
        ("市规划和自然资源局", "李明"),
        ("上城区政府", "刘五"),
    ]
    assert parsed.to_dict()["attendees"] == ["王宏", "李明", "刘五"]
    assert not parsed.warnings


def test_observer_that_cannot_be_split_is_kept_with_a_warning():
    footer = "列席：市审计局李明 某某某某某某\n"
    parsed = parse(minutes("3月2日，张国强市长主持召开会议。", footer=footer))
    assert parsed.observers[-1] == Attendee(name="某某某某某某", org=None)
    assert any("某某某某某某" in warning.message for warning in parsed.warnings)


# --- footer -----------------------------------------------------------------------------------
def test_full_footer():
    footer = (
        "记录：陈 晨\n南通市人民政府办公室整理\n2022年3月5日\n（此件公开发布）\n"
        "分送：各县（市、区）人民政府，南通经济技术开发区、苏锡通园区管委会；市\n"
        "各有关部门和单位。\n南通市人民政府办公室\n2022年3月6日印发\n"
    )
    parsed = parse(minutes("3月2日，张国强市长主持召开会议。", footer=footer))
    assert parsed.recorder == "陈晨"
    assert parsed.compiled_office == "南通市人民政府办公室"
    assert parsed.compiled_date == datetime.date(2022, 3, 5)
    assert parsed.public is True
    assert parsed.distribution == (
        "各县（市、区）人民政府",
        "南通经济技术开发区、苏锡通园区管委会",
        "市各有关部门和单位",
    )
    assert parsed.printed_office == "南通市人民政府办公室"
    assert parsed.printed_date == datetime.date(2022, 3, 6)
    assert not parsed.warnings


def test_printing_office_and_date_on_one_line():
    footer = "分送：各县（市、区）人民政府。\n南通市人民政府办公室 2022年3月6日印发\n"
    parsed = parse(minutes("3月2日，张国强市长主持召开会议。", footer=footer))
    assert parsed.distribution == ("各县（市、区）人民政府",)
    assert parsed.printed_office == "南通市人民政府办公室"
    assert parsed.printed_date == datetime.date(2022, 3, 6)


def test_text_without_disclosure_note_is_not_public():
    parsed = parse(minutes("3月2日，张国强市长主持召开会议。", footer="记录：陈晨\n"))
    assert parsed.public is None


# --- normalisation ----------------------------------------------------------------------------
def test_pdf_page_debris_is_removed():
    items = (
        "一、听取全市防汛工作情况的汇报\n\n"
        "（一）原则同意市水利局关于全市防汛工作情况的\n\n- 3 -\n\n汇报。各地要做好\n?\n"
        "准备。\n—4—\n（二）要抓好落实。\n"
    )
    parsed = parse(minutes("3月2日，张国强市长主持召开会议。", items=items))
    assert [decision.text for decision in parsed.items[0].decisions] == [
        "原则同意市水利局关于全市防汛工作情况的汇报。各地要做好准备。",
        "要抓好落实。",
    ]


def test_half_width_punctuation_crlf_bom_and_indentation():
    text = (
        "\ufeff    常务会议纪要[2013]4号\r\n\r\n"
        "    4月24日下午,周海市长主持召开市政府第12次常务会议,听取汇报.\r\n"
        "    会议议定以下意见:\r\n"
        "    一、听取全市防汛工作情况的汇报\r\n"
        "    (一)原则同意.\r\n"
        "    (二)由市水利局牵头,抓好落实;\r\n"
    )
    parsed = parse(text)
    assert parsed.doc_number == "〔2013〕4号"
    assert parsed.chair == "周海"
    assert parsed.items[0].points == 2
    assert parsed.items[0].decisions[1].text == "由市水利局牵头，抓好落实；"
    assert parsed.items[0].decisions[1].organizations == ("市水利局",)


# --- warnings ---------------------------------------------------------------------------------
def test_point_number_that_skips_or_repeats_is_warned():
    items = "一、听取汇报\n（一）甲。\n（三）乙。\n（三）丙。\n"
    parsed = parse(minutes("3月2日，张国强市长主持召开会议。", items=items))
    assert parsed.items[0].points == 3
    messages = [warning.message for warning in parsed.warnings]
    assert len(messages) == 2 and all("要点序号" in message for message in messages)


def test_item_number_that_skips_is_warned():
    items = "一、听取汇报\n（一）甲。\n三、审议《办法》\n（一）乙。\n"
    parsed = parse(minutes("3月2日，张国强市长主持召开会议。", items=items))
    assert [item.no for item in parsed.items] == [1, 3]
    assert any("议题序号" in warning.message for warning in parsed.warnings)


# --- errors and cut-off documents -----------------------------------------------------------
@pytest.mark.parametrize(
    "text", ["", "   \n\n  ", "\x00\x01\x02", "今天天气很好，我们去公园散步。", "lorem ipsum 123"]
)
def test_text_without_minutes_structure_is_a_parse_error(text):
    with pytest.raises(ParseError) as caught:
        parse(text)
    assert caught.value.line >= 1
    assert caught.value.message
    assert str(caught.value).startswith(f"第{caught.value.line}行：")


def test_parse_error_names_the_line():
    with pytest.raises(ParseError) as caught:
        parse("\n\n随便写的一句话\n")
    assert caught.value.line == 3


def test_document_cut_off_mid_way_returns_what_was_found():
    text = minutes("3月2日，张国强市长主持召开市政府第5次常务会议。")[:-12]
    parsed = parse(text)
    assert parsed.session_no == 5
    assert parsed.items[0].title == "听取全市防汛工作情况的汇报"


def test_non_text_input_is_a_parse_error():
    with pytest.raises(ParseError):
        parse(b"bytes")  # type: ignore[arg-type]


# --- more web-copy variants -----------------------------------------------------------------
HANGZHOU = """杭州市人民政府专题会议纪要
〔2022〕23号
2022年6月8日下午，市委副书记、市长周明在市民中心主持召开专题会议，研究场馆赛后利用工作。\
现将会议议定事项纪要如下：
一、关于运营主体
（一）由市体育局牵头，会同市财政局、市国资委制定运营方案。
出席：周明、胡伟、王宏
列席：市发改委陈勇，市财政局张丽，上城区人民政府吴军，市体育局代表
请假：李强
记录：孙悦
抄送：市委办公厅，市人大常委会办公厅。
杭州市人民政府办公厅 2022年6月10日印发
"""


def test_chair_after_a_party_title_and_issuer_without_space():
    parsed = parse(HANGZHOU)
    assert (parsed.issuer, parsed.kind) == ("杭州市人民政府", "专题会议纪要")
    assert (parsed.chair, parsed.chair_title, parsed.place) == ("周明", "市长", "市民中心")


def test_organisations_named_after_huitong_share_the_work():
    decision = parse(HANGZHOU).items[0].decisions[0]
    assert decision.organizations == ("市体育局", "市财政局", "市国资委")


def test_representative_without_de_and_comma_separated_observers():
    parsed = parse(HANGZHOU)
    assert [(o.org, o.name) for o in parsed.observers] == [
        ("市发改委", "陈勇"),
        ("市财政局", "张丽"),
        ("上城区人民政府", "吴军"),
        ("市体育局", None),
    ]


def test_leave_list_is_skipped_with_a_warning_and_chaosong_is_distribution():
    parsed = parse(HANGZHOU)
    assert parsed.recorder == "孙悦"
    assert parsed.distribution == ("市委办公厅", "市人大常委会办公厅")
    assert [warning.line for warning in parsed.warnings] == [8]


def test_opening_sentence_wrapped_before_zhuchi():
    text = minutes("2022年3月2日上午，张国强\n\n市长主持召开市政府第5次常务会议，听取\n汇报。")
    parsed = parse(text)
    assert (parsed.meeting_date, parsed.chair, parsed.session_no) == (
        datetime.date(2022, 3, 2),
        "张国强",
        5,
    )
    assert parsed.opening == "2022年3月2日上午，张国强市长主持召开市政府第5次常务会议，听取汇报。"


def test_a_sentence_with_zhuchi_but_no_meeting_facts_is_not_minutes():
    with pytest.raises(ParseError):
        parse("他主持了这次活动，大家召开会议讨论。")


def test_padded_names_are_not_glued_to_the_name_before():
    parsed = parse(minutes("3月2日，张国强市长主持召开会议。", footer="出席：陈刚  李  明  王晓\n"))
    assert [attendee.name for attendee in parsed.attendees] == ["陈刚", "李明", "王晓"]


def test_responsible_comrades_of_listed_departments_have_no_name():
    footer = "列席：市发改委、市财政局、市住建局负责同志\n"
    parsed = parse(minutes("3月2日，张国强市长主持召开会议。", footer=footer))
    assert [(o.org, o.name) for o in parsed.observers] == [
        ("市发改委", None),
        ("市财政局", None),
        ("市住建局", None),
    ]
    assert not parsed.warnings


def test_compound_surname_before_the_title():
    parsed = parse(minutes("3月2日，欧阳明华市长主持召开市政府第5次常务会议。"))
    assert (parsed.chair, parsed.chair_title) == ("欧阳明华", "市长")


def test_distribution_keeps_its_group_marks_so_the_document_prints_as_issued():
    # suzhou-2021-15: "各市、区人民政府，苏州工业园区、苏州高新区管委会；市各有关部门和单位。"
    from minutes.parsing import render

    footer = "分送：各市、区人民政府，苏州工业园区、苏州高新区管委会；市\n各有关部门和单位。"
    parsed = parse(
        minutes("2021年4月12日上午，李亚平市长主持召开市政府第133次常务会议。", footer=footer)
    )
    assert parsed.distribution == (
        "各市、区人民政府",
        "苏州工业园区、苏州高新区管委会",
        "市各有关部门和单位",
    )
    assert parsed.distribution_separators == ("，", "；")
    assert "分送：各市、区人民政府，苏州工业园区、苏州高新区管委会；市各有关部门和单位。" in render(
        parsed
    )
