import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand
from django.db import DatabaseError, transaction

from minutes.importing import (
    DuplicateDocument,
    NotEditable,
    parse_text,
    plan_import,
    save_plan,
)
from minutes.models import Meeting
from minutes.parsing import ParseError
from minutes.readers import SUPPORTED_SUFFIXES, ReadError, read_text_file


class DryRunRollback(Exception):
    """Raised inside the transaction of a dry run so that nothing is kept."""


class Refused(Exception):
    """The import plan has problems (no issuer, a 文号 already stored): nothing is saved."""


class Command(BaseCommand):
    help = "Import minutes files (.txt, .docx, .pdf) or folders of them, one transaction each."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--publish", action="store_true", help="publish what is imported")
        parser.add_argument(
            "--replace", action="store_true", help="overwrite a stored document with the same 文号"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="parse and check everything, save nothing"
        )
        parser.add_argument(
            "--disclosure",
            choices=Meeting.Disclosure.values,
            help="disclosure class (default: public when the text says 此件公开发布)",
        )
        parser.add_argument(
            "--issuer",
            metavar="NAME",
            help="the issuer, for texts that do not name it; wins over a name in the text "
            "(default for texts naming none: the MINUTES_DEFAULT_ISSUER setting)",
        )

    def handle(self, *args, **options):
        files = collect_files(options["paths"])
        if not files:
            self.stderr.write("No .txt, .docx or .pdf files found.")
            sys.exit(1)
        counts = {"imported": 0, "replaced": 0}
        failures: list[tuple[Path, str]] = []
        hidden: list[Path] = []
        for number, path in enumerate(files, start=1):
            progress = f"[{number}/{len(files)}] {progress_bar(number, len(files))} {path}"
            try:
                outcome, plan = self.import_file(path, options)
            except (
                ReadError,
                ParseError,
                Refused,
                DuplicateDocument,
                NotEditable,
                ValidationError,
                DatabaseError,
            ) as error:
                failures.append((path, describe(path, error)))
                self.stderr.write(f"{progress}: failed")
                continue
            counts[outcome] += 1
            self.stderr.write(f"{progress}: {outcome}")
            self.stdout.write(f"{path}: {plan.visibility.message}")
            if not plan.visibility.public:
                hidden.append(path)
        dry = " (dry run: nothing saved)" if options["dry_run"] else ""
        self.stdout.write(
            f"Imported {counts['imported']}, replaced {counts['replaced']}, "
            f"failed {len(failures)}{dry}."
        )
        for _path, reason in failures:
            self.stdout.write(f"  {reason}")
        if hidden and options["publish"]:
            self.stdout.write(
                f"{len(hidden)} of the published documents are not visible to the public "
                "(not 主动公开; --disclosure public if they may be released):"
            )
            for path in hidden:
                self.stdout.write(f"  {path}")
        if failures:
            sys.exit(1)

    def import_file(self, path: Path, options):
        """Import one file; ("imported" or "replaced", its plan). The parser's warnings and
        the plan's notes go to stderr as they come, ``FILE:LINE: warning: message``."""
        text = read_text_file(path, path.name)
        parsed = parse_text(text)
        for warning in parsed.warnings:
            self.stderr.write(f"{path}:{warning.line}: warning: {warning.message}")
        plan = plan_import(
            parsed,
            issuer=options["issuer"],
            disclosure=options["disclosure"],
            replace=options["replace"],
            status=Meeting.Status.PUBLISHED if options["publish"] else None,
        )
        for note in plan.notes:
            self.stderr.write(f"{path}: note: {note.message}")
        if plan.problems:
            raise Refused(
                " ".join(
                    problem.message + (ISSUER_HINT if problem.field == "issuer" else "")
                    for problem in plan.problems
                )
            )
        try:
            with transaction.atomic():
                result = save_plan(plan, source_text=text)
                if options["dry_run"]:
                    raise DryRunRollback(result)
        except DryRunRollback as rollback:
            result = rollback.args[0]
        return ("replaced" if result.replaced else "imported"), plan


ISSUER_HINT = " (--issuer NAME, or the MINUTES_DEFAULT_ISSUER setting)"


def collect_files(paths: list[str]) -> list[Path]:
    """The files named, and the supported files inside the folders named, in a stable order."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.suffix.lower() in SUPPORTED_SUFFIXES)
            )
        else:
            files.append(path)
    return files


def progress_bar(done: int, total: int, width: int = 20) -> str:
    filled = round(width * done / total)
    return "#" * filled + "." * (width - filled)


def describe(path: Path, error: Exception) -> str:
    if isinstance(error, ParseError):
        return f"{path}:{error.line}: {error.message}"
    if isinstance(error, ValidationError):
        return f"{path}: {'; '.join(error.messages)}"
    return f"{path}: {error}"
