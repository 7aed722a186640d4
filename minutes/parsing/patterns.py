"""The words and shapes of the source format: every Chinese word the parser knows lives here.

The other modules only combine these constants; a clerk who meets a new wording (a new title, a new
lead-in line, a new organisation ending) should only have to touch this file.
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
# 常务会议纪要, 市长办公会议纪要, 专题会议纪要, 区长办公会议纪要, 会议纪要
KIND = rf"(?:[{CJK}]{{0,8}}?会议)?{MINUTES_WORD}"
DOC_NUMBER = re.compile(
    rf"[{re.escape(DOC_NUMBER_OPEN)}]\s*(?P<year>\d{{4}})\s*[{re.escape(DOC_NUMBER_CLOSE)}]"
    r"\s*第?\s*(?P<seq>\d{1,4})\s*号"
)
# "苏州市人民政府 常务会议纪要": the issuer as printed, then the kind.
ISSUER_ENDINGS = ("人民政府", "政府", "委员会", "管委会", "办公室", "办公厅")
ISSUER_KIND_LINE = re.compile(
    rf"^(?P<issuer>[{CJK}]{{2,30}}?(?:{'|'.join(ISSUER_ENDINGS)}))\s*(?P<kind>{KIND})$"
)
KIND_LINE = re.compile(rf"^(?P<kind>{KIND})$")
# "市政府第12次常务会议纪要": a title line naming the session.
SESSION_TITLE_LINE = re.compile(rf"^[{CJK}\d]*第[\d{CHINESE_DIGITS}]+次(?P<kind>{KIND})$")

# ---------------------------------------------------------------------------------------------
# Opening paragraph (the meeting sentence)
# ---------------------------------------------------------------------------------------------
TIMES_OF_DAY = ("上午", "下午", "晚上", "中午", "晚间")
HOST_VERB = "主持"  # 主持召开 / 主持会议 / 主持
MEETING_WORD = "会议"
SESSION = re.compile(
    rf"(?P<name>[{CJK}\d]*?第(?P<number>[\d{CHINESE_DIGITS}]+)次[{CJK}]{{0,10}}?{MEETING_WORD})"
)
CONVENE_VERBS = ("主持召开", "召开", "主持")
# 市长, 代市长, 代理区长, 常务副市长, 副县长, 镇长, 主任, 秘书长, …
CHAIR_TITLE = re.compile(
    r"(?:常务)?(?:副)?(?:代理|代)?(?:常务)?(?:副)?[省市区县州镇乡旗盟]长"
    r"|(?:副)?秘书长|(?:副)?主任|(?:副)?书记|(?:副)?局长|(?:副)?(?:区|县|市)委书记"
)
HONORIFIC = "同志"
PLACE_WORD = "在"

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
LEAD_IN = re.compile(rf"(?:{'|'.join(LEAD_INS)})[：。]?$")
RENDERED_LEAD_IN = "会议议定以下意见："

ITEM = re.compile(rf"^(?P<number>[{CHINESE_DIGITS}]{{1,4}})、\s*(?P<rest>.*)$")
POINT = re.compile(rf"^（(?P<number>[{CHINESE_DIGITS}]{{1,4}})）\s*(?P<rest>.*)$")
# Unnumbered paragraph items: "会议听取了…", "会议审议通过了…", "会议传达学习了…".
PARAGRAPH_ITEM = re.compile(r"^会议(?:听取|审议|传达|研究|学习|通报)")
# Kinds of an agenda item, read from the first verb of its title.
ITEM_KINDS = {
    "听取": "听取",
    "审议": "审议",
    "传达": "传达",
    "学习": "传达",
    "研究": "研究",
    "讨论": "研究",
}
ITEM_KIND = re.compile(rf"^(?:会议)?(?P<verb>{'|'.join(ITEM_KINDS)})")
# An inline item "会议听取了…的汇报。会议认为…": its title ends at the report word.
REPORT_WORD = "汇报"
INLINE_TITLE_END = re.compile(rf"{REPORT_WORD}(?=[。，；：]|$)")
SENTENCE_END = "。"
# A paragraph is complete when it ends with one of these (closing quotes may follow).
PARAGRAPH_ENDINGS = "。；：！？"
CLOSING_QUOTES = "”’」』）"

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
ASSIGNMENT_GROUP_TAIL = re.compile(r"等(?:相关|有关)?(?:部门|单位|部门和单位)?$")
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
    "经",
    "按",
)

# ---------------------------------------------------------------------------------------------
# Footer
# ---------------------------------------------------------------------------------------------
ATTENDEES_LABEL = "出席"
OBSERVERS_LABEL = "列席"
RECORDER_LABEL = "记录"
DISTRIBUTION_LABELS = ("分送", "抄送", "发送")
RENDERED_DISTRIBUTION_LABEL = "分送"
# Labels whose lists the records do not keep (请假, 缺席): they end the block above them.
IGNORED_LABELS = ("请假", "缺席")
LABEL_LINE = re.compile(
    r"^(?P<label>出席|列席|记录|分送|抄送|发送|请假|缺席)\s*[：:]\s*(?P<rest>.*)$"
)
COMPILED_WORD = "整理"
PRINTED_WORD = "印发"
PUBLIC_NOTE = "此件公开发布"
DISCLOSURE_NOTE = re.compile(r"^（?此件[^）]{1,12}）?$")
REPRESENTATIVE_SUFFIX = "的代表"
# "市体育局代表" without 的, "市发改委、市财政局负责同志": the same, a place without a name.
REPRESENTATIVE = re.compile(r"(?:的|有关|主要|相关)?(?:代表|负责同志|负责人)$")
# "（1）市领导：" opens a group of a grouped attendee list.
ATTENDEE_GROUP = re.compile(
    r"^[（(]\s*(?P<number>\d{1,2})\s*[）)]\s*(?P<group>[^：:]{1,20})[：:]\s*(?P<rest>.*)$"
)
ATTENDEE_SEPARATORS = re.compile(r"[、，；,;\s]+")
DISTRIBUTION_SEPARATORS = re.compile(r"[，；,;]")
ITEM_SEPARATOR = "，"
GROUP_SEPARATOR = "；"

# ---------------------------------------------------------------------------------------------
# PDF page-break debris
# ---------------------------------------------------------------------------------------------
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
# The single surnames of the 百家姓 and the common ones it lacks (肖, 付, 闫, 覃, 栗, …).
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
)
# Endings of organisation names, longest first so that 管委会 wins over 会.
ORGANIZATION_ENDINGS = tuple(
    sorted(
        (
            "人民政府 政府 管委会 委员会 办公室 办公厅 督查室 研究室 中心 支队 大队 中队 海关 分局"
            " 中支 支行 分行 集团 公司 银行 法院 检察院 学院 大学 学校 医院 街道 办事处 工会 团委"
            " 市委 区委 县委 局 委 办 室 厅 处 部 市 区 县 镇 乡 院 所 站 会 署 社 队 行 馆 台"
            " 州 省"
        ).split(),
        key=len,
        reverse=True,
    )
)
PERSON_NAME_LENGTHS = (2, 3)
# Endings no personal name has: a chunk ending with one is an organisation even if its first
# character is a surname (相城区, 江北区, 常熟市).
STRONG_ORGANIZATION_ENDINGS = tuple(
    ending
    for ending in ORGANIZATION_ENDINGS
    if len(ending) > 1 or ending in "局委办室厅处部市区县镇乡队"
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
DEPARTMENT_ENDINGS = ("局", "委", "办", "室", "厅", "中心", "支队", "海关", "分局", "中支", "所")


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


def format_doc_number(year: int, seq: int) -> str:
    """The 文号 with full-width brackets: 〔2021〕15号."""
    return f"〔{year}〕{seq}号"


def format_session(session_no: int) -> str:
    return f"第{session_no}次"
