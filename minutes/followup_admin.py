"""The follow-up records in the clerk's desk: who handles which organisation's tasks (kept
here by the account managers), and the tasks themselves to read, with their history.

Tasks change only through their steps on the staff pages (``minutes.followup``), so here they
are read-only. They are registered so that the admin's deletion of a document names its tasks
and asks for the permission to delete them, which only superusers hold.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from minutes.models import OrganizationMember, Task, TaskEntry


@admin.display(description=_("attachment"))
def attachment_link(entry):
    """Through the staff view that checks permission: attachments have no public URL."""
    if not entry.attachment:
        return "—"
    url = reverse("minutes:task-attachment", args=[entry.pk])
    return format_html('<a href="{}">{}</a>', url, entry.attachment_name)


@admin.register(OrganizationMember)
class OrganizationMemberAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "user"]
    list_select_related = ["organization", "user"]
    search_fields = ["organization__name", "user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["organization", "user"]


class TaskEntryInline(admin.TabularInline):
    model = TaskEntry
    extra = 0
    fields = ["done_on", "kind", "author_name", "text", attachment_link, "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "decision_display", "meeting", "status", "due_date"]
    list_filter = ["status", "organization"]
    list_select_related = ["organization", "meeting__issuer"]
    search_fields = ["organization__name", "decision_text"]
    inlines = [TaskEntryInline]
    readonly_fields = [
        "meeting",
        "decision",
        "organization",
        "item_number",
        "decision_position",
        "decision_label",
        "decision_text",
        "status",
        "due_date",
        "completion_reported_at",
        "detached_at",
        "closed_on",
        "closing_note",
        "created_at",
        "updated_at",
    ]

    @admin.display(description=_("decision"))
    def decision_display(self, task):
        return task.decision_reference

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TaskEntry)
class TaskEntryAdmin(SimpleHistoryAdmin):
    list_display = ["task", "done_on", "kind", "author_name"]
    list_select_related = ["task__organization", "task__meeting__issuer"]
    readonly_fields = [
        "task",
        "kind",
        "author",
        "author_name",
        "done_on",
        "text",
        "due_date",
        attachment_link,
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
