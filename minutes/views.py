from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.generic import ListView

from minutes.models import Attendance, Decision, Meeting


class MeetingListView(ListView):
    template_name = "minutes/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 20

    def get_queryset(self):
        return Meeting.objects.visible_to(self.request.user).select_related("issuer").newest_first()


def meeting_detail(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related(
            "issuer", "compiled_office", "printed_office"
        ),
        pk=pk,
    )
    items = meeting.items.prefetch_related(
        Prefetch("decisions", Decision.objects.prefetch_related("assignments__organization")),
        "reviews__document",
    )
    attendances = meeting.attendances.select_related("organization").order_by("position")
    return render(
        request,
        "minutes/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "present": [a for a in attendances if a.role == Attendance.Role.PRESENT],
            "observers": [a for a in attendances if a.role == Attendance.Role.OBSERVER],
            "recorders": [a for a in attendances if a.role == Attendance.Role.RECORDER],
            "distribution": meeting.distributions.all(),
        },
    )
