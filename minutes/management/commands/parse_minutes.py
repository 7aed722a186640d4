import json
import sys

from django.core.management import BaseCommand

from minutes.parsing import ParseError, parse
from minutes.readers import ReadError, read_text_file


class Command(BaseCommand):
    help = "Parse one minutes file (.txt, .docx, .pdf) and print its structure."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--json", action="store_true", help="print the gold-file JSON and nothing else"
        )

    def handle(self, *args, **options):
        path = options["file"]
        try:
            parsed = parse(read_text_file(path, path))
        except ReadError as error:
            self.stderr.write(f"{path}:0: {error}")
            sys.exit(1)
        except ParseError as error:
            self.stderr.write(f"{path}:{error.line}: {error.message}")
            sys.exit(1)
        if options["json"]:
            self.stdout.write(json.dumps(parsed.to_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(outline(parsed))
        for warning in parsed.warnings:
            self.stderr.write(f"{path}:{warning.line}: warning: {warning.message}")


def outline(parsed) -> str:
    """A readable outline: header fields, items with their points, attendance, footer."""
    lines = [
        f"{parsed.issuer or '—'} {parsed.kind or ''} {parsed.doc_number or ''}".strip(),
        f"  session: {parsed.session_name or parsed.session_no or '—'}",
        f"  date: {parsed.meeting_date or '—'} {parsed.time_of_day or ''}".rstrip(),
        f"  chair: {parsed.chair_title or ''}{parsed.chair or '—'}",
    ]
    for item in parsed.items:
        lines.append(f"  {item.no}. {item.title}  [{item.kind or '—'}, {item.points} points]")
        for decision in item.decisions:
            label = f"({decision.no})" if decision.no else "-"
            assigned = f"  → {'、'.join(decision.organizations)}" if decision.organizations else ""
            lines.append(f"      {label} {decision.text[:50]}{assigned}")
    if parsed.attendees:
        lines.append("  出席: " + " ".join(a.name or "" for a in parsed.attendees))
    if parsed.observers:
        lines.append(
            "  列席: " + " ".join(f"{o.org or ''}/{o.name or '(代表)'}" for o in parsed.observers)
        )
    for label, value in [
        ("记录", parsed.recorder),
        ("整理", f"{parsed.compiled_office or ''} {parsed.compiled_date or ''}".strip()),
        ("公开", "此件公开发布" if parsed.public else None),
        ("分送", "；".join(parsed.distribution or ())),
        ("印发", f"{parsed.printed_office or ''} {parsed.printed_date or ''}".strip()),
    ]:
        if value:
            lines.append(f"  {label}: {value}")
    return "\n".join(lines)
