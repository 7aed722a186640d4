"""导入纪要 on the minutes admin: paste or upload -> preview -> saved as a draft.

The text waits on the server between the preview and the save (``minutes.incoming``): the
preview page carries only a token and the clerk's choices, so any size the import takes
saves, and the page stays small whatever the size of the text (the structure and the source
lines are shown in bounded parts, the rest a page at a time).
"""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.core.files import File
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import DatabaseError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from minutes import incoming, organizations
from minutes.forms import ImportChoicesForm, ImportForm, NameIssuerForm, known_issuers, size_label
from minutes.importing import (
    DuplicateDocument,
    IssuerSource,
    NotEditable,
    plan_import,
    save_plan,
)

# What one preview page shows at most, so that its size is bounded whatever the text's.
HEAD_LINES = 200  # the first lines of the source
CONTEXT_LINES = 2  # lines shown before and after a warned line
WARNINGS_SHOWN = 100  # warnings listed (and their lines shown) per page
ITEMS_SHOWN = 60  # agenda items listed
DECISIONS_SHOWN = 8  # decisions listed per item
SOURCE_PAGE = 500  # source lines per page of the source view
LINE_CHARS = 500  # characters shown of one source line (a PDF without line ends is one line)

# The rows of the preview's table, each with the warning fields shown beside it
# (ParseWarning.field, a key of ParsedMinutes.to_dict()).
ROWS = [
    ("issuer", gettext_lazy("issuer"), ("issuer",)),
    ("kind", gettext_lazy("kind"), ("kind",)),
    ("doc_number", gettext_lazy("document number"), ("doc_number", "year", "seq")),
    ("session", gettext_lazy("session"), ("session_no", "session_name")),
    ("meeting_date", gettext_lazy("meeting date"), ("meeting_date", "time_of_day")),
    ("chair", gettext_lazy("chair"), ("chair", "chair_title")),
    ("place", gettext_lazy("place"), ("place",)),
    ("attendees", gettext_lazy("Present"), ("attendees",)),
    ("observers", gettext_lazy("Attending as observers"), ("observers",)),
    ("recorder", gettext_lazy("Recorder"), ("recorder",)),
    ("compiled", gettext_lazy("compiled on"), ("compiled_date", "compiled_office")),
    ("public", gettext_lazy("disclosure"), ("public",)),
    ("distribution", gettext_lazy("Distributed to"), ("distribution",)),
    ("printed", gettext_lazy("printed on"), ("printed_date", "printed_office")),
]
ITEM_FIELDS = ("items", "decisions", "reviewed")


class UploadLimit(FileUploadHandler):
    """Stops reading an uploaded file past the import's limit.

    The form then says so (no 413, no gigabytes written to a temporary file); the rest of
    the request is read and dropped, so the browser gets the answer.
    """

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.oversized_upload = self.file_name
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def discard_body(request) -> None:
    """Read what is left of a request that was refused, so the browser sees the answer."""
    try:
        while request.read(1 << 16):
            pass
    except OSError:
        pass


