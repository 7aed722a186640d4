"""What the search page shows of its hits and facets (issue 10, item 1): OR, snippets once per
part and for every hit, facets by count with ties in pinyin order, the advanced search, and the
empty page's ways in — counted from the documents the reader may see."""

import datetime
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest

from minutes.models import Meeting
from minutes.parsing.records import AgendaItem, Attendee, Decision
from tests.search.pages import page_of, text, with_class

pytestmark = pytest.mark.django_db


def results(page) -> list:
    return with_class(page, "search-result")


def facet_group(page, title: str):
    for group in with_class(page, "facets")[0].xpath(".//fieldset"):
        if text(group.xpath("./legend")[0]) == title:
            return group
    return None


def facet(page, title: str) -> list[tuple[str, str]]:
    """(label, count) of one facet group, in the order shown (the "more" ones after)."""
    group = facet_group(page, title)
    if group is None:
        return []
    return [
        (text(label).rsplit(" ", 1)[0].strip(), text(label.xpath("./span")[0]))
        for label in group.xpath(".//li/label")
    ]


def test_or_finds_documents_with_either_word(client, meeting):
    meeting(seq=1, opening="会议研究住房保障工作。")
    meeting(seq=2, opening="会议研究公积金缴存工作。")
    meeting(seq=3, opening="会议研究养老服务工作。")
    for query in ["住房 OR 公积金", "住房 | 公积金", "住房 或 公积金"]:
        page = page_of(client, q=query)
        numbers = {text(hit.xpath(".//span[@class='doc-number']")[0]) for hit in results(page)}
        assert numbers == {"〔2021〕1号", "〔2021〕2号"}, query


def test_the_help_shows_the_whole_syntax(client):
    page = page_of(client)
    help_text = text(page.get_element_by_id("search-help"))
    for example in ['"住房公积金"', "-公积金", "OR", "〔2021〕15号", "集成電路", "税"]:
        assert example in help_text
    assert page.get_element_by_id("search-help").tag == "details"


def test_a_one_character_query_shows_a_snippet_where_it_matched(client, meeting):
    # 税 occurs only in an attending body's name, not in the title, opening or items.
    meeting(seq=1, observers=(Attendee(name="周明", org="市税务局"),))
    page = page_of(client, q="税")
    (hit,) = results(page)
    snippets = with_class(hit, "snippet")
    assert snippets, lxml.html.tostring(hit, encoding=str)
    assert [mark.text for mark in snippets[0].xpath(".//mark")] == ["税"]


def test_every_hit_has_a_snippet(client, meeting):
    meeting(seq=1, opening="会议研究了税收征管工作。")
    meeting(seq=2, opening="会议研究其他事项。")
    meeting(seq=3)
    # 会议纪要 occurs only in the titles (苏州市人民政府第…次常务会议纪要).
    for query in {"q": "税"}, {"q": "会议纪要"}, {"year": "2021"}:
        page = page_of(client, **query)
        assert results(page)
        for hit in results(page):
            assert with_class(hit, "snippet"), (query, text(hit))


def test_an_item_title_is_shown_once_with_its_own_snippet_below(client, meeting):
    meeting(seq=1)
    (hit,) = results(page_of(client, q="集成电路"))
    whole = text(hit)
    heading = "一、审议《苏州市促进集成电路产业高质量发展的若干措施》"
    # The item's heading is its link; its snippet comes from what was decided.
    (item,) = with_class(hit, "matched-items")[0].xpath("./li")
    assert text(item.xpath("./a")[0]) == heading
    assert item.xpath("./a/mark")[0].text == "集成电路"
    for snippet in with_class(item, "snippet"):
        assert heading not in text(snippet)
    # Title, opening, item: each excerpt different from the others.
    snippets = [text(snippet) for snippet in with_class(hit, "snippet")]
    assert len(snippets) == len(set(snippets))
    # The opening says the same (…会议，审议《…》): shown once, as the item's heading.
    assert whole.count("审议《苏州市促进集成电路产业高质量发展的若干措施》") == 1


