"""No unpublished word reaches an anonymous reader, by any link, list, feed, sitemap or API.

Every non-public status/disclosure combination holds a unique word in every place a word can
hide; an anonymous crawler walks every internal link from home and requests every public URL.
Search pages join the walk by adding their URLs to EXTRA_URLS.
"""

import datetime
import re
from html import unescape
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from django.urls import reverse

import minutes.parsing
from minutes.models import Meeting, Organization, ReviewedDocument
from minutes.parsing.records import AgendaItem, Attendee, Decision
from minutes.search import drain
from tests.factories import HIDDEN_STATES, make_meeting

pytestmark = pytest.mark.django_db

SECRET = "绝密词"
# Query strings to try with the secret word. Searches ask for its first two characters
# ({prefix}), which the page echoes back: any hit, snippet or facet of a hidden document would
# show the whole word.
EXTRA_URLS: list[str] = [
    "/search/?q={prefix}",
    "/search/?q={prefix}&sort=newest",
    "/search/?q=市",
    "/search/?q=市&date_from=2000-01-01&date_to=2030-12-31",
    '/search/?q="{prefix}"',
    "/api/search/?q={prefix}",
    "/api/search/?q=市",
    "/?q={word}",
    "/minutes/?q={word}",
    "/api/meetings/?q={word}",
    "/people/{word}甲/",
]


def hidden_document(number, status, disclosure):
    word = f"{SECRET}{number}"
    return make_meeting(
        status=status,
        disclosure=disclosure,
        issuer=f"{word}人民政府",
        session_name=f"{word}会议",
        chair=f"{SECRET}甲",
        chair_title=f"{word}职务",
        opening=f"{word}导语",
        items=(
            AgendaItem(
                no=1,
                title=f"审议《{word}办法》",
                decisions=(
                    Decision(no=1, text=f"{word}议定", organizations=(f"{word}局",)),
                    # Bodies, people and titles of the public document, in hidden words:
                    # their pages must not show these.
                    Decision(no=2, text=f"市科技局{word}", organizations=("市科技局",)),
                ),
                reviewed=(f"{word}办法",),
            ),
            AgendaItem(
                no=2,
                title=f"{word}再审《苏州市促进集成电路产业高质量发展的若干措施》",
                reviewed=("苏州市促进集成电路产业高质量发展的若干措施",),
            ),
        ),
        attendees=(Attendee(name=f"{SECRET}乙"), Attendee(name="王翔")),
        observers=(
            Attendee(name=f"{SECRET}丙", org=f"{word}委"),
            Attendee(name="黄戟", org="市公安局"),
        ),
        recorder=f"{SECRET}丁",
        compiled_office=f"{word}办公室",
        distribution=(f"{word}分送",),
        printed_office=f"{word}印发室",
    )


@pytest.fixture
def archive(search_index):
    """One public document beside one hidden document of every hidden kind, all indexed."""
    public = make_meeting(year=2021, seq=15)
    hidden = [
        hidden_document(number, status, disclosure)
        for number, (status, disclosure) in enumerate(HIDDEN_STATES)
    ]
    # The queue rows were written with the documents; apply them as the writer would after commit.
    assert drain()
    return public, hidden


def internal_links(html: str, base: str) -> set[str]:
    links = set()
    for href in re.findall(r'(?:href|action)="([^"]*)"', html):
        url = urljoin(base, unescape(href))
        parts = urlsplit(url)
        if parts.netloc in ("", "testserver") and not parts.path.startswith("/static/"):
            links.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def crawl(client, start: str = "/") -> tuple[dict[str, str], list[str]]:
    """Every page reachable from ``start``, and the URLs that answered with a server error."""
    client.raise_request_exception = False
    seen: dict[str, str] = {}
    errors: list[str] = []
    queue = [start]
    while queue:
        url = queue.pop()
        if url in seen or len(seen) > 500:
            continue
        response = client.get(url, follow=True)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        body = content.decode(errors="replace")
        seen[url] = body
        if response.status_code >= 500 and not awaits_the_parser(url):
            errors.append(url)
        if response.get("Content-Type", "").startswith(("text/html", "application")):
            queue.extend(internal_links(body, url) - seen.keys())
    return seen, errors


def awaits_the_parser(url: str) -> bool:
    """The text download renders through minutes.parsing.render, which the parser brings."""
    return url.endswith("/text/") and not hasattr(minutes.parsing, "render")


def without_csrf_token(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)


def public_urls(hidden: list[Meeting]) -> list[str]:
    """Every URL a reader could type: each hidden document's own addresses included."""
    urls = [
        reverse("minutes:home"),
        reverse("minutes:meeting-list"),
        reverse("minutes:feed-rss"),
        reverse("minutes:feed-atom"),
        "/sitemap.xml",
        reverse("minutes:api-meeting-list"),
        reverse("minutes:organization-list"),
        reverse("minutes:person-list"),
        reverse("minutes:person-detail", args=[f"{SECRET}甲"]),
        reverse("minutes:person-detail", args=[f"{SECRET}乙"]),
        reverse("minutes:person-detail", args=[f"{SECRET}丙"]),
        reverse("minutes:person-detail", args=[f"{SECRET}丁"]),
    ]
    for meeting in hidden:
        urls += [
            meeting.get_absolute_url(),
            reverse("minutes:meeting-detail", args=[meeting.pk]),
            reverse("minutes:meeting-text", args=[meeting.pk]),
            reverse("minutes:meeting-source", args=[meeting.pk]),
            reverse("minutes:api-meeting-detail", args=[meeting.pk]),
            reverse("minutes:meeting-list") + f"?issuer={meeting.issuer_id}",
            reverse("minutes:meeting-list") + f"?year={meeting.year}",
        ]
    for organization in Organization.objects.filter(name__contains=SECRET):
        urls.append(reverse("minutes:organization-detail", args=[organization.pk]))
    for document in ReviewedDocument.objects.filter(title__contains=SECRET):
        urls.append(reverse("minutes:reviewed-document-detail", args=[document.pk]))
    return urls + [url.format(word=SECRET, prefix=SECRET[:2]) for url in EXTRA_URLS]


