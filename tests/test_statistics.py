"""The archive in numbers: what the statistics page counts, for the public and for staff."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from minutes import followup, statistics
from minutes.models import Meeting
from minutes.parsing.records import AgendaItem, Decision
from tests.conftest import visible_text
from tests.factories import HIDDEN_STATES, make_meeting
from tests.followup_helpers import make_supervisor, task_of

pytestmark = pytest.mark.django_db

PAGE = reverse("minutes:statistics")


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("苏州市促进集成电路产业高质量发展的若干措施", "措施"),
        ("苏州市住房公积金支持租赁住房发展实施办法", "办法"),
        ("苏州市灵活就业人员参加住房公积金制度试点实施方案及实施细则", "细则"),
        ("苏州市生物医药及健康产业强链补链三年行动计划（2021~2023）", "计划"),
        ("苏州市“十四五”青年发展规划", "规划"),
        ("关于支持国家新一代人工智能创新发展试验区加快建设的若干意见", "意见"),
        ("苏州市公共数据管理办法（试行）（修订稿）", "办法"),
        ("苏州市城市更新实施方案(征求意见稿)", "方案"),
        ("苏州市第七次全国人口普查公报", None),
    ],
)
def test_a_reviewed_document_is_counted_by_the_word_its_title_ends_with(title, kind):
    assert statistics.reviewed_document_kind(title) == kind


def items(*organizations, reviewed=("苏州市促进集成电路产业高质量发展的若干措施",)):
    return (
        AgendaItem(
            no=1,
            title="审议有关文件",
            decisions=tuple(
                Decision(no=n, text=f"{name}要抓好落实。", organizations=(name,))
                for n, name in enumerate(organizations, start=1)
            ),
            reviewed=reviewed,
        ),
    )


@pytest.fixture
def archive():
    make_meeting(year=2021, seq=15, items=items("市工信局", "市科技局"))
    make_meeting(
        year=2021,
        seq=20,
        meeting_date=datetime.date(2021, 6, 3),
        chair="吴庆文",
        items=items("市工信局", reviewed=("苏州市住房公积金支持租赁住房发展实施办法",)),
    )
    make_meeting(
        year=2019,
        seq=3,
        meeting_date=datetime.date(2019, 4, 9),
        items=items("市财政局", reviewed=("苏州市“十四五”青年发展规划",)),
    )


def test_the_public_figures_count_the_public_documents(client, archive):
    figures = client.get(PAGE).context["figures"]

    assert (figures["documents"], figures["decisions"]) == (3, 4)
    assert figures["years"] == [
        {"year": 2021, "months": [0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0], "total": 2},
        {"year": 2019, "months": [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0], "total": 1},
    ]
    assert [(row["name"], row["count"]) for row in figures["organizations"]] == [
        ("市工信局", 2),
        ("市科技局", 1),
        ("市财政局", 1),
    ]
    assert [(row["name"], row["count"]) for row in figures["chairs"]] == [
        ("李亚平", 2),
        ("吴庆文", 1),
    ]
    assert [(row["kind"], row["count"]) for row in figures["reviewed_kinds"]] == [
        ("办法", 1),
        ("措施", 1),
        ("规划", 1),
    ]


def test_the_page_draws_each_chart_as_svg_with_its_numbers_in_a_table_beneath(client, archive):
    html = client.get(PAGE).content.decode()

    # No script draws anything: the only script is the site's own (the print button).
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/minutes/js/site.js" defer>']
    charts = re.findall(r'<svg class="chart"[^>]*role="img"[^>]*aria-labelledby="([^"]+)"', html)
    assert charts == [
        "chart-per-month-title",
        "chart-organizations-title",
        "chart-chairs-title",
        "chart-reviewed-title",
    ]
    for title_id in charts:
        assert f'<title id="{title_id}">' in html
        after = html[html.index(f'aria-labelledby="{title_id}"') :]
        assert after.index("</svg>") < after.index("<table")
    assert ["市工信局", "2"] in table_rows(html, "各单位承办议定事项数")
    assert ["李亚平", "2"] in table_rows(html, "各主持人主持会议数")
    assert ["措施", "1"] in table_rows(html, "审议文件文种分布")
    assert ["2021", "0", "0", "0", "1", "0", "1", *["0"] * 6, "2"] in table_rows(
        html, "各年月纪要数"
    )


def table_rows(html: str, caption: str) -> list[list[str]]:
    """The cells' text of each body row of the table with that caption."""
    table = re.search(rf"<caption[^>]*>{caption}</caption>(.*?)</table>", html, re.S).group(1)
    body = table[table.index("<tbody>") :]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_bars_are_drawn_to_scale():
    chart = statistics.bar_chart(
        [{"name": "市工信局", "count": 8}, {"name": "市科技局", "count": 2}]
    )
    assert chart["ticks"][-1]["value"] >= 8
    first, second = chart["bars"]
    assert first["length"] == pytest.approx(4 * second["length"])
    assert chart["ticks"][-1]["x"] >= statistics.LABEL_WIDTH + first["length"]
    assert statistics.nice_ticks(7) == [0, 2, 4, 6, 8]
    assert statistics.nice_ticks(120) == [0, 50, 100, 150]


