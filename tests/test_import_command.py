"""python manage.py import_minutes / parse_minutes: files and folders, atomic, honest exit status."""

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from minutes.models import AgendaItem, Attendance, Meeting, Organization
from minutes.parsing import parse
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
def test_import_minutes_takes_a_folder_and_summarises(tmp_path, capsys, settings):
    # Three of the five corpus texts do not print their issuer (the copies are web pages).
    settings.MINUTES_DEFAULT_ISSUER = "苏州市人民政府"
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


def more_file(tmp_path, name: str) -> Path:
    """A copy of a document of ../shared/corpus/more/ (other bodies; most name no issuer)."""
    path = tmp_path / f"{name}.txt"
    path.write_text(
        (CORPUS_DIR / "more" / "docs" / f"{name}.txt").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    return path


@pytest.mark.django_db
def test_a_text_naming_no_issuer_fails_until_the_issuer_is_named(tmp_path, capsys):
    path = more_file(tmp_path, "zhonglou-2025-s9")
    with pytest.raises(SystemExit):
        call_command("import_minutes", str(path))
    out = capsys.readouterr().out
    assert f"{path}: The text does not name its issuer" in out
    assert "--issuer NAME" in out
    assert Meeting.objects.count() == 0

    call_command("import_minutes", str(path), "--issuer", "常州市钟楼区人民政府")

    meeting = Meeting.objects.get()
    assert meeting.issuer.name == "常州市钟楼区人民政府"
    assert meeting.title.startswith("常州市钟楼区人民政府")


@pytest.mark.django_db
def test_the_default_issuer_setting_names_the_issuer_a_text_does_not(tmp_path, settings):
    settings.MINUTES_DEFAULT_ISSUER = "宁波市奉化区人民政府"
    call_command("import_minutes", str(more_file(tmp_path, "ningbo-fenghua-2021-s86")))
    assert Meeting.objects.get().issuer.name == "宁波市奉化区人民政府"


@pytest.mark.django_db
def test_an_issuer_given_wins_over_the_texts_with_a_note(tmp_path, capsys):
    path = tmp_path / "suzhou.txt"
    path.write_text(corpus_text("suzhou-2021-15"), encoding="utf-8")
    call_command("import_minutes", str(path), "--issuer", "苏州市政府")
    err = capsys.readouterr().err
    assert f"{path}: note: The text names “苏州市人民政府” as the issuer" in err
    meeting = Meeting.objects.get()
    assert meeting.issuer.name == "苏州市政府"
    assert meeting.get_absolute_url() == (f"/minutes/{meeting.issuer_id}/executive/2021/15/")


@pytest.mark.django_db
def test_warnings_are_printed_per_file_with_their_lines(tmp_path, capsys, monkeypatch):
    from minutes import importing
    from minutes.parsing import ParseWarning

    def parse_with_a_warning(text, **options):
        parsed = parse(text, **options)
        return dataclasses.replace(
            parsed, warnings=(ParseWarning(12, "标题似乎在下一行继续", field="items"),)
        )

    monkeypatch.setattr(importing, "parse", parse_with_a_warning)
    path = tmp_path / "suzhou.txt"
    path.write_text(corpus_text("suzhou-2021-15"), encoding="utf-8")

    call_command("import_minutes", str(path))

    assert f"{path}:12: warning: 标题似乎在下一行继续" in capsys.readouterr().err


@pytest.mark.django_db
def test_the_parsers_own_warnings_reach_the_output(tmp_path, capsys):
    text = corpus_text("suzhou-2021-15").replace(
        "二、审议《苏州市促进新一代", "三、审议《苏州市促进新一代"
    )
    line = (
        text.splitlines().index(
            next(x for x in text.splitlines() if x.startswith("三、审议《苏州市促进新一代"))
        )
        + 1
    )
    path = tmp_path / "skipped.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit):  # two items numbered 三 collide at the save
        call_command("import_minutes", str(path))
    assert re.search(rf"^{re.escape(str(path))}:{line}: warning: ", capsys.readouterr().err, re.M)


@pytest.mark.django_db
def test_each_document_gets_its_visibility_verdict_and_publish_names_the_hidden(tmp_path, capsys):
    public = tmp_path / "a-public.txt"
    public.write_text(corpus_text("suzhou-2021-15"), encoding="utf-8")
    hidden = more_file(tmp_path, "zhonglou-2025-s9")

    call_command(
        "import_minutes", str(public), str(hidden), "--publish", "--issuer", "常州市钟楼区人民政府"
    )

    out = capsys.readouterr().out
    assert f"{public}: Visible to the public: The source says 此件公开发布" in out
    assert (
        f"{hidden}: Published, but not visible to the public: The source does not say "
        "此件公开发布, so the disclosure is “Disclosed on request”." in out
    )
    assert "1 of the published documents are not visible to the public" in out
    assert f"  {hidden}" in out.split("not visible to the public (")[1]
    stored = {m.disclosure for m in Meeting.objects.all()}
    assert stored == {Meeting.Disclosure.PUBLIC, Meeting.Disclosure.ON_REQUEST}
    assert Meeting.objects.published().count() == 1


@pytest.mark.django_db
def test_disclosure_public_does_not_invent_the_disclosure_line(tmp_path):
    path = more_file(tmp_path, "zhonglou-2025-s9")
    call_command(
        "import_minutes",
        str(path),
        "--publish",
        "--disclosure",
        "public",
        "--issuer",
        "常州市钟楼区人民政府",
    )
    meeting = Meeting.objects.get()
    assert meeting.is_public
    assert meeting.source_public is False
    assert "此件公开发布" not in meeting.as_text()

    seed = tmp_path / "seed.txt"
    seed.write_text(corpus_text("suzhou-2021-15"), encoding="utf-8")
    call_command("import_minutes", str(seed), "--disclosure", "not_public")
    kept = Meeting.objects.get(seq=15)
    assert kept.disclosure == Meeting.Disclosure.NOT_PUBLIC
    assert "（此件公开发布）" in kept.as_text()  # what the source said stays said


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.txt", b"", "文本为空"),
        ("binary.txt", b"\x00\x01\x02" * 100, "不是文本文件"),
        ("setup.exe", b"MZ\x90\x00", "格式 .exe 不受支持"),
        (
            "latin1.txt",
            "Protokoll der Sitzung: Bürgermeister".encode("latin-1") + b"\xff\xfe",
            "编码无法识别",
        ),
        ("prose.txt", "今天天气很好，我们去公园散步。\n".encode(), "未找到会议纪要的结构"),
    ],
)
def test_bad_files_fail_with_file_and_reason_and_save_nothing(
    tmp_path, capsys, name, content, expected
):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SystemExit):
        call_command("import_minutes", str(path))
    out = capsys.readouterr().out
    assert "failed 1." in out
    assert str(path) in out and expected in out
    assert Meeting.objects.count() == 0


@pytest.mark.django_db
def test_an_organization_the_archive_knows_is_assigned_though_the_rules_doubt_it(tmp_path):
    name = "长三角生态绿色一体化发展示范区执行委员会办公室"
    path = tmp_path / "shanghai.txt"
    path.write_text(
        "上海市人民政府 专题会议纪要\n〔2022〕9号\n"
        "3月2日上午，副市长王宏主持召开专题会议，研究示范区建设。\n"
        "一、研究示范区建设有关工作\n"
        f"（一）由{name}牵头，抓紧制定实施方案。\n",
        encoding="utf-8",
    )
    call_command("import_minutes", str(path), "--dry-run")
    assert not Organization.objects.filter(name=name).exists()  # doubted: not created
    Organization.objects.create(name=name)
    call_command("import_minutes", str(path))
    decision = Meeting.objects.get().items.get().decisions.get()
    assert [a.organization.name for a in decision.assignments.all()] == [name]
