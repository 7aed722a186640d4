"""The staff's panel of task states beside a document (``{% document_tasks meeting %}``).

It stands outside the cached document body (``views.document_html``), which every reader of
the document shares: the tasks are read per request, and only for staff.
"""

from itertools import groupby

from django import template

from minutes.models import Task, sees_everything

register = template.Library()


@register.inclusion_tag("minutes/followup/_document_tasks.html", takes_context=True)
def document_tasks(context, meeting):
    """Each decision's tasks and their states, grouped by item and decision; nothing for
    anyone who may not see tasks."""
    user = context.get("user")
    tasks = list(
        Task.objects.visible_to(user)
        .of_meeting(meeting.pk)
        .select_related("organization")
        .order_by("item_number", "decision_position", "pk")
    )
    for task in tasks:
        task.meeting = meeting  # one document: no query per task for its address
    current = [task for task in tasks if task.in_document]
    decisions = [
        {"first": group[0], "tasks": group}
        for _key, rows in groupby(current, key=lambda t: (t.item_number, t.decision_position))
        for group in [list(rows)]
    ]
    return {
        "meeting": meeting,
        "decisions": decisions,
        "detached": [task for task in tasks if not task.in_document],
        "shown": sees_everything(user),
    }
