"""The reader's portal around the document (issue 10): the document page's facts, breadcrumb,
print button, related minutes and original file; the attendance block as printed; browse by
page number and order; index pages of bodies and people; the sitemap."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from minutes.models import Meeting, Organization
from minutes.parsing.records import AgendaItem, Attendee, Decision
from tests.conftest import visible_text
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def page_text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return visible_text(response)


def test_document_page_shows_its_facts_breadcrumb_and_print_button(client):
    meeting = make_meeting(year=2021, seq=15, session_no=133)
    response = client.get(meeting.get_absolute_url())
    html = response.content.decode()
    text = visible_text(response)
    for fact in [
        "发文机关：苏州市人民政府",
        "文号：〔2021〕15号",
        "会议日期：2021年4月12日 上午",
        "成文日期：2021年4月20日",
        "公开方式：主动公开",
        "主持人：市长 李亚平",
    ]:
        assert fact in text, fact
    published = meeting.published_at.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    assert f"发布日期：{published.year}年{published.month}月{published.day}日" in text
    crumbs = html.split('class="breadcrumb', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r"<li[^>]*>(?:<a [^>]*>)?([^<]+)", crumbs) == [
        "首页",
        "浏览",
        "2021年",
        "常务会议纪要",
        "〔2021〕15号",
    ]
    # The print button waits for the site's own script (the CSP allows no inline script).
    assert re.search(
        r'<button type="button" class="print-button" data-print hidden>打印</button>', html
    )
    assert re.search(r'<script src="/static/minutes/js/site\.js" defer></script>', html)
    assert 'data-doc-number="〔2021〕15号"' in html


def test_attendance_reads_as_the_text_prints_it(client):
    meeting = make_meeting(
        observers=(
            Attendee(name="吴松青", org="市委统战部"),
            Attendee(name=None, org="市委政法委"),
            Attendee(name=None, org="武警苏州支队"),
        )
    )
    response = client.get(meeting.get_absolute_url())
    html = response.content.decode()
    text = visible_text(response)
    assert "出席： 李亚平 王翔" in text or "出席：李亚平 王翔" in text
    assert "列席：" in text and "记录：栗涛" in text.replace("记录： ", "记录：")
    # Body and person are two links told apart by their class, in one unbreakable entry.
    assert re.search(
        r'<span class="attendee"><a class="org" href="[^"]+">市委统战部</a>'
        r'<a class="name" href="/people/%E5%90%B4%E6%9D%BE%E9%9D%92/">吴松青</a></span>',
        html,
    )
    # Two bodies' representatives are one entry, as printed.
    entries = re.findall(r'<span class="attendee representatives">(.*?)</span>', html)
    assert len(entries) == 1
    assert re.sub(r"<[^>]+>", "", entries[0]) == "市委政法委、武警苏州支队的代表"


def test_chinese_interface_text_uses_full_width_colons(client):
    meeting = make_meeting()
    text = page_text(client, meeting.get_absolute_url())
    assert "承办单位：" in text and "审议文件：" in text
    assert not re.search(r"[\u4e00-\u9fff]: ", text), re.findall(r".{6}[\u4e00-\u9fff]: .{6}", text)


def test_related_minutes_name_the_series_and_the_same_reviewed_document(client, staff_client):
    earlier = make_meeting(session_no=131, meeting_date=datetime.date(2021, 3, 1))
    middle = make_meeting(session_no=132, meeting_date=datetime.date(2021, 3, 20))
    draft = make_meeting(
        session_no=133, meeting_date=datetime.date(2021, 4, 1), status=Meeting.Status.DRAFT
    )
    later = make_meeting(session_no=134, meeting_date=datetime.date(2021, 5, 1))
    public_text = page_text(client, middle.get_absolute_url())
    related = public_text.split("相关纪要", 1)[1]
    assert f"上一次会议：{earlier.title}" in related
    assert f"下一次会议：{later.title}" in related
    # Every factory document reviewed the same 《…》: the public ones are listed, the draft not.
    assert "审议过相同文件的会议" in related
    assert "第133次" not in public_text
    # A public document's page reads the same for staff (its body is shared and cached) ...
    assert "第133次" not in page_text(staff_client, middle.get_absolute_url())
    # ... and a draft, which only staff read, names its neighbours whatever their status.
    staff_related = page_text(staff_client, draft.get_absolute_url()).split("相关纪要", 1)[1]
    assert f"上一次会议：{middle.title}" in staff_related
    assert f"下一次会议：{later.title}" in staff_related


def test_the_original_file_downloads_through_the_one_door(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = make_meeting()
    meeting.source_file.save("纪要原件.docx", ContentFile(b"PK original bytes"))
    hidden = make_meeting(status=Meeting.Status.DRAFT)
    hidden.source_file.save("草稿.docx", ContentFile(b"PK draft bytes"))
    html = client.get(meeting.get_absolute_url()).content.decode()
    url = reverse("minutes:meeting-source", args=[meeting.pk])
    assert f'href="{url}"' in html and "原件" in html and "DOCX" in html
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK original bytes"
    assert "attachment" in response["Content-Disposition"]
    assert client.get(reverse("minutes:meeting-source", args=[hidden.pk])).status_code == 404
    # No /media/ address serves it past the door.
    assert client.get(f"/media/{hidden.source_file.name}").status_code == 404
    without_file = make_meeting()
    assert "原件" not in page_text(client, without_file.get_absolute_url())


def test_browse_has_page_numbers_first_and_last_and_the_nearest_page_when_out_of_range(client):
    for seq in range(1, 142):  # 8 pages of 20: enough for page numbers to be elided
        make_meeting(year=2021, seq=seq, meeting_date=datetime.date(2021, 1, 1))
    response = client.get(reverse("minutes:meeting-list"), {"page": 3})
    html = response.content.decode()
    assert 'aria-current="page">3</a>' in html
    assert (
        'href="?page=1" class="page-first"' in html and 'href="?page=8" class="page-last"' in html
    )
    assert "…" in visible_text(client.get(reverse("minutes:meeting-list"), {"page": 1}))
    for asked, shown in [("abc", 1), ("0", 1), ("-3", 1), ("99", 8), ("8", 8)]:
        response = client.get(reverse("minutes:meeting-list"), {"page": asked})
        assert response.status_code == 200, asked
        assert response.context["page_obj"].number == shown, asked


def test_browse_sorts_by_date_or_document_number_and_keeps_the_order_across_pages(client):
    make_meeting(year=2020, seq=9, meeting_date=datetime.date(2021, 6, 1), session_no=501)
    make_meeting(year=2021, seq=1, meeting_date=datetime.date(2020, 1, 1), session_no=502)
    make_meeting(year=2021, seq=2, meeting_date=datetime.date(2021, 1, 1), session_no=503)

    def order(sort):
        response = client.get(reverse("minutes:meeting-list"), {"sort": sort})
        return [m.session_no for m in response.context["meetings"]]

    assert order("") == [501, 503, 502]
    assert order("oldest") == [502, 503, 501]
    assert order("number") == [503, 502, 501]
    assert order("number_asc") == [501, 502, 503]
    for seq in range(3, 30):
        make_meeting(year=2021, seq=seq)
    html = client.get(reverse("minutes:meeting-list"), {"sort": "number"}).content.decode()
    assert "?sort=number&amp;page=2" in html


def test_organization_page_names_its_government_and_lists_decisions_by_date(client):
    make_meeting(meeting_date=datetime.date(2021, 4, 12))
    make_meeting(
        meeting_date=datetime.date(2022, 5, 6),
        items=(
            AgendaItem(
                no=1,
                title="研究信息化工作",
                decisions=(
                    Decision(no=1, text="由市工信局牵头推进。", organizations=("市工信局",)),
                ),
            ),
        ),
    )
    organization = Organization.objects.get(name="市工信局")
    text = page_text(client, reverse("minutes:organization-detail", args=[organization.pk]))
    assert "所属政府：苏州市人民政府" in text
    newest = text.index("2022年5月6日")
    oldest = text.index("2021年4月12日")
    assert newest < text.index("由市工信局牵头推进。") < oldest


def test_person_page_gives_the_title_at_each_meeting(client):
    make_meeting(meeting_date=datetime.date(2021, 4, 12), session_no=133)
    make_meeting(
        meeting_date=datetime.date(2021, 6, 1), session_no=140, chair="王翔", chair_title="副市长"
    )
    chair = page_text(client, reverse("minutes:person-detail", args=["李亚平"]))
    assert "主持（市长）" in chair
    wang = page_text(client, reverse("minutes:person-detail", args=["王翔"]))
    assert wang.index("第140次") < wang.index("主持（副市长）") < wang.index("第133次")
    assert "出席" in wang.split("第133次", 1)[1]
    huang = page_text(client, reverse("minutes:person-detail", args=["黄戟"]))
    assert "列席（市公安局）" in huang and "列席（市资源规划局）" in huang


def test_index_pages_list_bodies_and_people_in_pinyin_order_with_public_counts(
    client, staff_client
):
    make_meeting()
    make_meeting(
        observers=(Attendee(name="万利", org="市工信局"), Attendee(name="俞峰", org="市外办"))
    )
    make_meeting(
        status=Meeting.Status.DRAFT,
        observers=(Attendee(name="凌鸣", org="市发改委"), Attendee(name="万利", org="市工信局")),
    )
    people = page_text(client, reverse("minutes:person-list"))
    assert (
        people.index("黄戟") < people.index("李亚平") < people.index("万利") < people.index("俞峰")
    )
    assert "凌鸣" not in people
    assert re.search(r"万利 共 1 件", people) and re.search(r"李亚平 共 2 件", people)
    assert re.search(r"万利 共 2 件", page_text(staff_client, reverse("minutes:person-list")))
    bodies = page_text(client, reverse("minutes:organization-list"))
    assert "市发改委" not in bodies
    assert re.search(r"市工信局 共 2 件", bodies)  # assigned a decision in both, attending in one
    assert bodies.index("市公安局") < bodies.index("市外办")


def test_sitemap_lists_bodies_people_and_the_index_pages_of_public_documents_only(client):
    make_meeting()
    make_meeting(
        status=Meeting.Status.DRAFT,
        chair="秘书甲",
        observers=(Attendee(name="秘书乙", org="秘密局"),),
    )
    body = client.get("/sitemap.xml").content.decode()
    organization = Organization.objects.get(name="市公安局")
    for url in [
        reverse("minutes:organization-list"),
        reverse("minutes:person-list"),
        reverse("minutes:organization-detail", args=[organization.pk]),
        reverse("minutes:person-detail", args=["黄戟"]),
    ]:
        assert f"{url}</loc>" in body, url
    secret = Organization.objects.get(name="秘密局")
    assert reverse("minutes:organization-detail", args=[secret.pk]) + "</loc>" not in body
    assert "%E7%A7%98%E4%B9%A6" not in body  # 秘书…, quoted as the URL would be


def test_home_page_has_one_search_box_and_the_language_menu_names_english_in_english(client):
    html = client.get(reverse("minutes:home")).content.decode()
    assert html.count('role="search"') == 1
    assert ">English</option>" in html and ">简体中文</option>" in html
    assert "英语" not in html


def test_sessions_of_one_day_follow_their_document_numbers(client):
    day = datetime.date(2021, 7, 1)
    first, second, third = (
        make_meeting(year=2021, seq=seq, session_no=200 + seq, meeting_date=day)
        for seq in (1, 2, 3)
    )
    related = page_text(client, second.get_absolute_url()).split("相关纪要", 1)[1]
    assert f"上一次会议：{first.title}" in related
    assert f"下一次会议：{third.title}" in related


def test_recipients_entered_without_their_mark_print_apart(client):
    # The admin's 分送 rows start with an empty mark: the page and the text still separate them.
    meeting = make_meeting(
        distribution=("各市、区人民政府", "苏州工业园区管委会", "市各有关部门和单位"),
        distribution_separators=(),
    )
    assert list(meeting.distributions.values_list("separator", flat=True)) == ["", "", ""]
    expected = "各市、区人民政府，苏州工业园区管委会，市各有关部门和单位。"
    assert expected in page_text(client, meeting.get_absolute_url())
    assert f"分送：{expected}" in meeting.as_text()
