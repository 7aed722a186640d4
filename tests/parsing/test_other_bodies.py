"""One test per rule learnt from minutes of other bodies and forms, each on a short real excerpt.

The excerpts are cut from the documents of ../shared/corpus/more (named in each test) or quoted in
issue 8; they keep their half-width punctuation, as stored. The whole documents are scored against
their gold in test_gold.py; these tests pin down each rule on its own, so that a change that
breaks one says which.
"""

from __future__ import annotations

import datetime

import pytest

from minutes.parsing import Attendee, parse, patterns, render

# --- the meeting sentence -------------------------------------------------------------------


def test_chair_named_after_a_place():
    # Issue 8, a district government's minutes: the chair's clause ends with the room.
    parsed = parse(
        "2021年5月6日上午,区长戴士福在区政府817会议室,主持召开区政府第9次常务会议。\n"
        "会议审议通过《区停车管理办法》。由区交通局按程序组织实施。\n"
    )
    assert (parsed.chair, parsed.chair_title, parsed.place) == ("戴士福", "区长", "区政府817会议室")


def test_chair_named_before_the_title_after_a_page_title():
    # ningbo-fenghua-2021-s86: the news-style page title is not the opening.
    parsed = parse(
        "区政府召开第86次常务会议 胡永光主持\n\n"
        "2021年3月3日,胡永光区长主持召开区政府第86次常务会议,现将会议讨论研究的有关事项纪要如下。\n\n"
        "会议听取关于实施人防指挥所升级改造有关情况汇报。原则同意区人防办提交的改造方案,"
        "要求根据会议审议意见作进一步修改完善后,依法依规组织实施。\n"
    )
    assert (parsed.chair, parsed.chair_title) == ("胡永光", "区长")
    assert parsed.opening.startswith("2021年3月3日")
    assert parsed.kind == "常务会议纪要"
    assert parsed.unplaced == ()


def test_chair_with_a_party_post_and_a_bureau_meeting():
    # linyi-zhujian-2021-02: 党组书记、局长; the kind comes from "主持召开局长办公会".
    parsed = parse(
        "8月13日下午,市住建局党组书记、局长张卫强同志主持召开局长办公会,"
        "局领导张永飚、孙少才、马震参加会议。现纪要如下:\n"
        "会议原则同意《住建领域防汛紧急处置方案》。会议要求,要按照方案要求,对照责任分工。\n"
    )
    assert (parsed.chair, parsed.chair_title) == ("张卫强", "局长")
    assert parsed.kind == "局长办公会议纪要"
    assert patterns.meeting_kind_value(parsed.kind) == "bureau_office"
    assert [a.name for a in parsed.attendees] == ["张永飚", "孙少才", "马震"]


def test_chair_named_only_at_the_end():
    # ningbo-yinzhou-rd-2010-s24: a people's congress standing committee.
    parsed = parse(
        "宁波市鄞州区第十六届人民代表大会常务委员会第二十四次会议于 2010年1月12日举行。\n"
        "会议纪要如下:\n"
        "一、会议听取了区人大常委会法工委主任林信才所作的关于2009年规范性文件备案审查工作的报告。\n"
        "会议由区人大常委会副主任忻国龙主持。\n"
    )
    assert (parsed.chair, parsed.chair_title) == ("忻国龙", "副主任")
    assert (parsed.session_no, parsed.meeting_date) == (24, datetime.date(2010, 1, 12))
    assert parsed.kind == "人大常委会会议纪要"
    assert patterns.meeting_kind_value(parsed.kind) == "congress_standing"
    assert parsed.items[0].decisions == ()
    assert "会议由副主任忻国龙主持。" in render(parsed)
    assert parse(render(parsed)) == parsed


