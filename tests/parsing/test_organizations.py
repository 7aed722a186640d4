"""Decision -> organisation extraction, measured against a hand-checked list of the corpus.

Every decision of the twelve corpus documents was read as a 督查室 clerk reads it, to decide which
bodies it gives work to (the ones a follow-up task would go to). The judgement rules:

1. A body is assigned work when the decision names it as the one to act: the subject of a duty
   ("市科技局要抓好…", "苏州卫生职业技术学院承担…"), the agent after 由/请/要求 ("由市工信局根据…
   修改完善", "要求水务部门牵头"), or a body joined to the work ("市人才办、市发改委…等相关部门要
   主动参与", "会同发改、财政等部门").
2. The body that proposed a document the meeting approves subject to changes is the one to make
   them: "原则同意区住建局提出的《…》，作进一步修改完善后，提请区委常委会会议审议" -> 区住建局.
   Approving a report alone assigns nothing: "原则同意市食药监局关于…的情况汇报".
3. Classes of bodies and groups of people are not bodies: 各地各部门, 各相关单位, 全区上下,
   政府领导班子成员, 市政府法律顾问.
4. Bodies named for another reason are not assigned: the one that made a rule before
   ("省住建厅制定了《…》"), the one a result is sent to ("按程序报市委", "提请区委常委会会议审议",
   "具文到上级主管部门——江苏省卫生厅"), parties to a past act ("市政府与省政府签订了责任书").
5. A body is written as the decision writes it, an alias in brackets dropped
   ("区应急管理局（安委办）" -> 区应急管理局); a short form is a body too when it names a
   specific department ("请国土会同发改、财政等部门" -> 国土, 发改, 财政; "水务部门" in a
   county-level city is its one water department). Extraction only accepts what reads as a
   body's name (an ending such as 局/委/办/中心/集团, no verb inside), so these short forms are
   its known misses: recall is below 1 on purpose, precision must be 1.
"""

from __future__ import annotations

import pytest

from minutes.parsing import parse
from minutes.parsing.names import decision_organizations, organization_doubt
from tests.corpus import corpus_names, corpus_text

# (document, item number, start of the decision text) -> the bodies it assigns work to.
# Decisions not listed assign work to no body.
ASSIGNED = {
    ("suzhou-2021-15", 2, "原则同意《苏州市促进新一代"): ("市工信局",),
    ("suzhou-2021-15", 3, "原则同意《苏州市促进集成电路"): ("市工信局",),
    ("suzhou-2021-15", 3, "市工信局要做好政策实施"): (
        "市工信局",
        "市人才办",
        "市发改委",
        "市教育局",
        "市科技局",
    ),
    ("suzhou-2021-15", 4, "原则同意《苏州市生物医药"): ("市工信局",),
    ("suzhou-2021-15", 5, "原则同意《关于支持国家"): ("市科技局",),
    ("suzhou-2021-15", 5, "各地各相关单位要统筹合力"): (
        "市科技局",
        "市工信局",
        "市财政局",
        "苏州工业园区",
    ),
    ("suzhou-2021-15", 6, "原则同意《苏州市灵活就业"): ("市公积金管理中心",),
    ("suzhou-2021-15", 6, "有序推进住房公积金异地"): ("市公积金管理中心",),
    ("suzhou-2021-15", 7, "原则同意《苏州市“十四五”"): ("团市委",),
    ("suzhou-2013-04", 1, "原则同意苏州卫生职业技术学院上报"): (
        "市政府法制办",
        "苏州卫生职业技术学院",
    ),
    ("suzhou-2013-04", 1, "划转过程中"): ("苏州卫生职业技术学院",),
    ("panzhihua-dongqu-2021-s106", 2, "会议议定：原则同意"): ("兴东集团",),
    ("yongkang-2011-28", 1, "会议认为，要抓住"): ("水务部门",),
    ("yongkang-2011-28", 2, "会议认为：城市地下空间"): ("国土", "发改", "财政"),
    ("zhonglou-2025-s9", 1, "会议原则同意钟楼资规分局"): ("钟楼资规分局",),
    ("zhonglou-2025-s9", 2, "会议原则同意区住建局"): ("区住建局",),
    ("zhonglou-2025-s9", 3, "会议原则同意区应急管理局"): ("区应急管理局",),
    ("ningbo-fenghua-2021-s86", 2, "原则同意经济开发区管委会"): ("经济开发区管委会",),
    ("ningbo-fenghua-2021-s86", 4, "原则同意区人防办"): ("区人防办",),
}
# Lower bound on recall: the four short forms of rule 5 (水务部门, 国土, 发改, 财政 of 永康) are
# missed by design, 25 of 29 found; a bound a little under that lets no further miss pass.
MIN_RECALL = 0.85


def corpus_decisions():
    """(document, item number, decision) for every decision of the corpus."""
    for name in corpus_names():
        for item in parse(corpus_text(name)).items:
            for decision in item.decisions:
                yield name, item.no, decision


def truth(name: str, item_no: int, text: str) -> tuple[str, ...]:
    keys = [key for key in ASSIGNED if key[:2] == (name, item_no) and text.startswith(key[2])]
    assert len(keys) <= 1, keys
    return ASSIGNED[keys[0]] if keys else ()