class ImportMinutesAdmin:
    """The import pages and the issuer action, mixed into MeetingAdmin."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "import/",
                view(csrf_exempt(self.import_view)),
                name="minutes_meeting_import",
            ),
            path(
                "import/<str:token>/",
                view(self.import_preview_view),
                name="minutes_meeting_import_preview",
            ),
            path(
                "import/<str:token>/source/",
                view(self.import_source_view),
                name="minutes_meeting_import_source",
            ),
            *super().get_urls(),
        ]

    # --- 1. Paste or upload.
    def import_view(self, request):
        """Paste or upload; a text that parses waits on the server, and its preview opens.

        Exempt from the CSRF middleware only so that the upload limit is in place before the
        body is read (Django's recipe for changing upload handlers); the CSRF check runs
        right after, in ``_import_upload``.
        """
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            request.upload_handlers.insert(
                0, UploadLimit(request, settings.MINUTES_IMPORT_MAX_BYTES)
            )
            try:
                request.POST  # noqa: B018 (reads the body under the limit)
            except RequestDataTooBig:
                discard_body(request)
                return self._upload_page(
                    request,
                    ImportForm(),
                    error=_(
                        "The pasted text is larger than %(paste)s: save it as a .txt file and "
                        "upload it (files up to %(size)s)."
                    )
                    % {
                        "paste": size_label(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
                        "size": size_label(settings.MINUTES_IMPORT_MAX_BYTES),
                    },
                )
        return csrf_protect(self._import_upload)(request)

    def _import_upload(self, request):
        posted = request.method == "POST"
        form = ImportForm(
            request.POST if posted else None,
            request.FILES if posted else None,
            oversized=getattr(request, "oversized_upload", None),
        )
        if posted and form.is_valid():
            waiting = incoming.create(
                owner=request.user.pk,
                text=form.cleaned_data["text"],
                parsed=form.cleaned_data["parsed"],
                upload=form.cleaned_data.get("file"),
                choices=form.choices,
            )
            return redirect("admin:minutes_meeting_import_preview", waiting.token)
        return self._upload_page(request, form)

    def _upload_page(self, request, form, error=None):
        return TemplateResponse(
            request,
            "admin/minutes/meeting/import.html",
            self._context(request, _("Import minutes"))
            | {
                "form": form,
                "error": error,
                "limits": import_limits(),
                "known_issuers": known_issuers(),
            },
        )

    # --- 2. Preview, choices, save.
    def import_preview_view(self, request, token):
        """The preview of a waiting import; its form changes the choices or saves it."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        try:
            waiting = incoming.open_for(token, request.user)
        except incoming.Expired:
            return self._expired(request)
        form = ImportChoicesForm(request.POST or None, initial=waiting.choices)
        parsed = waiting.parsed()
        if request.method == "POST" and form.is_valid():
            waiting.save_choices(form.choices)
            if "save" not in request.POST:
                return redirect("admin:minutes_meeting_import_preview", token)
            saved = self._save(request, waiting, parsed, form)
            if saved:
                return saved
        plan = plan_import(parsed, **waiting.choices)
        return TemplateResponse(
            request,
            "admin/minutes/meeting/import_preview.html",
            self._context(request, _("Preview of the import"))
            | preview_context(plan, waiting)
            | {"form": form, "known_issuers": known_issuers()},
        )

    def _save(self, request, waiting, parsed, form):
        """Save the import as previewed; None (with the reason on the form) if it cannot be."""
        plan = plan_import(parsed, **form.choices)
        if plan.problems:
            return None  # the page shows them, at the top and beside their fields
        try:
            with waiting.claimed():
                original = waiting.original
                with original.open("rb") if original else contextlib.nullcontext() as handle:
                    result = save_plan(
                        plan,
                        source_text=waiting.text,
                        source_file=File(handle, name=waiting.filename) if handle else None,
                    )
                waiting.discard()
        except incoming.Expired:
            return self._expired(request)
        except (DuplicateDocument, NotEditable) as error:
            form.add_error(None, str(error))
            return None
        except ValidationError as error:
            form.add_error(None, error.messages)
            return None
        except DatabaseError as error:
            # Another import saved the same 文号 between our check and our insert.
            form.add_error(None, _("The document could not be saved; nothing was kept: %s") % error)
            return None
        meeting = result.meeting
        if result.replaced:
            self.log_change(request, meeting, _("Replaced by an import"))
        else:
            self.log_addition(request, meeting, [{"added": {}}])
        messages.success(
            request,
            (_("Replaced: %s") if result.replaced else _("Imported as a draft: %s")) % meeting,
        )
        return redirect(reverse("admin:minutes_meeting_change", args=[meeting.pk]))

    def _expired(self, request):
        messages.error(
            request,
            _(
                "This import is no longer waiting: it was saved, it expired (imports wait "
                "%(hours)s hours), or it is another user's. Paste or upload the text again."
            )
            % {"hours": settings.MINUTES_IMPORT_EXPIRY_HOURS},
        )
        return redirect("admin:minutes_meeting_import")

    # --- 3. The source a page at a time.
    def import_source_view(self, request, token):
        if not self.has_add_permission(request):
            raise PermissionDenied
        try:
            waiting = incoming.open_for(token, request.user)
        except incoming.Expired:
            return self._expired(request)
        lines = waiting.text.splitlines()
        try:
            start = max(1, min(int(request.GET.get("start", 1)), len(lines)))
        except ValueError:
            start = 1
        end = min(start + SOURCE_PAGE - 1, len(lines))
        by_line = warnings_by_line(waiting.parsed().warnings)
        return TemplateResponse(
            request,
            "admin/minutes/meeting/import_source.html",
            self._context(request, _("Source text"))
            | {
                "token": token,
                "lines": [
                    {"number": number, "warnings": by_line.get(number, [])}
                    | clipped(lines[number - 1], LINE_CHARS * 10)
                    for number in range(start, end + 1)
                ],
                "start": start,
                "end": end,
                "total": len(lines),
                "previous": max(1, start - SOURCE_PAGE) if start > 1 else None,
                "next": end + 1 if end < len(lines) else None,
            },
        )

    def _context(self, request, title):
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title}

    # --- Documents without an issuer.
    def has_name_issuer_permission(self, request):
        return request.user.has_perm("minutes.change_meeting") or request.user.has_perm(
            "minutes.publish_meeting"
        )

    @admin.action(
        description=gettext_lazy("Name the issuer of documents that have none"),
        permissions=["name_issuer"],
    )
    def name_issuer_selected(self, request, queryset):
        form = NameIssuerForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            result = organizations.name_issuer(
                queryset, form.cleaned_data["issuer"], by=request.user
            )
            if result.named:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d document now names its issuer, %(issuer)s.",
                        "%(count)d documents now name their issuer, %(issuer)s.",
                        len(result.named),
                    )
                    % {"count": len(result.named), "issuer": form.cleaned_data["issuer"]},
                    messages.SUCCESS,
                )
            for meeting, reason in result.skipped:
                self.message_user(
                    request,
                    _("%(doc)s left as it is: %(reason)s.") % {"doc": meeting, "reason": reason},
                    messages.WARNING,
                )
            return None
        return TemplateResponse(
            request,
            "admin/minutes/meeting/import_name_issuer.html",
            self._context(request, _("Name the issuer"))
            | {
                "form": form,
                "meetings": queryset.select_related("issuer"),
                "known_issuers": known_issuers(),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


def import_limits() -> dict:
    return {
        "file": size_label(settings.MINUTES_IMPORT_MAX_BYTES),
        "paste": size_label(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
        "hours": settings.MINUTES_IMPORT_EXPIRY_HOURS,
    }


def warnings_by_line(warnings) -> dict[int, list[str]]:
    by_line: dict[int, list[str]] = {}
    for warning in warnings:
        by_line.setdefault(warning.line, []).append(warning.message)
    return by_line


def preview_context(plan, waiting) -> dict:
    """What the preview shows, each part bounded so the page stays small for any text."""
    parsed = plan.parsed
    warnings = list(parsed.warnings)
    fields_of_rows = {field for _key, _label, fields in ROWS for field in fields}
    values = row_values(plan)
    rows = [
        {
            "key": key,
            "label": label,
            "value": values[key],
            "warnings": [w for w in warnings if w.field in fields][:WARNINGS_SHOWN],
            "problems": [note.message for note in plan.problems if note.field in fields],
            "notes": [note.message for note in plan.notes if note.field in fields],
        }
        for key, label, fields in ROWS
    ]
    general = [w for w in warnings if w.field not in fields_of_rows and w.field not in ITEM_FIELDS]
    text = waiting.text
    lines = text.splitlines()
    excerpt = source_excerpt(lines, warnings)
    return {
        "token": waiting.token,
        "waiting": waiting,
        "plan": plan,
        "parsed": parsed,
        "rows": rows,
        "item_warnings": [w for w in warnings if w.field in ITEM_FIELDS][:WARNINGS_SHOWN],
        "general_warnings": general[:WARNINGS_SHOWN],
        "warning_count": len(warnings),
        "warnings_cut": len(warnings) > WARNINGS_SHOWN,
        "items": [
            (item, item.decisions[:DECISIONS_SHOWN], len(item.decisions) - DECISIONS_SHOWN)
            for item in parsed.items[:ITEMS_SHOWN]
        ],
        "items_cut": max(0, len(parsed.items) - ITEMS_SHOWN),
        "decision_count": sum(len(item.decisions) for item in parsed.items),
        "point_count": sum(item.points for item in parsed.items),
        "found": found_parts(plan),
        "excerpt": excerpt,
        "shown_lines": {part["number"] for part in excerpt if "number" in part},
        "line_count": len(lines),
        "size": size_label(len(text.encode("utf-8"))),
        "limits": import_limits(),
    }


def clipped(line: str, limit: int) -> dict:
    """A source line cut to ``limit`` characters, with how many were left out."""
    return {"text": line[:limit], "cut": max(0, len(line) - limit)}


def source_excerpt(lines: list[str], warnings) -> list[dict]:
    """The source lines worth showing: the first ``HEAD_LINES`` and a few around each of the
    first ``WARNINGS_SHOWN`` warnings; each gap between them is one entry with its range, so
    the page can link to the source view there."""
    by_line = warnings_by_line(warnings)
    shown = set(range(1, min(HEAD_LINES, len(lines)) + 1))
    for line in sorted(by_line)[:WARNINGS_SHOWN]:
        shown.update(range(max(1, line - CONTEXT_LINES), min(len(lines), line + CONTEXT_LINES) + 1))
    parts: list[dict] = []
    previous = 0
    for number in sorted(shown):
        if number > previous + 1:
            parts.append({"gap": (previous + 1, number - 1)})
        parts.append(
            {"number": number, "warnings": by_line.get(number, [])}
            | clipped(lines[number - 1], LINE_CHARS)
        )
        previous = number
    if previous < len(lines):
        parts.append({"gap": (previous + 1, len(lines))})
    return parts


NAMES_SHOWN = 100  # attendees, observers and recipients listed


def _listed(names) -> str:
    names = list(names or ())
    more = len(names) - NAMES_SHOWN
    shown = "、".join(names[:NAMES_SHOWN])
    return shown + (_("… and %(count)d more") % {"count": more} if more > 0 else "")


def _date(value) -> str:
    return value.isoformat() if value else ""


def row_values(plan) -> dict:
    """The value of each row of the preview's table, as text ("" when the text has none)."""
    parsed = plan.parsed
    sources = {
        IssuerSource.TEXT: _("named in the text"),
        IssuerSource.CLERK: _("named by you"),
        IssuerSource.DEFAULT: _("the archive's default issuer"),
    }
    issuer = f"{parsed.issuer}（{sources[plan.issuer_source]}）" if parsed.issuer else ""
    observers = [
        f"{o.org or ''}{'／' if o.org and o.name else ''}{o.name or _('(representative)')}"
        for o in parsed.observers or ()
    ]
    return {
        "issuer": issuer,
        "kind": parsed.kind or "",
        "doc_number": parsed.doc_number or "",
        "session": parsed.session_name or (str(parsed.session_no) if parsed.session_no else ""),
        "meeting_date": " ".join(filter(None, [_date(parsed.meeting_date), parsed.time_of_day])),
        "chair": "".join(filter(None, [parsed.chair_title, parsed.chair])),
        "place": parsed.place or "",
        "attendees": _listed(a.name or a.org for a in parsed.attendees or ()),
        "observers": _listed(observers),
        "recorder": parsed.recorder or "",
        "compiled": " ".join(filter(None, [parsed.compiled_office, _date(parsed.compiled_date)])),
        "public": _("The source says 此件公开发布") if parsed.public else "",
        "distribution": _listed(parsed.distribution),
        "printed": " ".join(filter(None, [parsed.printed_office, _date(parsed.printed_date)])),
    }


def found_parts(plan) -> list[str]:
    """The summary's "found" line: the parts a clerk checks first, with their values."""
    parsed = plan.parsed
    found = []
    if parsed.issuer:
        found.append(_("issuer %(issuer)s") % {"issuer": parsed.issuer})
    if parsed.doc_number:
        found.append(_("document number %(doc)s") % {"doc": parsed.doc_number})
    if parsed.meeting_date:
        found.append(_("meeting date %(date)s") % {"date": parsed.meeting_date.isoformat()})
    if parsed.chair:
        found.append(_("chair %(chair)s") % {"chair": parsed.chair})
    if parsed.items:
        decisions = sum(len(item.decisions) for item in parsed.items)
        found.append(
            ngettext("%(count)d agenda item", "%(count)d agenda items", len(parsed.items))
            % {"count": len(parsed.items)}
            + ngettext(" with %(count)d decision", " with %(count)d decisions", decisions)
            % {"count": decisions}
        )
    if parsed.attendees:
        count = len(parsed.attendees)
        found.append(
            ngettext("%(count)d attendee", "%(count)d attendees", count) % {"count": count}
        )
    if parsed.observers:
        count = len(parsed.observers)
        found.append(
            ngettext("%(count)d observer", "%(count)d observers", count) % {"count": count}
        )
    return found