def test_yearly_session_number():
    # zhonglou-2025-s9: the count restarts each year; 2025年度 is not part of it.
    parsed = parse(
        "2025年9月23日下午,在区机关815会议室,区长李德森主持召开区政府2025年度第9次常务会议,"
        "现纪要如下:\n一、会议审议了《钟楼区物业服务高质量提升实施方案》\n"
        "会议原则同意区住建局提出的《钟楼区物业服务高质量提升实施方案》,作进一步修改完善后,"
        "提请区委常委会会议审议。\n"
    )
    assert parsed.session_no == 9
    assert parsed.session_name == "区政府2025年度第9次常务会议"
    assert parsed.meeting_date == datetime.date(2025, 9, 23)
    assert parsed.place == "区机关815会议室"


def test_acting_head_of_a_district_government():
    # changzhou-xinbei-2021-d1022: 区政府 before 代区长 is dropped.
    parsed = parse(
        "2021年10月22日下午,在区行政中心1号楼202会议室,区政府代区长周庆主持召开区政府常务会议。"
        "现将内容纪要如下:\n(一)\n会议听取了区应急管理局关于全区前三季度安全生产工作情况的汇报。\n"
    )
    assert (parsed.chair, parsed.chair_title) == ("周庆", "代区长")
    assert parsed.session_no is None
    assert parsed.kind == "常务会议纪要"


@pytest.mark.parametrize(
    ("convened", "kind", "value"),
    [
        ("主持召开区政府常务会议", "常务会议纪要", "executive"),  # changzhou-xinbei-2021-d1022
        ("主持召开局长办公会", "局长办公会议纪要", "bureau_office"),  # linyi-zhujian-2021-02
        ("主持召开区长办公会议", "区长办公会议纪要", "mayor_office"),  # issue 8's list of kinds
        ("主持召开市长办公会议", "市长办公会议纪要", "mayor_office"),
        ("主持召开专题会议", "专题会议纪要", "special"),
        ("主持召开全市安全生产工作例会", "安全生产工作例会纪要", "work_meeting"),
        ("主持召开局党组会议", "党组会议纪要", "party_group"),
        ("主持召开委主任办公会议", "主任办公会议纪要", "bureau_office"),
    ],
)
def test_the_kind_of_meeting_comes_from_the_meeting_sentence(convened, kind, value):
    parsed = parse(f"8月13日下午,市住建局局长张卫强{convened}。现纪要如下:\n会议听取了汇报。\n")
    assert parsed.kind == kind
    assert patterns.meeting_kind_value(parsed.kind) == value


# --- attendance -------------------------------------------------------------------------------


def test_attendance_written_as_sentences_before_the_verb():
    # ningbo-yinzhou-rd-2010-s24: 出席会议, 列席会议, 应邀列席, 列席会议的还有.
    parsed = parse(
        "宁波市鄞州区第十六届人民代表大会常务委员会第二十四次会议于 2010年1月12日举行。"
        "区人大常委会主任陈明志,副主任忻国龙、麻承照、张世华和委员共24人出席会议。"
        "区人民检察院检察长华志苗,区人民法院副院长张盛世列席会议。"
        "区委组织部副部长徐岳平应邀列席会议。"
        "列席会议的还有区政府办公室负责人,区人大机关副处级以上干部。\n"
        "会议纪要如下:\n一、会议听取了区人大常委会代表工委主任莫菊妃所作的报告。\n"
    )
    assert parsed.attendees == (
        Attendee(name="陈明志", org="区人大常委会"),
        Attendee(name="忻国龙"),
        Attendee(name="麻承照"),
        Attendee(name="张世华"),
    )
    assert [(o.org, o.name) for o in parsed.observers] == [
        ("区人民检察院", "华志苗"),
        ("区人民法院", "张盛世"),
        ("区委组织部", "徐岳平"),
        ("区政府办公室", None),
        ("区人大机关", None),
    ]
    assert parse(render(parsed)) == parsed


