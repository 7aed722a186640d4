"""The clerk's desk: a whole document entered and corrected on one page."""

import re
import uuid

import nested_admin
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import update_change_reason

from minutes.forms import ImportForm
from minutes.importing import DuplicateDocument, NotEditable, import_parsed
from minutes.models import (
    AgendaItem,
    Assignment,
    Attendance,
    Decision,
    Distribution,
    Meeting,
    Organization,
    Review,
    ReviewedDocument,
    WorkflowError,
)
from minutes.search.analysis import parse_doc_number

# Uploaded sources wait here between the preview and the save.
INCOMING_FILE = re.compile(r"^incoming/[0-9a-f]{32}/[^/]+$")


def meeting_of(obj):
    """The document an inline's parent object belongs to (a meeting, or an item of one)."""
    if isinstance(obj, Meeting):
        return obj
    if isinstance(obj, AgendaItem) and obj.meeting_id:
        return obj.meeting
    if isinstance(obj, Decision) and obj.agenda_item_id:
        return obj.agenda_item.meeting
    return None


class FollowsTheEditingRule:
    """A part of a document is changed only while the document is (Meeting.is_editable)."""

    def _editable(self, obj):
        meeting = meeting_of(obj)
        return meeting is None or meeting.is_editable

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


def all_formsets(formsets):
    """The admin's formsets with the nested ones inside them (items -> decisions -> …)."""
    for formset in formsets:
        yield formset
        for form in formset.forms:
            yield from all_formsets(getattr(form, "nested_formsets", None) or [])