def extraction_counts() -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) over the corpus."""
    found = wrong = missed = 0
    for name, item_no, decision in corpus_decisions():
        expected = set(truth(name, item_no, decision.text))
        extracted = set(decision.organizations)
        found += len(expected & extracted)
        wrong += len(extracted - expected)
        missed += len(expected - extracted)
    return found, wrong, missed


def test_every_hand_checked_decision_is_in_the_corpus():
    matched = {
        key
        for name, item_no, decision in corpus_decisions()
        for key in ASSIGNED
        if key[:2] == (name, item_no) and decision.text.startswith(key[2])
    }
    assert matched == set(ASSIGNED)


def test_extraction_precision_is_one_and_recall_stays_above_its_bound():
    found, wrong, missed = extraction_counts()
    precision = found / (found + wrong)
    recall = found / (found + missed)
    assert (found, wrong, missed) == (25, 0, 4)
    assert precision == 1.0
    assert recall >= MIN_RECALL


@pytest.mark.parametrize("name", corpus_names())
def test_no_false_organisation_in_any_corpus_document(name):
    for item in parse(corpus_text(name)).items:
        for decision in item.decisions:
            for organization in decision.organizations:
                assert organization in truth(name, item.no, decision.text), organization


def test_the_clause_that_was_made_an_organisation_never_comes_out():
    # suzhou-2013-04 (二): the decision approves the school's request; it is no body.
    parsed = parse(corpus_text("suzhou-2013-04"))
    names = {org for item in parsed.items for d in item.decisions for org in d.organizations}
    assert not any("同意" in name or "上报" in name for name in names)
    assert organization_doubt("原则同意苏州卫生职业技术学院上报市政府") is not None


@pytest.mark.parametrize(
    ("candidate", "reads_as_a_body"),
    [
        ("市工信局", True),
        ("苏州卫生职业技术学院", True),
        ("钟楼资规分局", True),
        ("经济开发区管委会", True),
        ("市“331”机制办", True),
        ("原则同意苏州卫生职业技术学院上报市政府", False),
        ("苏州卫生职业技术学院上报市政府", False),
        ("认真贯彻国家和省市有关部署", False),
        ("各相关部门", False),
        ("城市", False),
        ("长三角生态绿色一体化发展示范区执行委员会办公室", False),
    ],
)
def test_what_reads_as_the_name_of_a_body(candidate, reads_as_a_body):
    assert (organization_doubt(candidate) is None) is reads_as_a_body


def test_a_candidate_that_ends_like_a_body_but_holds_a_clause_is_dropped_with_a_warning():
    # suzhou-2013-04 (二), the school's request written as the subject of the sentence.
    text = (
        "南通市人民政府 常务会议纪要\n〔2013〕4号\n"
        "4月24日下午，周乃翔市长主持召开市政府第12次常务会议。\n"
        "一、听取苏州医药科技学校发展方向的情况汇报\n"
        "（一）苏州卫生职业技术学院上报市政府要求将苏州医药科技学校成建制转给该院的方案，"
        "原则同意。\n"
    )
    parsed = parse(text)
    assert parsed.items[0].decisions[0].organizations == ()
    [warning] = [w for w in parsed.warnings if w.field == "items"]
    assert warning.line == 5
    assert "苏州卫生职业技术学院上报市政府" in warning.message


def test_known_organizations_accept_a_name_the_rules_doubt():
    decision = "由长三角生态绿色一体化发展示范区执行委员会办公室牵头，抓紧制定实施方案。"
    name = "长三角生态绿色一体化发展示范区执行委员会办公室"
    assert decision_organizations(decision) == ((), (name,))
    assert decision_organizations(decision, known={name}) == ((name,), ())


def test_parse_passes_known_organizations_to_extraction():
    text = (
        "上海市人民政府 专题会议纪要\n〔2022〕9号\n"
        "3月2日上午，副市长王宏主持召开专题会议，研究示范区建设。\n"
        "一、研究示范区建设有关工作\n"
        "（一）由长三角生态绿色一体化发展示范区执行委员会办公室牵头，抓紧制定实施方案。\n"
    )
    name = "长三角生态绿色一体化发展示范区执行委员会办公室"
    assert parse(text).items[0].decisions[0].organizations == ()
    assert any(name in warning.message for warning in parse(text).warnings)
    known = parse(text, known_organizations=[name, "市财政局"])
    assert known.items[0].decisions[0].organizations == (name,)
    assert not any(name in warning.message for warning in known.warnings)


def test_a_past_act_assigns_nothing():
    # linyi-zhujian-2021-02: "省住建厅制定了《山东省建筑业扶优扶强工作方案》".
    assert decision_organizations("省住建厅制定了《山东省建筑业扶优扶强工作方案》。") == ((), ())


def test_the_body_that_proposed_a_document_makes_the_changes():
    # zhonglou-2025-s9, 三: the alias in brackets is dropped.
    text = (
        "会议原则同意区应急管理局（安委办）提出的《钟楼区政府领导班子成员2025年安全生产重点工作"
        "清单》，作进一步修改完善后，提请区委常委会会议审议。"
    )
    assert decision_organizations(text) == (("区应急管理局",), ())
    # suzhou-2013-04 (一): approving a report asks nothing of the body that gave it.
    report = "原则同意市食药监局关于苏州医药科技学校发展方向的情况汇报。"
    assert decision_organizations(report) == ((), ())
