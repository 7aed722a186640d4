"""The words and shapes of the source format: every Chinese word the parser knows lives here.

The other modules only combine these constants; a clerk who meets a new wording (a new title, a new
lead-in line, a new organisation ending) should only have to touch this file. These are words of
the *form* (titles, labels, verbs, endings), never names of particular people, bodies or documents.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------------------------------------
# Characters
# ---------------------------------------------------------------------------------------------
CJK = "\u4e00-\u9fff\u3400-\u4dbf"
CHINESE_DIGITS = "〇○零一二三四五六七八九十百千两"
# Brackets of the 文号: 〔2021〕 is the official form; web copies use [] ［］ 【】 or （）.
DOC_NUMBER_OPEN = "〔［[【(（"
DOC_NUMBER_CLOSE = "〕］]】)）"

# Half-width punctuation of web copies -> the full-width forms of the official text.
HALF_TO_FULL_PUNCTUATION = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！"}

# ---------------------------------------------------------------------------------------------
# Header
# ---------------------------------------------------------------------------------------------
MINUTES_WORD = "纪要"
DEFAULT_KIND = "会议纪要"
# 常务会议纪要, 市长办公会议纪要, 专题会议纪要, 区长办公会议纪要, 局长办公会会议纪要, 会议纪要
KIND = rf"(?:[{CJK}]{{0,8}}?会议?)?{MINUTES_WORD}"
# 〔2021〕15号, [2013]4号, 【2021】第2号: the 第 is kept as printed.
# The years a 文号 can carry (the archive's own rule, Meeting's doc_number_year_plausible).
DOC_NUMBER_FIRST_YEAR, DOC_NUMBER_LAST_YEAR = 1949, 2100
DOC_NUMBER = re.compile(
    rf"[{re.escape(DOC_NUMBER_OPEN)}]\s*(?P<year>\d{{4}})\s*[{re.escape(DOC_NUMBER_CLOSE)}]"
    r"\s*(?P<ordinal>第)?\s*(?P<seq>\d{1,4})\s*号"
)
# A line that is a 文号 with at most a kind and a caption before it, wherever it stands
# ("常务会议纪要[2013]4号", "图文解读：局长办公会会议纪要【2021】第2号"): no sentence around it.
DOC_NUMBER_LINE_MAX = 40
# The 文号's own prefix ("苏府纪〔2021〕15号") may stand where the kind does.
DOC_NUMBER_CAPTION = re.compile(
    rf"^(?:[{CJK}]{{1,8}}[：:])?\s*(?:(?P<kind>{KIND})|[{CJK}]{{1,6}})?\s*$"
)
# "苏州市人民政府 常务会议纪要": the issuer as printed, then the kind.
ISSUER_ENDINGS = (
    "人民政府",
    "政府",
    "人大常委会",
    "常委会",
    "委员会",
    "管委会",
    "办公室",
    "办公厅",
    "局",
)
_ISSUER = rf"[{CJK}]{{2,30}}?(?:{'|'.join(ISSUER_ENDINGS)})"
ISSUER_KIND_LINE = re.compile(rf"^(?P<issuer>{_ISSUER})\s*(?P<kind>{KIND})$")
# The same with the space of the printed header between them, which decides where they part.
ISSUER_SPACE_KIND_LINE = re.compile(rf"^(?P<issuer>[^\s，。：；]{{2,30}}) (?P<kind>{KIND})$")
# A bare level and ending ("市政府", "区人民政府") is a short form, not the body's printed name.
SHORT_ISSUER = re.compile(
    r"^[省市区县州镇乡旗]?(?:人民政府|政府|人大常委会|常委会|委员会|管委会|办公室|办公厅|局)$"
)
KIND_LINE = re.compile(rf"^(?P<kind>{KIND})$")
# "市政府第12次常务会议纪要", "无锡市滨湖区人民政府第40次常务会议纪要": a title line naming the
# session; the words before 第 are the issuer when they are its full name.
SESSION_TITLE_LINE = re.compile(
    rf"^(?P<body>[{CJK}\d]*?)(?:\d{{4}}年度?)?第[\d{CHINESE_DIGITS}]+次(?P<kind>{KIND})$"
)
# A page title naming the meeting ("区政府召开第86次常务会议 胡永光主持",
# "市政府第32次常务会议开放情况"): no sentence punctuation, a session or a kind of meeting.
TITLE_LINE_MAX = 60
SENTENCE_PUNCTUATION = "，。；！？"

# Kinds of meeting as a meeting sentence or a title names them: 常务会议, 区长办公会, 局长办公会,
# 专题会议, 工作例会, 党组会议, 人民代表大会常务委员会 … (the printed kind is this + 纪要).
MEETING_KIND_PHRASE = re.compile(
    rf"(?P<phrase>(?:[省市区县州镇乡旗]长|局长|厅长|主任|院长|书记)办公会|局务会|常务会|专题会"
    rf"|(?:[{CJK}]{{0,4}}工作)?例会|党组(?:理论学习中心组)?会|主任会|办公会)议?"
    r"|(?P<congress>人民代表大会常务委员会|人大常委会)"
)
CONGRESS_KIND = "人大常委会会议纪要"

# ---------------------------------------------------------------------------------------------
# Opening paragraph (the meeting sentence)
# ---------------------------------------------------------------------------------------------
TIMES_OF_DAY = ("上午", "下午", "晚上", "中午", "晚间")
HOST_VERB = "主持"  # 主持召开 / 主持会议 / 主持
MEETING_WORD = "会议"
CONVENE_VERBS = ("主持召开", "召开", "主持", "举行")
# A sentence that records a meeting: 主持, or 召开/举行 with 会议 (or 会 of 办公会, 例会).
MEETING_SENTENCE = re.compile(
    r"主持|(?:召开|举行)了?[^。]{0,40}?会|会[议]?[^。]{0,20}?(?:召开|举行)"
)
# 市长, 代市长, 代理区长, 常务副市长, 副县长, 镇长, 主任, 秘书长, 局长, 书记, 主席, …
CHAIR_TITLE = re.compile(
    r"(?:常务)?(?:副)?(?:代理|代)?(?:常务)?(?:副)?"
    r"(?:[省市区县州镇乡旗盟]长|局长|厅长|院长|部长|署长|检察长|主任|主席|秘书长|书记)"
)
HONORIFIC = "同志"
# Characters that prefilter the long lines of a large upload before a regular expression runs.
MEETING_CHAR = "会"
ORDINAL = "第"
SESSION_CHAR = "次"
NUMBER_CHAR = "号"
GROUP_WORD = "等"
POSSESSIVE = "的"
# Where the printed name of a session starts: after these words (召开市政府第133次常务会议).
SESSION_NAME_BOUNDARIES = ("召开", "主持", "在")
PLACE_WORD = "在"
# "…，在区机关815会议室，区长李德森主持召开…": the place as a clause of its own.
PLACE_CLAUSE = re.compile(r"(?:^|，)在([^，。]{2,40}?(?:室|厅|中心|馆|楼|宾馆|酒店))，")
# "会议由区人大常委会副主任忻国龙主持。": the chair named at the end (or anywhere).
CHAIR_SENTENCE_START = "会议由"
CHAIR_LINE = "会议由{chair}主持。"  # as render writes it
CHAIR_SENTENCE = re.compile(r"会议由(?P<who>[^，。；]{2,40}?)(?:同志)?主持(?:召开)?(?:会议)?")
# Clauses before 主持 that are not the chair: the place and the day.
CHAIR_SEARCH_CLAUSES = 3
# A notice announces a meeting to come: 定于/拟于/将于 … 召开.
FUTURE_MEETING = re.compile(r"(?:定于|拟于|将于|计划于)[^。]{0,30}?(?:召开|举行)")

# ---------------------------------------------------------------------------------------------
# Attendance written as sentences of the opening ("…参加会议", "列席会议的还有…")
# ---------------------------------------------------------------------------------------------
ATTENDEES = "attendees"
OBSERVERS = "observers"
# The verb closing a list of those present, longest first: "局领导张永飚、…参加会议。"
ATTENDANCE_VERBS = (
    ("参加了相关议题的研究", OBSERVERS),
    ("参加相关议题的研究", OBSERVERS),
    ("参加相关议题研究", OBSERVERS),
    ("列席相关议题", OBSERVERS),
    ("应邀列席了会议", OBSERVERS),
    ("应邀列席会议", OBSERVERS),
    ("应邀列席", OBSERVERS),
    ("列席了会议", OBSERVERS),
    ("列席会议", OBSERVERS),
    ("应邀参加了会议", ATTENDEES),
    ("应邀参加会议", ATTENDEES),
    ("应邀出席会议", ATTENDEES),
    ("出席了会议", ATTENDEES),
    ("参加了会议", ATTENDEES),
    ("出席会议", ATTENDEES),
    ("参加会议", ATTENDEES),
)
# The words opening a list of those present: "列席会议的还有区政府办公室负责人，…"
ATTENDANCE_LEADS = (
    ("列席会议的还有", OBSERVERS),
    ("列席会议的有", OBSERVERS),
    ("列席的还有", OBSERVERS),
    ("列席的有", OBSERVERS),
    ("出席会议的还有", ATTENDEES),
    ("出席会议的有", ATTENDEES),
    ("参加会议的还有", ATTENDEES),
    ("参加会议的有", ATTENDEES),
    ("参会人员有", ATTENDEES),
    ("与会人员有", ATTENDEES),
)
# One of these is in every attendance sentence.
ATTENDANCE_WORDS = ("参加", "出席", "列席", "与会", "参会")
# Words that end a clause's part in a list: a clause holding them is the meeting sentence itself.
NOT_ATTENDANCE_WORDS = ("主持", "召开", "举行", "研究", "审议", "听取", "纪要")
# "…等科室、单位负责人": the closing words of a list of bodies.
ATTENDANCE_GROUP_TAIL = re.compile(
    r"等[^等，。]{0,12}?(?:的)?(?:主要|有关|相关)?(?:负责人|负责同志|代表|同志|人员)$"
)
# "委员共24人", "市政府领导等5人": a count names nobody.
HEAD_COUNT = re.compile(rf"(?:共|等)?[\d{CHINESE_DIGITS}]+(?:人|名|位)$")
# "和" joins the last two entries: "高强华、张世华和委员共24人".
LIST_CONJUNCTIONS = ("和", "及", "以及")
# Posts between an organisation and a name: 区人民检察院检察长华志苗, 区委组织部副部长徐岳平.
PERSON_POST = re.compile(
    r"(?:(?:党组|党委|党工委)?(?:副)?书记、)?(?:常务|专职|执行|代理|代)?(?:副)?"
    r"(?:[省市区县州镇乡旗盟]长|检察长|院长|部长|局长|厅长|处长|科长|主任|主席|秘书长|书记"
    r"|署长|庭长|所长|站长|队长|行长|社长|馆长|校长|委员|常委|巡视员|调研员|总经理|经理"
    r"|董事长|组长|政委|参事|专员|审计长)"
)
# Words naming a category of people before their names: 局领导张永飚, 市领导, 委员.
PERSON_CATEGORY = re.compile(rf"^[{CJK}]{{0,6}}(?:领导|领导同志|负责同志|成员|委员|常委|同志)$")

# ---------------------------------------------------------------------------------------------
# Body
# ---------------------------------------------------------------------------------------------
# Lines that announce the agenda; they may stand alone or end the opening paragraph.
LEAD_INS = (
    "会议议定以下意见",
    "会议议定了以下意见",
    "会议议定如下",
    "会议研究了以下事项",
    "会议研究议定了以下事项",
    "会议研究决定以下事项",
    "现将会议主要内容纪要如下",
    "现将会议议定事项纪要如下",
    "现纪要如下",
)
# The general shape of the same lines: "现将内容纪要如下", "会议纪要如下", "现将会议讨论研究的有关
# 事项纪要如下", "会议议定事项如下".
# "现将有关事项通知如下" is a notice's, not a lead-in: after 现将 only 纪要如下 counts.
LEAD_IN = re.compile(
    rf"(?:{'|'.join(LEAD_INS)}|现将[{CJK}“”]{{0,20}}?纪要如下"
    rf"|会议[{CJK}“”]{{0,20}}?(?:纪要如下|如下|以下意见|以下事项))[：。]?$"
)
RENDERED_LEAD_IN = "会议议定以下意见："
# Every lead-in ends with one of these (before its ：/。).
LEAD_IN_ENDINGS = ("如下", "意见", "事项")


def is_lead_in(text: str) -> bool:
    """True for a line that only announces the agenda ("会议议定以下意见：", "现纪要如下:")."""
    return text.rstrip("：。").endswith(LEAD_IN_ENDINGS) and bool(LEAD_IN.fullmatch(text))


ITEM = re.compile(rf"^(?P<number>[{CHINESE_DIGITS}]{{1,4}})、\s*(?P<rest>.*)$")
POINT = re.compile(rf"^（(?P<number>[{CHINESE_DIGITS}]{{1,4}})）\s*(?P<rest>.*)$")
# Inline points "会议要求，（一）…（二）…": a marker after the start or a mark of punctuation.
INLINE_POINT = re.compile(rf"(?:^|(?<=[，。；：]))（(?P<number>[{CHINESE_DIGITS}]{{1,3}})）")
# Unnumbered paragraph items: "会议听取了…", "会议审议通过了…", "会议还审议通过《…", "会议传达学习了…".
PARAGRAPH_ITEM = re.compile(
    r"^会议(?:还|又|也|同时|首先|最后)?(?:集中)?(?:听取|审议|审定|传达|研究|学习|通报|讨论)"
)
# A line that starts a paragraph item even after a line without final punctuation.
PARAGRAPH_ITEM_LINE = re.compile(
    r"^会议(?:还|又|也)?(?:听取|审议|传达|学习|研究|审定|讨论)(?:了|通过|并|《|关于)"
)
# Decision openings that start a new paragraph whatever the line before looked like.
DECISION_LINE_STARTS = (
    "会议议定",
    *(
        f"会议{verb}{mark}"
        for verb in ("决定", "要求", "强调", "指出", "认为", "明确")
        for mark in "，："
    ),
)
# Not an item: "会议研究决定…", "会议研究认为…".
PARAGRAPH_ITEM_NOT = re.compile(r"^会议(?:还|又|也)?研究(?:决定|认为|同意|明确|指出)")
# An item that is a decision on a named document: "会议原则同意《…》". It opens a new item only
# when the item before it already has its decisions (else it is that item's decision).
DECISION_ITEM = re.compile(r"^会议(?:还|又|也)?(?:原则)?(?:同意|通过)《")
# Kinds of an agenda item, read from the first verb of its title.
ITEM_KINDS = {
    "听取": "听取",
    "审议": "审议",
    "审定": "审议",
    "传达": "传达",
    "学习": "传达",
    "研究": "研究",
    "讨论": "研究",
}
ITEM_KIND = re.compile(
    rf"^(?:会议)?(?:还|又|也|同时|首先|最后)?(?:集中)?(?P<verb>{'|'.join(ITEM_KINDS)})"
)
# The words an agenda item's title starts with: the sign that numbered headings are minutes.
AGENDA_TITLE = re.compile(
    r"^(?:会议)?(?:还|又|也)?(?:集中)?(?:听取|审议|审定|传达|研究|学习|通报|讨论|原则同意|同意"
    r"|原则通过|通过|关于)"
)
# Decision openings: the sign that a paragraph is a decision of the minutes.
DECISION_OPENING = re.compile(
    r"^(?:会议)(?:议定|决定|要求|强调|指出|认为|明确|同意|原则同意|提出|研究决定)|^原则同意"
)
# An inline item "会议听取了…的汇报。会议认为…": its title ends at the report word.
REPORT_WORD = "汇报"
INLINE_TITLE_END = re.compile(rf"{REPORT_WORD}(?=[。，；：]|$)")
SENTENCE_END = "。"
# A paragraph is complete when it ends with one of these (closing quotes may follow).
PARAGRAPH_ENDINGS = "。；：！？"
CLOSING_QUOTES = "”’」』）"
# A heading that ends with one of these, or a line that starts with one, is cut by a line wrap:
# "一、听取全市一季度安全生产工作情况的 / 汇报", "一、审议《…》 / 《…》".
DANGLING_ENDINGS = ("的", "和", "及", "与", "、", "或", "对", "关于", "将", "把", "等", "之", "《")
DANGLING_STARTS = ("的", "和", "及", "与", "、", "》", "）", "等", "之", "汇报", "报告", "《")

REVIEWED_TITLE = re.compile(r"《(?P<title>[^《》]+)》")
SHORT_NAME = re.compile(r"以下简称《(?P<title>[^《》]+)》")

# Work assignments in a decision: "由市工信局根据…", "市科技局要抓好…",
# "市人才办、市发改委等部门要…".
ASSIGNMENT_PREFIXES = ("并由", "另由", "同时由", "由", "请", "要求", "会同", "协调", "督促")
ASSIGNMENT_VERBS = (
    "要",
    "根据",
    "牵头",
    "会同",
    "负责",
    "按",
    "作相应",
    "作进一步",
    "具文",
    "提请",
    "组织",
    "做好",
    "抓紧",
    "抓好",
    "进一步",
    "加快",
    "尽快",
    "认真",
    "结合",
    "研究",
    "制定",
    "协调",
    "配合",
    "承担",
)
ASSIGNMENT_VERB = re.compile("|".join(sorted(ASSIGNMENT_VERBS, key=len, reverse=True)))
ASSIGNMENT_GROUP_TAIL = re.compile(r"等(?:相关|有关)?(?:部门|单位|部门和单位)?$")
# A verb with 了 tells what a body did ("省住建厅制定了《…》"), not what it is to do.
PAST_MARK = "了"
# "原则同意区住建局提出的《…》，作进一步修改完善后，提请…": the body that proposed a document
# approved subject to changes is the one to make them.
PROPOSER = re.compile(
    r"同意(?P<organization>[^，。；、《》]{2,24}?)(?:提出|提交|上报|报送|起草|制定|编制)的"
)
PROPOSER_FOLLOW_UP = re.compile(r"修改完善|组织实施|印发实施|下发实施|提请|按程序")
# "区应急管理局（安委办）": the alias after a body's name.
ORGANIZATION_ALIAS = re.compile(r"（[^（）]{1,12}）$")
# Clause openings that are a verb or a determiner, never the first word of an organisation name.
NOT_AN_ORGANIZATION_START = (
    "各",
    "全",
    "有关",
    "相关",
    "我",
    "本",
    "该",
    "其",
    "会议",
    "此",
    "要",
    "提交",
    "提请",
    "报",
    "充分",
    "发挥",
    "加强",
    "加大",
    "推动",
    "推进",
    "做好",
    "确保",
    "积极",
    "进一步",
    # 经审议 / 经研究, but not 经济开发区管委会
    "经审",
    "经研究",
    "经批准",
    "经会议",
    "按",
    "原则",
    "同意",
    "在",
    "将",
    "把",
    "从",
    "上级",
    "主管",
)
# Words no organisation name holds: verbs and function words that make a candidate a clause
# ("原则同意苏州卫生职业技术学院上报市政府" is a decision, not a body).
NOT_IN_AN_ORGANIZATION = (
    "同意",
    "上报",
    "报送",
    "报请",
    "提出",
    "提交",
    "提请",
    "要求",
    "负责",
    "根据",
    "按照",
    "原则",
    "牵头",
    "会同",
    "配合",
    "落实",
    "抓紧",
    "尽快",
    "做好",
    "确保",
    "认真",
    "进一步",
    "加快",
    "积极",
    "结合",
    "组织实施",
    "实施",
    "审议",
    "听取",
    "讨论",
    "转给",
    "接收",
    "以及",
    "或者",
    "已经",
    "正在",
    "应当",
    "必须",
    "不得",
    "不能",
    "我们",
    "，",
    "。",
    "《",
    "》",
)
# Longest organisation name taken from a decision (苏州工业园区管委会经济发展委员会 is 16).
ORGANIZATION_MAX_LENGTH = 20
ORGANIZATION_MIN_LENGTH = 2

# ---------------------------------------------------------------------------------------------
# Footer
# ---------------------------------------------------------------------------------------------
ATTENDEES_LABEL = "出席"
OBSERVERS_LABEL = "列席"
RECORDER_LABEL = "记录"
DISTRIBUTION_LABELS = ("本期发", "分送", "抄送", "发送", "报送", "抄报", "主送", "印送")
RENDERED_DISTRIBUTION_LABEL = "分送"
# Labels whose lists the records do not keep (请假, 缺席): they end the block above them.
IGNORED_LABELS = ("请假", "缺席")
# Every label of the footer, keyed by the part it fills: "参加人员：…" is the 出席 list.
LABELS = {
    **dict.fromkeys(
        (
            "出席",
            "出席人员",
            "出席领导",
            "参加",
            "参加人员",
            "参会人员",
            "参加会议人员",
            "与会人员",
        ),
        ATTENDEES_LABEL,
    ),
    **dict.fromkeys(("列席", "列席人员", "列席单位", "列席领导"), OBSERVERS_LABEL),
    **dict.fromkeys(("记录", "记录人"), RECORDER_LABEL),
    **dict.fromkeys(DISTRIBUTION_LABELS, RENDERED_DISTRIBUTION_LABEL),
    **{label: label for label in IGNORED_LABELS},
}
LABEL_LINE = re.compile(
    rf"^(?P<label>{'|'.join(sorted(LABELS, key=len, reverse=True))})\s*[：:]\s*(?P<rest>.*)$"
)
COMPILED_WORD = "整理"
PRINTED_WORD = "印发"
# "…办公室 2021年8月16日印": the printing line of bulletins ends with 印 alone.
PRINTED_WORDS = ("印发", "印")
FOOTER_LINE_MAX = 40
PUBLIC_NOTE = "此件公开发布"
DISCLOSURE_NOTE = re.compile(r"^（?此件[^）]{1,12}）?$")
REPRESENTATIVE_SUFFIX = "的代表"
# "市体育局代表" without 的, "市发改委、市财政局负责同志", "区人大机关副处级以上干部": a place
# without a name.
REPRESENTATIVE = re.compile(
    r"(?:的|有关|主要|相关)?(?:代表|负责同志|负责人"
    r"|(?:副?(?:厅|局|处|科)级)?(?:以上)?(?:领导)?干部|有关人员|相关人员|工作人员)$"
)
# Every REPRESENTATIVE match ends with one of these.
REPRESENTATIVE_ENDINGS = ("代表", "同志", "负责人", "干部", "人员")
# "（1）市领导：" opens a group of a grouped attendee list.
ATTENDEE_GROUP = re.compile(
    r"^[（(]\s*(?P<number>\d{1,2})\s*[）)]\s*(?P<group>[^：:]{1,20})[：:]\s*(?P<rest>.*)$"
)
ATTENDEE_SEPARATORS = re.compile(r"[、，；,;\s]+")
DISTRIBUTION_SEPARATORS = re.compile(r"[，；,;]")
ITEM_SEPARATOR = "，"
GROUP_SEPARATOR = "；"

# ---------------------------------------------------------------------------------------------
# What is not minutes
# ---------------------------------------------------------------------------------------------
# Words of other kinds of document, with the kind the refusal names.
NOTICE_MARKERS = ("特此通知", "通知如下", "现将有关事项通知如下", "请遵照执行", "请认真贯彻执行")
NOTICE_TITLE = re.compile(r"(?:的|关于.*)通知$|^通知$")
# Words of minutes a news report does not use; and the characters of a byline.
MINUTES_MARKERS = (MINUTES_WORD, "议定", "如下")
NEWS_HINTS = ("讯", "记者")
# A news report's byline: "本报讯（记者 张三）", "通讯员 李四".
NEWS_MARKERS = re.compile(
    rf"本报讯|本台讯|本网讯|[（(]记者\s*[{CJK}]|记者\s*[{CJK}]{{2,4}}\s*报道|通讯员"
)
CONTENTS_MARKER = re.compile(r"^目\s*录$|[.…·]{6,}\s*\d+$")

# ---------------------------------------------------------------------------------------------
# PDF page-break debris
# ---------------------------------------------------------------------------------------------
# A PDF's text layer wraps lines at the page width: lines at least this long, and at least
# this many of them sharing one length, show the width.
WRAP_MIN_WIDTH = 16
WRAP_MIN_LINES = 4
# "- 3 -", "—3—", "－ 3 －", "第3页", "3": a page number alone on its line.
PAGE_NUMBER_LINE = re.compile(
    r"^(?:[-—–－\s]*\d{1,3}[-—–－\s]*|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?)$"
)
STRAY_MARK_LINE = re.compile(r"^[?？�\s]+$")

# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 端木 西门"
    " 南宫 百里 呼延 独孤 万俟 闻人 澹台 公冶 太史 申屠 第五 东郭 仲孙 濮阳 淳于 单于 赫连".split()
)
# The single surnames of the 百家姓 and the common ones it lacks (肖, 付, 闫, 覃, 栗, 忻, …).
SINGLE_SURNAMES = frozenset(
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛"
    "奚范彭郎鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康"
    "伍余元卜顾孟平黄和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵"
    "席季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗"
    "丁宣贲邓郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫"
    "乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄"
    "印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴郁胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍郤璩桑桂"
    "濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘"
    "匡国文寇广禄阙东殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相查"
    "后荆红游竺权逯盖益桓公欧肖付闫覃栗兰晋母来佘麦伦过揭粟练银代仝邸练郇茆"
    "忻邝岳冼佟丛亢修商官展帅庹战敬植楚檀汝牟甯眭税苑苟衣谌迟郄鄢隋雒"
)
# Endings of organisation names, longest first so that 管委会 wins over 会.
ORGANIZATION_ENDINGS = tuple(
    sorted(
        (
            "人民政府 政府 管委会 委员会 常委会 办公室 办公厅 督查室 研究室 中心 支队 大队 中队 海关"
            " 分局 中支 支行 分行 集团 公司 银行 法院 检察院 学院 大学 学校 医院 街道 办事处 工会"
            " 团委 市委 区委 县委 机关 小组 协会 联合会 商会 基金会 政协 人大"
            " 局 委 办 室 厅 处 部 科 股 市 区 县 镇 乡 院 所 站 会 署 社 队 行 馆 台 州 省"
        ).split(),
        key=len,
        reverse=True,
    )
)
PERSON_NAME_LENGTHS = (2, 3)
# Endings of place names: a body named by its place alone (张家港市) needs more than the ending.
PLACE_ENDINGS = ("市", "区", "县", "镇", "乡", "省", "州")
# Endings no personal name has: a chunk ending with one is an organisation even if its first
# character is a surname (相城区, 江北区, 常熟市).
STRONG_ORGANIZATION_ENDINGS = tuple(
    ending
    for ending in ORGANIZATION_ENDINGS
    if len(ending) > 1 or ending in "局委办室厅处部科市区县镇乡队"
)


# --- Words the database keeps as choice values (minutes.models), keyed by the source words.

# Meeting kinds, keyed by the model's stored value: the name a document of the kind prints when
# its own text does not say (Meeting.kind_label keeps the printed one: 区长办公会议纪要).
MEETING_KIND_NAMES = {
    "executive": "常务会议纪要",
    "mayor_office": "市长办公会议纪要",
    "special": "专题会议纪要",
    "bureau_office": "局长办公会议纪要",
    "congress_standing": "人大常委会会议纪要",
    "work_meeting": "工作例会纪要",
    "party_group": "党组会议纪要",
    "other": "会议纪要",
}
# The kind of a printed name, by the first of these words it contains (order matters: a 人大
# 常委会 is not a government 常务会议, a 局长办公会 is not a 市长办公会).
MEETING_KIND_WORDS = (
    ("人大常委会", "congress_standing"),
    ("人民代表大会常务委员会", "congress_standing"),
    ("常务委员会", "congress_standing"),
    ("常务会", "executive"),
    ("专题会", "special"),
    ("局长办公会", "bureau_office"),
    ("厅长办公会", "bureau_office"),
    ("主任办公会", "bureau_office"),
    ("院长办公会", "bureau_office"),
    ("局务会", "bureau_office"),
    ("办公会", "mayor_office"),
    ("例会", "work_meeting"),
    ("党组", "party_group"),
)
TIME_OF_DAY_VALUES = {"上午": "morning", "下午": "afternoon", "晚上": "evening"}
ITEM_KIND_VALUES = {"听取": "hear", "审议": "review", "传达": "convey", "研究": "study"}

# Name endings that tell what kind of body an organisation is.
GOVERNMENT_ENDINGS = ("人民政府", "政府", "管委会")
PARTY_PREFIXES = ("市委", "区委", "县委", "省委", "团市委", "市纪委")
DISTRICT_ENDINGS = ("市", "区", "县", "镇", "街道")
DEPARTMENT_ENDINGS = (
    "局",
    "委",
    "办",
    "室",
    "厅",
    "中心",
    "支队",
    "海关",
    "分局",
    "中支",
    "所",
    "科",
)


def meeting_kind_value(printed: str | None, default: str = "executive") -> str:
    """The stored kind of a printed kind name (区长办公会议纪要 -> mayor_office).

    ``default`` when nothing is printed; "other" for a name that matches no known kind.
    """
    if not printed:
        return default
    for word, value in MEETING_KIND_WORDS:
        if word in printed:
            return value
    return "other"


def printed_kind(phrase_match: re.Match) -> str:
    """The kind of minutes named by a MEETING_KIND_PHRASE match: 局长办公会 -> 局长办公会议纪要."""
    if phrase_match["congress"]:
        return CONGRESS_KIND
    phrase = phrase_match["phrase"]
    if not phrase.endswith(("会议", "例会")):  # 办公会 -> 办公会议; 工作例会 stays
        phrase += "议"
    return phrase + MINUTES_WORD


def format_doc_number(year: int, seq: int, ordinal: bool = False) -> str:
    """The 文号 with full-width brackets: 〔2021〕15号 (〔2021〕第2号 when printed with 第)."""
    return f"〔{year}〕{'第' if ordinal else ''}{seq}号"


def format_session(session_no: int) -> str:
    return f"第{session_no}次"


# The kinds of reviewed 《…》 documents, by the word their title ends with (措施, 办法 …): the
# statistics page groups the reviewed documents by them.
REVIEWED_DOCUMENT_KINDS = (
    "条例",
    "规定",
    "办法",
    "细则",
    "规则",
    "意见",
    "措施",
    "方案",
    "规划",
    "计划",
    "纲要",
    "要点",
    "决定",
    "通知",
    "报告",
    "标准",
    "制度",
    "清单",
    "目录",
    "指南",
    "指引",
    "章程",
    "协议",
    "政策",
)