@pytest.mark.parametrize(
    ("sentence", "role"),
    [
        ("参加会议的有:副区长刘华清、孙立峰,区政府秘书长张毅。", "attendees"),
        ("出席会议的有:副区长刘华清、孙立峰,区政府秘书长张毅。", "attendees"),
        ("列席会议的有:区发改局刘华清、区财政局孙立峰、区住建局张毅。", "observers"),
    ],
)
def test_lists_that_follow_their_leading_words(sentence, role):
    # The leading forms of issue 8's list ("参加会议的有"), with names of zhonglou-2025-s9.
    parsed = parse(
        "2025年9月23日下午,区长李德森主持召开区政府2025年度第9次常务会议。" + sentence + "\n"
        "一、会议审议了《钟楼区物业服务高质量提升实施方案》\n会议强调,要压实责任。\n"
    )
    assert [a.name for a in getattr(parsed, role)] == ["刘华清", "孙立峰", "张毅"]
    if role == "observers":
        assert [o.org for o in parsed.observers] == ["区发改局", "区财政局", "区住建局"]
    assert parse(render(parsed)) == parsed


def test_responsible_comrades_attending_name_nobody():
    # guangde-2023-s32.
    parsed = parse(
        "2023年10月17日,市委副书记、市长钱会主持召开市政府第32次常务会议。市政府负责同志参加会议;"
        "市人大常委会、市政协负责同志应邀参加会议。\n\n"
        "会议听取了关于将城区公共绿地管理职能划转至市城管执法局的汇报。\n"
    )
    assert (parsed.chair, parsed.chair_title) == ("钱会", "市长")
    assert parsed.attendees is None
    assert parsed.observers is None


def test_offices_that_attended_for_their_items_are_observers():
    # linyi-zhujian-2021-02: a paragraph after the items, not a decision of the last one.
    parsed = parse(
        "8月13日下午,市住建局党组书记、局长张卫强同志主持召开局长办公会。现纪要如下:\n"
        "会议原则同意《住建领域防汛紧急处置方案》。会议要求,要抓实抓细防汛各项工作。\n"
        "办公室、政策法规科、供热和住房保障中心、安质中心等科室、单位负责人参加了相关议题的研究。\n"
    )
    assert [(o.org, o.name) for o in parsed.observers] == [
        ("办公室", None),
        ("政策法规科", None),
        ("供热和住房保障中心", None),
        ("安质中心", None),
    ]
    assert len(parsed.items[0].decisions) == 1
    assert parse(render(parsed)) == parsed


def test_labelled_lists_of_participants_and_observers():
    # zhonglou-2025-s9: 参加人员 is the 出席 list; the chair is in it, as printed.
    parsed = parse(
        "2025年9月23日下午,区长李德森主持召开区政府2025年度第9次常务会议,现纪要如下:\n"
        "一、会议审议了《钟楼区物业服务高质量提升实施方案》\n会议强调,要压实责任、强化协同。\n"
        "参加人员:李德森、蒋锐、胡金芳\n列席人员:史晶、刘华清、张毅、孙立峰、张毅\n"
    )
    assert [a.name for a in parsed.attendees] == ["李德森", "蒋锐", "胡金芳"]
    assert [o.name for o in parsed.observers] == ["史晶", "刘华清", "张毅", "孙立峰", "张毅"]


def test_a_labelled_list_replaces_the_sentence_that_named_the_same_people():
    # What render writes for linyi-zhujian-2021-02: the sentence stays in the opening, the list
    # follows the items; the list is read, not added to the sentence.
    parsed = parse(
        "8月13日下午,市住建局局长张卫强主持召开局长办公会,局领导张永飚、孙少才参加会议。\n"
        "会议原则同意《住建领域防汛紧急处置方案》。\n出席:张永飚 孙少才\n"
    )
    assert [a.name for a in parsed.attendees] == ["张永飚", "孙少才"]


# --- items ------------------------------------------------------------------------------------