def test_each_matching_item_has_one_snippet(client, meeting):
    items = tuple(
        AgendaItem(
            no=number,
            title=f"研究{topic}工作",
            kind="研究",
            decisions=(Decision(no=1, text=f"会议同意{topic}方案，公积金按规定执行。"),),
        )
        for number, topic in [(1, "住房"), (2, "交通"), (3, "教育")]
    )
    meeting(seq=1, items=items, opening="会议研究三项工作。")
    (hit,) = results(page_of(client, q="公积金"))
    entries = with_class(hit, "matched-items")[0].xpath("./li")
    assert [text(entry.xpath("./a")[0]) for entry in entries] == [
        "一、研究住房工作",
        "二、研究交通工作",
        "三、研究教育工作",
    ]
    for entry in entries:
        assert len(with_class(entry, "snippet")) == 1


def test_facet_values_by_count_then_pinyin(client, meeting):
    # 凌鸣 < 万利 < 俞峰 in pinyin (ling, wan, yu), the reverse of their code points.
    for seq, chair in [(1, "俞峰"), (2, "万利"), (3, "凌鸣"), (4, "俞峰")]:
        meeting(seq=seq, chair=chair, attendees=(), observers=(), recorder=None)
    page = page_of(client, q="集成电路")
    people = [label for label, _count in facet(page, "人员")]
    assert people == ["俞峰", "凌鸣", "万利"]
    assert facet(page, "人员")[0] == ("俞峰", "2")


def test_a_long_facet_shows_its_top_values_and_the_rest_behind_more(client, meeting):
    for seq in range(1, 12):
        meeting(seq=seq, observers=(Attendee(name=f"代表{seq:02d}", org=f"单位{seq:02d}"),))
    page = page_of(client, q="集成电路")
    group = facet_group(page, "单位")
    shown = [text(label).rsplit(" ", 1)[0] for label in group.xpath("./ul/li/label")]
    # The three bodies of every document (in pinyin order), then the first of the others.
    assert shown == ["市工信局", "市科技局", "苏州市人民政府"] + [f"单位0{n}" for n in range(1, 6)]
    more = group.xpath("./details")[0]
    assert text(more.xpath("./summary")[0]) == "其余 6 项"
    assert [text(label).rsplit(" ", 1)[0] for label in more.xpath(".//li/label")][:2] == [
        "单位06",
        "单位07",
    ]


def test_a_facet_of_thousands_lists_its_most_frequent_and_counts_the_rest(
    client, meeting, monkeypatch
):
    """A province's people facet holds thousands of names: the page lists FACET_TOP +
    FACET_MORE of them, says how many it leaves out, and still shows a selected one."""
    from minutes.search import results as search_results

    monkeypatch.setattr(search_results, "FACET_MORE", 2)
    for seq in range(1, 12):
        meeting(seq=seq, observers=(Attendee(name=f"代表{seq:02d}", org=f"单位{seq:02d}"),))
    page = page_of(client, q="集成电路")
    group = facet_group(page, "单位")
    assert len(group.xpath("./ul/li")) == 8
    assert len(group.xpath("./details//li")) == 2
    # 3 bodies of every document + 11 others, 10 listed.
    (note,) = with_class(group, "facet-hidden")
    assert text(note) == "另有 4 个较少出现的值未列出，可按名称搜索。"
    page = page_of(client, q="集成电路", organization="单位11")
    group = facet_group(page, "单位")
    (box,) = group.xpath('.//input[@value="单位11"]')
    assert box.get("checked") is not None
    assert text(box.getparent().xpath("./label/span")[0]) == "1"
    assert not with_class(group, "facet-hidden")  # the one document's 4 bodies, all listed


def test_a_selected_value_that_no_longer_matches_still_shows_to_be_removed(client, meeting):
    meeting(seq=1)
    page = page_of(client, q="集成电路", person=["不存在的人"])
    assert facet(page, "人员") == [("不存在的人", "0")]
    (box,) = facet_group(page, "人员").xpath(".//input")
    assert box.get("checked") is not None


def test_facet_values_are_boxes_of_the_search_form_checked_when_selected(client, meeting):
    # Boxes, not links: a link per value on every page would let a crawler walk every
    # combination of values.
    meeting(seq=1)
    page = page_of(client, q="集成电路", year="2021")
    boxes = {
        (box.get("name"), box.get("value")): box
        for box in with_class(page, "facets")[0].xpath(".//input[@type='checkbox']")
    }
    assert boxes[("year", "2021")].get("checked") is not None
    assert boxes[("organization", "市公安局")].get("checked") is None
    assert {box.get("form") for box in boxes.values()} == {"search-form"}
    assert with_class(page, "facets")[0].xpath(".//a") == []
    # The box is the only copy of the selected year in the form: unchecking it removes it.
    assert page.xpath('//form[@id="search-form"]//input[@type="hidden"]') == []
    label = page.xpath(f'//label[@for="{boxes[("year", "2021")].get("id")}"]')[0]
    assert text(label).startswith("2021")


