"""The staff's view of a document's versions: the list (who, when, what) and the difference
between any two, side by side. Staff only, whatever the document's status: an earlier version
of a public document may hold words that were never published."""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from minutes.models import Meeting
from minutes.versions import side_by_side


def _staff_document(request, pk) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("issuer"), pk=pk
    )


@require_safe
@staff_member_required
def version_list(request, pk):
    meeting = _staff_document(request, pk)
    versions = list(meeting.versions.select_related("user").defer("text"))
    return render(
        request,
        "minutes/versions.html",
        {
            "meeting": meeting,
            "versions": versions,
            # The newest two are compared unless the reader picks others.
            "default_to": versions[0].number if versions else None,
            "default_from": versions[1].number if len(versions) > 1 else None,
        },
    )


def _number(value, default):
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        raise Http404 from None


@require_safe
@staff_member_required
def version_diff(request, pk):
    """?from=N&to=M compares version N with version M (the newest and the one before it by
    default); ?all=1 shows every line, not only the changes and the lines around them."""
    meeting = _staff_document(request, pk)
    latest = meeting.versions.order_by("-number").values_list("number", flat=True).first()
    if latest is None:
        raise Http404
    new_number = _number(request.GET.get("to"), latest)
    old_number = _number(request.GET.get("from"), max(new_number - 1, 1))
    found = {
        version.number: version
        for version in meeting.versions.select_related("user").filter(
            number__in=[old_number, new_number]
        )
    }
    if old_number not in found or new_number not in found:
        raise Http404
    old, new = found[old_number], found[new_number]
    show_all = request.GET.get("all") == "1"
    rows = side_by_side(old.text, new.text, context=None if show_all else 2)
    return render(
        request,
        "minutes/versions_diff.html",
        {
            "meeting": meeting,
            "old": old,
            "new": new,
            "rows": rows,
            "changed": any(row.kind not in ("equal", "skip") for row in rows),
            "show_all": show_all,
        },
    )