def test_items_marked_by_standalone_numbers_are_items_not_points():
    # changzhou-xinbei-2021-d1022.
    parsed = parse(
        "2021年10月22日下午,区政府代区长周庆主持召开区政府常务会议。现将内容纪要如下:\n"
        "(一)\n会议学习了国务院联防联控机制电视电话会议和全省新冠肺炎疫情防控工作视频会议精神。\n"
        "会议要求,全区上下要深入学习,落实落细常态化疫情防控各项措施。\n"
        "(二)\n会议学习了省委第三巡视组对常州市开展涉粮问题专项巡视工作动员会议精神。\n"
        "会议强调,全区上下要坚决扛起保障粮食安全的政治责任。\n"
    )
    assert [(item.no, item.points) for item in parsed.items] == [(1, 0), (2, 0)]
    assert parsed.items[0].title == (
        "会议学习了国务院联防联控机制电视电话会议和全省新冠肺炎疫情防控工作视频会议精神"
    )
    assert parsed.items[0].decisions[0].text.startswith("会议要求，全区上下")
    assert parse(render(parsed)) == parsed


def test_unnumbered_paragraph_items_with_half_width_punctuation():
    # ningbo-fenghua-2021-s86: the title is the first sentence, （送审稿） after 》 included.
    parsed = parse(
        "2021年3月3日,胡永光区长主持召开区政府第86次常务会议,现将会议讨论研究的有关事项纪要如下。\n"
        "会议审议《宁波市奉化区固废管理及资源化综合利用项目投资协议书(送审稿)》。原则同意"
        "《宁波市奉化区固废管理及资源化综合利用项目投资协议书》,要求根据会议审议意见作进一步修改"
        "完善后,抓紧签约并落实好后续工作。会议强调,要结合周边生产、生活、生态环境,合理确定项目选址。\n"
        "会议听取关于实施人防指挥所升级改造有关情况汇报。原则同意区人防办提交的改造方案。\n"
    )
    assert [item.title for item in parsed.items] == [
        "会议审议《宁波市奉化区固废管理及资源化综合利用项目投资协议书（送审稿）》",
        "会议听取关于实施人防指挥所升级改造有关情况汇报",
    ]
    assert [item.kind for item in parsed.items] == ["审议", "听取"]


def test_an_approved_document_opens_an_item_of_its_own():
    # linyi-zhujian-2021-02: "会议原则同意《…》。会议指出…" is an item, not the decision of the
    # item before it.
    parsed = parse(
        "8月13日下午,市住建局局长张卫强主持召开局长办公会。现纪要如下:\n"
        "会议原则同意《临沂市扶持建筑业骨干企业发展实施方案》。会议要求,尽快印发实施。\n"
        "会议听取了关于城市(县城)清洁取暖建设情况的汇报。会议强调,要加强督导调度。\n"
        "会议原则同意《住建领域防汛紧急处置方案》。会议指出,防汛工作关系人民群众生命安全。\n"
    )
    assert [item.title for item in parsed.items] == [
        "会议原则同意《临沂市扶持建筑业骨干企业发展实施方案》",
        "会议听取了关于城市（县城）清洁取暖建设情况的汇报",
        "会议原则同意《住建领域防汛紧急处置方案》",
    ]


def test_a_heard_report_then_its_approval_is_one_item():
    # The rule above the other way round: the approval answers the report just heard.
    parsed = parse(
        "8月13日下午,市住建局局长张卫强主持召开局长办公会。现纪要如下:\n"
        "会议听取了关于住建领域防汛紧急处置方案的汇报。\n"
        "会议原则同意《住建领域防汛紧急处置方案》。会议要求,要抓实抓细防汛各项工作。\n"
    )
    assert len(parsed.items) == 1
    assert parsed.items[0].decisions[0].text.startswith("会议原则同意《住建领域")


