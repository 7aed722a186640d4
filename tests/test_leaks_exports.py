"""No unpublished word reaches an anonymous reader through an export or a version.

The archive of tests/test_leaks.py (one public document beside a hidden document of every hidden
status and disclosure, each full of a secret word) is read through every export: the PDF and
.docx of each document, the catalogue of every browse and search as CSV and .xlsx, and the
staff's version pages. Exports are read as a reader's program would (the PDF's text layer, the
Word file's paragraphs, the spreadsheet's cells), since a compressed file hides a word from a
plain byte search.
"""

import io
import zipfile
from urllib.parse import unquote

import docx
import pdfplumber
import pytest
from django.urls import reverse

from minutes.models import Decision, DocumentVersion
from minutes.versions import record_version
from tests.test_leaks import SECRET, internal_links, without_csrf_token
from tests.test_leaks import archive as leaks_archive  # noqa: F401 (the fixture, by its name)

pytestmark = pytest.mark.django_db

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def readable_text(response) -> str:
    """What a reader's program shows of a response, whatever its kind."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith(PDF):
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)
    if kind.startswith(DOCX):
        document = docx.Document(io.BytesIO(content))
        parts = [paragraph.text for paragraph in document.paragraphs]
        parts += [document.core_properties.title, document.core_properties.author]
        return "\n".join(parts)
    if kind.startswith(XLSX):
        with zipfile.ZipFile(io.BytesIO(content)) as workbook:
            return "\n".join(
                workbook.read(name).decode()
                for name in workbook.namelist()
                if name.endswith(".xml")
            )
    return content.decode("utf-8", errors="replace")


def leaks(response, url: str) -> bool:
    return SECRET in readable_text(response).replace(unquote(url), "")


def export_urls(meetings) -> list[str]:
    """Every export and version address of these documents, and the catalogue of every list."""
    urls = []
    for meeting in meetings:
        urls += [
            reverse("minutes:meeting-pdf", args=[meeting.pk]),
            reverse("minutes:meeting-docx", args=[meeting.pk]),
            reverse("minutes:meeting-versions", args=[meeting.pk]),
            reverse("minutes:meeting-version-diff", args=[meeting.pk]),
            reverse("minutes:meeting-version-diff", args=[meeting.pk]) + "?from=1&to=2&all=1",
            reverse("minutes:meeting-version-diff", args=[meeting.pk]) + "?from=2&to=3",
        ]
        for file_format in ("csv", "xlsx"):
            catalogue = reverse("minutes:catalogue-export", args=[file_format])
            urls += [
                catalogue,
                f"{catalogue}?issuer={meeting.issuer_id}",
                f"{catalogue}?year={meeting.year}",
                f"{catalogue}?year={meeting.year}&kind={meeting.kind}&issuer={meeting.issuer_id}",
            ]
    for file_format in ("csv", "xlsx"):
        search = reverse("minutes:search-export", args=[file_format])
        urls += [
            f"{search}?q={SECRET[:2]}",
            f"{search}?q={SECRET}",
            f'{search}?q="{SECRET[:2]}"',
            f"{search}?q=市",
            f"{search}?q=市&sort=newest",
            f"{search}?q=市&date_from=2000-01-01&date_to=2030-12-31",
            f"{search}?organization={SECRET}0局",
            f"{search}?person={SECRET}乙",
        ]
    return urls


@pytest.fixture
def versioned(request):
    """The archive with a version of every document, as committed saves would have kept."""
    public, hidden = request.getfixturevalue("leaks_archive")
    for meeting in [public, *hidden]:
        record_version(meeting.pk)
    # The public document had a draft with a word that was struck before it was published: its
    # versions hold that word, which must stay with the staff.
    decision = Decision.objects.filter(agenda_item__meeting=public).first()
    published_text = decision.text
    decision.text = f"{SECRET}草稿中删去的议定"
    decision.save()
    record_version(public.pk)
    decision.text = published_text
    decision.save()
    record_version(public.pk)
    assert DocumentVersion.objects.count() == 3 + len(hidden)
    return public, hidden


def test_no_export_or_version_address_shows_a_hidden_word(client, versioned):
    public, hidden = versioned
    client.raise_request_exception = False
    leaked = []
    for url in export_urls([public, *hidden]):
        response = client.get(url, follow=True)
        assert response.status_code < 500, url
        if leaks(response, url):
            leaked.append(url)
    assert leaked == []


def test_hidden_documents_exports_are_the_same_404_as_a_document_that_never_existed(
    client, versioned
):
    _public, hidden = versioned
    for name in ("minutes:meeting-pdf", "minutes:meeting-docx"):
        never = client.get(reverse(name, args=[999_999]))
        assert never.status_code == 404
        for meeting in hidden:
            response = client.get(reverse(name, args=[meeting.pk]))
            assert response.status_code == 404
            assert without_csrf_token(response.content) == without_csrf_token(never.content)


def test_the_public_gets_the_public_documents_exports_and_its_catalogue_row_only(client, versioned):
    public, _hidden = versioned
    pdf = client.get(reverse("minutes:meeting-pdf", args=[public.pk]))
    assert pdf.status_code == 200 and public.opening[:20] in readable_text(pdf).replace("\n", "")
    catalogue = readable_text(client.get(reverse("minutes:catalogue-export", args=["csv"])))
    assert catalogue.count("\n") == 2  # the header and the public document
    assert public.doc_number in catalogue
    assert "草稿" not in catalogue and "状态" not in catalogue


def test_version_pages_send_everyone_but_staff_to_sign_in_without_a_word_of_the_document(
    client, versioned, django_user_model
):
    public, hidden = versioned
    reader = django_user_model.objects.create_user(username="reader", password="pw-not-staff")
    signed_in = client.__class__()
    signed_in.force_login(reader)
    for browser in (client, signed_in):
        for meeting in [public, *hidden]:
            for name in ("minutes:meeting-versions", "minutes:meeting-version-diff"):
                response = browser.get(reverse(name, args=[meeting.pk]))
                assert response.status_code == 302
                assert response["Location"].startswith(reverse("admin:login"))
                assert SECRET not in response.content.decode()
                assert public.title not in response.content.decode()


def test_staff_read_hidden_documents_exports_and_versions(staff_client, versioned):
    _public, hidden = versioned
    for meeting in hidden[::3]:  # each status once (a PDF takes half a second)
        for name in ("minutes:meeting-pdf", "minutes:meeting-docx", "minutes:meeting-version-diff"):
            response = staff_client.get(reverse(name, args=[meeting.pk]), {"all": 1})
            assert response.status_code == 200
            assert SECRET in readable_text(response)
    catalogue = readable_text(staff_client.get(reverse("minutes:catalogue-export", args=["xlsx"])))
    assert catalogue.count(SECRET) >= len(hidden)


def test_a_crawler_following_every_download_link_finds_no_hidden_word(client, versioned):
    """From home, every link a reader can follow, downloads included, read as a reader would."""
    public, _hidden = versioned
    client.raise_request_exception = False
    seen: dict[str, str] = {}
    search = reverse("minutes:search")
    queue = ["/", f"{search}?q=市", f"{search}?q={SECRET[:2]}", f"{search}?q=市&year=2021"]
    while queue:
        url = queue.pop()
        if url in seen or len(seen) > 500:
            continue
        response = client.get(url, follow=True)
        assert response.status_code < 500, url
        seen[url] = readable_text(response)
        if response.get("Content-Type", "").startswith("text/html"):
            # The pages that offer downloads and the downloads themselves; test_leaks.py walks
            # the people, organisations, feeds, API and the search facets' combinations.
            links = internal_links(seen[url], url) - seen.keys()
            queue.extend(link for link in links if link.startswith(("/minutes/", "/search/export")))
    downloads = [url for url in seen if "/pdf/" in url or "/docx/" in url or "export." in url]
    assert reverse("minutes:meeting-pdf", args=[public.pk]) in downloads
    assert reverse("minutes:meeting-docx", args=[public.pk]) in downloads
    assert any(url.startswith("/minutes/export.xlsx") for url in downloads)
    assert any(url.startswith("/search/export.csv") for url in downloads)
    assert [url for url, text in seen.items() if SECRET in text.replace(unquote(url), "")] == []
