"""Nothing of the follow-up reaches an anonymous reader: no task, progress, note, due date,
handler or attachment, by any page, the document page included, API, feed, sitemap, search
or statistic. The leak test's archive (tests/test_leaks.py) gets tasks full of secret words.
"""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minutes import followup
from minutes.models import Meeting, Organization, Task, TaskEntry
from tests.followup_helpers import make_handler, make_supervisor
from tests.test_leaks import (  # noqa: F401 — archive is a fixture used below
    SECRET,
    archive,
    crawl,
    traces,
)

pytestmark = pytest.mark.django_db

TASK_SECRET = "督办密语"


@pytest.fixture
def followed(archive, django_user_model, tmp_path, settings):  # noqa: F811
    """Every task of the archive worked on, each step carrying a secret word."""
    settings.DATA_DIR = tmp_path / "data"
    public, hidden = archive
    supervisor = make_supervisor(django_user_model, first_name=f"{TASK_SECRET}督查员")
    handlers = {}
    tasks = list(Task.objects.select_related("organization").order_by("pk"))
    assert {task.meeting_id for task in tasks} >= {public.pk}
    assert any(
        task.meeting.status == Meeting.Status.PUBLISHED and not task.meeting.is_public
        for task in tasks
    )
    for number, task in enumerate(tasks):
        name = task.organization.name
        if name not in handlers:
            handlers[name] = make_handler(
                django_user_model,
                name,
                username=f"handler{number}",
                first_name=f"{TASK_SECRET}承办人{number}",
            )
        word = f"{TASK_SECRET}{number}"
        followup.set_due_date(
            task, by=supervisor, due_date=datetime.date(2031, 1, 1), note=f"{word}时限"
        )
        followup.add_progress(
            task,
            by=handlers[name],
            text=f"{word}进展",
            attachment=SimpleUploadedFile(f"{word}.pdf", f"%PDF {word}".encode()),
            report=True,
        )
        if number % 2:
            followup.return_task(task, by=supervisor, reason=f"{word}退回")
        else:
            followup.close(task, by=supervisor, outcome="done", note=f"{word}办结")
    return public, hidden, tasks


def leaks(body: str, url: str) -> bool:
    return TASK_SECRET in body.replace(url, "") or traces(body, url)


def followup_urls(tasks) -> list[str]:
    urls = [
        reverse("minutes:task-list"),
        reverse("minutes:task-list") + "?status=done",
        reverse("minutes:task-export"),
        reverse("minutes:task-export") + "?overdue=on",
    ]
    for task in tasks:
        urls += [
            task.get_absolute_url(),
            reverse("minutes:task-list") + f"?meeting={task.meeting_id}",
            reverse("minutes:organization-tasks", args=[task.organization_id]),
        ]
    for entry in TaskEntry.objects.exclude(attachment=""):
        urls.append(reverse("minutes:task-attachment", args=[entry.pk]))
    return urls


def test_the_crawler_from_home_and_from_the_statistics_finds_no_task_word(client, followed):
    public, _hidden, _tasks = followed
    for start in ("/", reverse("minutes:statistics")):
        pages, errors = crawl(client, start)
        assert errors == []
        assert public.get_absolute_url() in pages
        assert reverse("minutes:statistics") in pages
        assert [url for url, body in pages.items() if leaks(body, url)] == []
        assert not [url for url in pages if url.startswith("/followup/")]


def test_every_follow_up_address_sends_an_outsider_to_sign_in_and_shows_nothing(
    client, followed, django_user_model
):
    _public, _hidden, tasks = followed
    outsider = django_user_model.objects.create_user("outsider", password="pw-for-tests-only")
    signed_in_outsider = type(client)()
    signed_in_outsider.force_login(outsider)
    for visitor in (client, signed_in_outsider):
        for url in followup_urls(tasks):
            response = visitor.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("admin:login")), url
            landed = visitor.get(url, follow=True)
            assert not leaks(landed.content.decode(), url), url
        for task in tasks[:3]:
            for action in followup.ACTIONS:
                url = reverse("minutes:task-action", args=[task.pk, action])
                response = visitor.post(url, {"text": "x", "reason": "x", "close-outcome": "done"})
                assert response.status_code == 302, url
    assert TaskEntry.objects.filter(text="x").count() == 0


def test_the_public_document_page_shows_no_task_even_right_after_staff_read_it(
    client, staff_client, followed
):
    public, _hidden, tasks = followed
    staff_page = staff_client.get(public.get_absolute_url()).content.decode()
    assert "document-tasks" in staff_page and "/followup/tasks/" in staff_page

    reader_page = client.get(public.get_absolute_url()).content.decode()
    assert "document-tasks" not in reader_page
    assert "/followup/" not in reader_page
    assert not leaks(reader_page, public.get_absolute_url())
    for status in dict(Task.Status.choices).values():
        assert f">{status}<" not in reader_page


def test_api_feeds_sitemap_and_search_hold_no_task_word(client, followed):
    public, _hidden, _tasks = followed
    urls = [
        reverse("minutes:api-meeting-list"),
        reverse("minutes:api-meeting-detail", args=[public.pk]),
        reverse("minutes:meeting-text", args=[public.pk]),
        reverse("minutes:feed-rss"),
        reverse("minutes:feed-atom"),
        "/sitemap.xml",
        reverse("minutes:search") + f"?q={TASK_SECRET}",
        reverse("minutes:api-search") + f"?q={TASK_SECRET}",
        reverse("minutes:search") + "?q=进展",
        reverse("minutes:organization-detail", args=[public.issuer_id]),
    ]
    for organization in Organization.objects.filter(tasks__isnull=False).distinct():
        urls.append(reverse("minutes:organization-detail", args=[organization.pk]))
    client.raise_request_exception = False
    for url in urls:
        body = client.get(url, follow=True).content.decode(errors="replace")
        # A search page repeats the reader's own query; beyond it, nothing.
        body = re.sub(rf"{TASK_SECRET}(?![0-9])", "", body)
        assert not leaks(body, url), url
    assert client.get(reverse("minutes:api-search"), {"q": TASK_SECRET}).json()["count"] == 0


def test_the_public_statistics_show_no_follow_up_figure(client, staff_client, followed):
    public_page = client.get(reverse("minutes:statistics"))
    assert public_page.context["followup"] is None
    html = public_page.content.decode()
    assert 'id="followup"' not in html and "/followup/" not in html
    assert 'id="followup"' in staff_client.get(reverse("minutes:statistics")).content.decode()


def test_the_public_figures_do_not_move_with_the_tasks(client, staff_client, followed):
    before = client.get(reverse("minutes:statistics")).context["figures"]
    task = Task.objects.filter(status=Task.Status.DONE).first()
    followup.reopen(task, by=staff_client.user, reason="再办")
    assert client.get(reverse("minutes:statistics")).context["figures"] == before


def test_attachments_live_outside_every_public_folder(client, followed, settings):
    entry = TaskEntry.objects.exclude(attachment="").first()
    path = entry.attachment.path
    assert path.startswith(str(settings.DATA_DIR / "attachments"))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert not path.startswith(str(settings.STATIC_ROOT))
    assert client.get(f"/media/{entry.attachment.name}").status_code == 404