def test_inline_points_after_the_requirement_word():
    # guangde-2023-s32: (一)(二)(三) inside one paragraph are points.
    parsed = parse(
        "2023年10月17日,市委副书记、市长钱会主持召开市政府第32次常务会议。\n"
        "会议听取了关于将城区公共绿地管理职能划转至市城管执法局的汇报。\n"
        "会议决定,原则同意该汇报。(一)该管理职权划转后公共绿地管护水平不能降低,成本不能增加。"
        "(二)绿化管养要引入“赛马”机制,并建立有效的考核办法。\n"
    )
    decisions = parsed.items[0].decisions
    assert [decision.no for decision in decisions] == [None, 1, 2]
    assert decisions[0].text == "会议决定，原则同意该汇报。"
    assert decisions[2].text == "绿化管养要引入“赛马”机制，并建立有效的考核办法。"
    assert parse(render(parsed)) == parsed


def test_inline_arabic_requirements_are_not_points():
    # wuxi-binhu-2020-s40: (1)…(5) are requirements within the text.
    parsed = parse(
        "无锡市滨湖区人民政府第40次常务会议纪要\n\n"
        "  2020年3月27日,区长陈锡伦主持召开区政府第40次常务会议。\n\n"
        "  会议审议通过《关于滨湖区2020年1-2月水环境及空气质量情况汇报》。会议要求:(1)加强组织领导。"
        "各相关单位和部门要高度重视。(2)加强重点区域管理。(3)加强执法检查。\n\n"
        "  会议还审议通过《滨湖区现代产业发展基金筹建方案》。\n"
    )
    assert parsed.issuer == "无锡市滨湖区人民政府"
    assert [(item.title, item.points) for item in parsed.items] == [
        ("会议审议通过《关于滨湖区2020年1-2月水环境及空气质量情况汇报》", 0),
        ("会议还审议通过《滨湖区现代产业发展基金筹建方案》", 0),
    ]


def test_a_short_form_before_the_session_is_not_the_issuer():
    # suzhou-2013-04: "市政府" names no body.
    parsed = parse(
        "市政府第12次常务会议纪要\n\n常务会议纪要[2013]4号\n"
        "4月24日下午,周乃翔市长主持召开市政府第12次常务会议。\n会议议定以下意见:\n"
        "一、听取苏州医药科技学校发展方向的情况汇报\n(一)原则同意。\n"
    )
    assert parsed.issuer is None
    assert parsed.meeting_date == datetime.date(2013, 4, 24)


def test_items_ending_in_a_report_or_an_explanation_take_their_first_sentence():
    # ningbo-yinzhou-rd-2010-s24.
    parsed = parse(
        "宁波市鄞州区第十六届人民代表大会常务委员会第二十四次会议于 2010年1月12日举行。\n"
        "会议纪要如下:\n"
        "二、会议听取了区委组织部副部长徐岳平关于区十六届人大四次会议列席人员名单及其他名单草案的"
        "说明。审议决定了列席区十六届人大四次会议人员名单。\n".replace("二、", "一、")
    )
    assert parsed.items[0].title.endswith("名单草案的说明")
    assert parsed.items[0].decisions[0].text == "审议决定了列席区十六届人大四次会议人员名单。"


def test_heading_wrapped_after_a_closing_bracket_is_joined_with_a_warning():
    # suzhou-2021-15, item 六 (numbered 一 here), as a PDF wraps it right after a 》: the tail is
    # no decision.
    parsed = parse(
        "苏州市人民政府 常务会议纪要\n〔2021〕15号\n"
        "2021年4月12日上午，李亚平市长主持召开市政府第133次常务会议。\n"
        "一、审议《苏州市灵活就业人员参加住房公积金制度试点实施方案及实施细则》"
        "《苏州市住房公积金支持租赁住房发展实施办法》\n"
        "《苏州市住房公积金异地个人住房贷款实施细则》\n"
        "（一）原则同意。由市公积金管理中心根据本次会议讨论意见作进一步完善后，按程序发布实施。\n"
    )
    [item] = parsed.items
    assert item.title.endswith("发展实施办法》《苏州市住房公积金异地个人住房贷款实施细则》")
    assert [decision.no for decision in item.decisions] == [1]
    assert [(w.line, w.field) for w in parsed.warnings] == [(5, "items")]