class AssignmentInline(FollowsTheEditingRule, nested_admin.NestedTabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["organization"]
    sortable_field_name = "position"


class DecisionInline(FollowsTheEditingRule, nested_admin.NestedStackedInline):
    model = Decision
    extra = 0
    fields = ["position", "number", "text"]
    sortable_field_name = "position"
    inlines = [AssignmentInline]


class ReviewInline(FollowsTheEditingRule, nested_admin.NestedTabularInline):
    model = Review
    extra = 0
    autocomplete_fields = ["document"]
    sortable_field_name = "position"


class AgendaItemInline(FollowsTheEditingRule, nested_admin.NestedStackedInline):
    model = AgendaItem
    extra = 0
    fields = ["number", "kind", "title"]
    inlines = [DecisionInline, ReviewInline]


class AttendanceInline(FollowsTheEditingRule, nested_admin.NestedTabularInline):
    model = Attendance
    extra = 0
    fields = ["role", "position", "organization", "person_name", "group"]
    autocomplete_fields = ["organization"]


class DistributionInline(FollowsTheEditingRule, nested_admin.NestedTabularInline):
    model = Distribution
    extra = 0
    sortable_field_name = "position"


class MeetingYearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Meeting.objects.exclude(meeting_date=None).dates(
            "meeting_date", "year", order="DESC"
        )
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(meeting_date__year=int(self.value()))
        return queryset


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin, nested_admin.NestedModelAdmin):
    inlines = [AgendaItemInline, AttendanceInline, DistributionInline]
    list_display = ["doc_number_display", "title_display", "meeting_date", "status", "disclosure"]
    list_display_links = ["doc_number_display", "title_display"]
    list_filter = [MeetingYearFilter, "kind", "status", "disclosure", "issuer"]
    list_select_related = ["issuer"]
    date_hierarchy = "meeting_date"
    search_fields = [
        "session_name",
        "chair",
        "opening",
        "issuer__name",
        "items__title",
        "items__decisions__text",
    ]
    autocomplete_fields = ["issuer", "compiled_office", "printed_office"]
    readonly_fields = ["status", "published_at", "created_at", "updated_at"]
    fieldsets = [
        (
            _("Header"),
            {"fields": [("issuer", "kind", "kind_label"), ("year", "seq")]},
        ),
        (
            _("Meeting"),
            {
                "fields": [
                    ("session_no", "session_name"),
                    ("meeting_date", "time_of_day"),
                    ("chair", "chair_title"),
                    "place",
                    "opening",
                ]
            },
        ),
        (
            _("Closing parts"),
            {
                "fields": [
                    ("compiled_office", "compiled_date"),
                    ("printed_office", "printed_date"),
                ]
            },
        ),
        (
            _("Disclosure and workflow"),
            {
                "fields": [
                    ("disclosure", "source_public"),
                    "status",
                    "published_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
        (
            _("Source"),
            {"fields": ["source_file", "source_text"], "classes": ["collapse"]},
        ),
    ]

    actions = ["submit_selected", "publish_selected", "send_back_selected", "withdraw_selected"]
    change_form_template = "admin/minutes/meeting/change_form.html"

    # --- The editing rule (Meeting.is_editable): drafts and withdrawn documents only, for
    # everyone; a published document is withdrawn, corrected and reviewed again.
    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False
        return super().has_delete_permission(request, obj)

    def has_submit_permission(self, request):
        return request.user.has_perm("minutes.submit_meeting")

    def has_publish_permission(self, request):
        return request.user.has_perm("minutes.publish_meeting")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        meeting = self.get_object(request, object_id)
        extra_context = (extra_context or {}) | {
            "workflow_actions": meeting.allowed_actions(request.user) if meeting else [],
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The parts have no history of their own: the document's history row of this save
        # says which of its parts changed.
        changed = sorted(
            {
                str(formset.model._meta.verbose_name_plural)
                for formset in all_formsets(formsets)
                if formset.has_changed()
            }
        )
        if changed:
            update_change_reason(form.instance, _("Changed %s") % ", ".join(changed))

    def _run_action(self, request, queryset, action):
        moved = 0
        for meeting in queryset:
            try:
                getattr(meeting, action)(by=request.user)
            except WorkflowError as error:
                self.message_user(request, f"{meeting}: {error}", messages.WARNING)
            else:
                moved += 1
        if moved:
            self.message_user(
                request,
                ngettext("%(count)d document moved.", "%(count)d documents moved.", moved)
                % {"count": moved},
                messages.SUCCESS,
            )

    @admin.action(description=_("Submit for review"), permissions=["submit"])
    def submit_selected(self, request, queryset):
        self._run_action(request, queryset, "submit")

    @admin.action(description=_("Publish"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._run_action(request, queryset, "publish")

    @admin.action(description=_("Send back to draft"), permissions=["publish"])
    def send_back_selected(self, request, queryset):
        self._run_action(request, queryset, "send_back")

    @admin.action(description=_("Withdraw"), permissions=["publish"])
    def withdraw_selected(self, request, queryset):
        self._run_action(request, queryset, "withdraw")

    @admin.display(description=_("document number"), ordering="seq")
    def doc_number_display(self, meeting):
        return meeting.doc_number or "—"

    @admin.display(description=_("minutes"))
    def title_display(self, meeting):
        return meeting.title

    change_list_template = "admin/minutes/meeting/change_list.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="minutes_meeting_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """导入纪要: paste or upload -> preview with warnings -> saved as a draft."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        stored_file = request.POST.get("stored_file", "")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import minutes"),
            "form": form,
        }
        if request.method == "POST" and form.is_valid():
            parsed = form.cleaned_data["parsed"]
            if "save" in request.POST:
                try:
                    meeting = import_parsed(
                        parsed,
                        source_text=form.cleaned_data["text"],
                        source_file=stored_file if INCOMING_FILE.match(stored_file) else None,
                        replace=form.cleaned_data["replace"],
                    )
                except (DuplicateDocument, NotEditable, ValidationError) as error:
                    form.add_error(
                        None, error.messages if hasattr(error, "messages") else str(error)
                    )
                else:
                    self.log_addition(request, meeting.meeting, [{"added": {}}])
                    messages.success(request, _("Imported as a draft: %s") % meeting.meeting)
                    return redirect(
                        reverse("admin:minutes_meeting_change", args=[meeting.meeting.pk])
                    )
            upload = form.cleaned_data.get("file")
            if upload:
                upload.seek(0)
                stored_file = default_storage.save(
                    f"incoming/{uuid.uuid4().hex}/{get_valid_filename(upload.name)}",
                    ContentFile(upload.read()),
                )
            context |= {
                "parsed": parsed,
                "stored_file": stored_file,
                "source_lines": preview_lines(form.cleaned_data["text"], parsed.warnings),
            }
        return TemplateResponse(request, "admin/minutes/meeting/import.html", context)

    def get_search_results(self, request, queryset, search_term):
        # The same reading of a typed 文号 as the public search's.
        doc_number = parse_doc_number(search_term)
        if doc_number:
            return queryset.with_doc_number(*doc_number), False
        return super().get_search_results(request, queryset, search_term)


def preview_lines(text: str, warnings) -> list[tuple[int, str, list[str]]]:
    """The source text numbered by line, each with the warnings the parser gave for it."""
    by_line: dict[int, list[str]] = {}
    for warning in warnings:
        by_line.setdefault(warning.line, []).append(warning.message)
    return [
        (number, line, by_line.get(number, []))
        for number, line in enumerate(text.splitlines(), start=1)
    ]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(ReviewedDocument)
class ReviewedDocumentAdmin(admin.ModelAdmin):
    search_fields = ["title"]


# The follow-up records (issue 11) register themselves in their own module.
from minutes import followup_admin  # noqa: E402, F401
