"""Read-only JSON: the documents a user may see, through the one door.

Errors are JSON too (minutes.errors): a bad parameter is a 400 naming it, a page past the
end a 404, a withdrawn document a 410, a method other than GET a 405.
"""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from minutes import errors
from minutes.models import Meeting
from minutes.withdrawals import once_public

PAGE_SIZE = 50


def meeting_summary(request, meeting) -> dict:
    data = {
        "id": meeting.pk,
        "url": request.build_absolute_uri(meeting.get_absolute_url()),
        "api_url": request.build_absolute_uri(
            reverse("minutes:api-meeting-detail", args=[meeting.pk])
        ),
        "title": meeting.title,
        "issuer": meeting.issuer.name if meeting.issuer_id else None,
        "kind": meeting.kind,
        "kind_name": meeting.kind_name,
        "doc_number": meeting.doc_number or None,
        "year": meeting.year,
        "seq": meeting.seq,
        "session_no": meeting.session_no,
        "meeting_date": meeting.meeting_date.isoformat() if meeting.meeting_date else None,
        "published_at": meeting.published_at.isoformat() if meeting.published_at else None,
    }
    if request.user.is_staff:
        data |= {"status": meeting.status, "disclosure": meeting.disclosure}
    return data


@errors.allow("GET")
def meeting_list(request):
    number = request.GET.get("page", "1")
    if not number.isdigit() or int(number) < 1:
        return errors.bad_parameter("page", _("“page” must be a whole number from 1."))
    meetings = Meeting.objects.visible_to(request.user).with_people().newest_first()
    paginator = Paginator(meetings, PAGE_SIZE)
    if int(number) > paginator.num_pages:
        return errors.json_error(
            404,
            "page_not_found",
            _("There are %(pages)d pages.") % {"pages": paginator.num_pages},
            parameter="page",
        )
    page = paginator.page(int(number))
    base = request.build_absolute_uri(reverse("minutes:api-meeting-list"))
    return JsonResponse(
        {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "next": f"{base}?page={page.next_page_number()}" if page.has_next() else None,
            "previous": f"{base}?page={page.previous_page_number()}"
            if page.has_previous()
            else None,
            "results": [meeting_summary(request, meeting) for meeting in page],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@errors.allow("GET")
def meeting_detail(request, pk):
    meeting = (
        Meeting.objects.visible_to(request.user)
        .select_related("issuer", "compiled_office", "printed_office")
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        # The id never changes: a document once public and now hidden is simply gone.
        found = once_public(id=pk)
        if found is not None:
            return errors.gone(request, found.since)
        return errors.page_not_found(request, None)
    items = meeting.agenda()
    attendances = meeting.attendances.select_related("organization").order_by("role", "position")
    data = meeting_summary(request, meeting) | {
        "session_name": meeting.session_name,
        "time_of_day": meeting.time_of_day or None,
        "chair": meeting.chair or None,
        "chair_title": meeting.chair_title or None,
        "place": meeting.place or None,
        "opening": meeting.opening,
        "items": [
            {
                "number": item.number,
                "title": item.title,
                "kind": item.kind,
                "url": request.build_absolute_uri(item.get_absolute_url()),
                "reviewed": [review.document.title for review in item.reviews.all()],
                "decisions": [
                    {
                        "number": decision.number,
                        "label": decision.label,
                        "text": decision.text,
                        "organizations": [a.organization.name for a in decision.assignments.all()],
                    }
                    for decision in item.decisions.all()
                ],
            }
            for item in items
        ],
        "attendance": [
            {
                "role": attendance.role,
                "person": attendance.person_name or None,
                "organization": attendance.organization.name
                if attendance.organization_id
                else None,
                "group": attendance.group or None,
            }
            for attendance in attendances
        ],
        "compiled_office": meeting.compiled_office.name if meeting.compiled_office_id else None,
        "compiled_date": meeting.compiled_date.isoformat() if meeting.compiled_date else None,
        "distribution": [d.recipient for d in meeting.distributions.all()],
        "printed_office": meeting.printed_office.name if meeting.printed_office_id else None,
        "printed_date": meeting.printed_date.isoformat() if meeting.printed_date else None,
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
