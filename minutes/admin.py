"""The clerk's desk: a whole document entered and corrected on one page."""

import re

import nested_admin
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

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
)

# 〔2021〕15号, [2021]15号, ［2021］15号, (2021)15号 or 2021年15号, typed into the search box.
DOC_NUMBER_QUERY = re.compile(
    r"^\s*[〔［\[（(]?\s*(\d{4})\s*[〕］\])）年]?\s*第?(\d{1,5})\s*号?\s*$"
)


class AssignmentInline(nested_admin.NestedTabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["organization"]
    sortable_field_name = "position"


class DecisionInline(nested_admin.NestedStackedInline):
    model = Decision
    extra = 0
    fields = ["position", "number", "text"]
    sortable_field_name = "position"
    inlines = [AssignmentInline]


class ReviewInline(nested_admin.NestedTabularInline):
    model = Review
    extra = 0
    autocomplete_fields = ["document"]
    sortable_field_name = "position"


class AgendaItemInline(nested_admin.NestedStackedInline):
    model = AgendaItem
    extra = 0
    fields = ["number", "kind", "title"]
    inlines = [DecisionInline, ReviewInline]


class AttendanceInline(nested_admin.NestedTabularInline):
    model = Attendance
    extra = 0
    fields = ["role", "position", "organization", "person_name", "group"]
    autocomplete_fields = ["organization"]


class DistributionInline(nested_admin.NestedTabularInline):
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
            {"fields": [("issuer", "kind"), ("year", "seq")]},
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
            {"fields": ["disclosure", "status", "published_at", "created_at", "updated_at"]},
        ),
        (
            _("Source"),
            {"fields": ["source_file", "source_text"], "classes": ["collapse"]},
        ),
    ]

    @admin.display(description=_("document number"), ordering="seq")
    def doc_number_display(self, meeting):
        return meeting.doc_number or "—"

    @admin.display(description=_("minutes"))
    def title_display(self, meeting):
        return meeting.title

    def get_search_results(self, request, queryset, search_term):
        match = DOC_NUMBER_QUERY.match(search_term)
        if match:
            year, seq = int(match[1]), int(match[2])
            return queryset.filter(year=year, seq=seq), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(ReviewedDocument)
class ReviewedDocumentAdmin(admin.ModelAdmin):
    search_fields = ["title"]