def traces(body: str, url: str) -> bool:
    """The secret in a page, apart from where the reader's own request put it (the URL)."""
    return SECRET in body.replace(unquote(url), "")


def test_crawler_from_home_finds_the_public_document_and_no_hidden_word(client, archive):
    public, _hidden = archive
    pages, errors = crawl(client)
    assert errors == []
    assert public.get_absolute_url() in pages
    assert len(pages) > 8
    leaked = [url for url, body in pages.items() if traces(body, url)]
    assert leaked == []


def test_no_public_url_answers_with_a_hidden_word(client, archive):
    _public, hidden = archive
    client.raise_request_exception = False
    leaked = []
    for url in public_urls(hidden):
        response = client.get(url, follow=True)
        if traces(response.content.decode(errors="replace"), url):
            leaked.append(url)
    assert leaked == []


def test_hidden_document_is_the_same_404_as_one_that_never_existed(client, archive):
    """Byte for byte: a draft's address says nothing that an address never used does not."""
    _public, hidden = archive
    never = {
        "stable": f"/minutes/{hidden[0].issuer_id}/executive/1999/999/",
        "page": reverse("minutes:meeting-detail", args=[999_999]),
        "text": reverse("minutes:meeting-text", args=[999_999]),
        "source": reverse("minutes:meeting-source", args=[999_999]),
        "api": reverse("minutes:api-meeting-detail", args=[999_999]),
    }
    expected = {}
    for kind, url in never.items():
        response = client.get(url)
        assert response.status_code == 404
        expected[kind] = without_csrf_token(response.content)
    assert expected["page"] == expected["stable"] == expected["text"] == expected["source"]
    assert b"<html" in expected["page"] and expected["api"].startswith(b"{")
    for meeting in hidden:
        for kind, url in [
            ("stable", meeting.get_absolute_url()),
            ("page", reverse("minutes:meeting-detail", args=[meeting.pk])),
            ("text", reverse("minutes:meeting-text", args=[meeting.pk])),
            ("source", reverse("minutes:meeting-source", args=[meeting.pk])),
            ("api", reverse("minutes:api-meeting-detail", args=[meeting.pk])),
        ]:
            response = client.get(url)
            assert response.status_code == 404, url
            assert without_csrf_token(response.content) == expected[kind], url


def test_a_withdrawn_document_is_gone_with_no_word_of_it(client, search_index):
    """Once public, now withdrawn: 410 at each of its addresses, and nothing of it anywhere."""
    public = make_meeting(year=2021, seq=15)
    withdrawn = hidden_document("撤", Meeting.Status.REVIEW, Meeting.Disclosure.PUBLIC)
    withdrawn.publish()
    withdrawn.withdraw()
    assert drain()
    for url in [
        withdrawn.get_absolute_url(),
        reverse("minutes:meeting-detail", args=[withdrawn.pk]),
        reverse("minutes:meeting-text", args=[withdrawn.pk]),
        reverse("minutes:meeting-source", args=[withdrawn.pk]),
        reverse("minutes:api-meeting-detail", args=[withdrawn.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 410, url
        assert not traces(response.content.decode(), url), url
    pages, errors = crawl(client)
    assert errors == []
    assert public.get_absolute_url() in pages
    assert [url for url, body in pages.items() if traces(body, url)] == []
    leaked = [
        url
        for url in public_urls([withdrawn])
        if traces(client.get(url, follow=True).content.decode(errors="replace"), url)
    ]
    assert leaked == []


def test_counts_are_those_of_the_public_documents(client, archive):
    assert client.get(reverse("minutes:api-meeting-list")).json()["count"] == 1
    assert client.get(reverse("minutes:meeting-list")).context["paginator"].count == 1


def test_staff_see_every_hidden_document_with_its_status(staff_client, archive):
    _public, hidden = archive
    for meeting in hidden:
        page = staff_client.get(meeting.get_absolute_url()).content.decode()
        assert SECRET in page
        assert f"status-{meeting.status}" in page


def test_withdrawing_the_last_document_of_a_year_takes_the_year_off_the_public_lists(client):
    make_meeting(year=2021, seq=1)
    lone = make_meeting(year=2019, seq=1, meeting_date=datetime.date(2019, 6, 1))
    assert 2019 in client.get(reverse("minutes:home")).context["years"]
    lone.withdraw()
    assert client.get(reverse("minutes:home")).context["years"] == [2021]
    assert client.get(reverse("minutes:meeting-list")).context["years"] == [2021]


def test_a_year_only_staff_can_see_reaches_the_public_list_when_published(client, staff_client):
    make_meeting(year=2021, seq=1)
    draft = make_meeting(
        year=2018, seq=1, meeting_date=datetime.date(2018, 6, 1), status=Meeting.Status.REVIEW
    )
    assert staff_client.get(reverse("minutes:home")).context["years"] == [2021, 2018]
    assert client.get(reverse("minutes:home")).context["years"] == [2021]
    draft.publish()
    assert client.get(reverse("minutes:home")).context["years"] == [2021, 2018]