@pytest.mark.parametrize(("status", "disclosure"), HIDDEN_STATES)
def test_a_hidden_document_changes_no_public_figure(client, archive, status, disclosure):
    before = client.get(PAGE)

    make_meeting(
        year=2018,
        seq=9,
        meeting_date=datetime.date(2018, 2, 1),
        chair="隐藏主持人",
        status=status,
        disclosure=disclosure,
        items=items("市工信局", "隐藏局", reviewed=("隐藏条例",)),
    )

    after = client.get(PAGE)
    assert after.context["figures"] == before.context["figures"]
    assert visible_text(after) == visible_text(before)


def test_staff_count_every_document_and_see_the_follow_up(client, staff_client, archive):
    make_meeting(year=2018, seq=9, status=Meeting.Status.DRAFT, items=items("隐藏局"))

    staff = staff_client.get(PAGE)
    assert staff.context["figures"]["documents"] == 4
    assert "隐藏局" in visible_text(staff)
    assert staff.context["followup"] is not None
    assert "各单位督办情况" in visible_text(staff)

    public = client.get(PAGE)
    assert public.context["followup"] is None
    assert "督办" not in visible_text(public).replace("各单位督办情况", "")
    assert "隐藏局" not in visible_text(public)


def test_the_follow_up_figures_count_open_overdue_and_closed_on_time_per_organization(
    staff_client, django_user_model
):
    first = make_meeting(year=2021, seq=1, items=items("市工信局", "市科技局", "市工信局"))
    supervisor = make_supervisor(django_user_model)
    today = timezone.localdate()
    on_time, late, overdue = (
        task_of(first, "市工信局", position=1),
        task_of(first, "市科技局", position=2),
        task_of(first, "市工信局", position=3),
    )
    followup.set_due_date(on_time, by=supervisor, due_date=today)
    followup.close(on_time, by=supervisor, outcome="done")
    followup.set_due_date(late, by=supervisor, due_date=datetime.date(2021, 5, 1))
    followup.close(late, by=supervisor, outcome="done")
    followup.set_due_date(overdue, by=supervisor, due_date=today - datetime.timedelta(days=1))

    figures = staff_client.get(PAGE).context["followup"]

    rows = {row["name"]: row for row in figures["rows"]}
    assert {k: rows["市工信局"][k] for k in ("total", "open", "overdue", "on_time", "late")} == {
        "total": 2,
        "open": 1,
        "overdue": 1,
        "on_time": 1,
        "late": 0,
    }
    assert (rows["市科技局"]["on_time"], rows["市科技局"]["late"]) == (0, 1)
    assert figures["totals"]["overdue"] == 1


def test_figures_follow_publication_and_task_steps_at_once(client, staff_client, archive):
    assert client.get(PAGE).context["figures"]["documents"] == 3
    staff_client.get(PAGE)

    draft = make_meeting(year=2021, seq=30, status=Meeting.Status.REVIEW, items=items("市民政局"))
    draft.publish()
    assert client.get(PAGE).context["figures"]["documents"] == 4

    task = task_of(draft, "市民政局")
    followup.close(task, by=staff_client.user, outcome="dropped", note="并入其他事项")
    rows = {row["name"]: row for row in staff_client.get(PAGE).context["followup"]["rows"]}
    assert rows["市民政局"]["dropped"] == 1


def test_the_page_reads_a_fixed_number_of_queries_however_large_the_archive(staff_client):
    make_meeting(year=2021, seq=1, items=items("市工信局"))
    counts = []
    for more in range(2):
        for seq in range(3):
            make_meeting(year=2010 + more, seq=seq + 1, items=items("市科技局", "市财政局"))
        with CaptureQueriesContext(connection) as queries:
            staff_client.get(PAGE)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_warm_page_reads_no_figure_from_the_database(client, archive):
    client.get(PAGE)
    with CaptureQueriesContext(connection) as queries:
        client.get(PAGE)
    assert not [q for q in queries if "minutes_" in q["sql"]]


def test_the_page_reads_in_english_on_request_though_its_body_is_cached(client, archive):
    assert "数据统计" in visible_text(client.get(PAGE))
    english = visible_text(client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en"))
    assert "The archive in numbers" in english and "Decisions per organization" in english
    assert "各单位承办议定事项数" not in english
