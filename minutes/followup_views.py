"""The staff's follow-up pages (督办): the task list and its CSV, a task and its steps, an
organisation's tasks, and the attachments.

Every page starts from ``Task.objects.visible_to(user)``, which gives staff every task and
everyone else none; anyone not signed in as staff is sent to sign in, whatever the address,
so no page tells an outsider whether a task exists.
"""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minutes import followup
from minutes.followup_forms import (
    CloseForm,
    DueDateForm,
    ProgressForm,
    ReasonForm,
    TaskFilterForm,
)
from minutes.models import Meeting, Organization, Task, TaskEntry

TASKS_PER_PAGE = 50
RECENTLY_CLOSED = 10
ON_ORGANIZATION_PAGE = 25


def _query_without_page(request) -> str:
    """The filters of this request as a query string to prefix ``page=`` and the export with."""
    query = request.GET.copy()
    query.pop("page", None)
    return f"{query.urlencode()}&" if query else ""


class CountedPaginator(Paginator):
    """A paginator told its count (one of the state counts beside the list) when it is known."""

    def __init__(self, object_list, per_page, count=None):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self):
        return super().count if self.known_count is None else self.known_count


@staff_member_required
def task_list(request):
    form = TaskFilterForm(request.GET)
    visible = Task.objects.visible_to(request.user)
    filters = form.filters()
    meeting = None
    if "meeting" in filters:
        meeting = Meeting.objects.visible_to(request.user).filter(pk=filters["meeting"]).first()
    counts = followup.counts(form.narrow(visible, by_state=False), form.scope_key())
    ids = form.narrow(visible).values_list("pk", flat=True)
    page = CountedPaginator(ids, TASKS_PER_PAGE, counts.get(form.count_key())).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "minutes/followup/task_list.html",
        {
            "form": form,
            "filters": filters,
            "meeting": meeting,
            "counts": counts,
            "page_obj": page,
            "tasks": followup.page_of_tasks(page.object_list),
            "query": _query_without_page(request),
            "state_links": _state_links(request, filters),
        },
    )


def _state_links(request, filters) -> list[dict]:
    """One link per state beside the list, keeping the other filters."""
    kept = {k: v for k, v in request.GET.items() if k not in ("status", "overdue", "page")}
    states = [
        ("", "total", _("All")),
        (TaskFilterForm.OPEN, "open", _("Open")),
        (Task.Status.PENDING, Task.Status.PENDING, Task.Status.PENDING.label),
        (Task.Status.IN_PROGRESS, Task.Status.IN_PROGRESS, Task.Status.IN_PROGRESS.label),
        (TaskFilterForm.REPORTED, "reported", _("Awaiting acceptance")),
        ("overdue", "overdue", _("Overdue")),
        (Task.Status.DONE, Task.Status.DONE, Task.Status.DONE.label),
        (Task.Status.DROPPED, Task.Status.DROPPED, Task.Status.DROPPED.label),
    ]
    chosen = "overdue" if filters.get("overdue") else filters.get("status", "")
    links = []
    for value, count_key, label in states:
        query = dict(kept)
        if value == "overdue":
            query["overdue"] = "on"
        elif value:
            query["status"] = value
        links.append(
            {
                "label": label,
                "count_key": count_key,
                "url": f"?{urlencode(query)}" if query else "?",
                "current": value == chosen,
            }
        )
    return links


