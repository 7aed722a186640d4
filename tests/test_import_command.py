"""python manage.py import_minutes / parse_minutes: files and folders, atomic, honest exit status."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from minutes.models import AgendaItem, Attendance, Meeting, Organization
from tests.corpus import (
    CORPUS_DIR,
    comparable,
    corpus_gold,
    corpus_names,
    corpus_path,
    corpus_text,
)

ROOT = Path(__file__).resolve().parent.parent


def run_command(*args):
    """The command as a clerk runs it, in its own process, for exit status and streams."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("name", corpus_names())
def test_parse_minutes_json_prints_exactly_the_gold_schema(name):
    result = run_command("parse_minutes", str(corpus_path(name)), "--json")
    assert result.returncode == 0, result.stderr
    assert comparable(json.loads(result.stdout)) == comparable(corpus_gold(name))


def test_parse_minutes_outline_is_readable():
    result = run_command("parse_minutes", str(CORPUS_DIR / "docs" / "suzhou-2021-15.txt"))
    assert result.returncode == 0
    assert "〔2021〕15号" in result.stdout
    assert "市纪委监委/王虎" in result.stdout


def test_parse_minutes_bad_input_exits_1_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("这不是会议纪要。\n只是一段普通的文字。\n", encoding="utf-8")
    result = run_command("parse_minutes", str(bad), "--json")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"{bad}:")
    line = result.stderr.split(":")[1]
    assert line.isdigit()


@pytest.mark.django_db
def test_import_minutes_takes_a_folder_and_summarises(tmp_path, capsys):
    for name in corpus_names():
        (tmp_path / f"{name}.txt").write_text(corpus_text(name), encoding="utf-8")
    call_command("import_minutes", str(tmp_path))
    out = capsys.readouterr()
    assert f"Imported {len(corpus_names())}, replaced 0, failed 0." in out.out
    assert f"[{len(corpus_names())}/{len(corpus_names())}]" in out.err
    assert Meeting.objects.count() == len(corpus_names())
    assert set(Meeting.objects.values_list("status", flat=True)) == {Meeting.Status.DRAFT}


@pytest.mark.django_db
def test_import_minutes_refuses_an_existing_doc_number_unless_replace(tmp_path, capsys):
    seed = tmp_path / "seed.txt"
    seed.write_text(corpus_text("suzhou-2021-15"), encoding="utf-8")
    call_command("import_minutes", str(seed), "--publish")
    first = Meeting.objects.get()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_minutes", str(seed))
    assert exit_info.value.code == 1
    assert "already exists" in capsys.readouterr().out

    # A published document is not replaced behind the reviewers' backs...
    with pytest.raises(SystemExit):
        call_command("import_minutes", str(seed), "--replace")
    assert "withdraw it or send it back before replacing it" in capsys.readouterr().out

    # ...but an operator may replace and publish at once.
    call_command("import_minutes", str(seed), "--replace", "--publish")
    assert "replaced 1" in capsys.readouterr().out
    replaced = Meeting.objects.get()
    assert replaced.pk == first.pk
    assert replaced.status == Meeting.Status.PUBLISHED
    assert replaced.items.count() == 7


@pytest.mark.django_db
def test_import_minutes_dry_run_saves_nothing(tmp_path, capsys):
    seed = tmp_path / "seed.txt"
    seed.write_text(corpus_text("suzhou-2021-15"), encoding="utf-8")
    call_command("import_minutes", str(seed), "--dry-run")
    assert "Imported 1, replaced 0, failed 0 (dry run: nothing saved)." in capsys.readouterr().out
    assert Meeting.objects.count() == 0
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_a_failing_file_leaves_no_rows_and_the_others_are_imported(tmp_path, capsys):
    (tmp_path / "a-good.txt").write_text(corpus_text("suzhou-2021-15"), encoding="utf-8")
    (tmp_path / "b-bad.txt").write_text("完全无关的文字\n", encoding="utf-8")
    (tmp_path / "c-binary.pdf").write_bytes(b"\x00\x01 not a pdf")
    with pytest.raises(SystemExit):
        call_command("import_minutes", str(tmp_path))
    out = capsys.readouterr().out
    assert "Imported 1, replaced 0, failed 2." in out
    assert "b-bad.txt:" in out and "c-binary.pdf" in out
    assert Meeting.objects.count() == 1


@pytest.mark.django_db
def test_an_import_failing_midway_leaves_no_rows(monkeypatch):
    """A database error after the meeting row is written rolls the whole document back."""
    from minutes import importing
    from minutes.parsing import parse

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "_save_attendance", explode)
    with pytest.raises(RuntimeError):
        importing.import_parsed(parse(corpus_text("suzhou-2021-15")))
    assert Meeting.objects.count() == 0
    assert AgendaItem.objects.count() == 0
    assert Attendance.objects.count() == 0
    assert Organization.objects.count() == 0