def test_advanced_search_by_title_chair_number_issuer_and_organization(client, meeting):
    meeting(seq=1, session_no=201, chair="李亚平")
    meeting(seq=2, session_no=202, chair="王翔", observers=())
    meeting(seq=3, issuer="苏州市工业和信息化局", kind="局长办公会议纪要", chair="王翔")

    def numbers(**params):
        return sorted(
            text(n) for n in page_of(client, **params).xpath("//span[@class='doc-number']")
        )

    assert numbers(title="第201次") == ["〔2021〕1号"]
    assert numbers(chair="王翔") == ["〔2021〕2号", "〔2021〕3号"]
    assert numbers(doc_number="2021年2号") == ["〔2021〕2号"]
    assert numbers(issuer="苏州市工业和信息化局") == ["〔2021〕3号"]
    assert numbers(organization="市公安局", chair="王翔") == ["〔2021〕3号"]
    page = page_of(client, chair="王翔")
    assert page.xpath('//details[@open][contains(@class, "advanced-search")]')
    assert page.get_element_by_id("id_chair").get("value") == "王翔"


def test_the_empty_page_offers_years_kinds_and_bodies_counting_public_documents(
    client, staff_client, meeting
):
    meeting(seq=1, meeting_date=datetime.date(2020, 3, 1), year=2020)
    meeting(seq=2)
    meeting(seq=3, status=Meeting.Status.DRAFT)
    meeting(seq=4, observers=(Attendee(name="周明", org="市税务局"),), status=Meeting.Status.DRAFT)

    def start(page):
        found = {}
        for group in with_class(page, "search-start")[0].xpath(".//section"):
            found[text(group.xpath("./h3")[0])] = {
                text(item.xpath("./a")[0]): int(text(item.xpath("./span")[0]))
                for item in group.xpath(".//li")
            }
        return found

    anonymous = start(page_of(client))
    assert anonymous["年份"] == {"2021": 1, "2020": 1}
    assert anonymous["类别"] == {"常务会议纪要": 2}
    assert anonymous["单位"]["市公安局"] == 2
    assert "市税务局" not in anonymous["单位"]
    staff = start(page_of(staff_client))
    assert staff["年份"] == {"2021": 3, "2020": 1}
    assert staff["单位"]["市税务局"] == 1
    link = page_of(client).xpath('//*[contains(@class, "search-start")]//a')[0]
    assert parse_qs(urlsplit(link.get("href")).query) == {"year": ["2021"]}


def test_the_opening_is_not_shown_for_titles_its_items_already_show(client, meeting):
    opening = "会议审议《苏州市住房保障办法》《苏州市交通规划》。会议还研究了住房租赁市场。"
    items = (
        AgendaItem(no=1, title="审议《苏州市住房保障办法》", kind="审议"),
        AgendaItem(no=2, title="审议《苏州市交通规划》", kind="审议"),
    )
    meeting(seq=1, opening=opening, items=items)
    (hit,) = results(page_of(client, q="住房"))
    # The opening's own sentence, not its list of titles (the item below shows that one).
    assert [text(snippet) for snippet in with_class(hit, "snippet")] == [
        "…会议还研究了住房租赁市场。"
    ]
    assert text(hit).count("苏州市住房保障办法") == 1


def test_the_advanced_lists_name_only_bodies_of_documents_the_reader_may_see(
    client, staff_client, meeting
):
    meeting(seq=1)
    meeting(
        seq=2,
        issuer="苏州市工业和信息化局",
        kind="局长办公会议纪要",
        observers=(Attendee(name="周明", org="市税务局"),),
        status=Meeting.Status.DRAFT,
    )

    def lists(page):
        issuers = [o.get("value") for o in page.xpath('//select[@id="id_issuer"]/option')]
        bodies = [o.get("value") for o in page.xpath('//datalist[@id="organization-names"]/option')]
        return issuers, bodies

    issuers, bodies = lists(page_of(client))
    assert issuers == ["", "苏州市人民政府"]
    assert "市公安局" in bodies and "市税务局" not in bodies
    issuers, bodies = lists(page_of(staff_client))
    assert issuers == ["", "苏州市工业和信息化局", "苏州市人民政府"]  # pinyin: gong < ren
    assert "市税务局" in bodies