def test_heading_wrapped_before_its_report_word():
    # suzhou-2021-15, item 一, wrapped before "的汇报".
    parsed = parse(
        "苏州市人民政府 常务会议纪要\n〔2021〕15号\n"
        "2021年4月12日上午，李亚平市长主持召开市政府第133次常务会议。\n"
        "一、听取全市一季度安全生产工作情况\n的汇报\n"
        "（一）原则同意市安委办关于全市一季度安全生产工作情况的汇报。\n"
    )
    assert parsed.items[0].title == "听取全市一季度安全生产工作情况的汇报"
    assert parsed.items[0].points == 1


# --- 文号 and footer --------------------------------------------------------------------------


def test_doc_number_in_square_black_brackets_with_di_in_a_caption_line():
    # linyi-zhujian-2021-02: the only 文号 is in a link line near the end; its year dates the
    # meeting, which the opening gives as "8月13日下午".
    parsed = parse(
        "8月13日下午,市住建局局长张卫强主持召开局长办公会。现纪要如下:\n"
        "会议原则同意《住建领域防汛紧急处置方案》。\n"
        "图文解读:局长办公会会议纪要【2021】第2号\n"
        "本期发:局领导,局机关各科室,局属各单位。\n"
        "临沂市住房和城乡建设局办公室 2021年8月16日印"
    )
    assert (parsed.doc_number, parsed.year, parsed.seq) == ("〔2021〕第2号", 2021, 2)
    assert parsed.meeting_date == datetime.date(2021, 8, 13)
    assert parsed.kind == "局长办公会会议纪要"
    assert parsed.distribution == ("局领导", "局机关各科室", "局属各单位")
    assert parsed.printed_office == "临沂市住房和城乡建设局办公室"
    assert parsed.printed_date == datetime.date(2021, 8, 16)
    assert parsed.unplaced == ()


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("【2021】第2号", "〔2021〕第2号"),
        ("[2021]第2号", "〔2021〕第2号"),
        ("〔2021〕2号", "〔2021〕2号"),
    ],
)
def test_doc_number_keeps_di_as_printed_in_any_bracket(written, expected):
    parsed = parse(
        f"局长办公会议纪要{written}\n"
        "8月13日下午,市住建局局长张卫强主持召开局长办公会。现纪要如下:\n"
        "会议原则同意《住建领域防汛紧急处置方案》。\n"
    )
    assert (parsed.doc_number, parsed.seq) == (expected, 2)


def test_year_of_a_day_without_one_comes_from_the_printing_date():
    parsed = parse(
        "8月13日下午,市住建局局长张卫强主持召开局长办公会。现纪要如下:\n"
        "会议原则同意《住建领域防汛紧急处置方案》。\n"
        "临沂市住房和城乡建设局办公室 2021年8月16日印"
    )
    assert parsed.meeting_date == datetime.date(2021, 8, 13)


def test_a_closing_bare_date_is_kept_aside_with_a_warning():
    # ningbo-yinzhou-rd-2010-s24: the date carries neither 整理 nor 印发 (gold: null).
    parsed = parse(
        "宁波市鄞州区第十六届人民代表大会常务委员会第二十四次会议于 2010年1月12日举行。\n"
        "会议纪要如下:\n一、会议听取了区人大常委会法工委主任林信才所作的报告。\n"
        "会议由区人大常委会副主任忻国龙主持。\n2010年1月27日\n"
    )
    assert (parsed.compiled_date, parsed.printed_date) == (None, None)
    assert parsed.unplaced == ((5, "2010年1月27日"),)
    assert [w.field for w in parsed.warnings if w.line == 5] == ["compiled_date"]
