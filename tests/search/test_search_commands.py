"""The index commands: rebuild with progress, check and repair."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from minutes.models import Meeting

pytestmark = pytest.mark.django_db


def test_rebuild_shows_progress_and_keeps_visibility(meeting, client, capsys):
    meeting(seq=1)
    meeting(seq=2, status=Meeting.Status.DRAFT)
    call_command("rebuild_index", "--noinput")
    output = capsys.readouterr().out
    assert "public: 1/1 documents" in output and "internal: 2/2 documents" in output
    assert client.get("/api/search/", {"q": "集成电路"}).json()["count"] == 1


def test_check_reports_and_repairs_a_document_the_index_lost(
    meeting, client, capsys, search_engine
):
    meeting(seq=1)
    lost = meeting(seq=2, status=Meeting.Status.REVIEW)
    # Published behind the engine's back: a queryset update sends no signal.
    Meeting.objects.filter(pk=lost.pk).update(status=Meeting.Status.PUBLISHED)
    if search_engine == "postgres":
        # Visibility comes from the live row there: the document is found at once, so the
        # index loses it another way (its rows gone).
        from django.db import connection

        from minutes.search import postgres

        assert client.get("/api/search/", {"q": "集成电路"}).json()["count"] == 2
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {postgres.TEXT} WHERE meeting_id = %s", [lost.pk])
    with pytest.raises(CommandError):
        call_command("check_search_index")
    missing = "postgres" if search_engine == "postgres" else "public"
    assert f"{missing}: 1 missing: [{lost.pk}]" in capsys.readouterr().out
    call_command("check_search_index", "--repair")
    call_command("check_search_index")
    assert "match the database" in capsys.readouterr().out
    assert client.get("/api/search/", {"q": "集成电路"}).json()["count"] == 2