@staff_member_required
def task_export(request):
    """The filtered list as CSV, streamed row by row (all of it, not one page)."""
    form = TaskFilterForm(request.GET)
    tasks = form.narrow(Task.objects.visible_to(request.user))
    response = StreamingHttpResponse(
        followup.csv_lines(tasks, request.build_absolute_uri("/")),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"tasks-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _task_or_404(request, pk):
    return get_object_or_404(
        Task.objects.visible_to(request.user).select_related(
            "meeting__issuer", "organization", "decision"
        ),
        pk=pk,
    )


@staff_member_required
def task_detail(request, pk):
    return _render_task(request, _task_or_404(request, pk))


def _render_task(request, task, action=None, bound=None):
    forms = {
        "progress": ProgressForm(),
        "due_date": DueDateForm(task=task, initial={"due_date": task.due_date}),
        "close": CloseForm(),
        "return": ReasonForm(prefix="return"),
        "reopen": ReasonForm(prefix="reopen"),
    }
    if bound is not None:
        forms["progress" if action == "report" else action] = bound
    return render(
        request,
        "minutes/followup/task_detail.html",
        {
            "task": task,
            "entries": task.entries.select_related("author"),
            "actions": followup.allowed_actions(task, request.user),
            "forms": forms,
            "failed_action": action,
        },
    )


def _bound_form(request, task, action):
    if action in ("progress", "report"):
        return ProgressForm(request.POST, request.FILES)
    if action == "due_date":
        return DueDateForm(request.POST, task=task)
    if action == "close":
        return CloseForm(request.POST)
    return ReasonForm(request.POST, prefix=action)


def _perform(task, action, user, data):
    if action in ("progress", "report"):
        return followup.add_progress(
            task,
            by=user,
            text=data["text"],
            done_on=data["done_on"],
            attachment=data.get("attachment"),
            report=action == "report",
        )
    if action == "due_date":
        return followup.set_due_date(task, by=user, due_date=data["due_date"], note=data["note"])
    if action == "close":
        return followup.close(task, by=user, outcome=data["outcome"], note=data["note"])
    if action == "return":
        return followup.return_task(task, by=user, reason=data["reason"])
    return followup.reopen(task, by=user, reason=data["reason"])


DONE_MESSAGES = {
    "progress": gettext_lazy("Progress recorded."),
    "report": gettext_lazy("Completion reported; a supervisor will accept or return it."),
    "due_date": gettext_lazy("Due date saved."),
    "close": gettext_lazy("Task closed."),
    "return": gettext_lazy("Returned: the work goes on."),
    "reopen": gettext_lazy("Task reopened."),
}


@require_POST
@staff_member_required
def task_action(request, pk, action):
    task = _task_or_404(request, pk)
    if action not in followup.ACTIONS:
        raise Http404
    if action not in followup.allowed_actions(task, request.user):
        raise PermissionDenied
    form = _bound_form(request, task, action)
    if not form.is_valid():
        return _render_task(request, task, action, form)
    try:
        _perform(task, action, request.user, form.cleaned_data)
    except followup.TaskError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, DONE_MESSAGES[action])
    return redirect(task)


@staff_member_required
def organization_tasks(request, pk):
    organization = get_object_or_404(Organization, pk=pk)
    tasks = Task.objects.visible_to(request.user).of_organization(pk)
    # The first of each list (the task list holds them all), read in one go by id.
    parts = [
        list(part.values_list("pk", flat=True)[:size])
        for part, size in (
            (tasks.overdue(), ON_ORGANIZATION_PAGE),
            (tasks.open_in_time(), ON_ORGANIZATION_PAGE),
            (tasks.closed().order_by("-closed_on", "-pk"), RECENTLY_CLOSED),
        )
    ]
    rows = iter(followup.page_of_tasks([pk for part in parts for pk in part]))
    overdue, in_time, closed = ([next(rows) for _ in part] for part in parts)
    counts = followup.counts(tasks, f"organization={pk}")
    return render(
        request,
        "minutes/followup/organization_tasks.html",
        {
            "organization": organization,
            "counts": counts,
            "more_overdue": counts["overdue"] > len(overdue),
            "more_open": counts["open"] > len(overdue) + len(in_time),
            "overdue_tasks": overdue,
            "open_tasks": in_time,
            "closed_tasks": closed,
            "members": organization.members.select_related("user"),
        },
    )


@staff_member_required
def attachment(request, pk):
    """An entry's file, to staff only (never through MEDIA_URL)."""
    entry = get_object_or_404(
        TaskEntry.objects.filter(task__in=Task.objects.visible_to(request.user)).exclude(
            attachment=""
        ),
        pk=pk,
    )
    try:
        handle = entry.attachment.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(handle, as_attachment=True, filename=entry.attachment_name)
