"""The clerk's desk: a whole document entered and corrected on one page."""

import nested_admin
from django.contrib import admin, messages
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import update_change_reason

from minutes import organizations
from minutes.admin_history import ClerkHistoryAdmin
from minutes.admin_import import ImportMinutesAdmin
from minutes.forms import MergeOrganizationsForm
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
class MeetingAdmin(
    ImportMinutesAdmin, ClerkHistoryAdmin, SimpleHistoryAdmin, nested_admin.NestedModelAdmin
):
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
            {"fields": [("issuer", "kind", "kind_label"), ("year", "seq", "doc_number_ordinal")]},
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

    actions = [
        "submit_selected",
        "publish_selected",
        "send_back_selected",
        "withdraw_selected",
        "name_issuer_selected",
    ]
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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # A document names who issued it: lists and its address need it (the model allows
        # none only for documents stored before the issuer was asked for).
        if "issuer" in form.base_fields:
            form.base_fields["issuer"].required = True
        return form

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
            # Django's own list separator (，in zh-hans), not an ASCII comma in Chinese text.
            update_change_reason(form.instance, _("Changed %s") % str(_(", ")).join(changed))

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

    def get_search_results(self, request, queryset, search_term):
        # The same reading of a typed 文号 as the public search's.
        doc_number = parse_doc_number(search_term)
        if doc_number:
            return queryset.with_doc_number(*doc_number), False
        return super().get_search_results(request, queryset, search_term)


class OrganizationUseFilter(admin.SimpleListFilter):
    title = _("use")
    parameter_name = "named"

    def lookups(self, request, model_admin):
        return [("yes", _("Named by documents")), ("no", _("Named by no document"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(references__gt=0)
        if self.value() == "no":
            return queryset.filter(references=0)
        return queryset


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """Organisations, with how often documents name them, and the two corrections: merge a
    misspelling into the right name, delete those no document names."""

    list_display = ["name", "short_name", "kind", "references_display"]
    list_filter = ["kind", OrganizationUseFilter]
    search_fields = ["name", "short_name"]
    actions = ["merge_selected", "delete_unused_selected"]

    def get_queryset(self, request):
        return organizations.with_reference_counts(super().get_queryset(request))

    def get_actions(self, request):
        # One way to delete: the PROTECT references would make Django's delete_selected end
        # on "cannot delete" for any organisation in use; delete_unused says which and why.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("named in"), ordering="references")
    def references_display(self, organization):
        return ngettext("%(count)d place", "%(count)d places", organization.references) % {
            "count": organization.references
        }

    def has_merge_permission(self, request):
        return self.has_change_permission(request) and self.has_delete_permission(request)

    @admin.action(description=_("Merge the selected organizations into one"), permissions=["merge"])
    def merge_selected(self, request, queryset):
        queryset = queryset.order_by("name")
        if queryset.count() < 2:
            self.message_user(
                request,
                _("Select the misspelt organizations and the right one, then merge."),
                messages.WARNING,
            )
            return None
        form = MergeOrganizationsForm(
            request.POST if "merge" in request.POST else None, organizations=queryset
        )
        if form.is_valid():
            target = form.cleaned_data["target"]
            sources = [o for o in queryset if o.pk != target.pk]
            try:
                with transaction.atomic():
                    self.log_deletions(request, sources)  # while they still exist
                    result = organizations.merge_organizations(sources, target, by=request.user)
            except organizations.OrganizationError as error:
                self.message_user(request, str(error), messages.ERROR)
                return None
            self.log_change(
                request,
                target,
                _("Merged %(names)s into it (%(documents)d documents changed)")
                % {"names": "、".join(result.merged), "documents": result.documents},
            )
            self.message_user(
                request,
                _(
                    "Merged %(names)s into %(target)s: %(documents)d documents changed, "
                    "%(collapsed)d duplicate assignments removed, queued for the search index."
                )
                % {
                    "names": "、".join(result.merged),
                    "target": target,
                    "documents": result.documents,
                    "collapsed": result.collapsed,
                },
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/minutes/organization/merge.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Merge organizations"),
                "form": form,
                "organizations": queryset,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(
        description=_("Delete the selected organizations that no document names"),
        permissions=["delete"],
    )
    def delete_unused_selected(self, request, queryset):
        result = organizations.delete_unused(queryset)
        self.log_deletions(request, result.deleted)
        for organization in result.deleted:
            self.message_user(request, _("Deleted %s.") % organization.name, messages.SUCCESS)
        for name, count in result.kept:
            self.message_user(
                request,
                ngettext(
                    "%(name)s kept: %(count)d document part names it (merge it instead).",
                    "%(name)s kept: %(count)d document parts name it (merge it instead).",
                    count,
                )
                % {"name": name, "count": count},
                messages.WARNING,
            )


@admin.register(ReviewedDocument)
class ReviewedDocumentAdmin(admin.ModelAdmin):
    search_fields = ["title"]


# The follow-up records (issue 11) register themselves in their own module.
from minutes import followup_admin  # noqa: E402, F401
