"""The public pages and the staff's workflow buttons. Every page starts from the one door."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from minutes.forms import BrowseForm
from minutes.models import (
    Assignment,
    Attendance,
    Meeting,
    Organization,
    Review,
    ReviewedDocument,
    WorkflowError,
    archive_version,
)

LATEST_ON_HOME = 10


def home(request):
    meetings = Meeting.objects.visible_to(request.user)
    return render(
        request,
        "minutes/home.html",
        {
            "meetings": meetings.with_people().newest_first()[:LATEST_ON_HOME],
            "years": Meeting.objects.years_visible_to(request.user),
        },
    )


class MeetingListView(ListView):
    """Browse by year, kind and issuer (each an optional query parameter), newest first."""

    template_name = "minutes/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 20

    def get_queryset(self):
        self.visible = Meeting.objects.visible_to(self.request.user)
        self.filters = BrowseForm(self.request.GET).filters()
        return self.visible.browse(**self.filters).with_people().newest_first()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            years=Meeting.objects.years_visible_to(self.request.user),
            kinds=Meeting.Kind.choices,
            # One index probe per organisation, not a join over every visible document.
            issuers=Organization.objects.filter(Exists(self.visible.filter(issuer=OuterRef("pk")))),
            filters=self.filters,
            filter_query=f"{urlencode(self.filters)}&" if self.filters else "",
            **kwargs,
        )


def document_context(meeting):
    """Everything the document page shows, in a fixed number of queries."""
    items = meeting.agenda()
    attendances = list(meeting.attendances.select_related("organization").order_by("position"))
    return {
        "meeting": meeting,
        "items": items,
        "present": [a for a in attendances if a.role == Attendance.Role.PRESENT],
        "observers": [a for a in attendances if a.role == Attendance.Role.OBSERVER],
        "recorders": [a for a in attendances if a.role == Attendance.Role.RECORDER],
        "distribution": meeting.distributions.all(),
    }


def render_document(request, meeting):
    return render(
        request,
        "minutes/meeting_detail.html",
        {
            "meeting": meeting,
            "document": document_html(meeting),
            "actions": meeting.allowed_actions(request.user) if request.user.is_staff else [],
        },
    )


# The archive changes seldom and a document page is read often: its body is rendered once per
# state of the archive and language. Measured at 10,000 documents, rendering it was ~7 ms of
# CPU per request (includes, reverse(), prefetch set-up), the ceiling of requests per second.
DOCUMENT_CACHE_SECONDS = 24 * 60 * 60


def document_html(meeting) -> str:
    """The document itself (header, body, attendance, footer) as HTML.

    It reads the same for everyone allowed to see it — status and workflow buttons stand
    outside it — so it is cached under the document, the language and ``archive_version()``,
    which every save of a document, one of its parts, an organisation or a reviewed title
    renews. The caller has already passed the one door; no request or user enters the fragment.
    """
    key = f"minutes:document:{meeting.pk}:{get_language()}:{archive_version()}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("minutes/_document.html", document_context(meeting))
        cache.set(key, html, DOCUMENT_CACHE_SECONDS)
    return html


def _document_queryset(user):
    return Meeting.objects.visible_to(user).select_related(
        "issuer", "compiled_office", "printed_office"
    )


def meeting_detail(request, issuer, kind, year, seq):
    meeting = get_object_or_404(
        _document_queryset(request.user).by_doc_number(
            issuer_id=issuer, kind=kind, year=year, seq=seq
        )
    )
    return render_document(request, meeting)


def meeting_by_pk(request, pk):
    meeting = get_object_or_404(_document_queryset(request.user), pk=pk)
    if meeting.has_stable_url:
        return redirect(meeting, permanent=True)
    return render_document(request, meeting)


def meeting_text(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    response = HttpResponse(meeting.as_text(), content_type="text/plain; charset=utf-8")
    filename = f"minutes-{meeting.year}-{meeting.seq}.txt" if meeting.year else f"minutes-{pk}.txt"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
@login_required
def meeting_transition(request, pk, action):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    if action not in Meeting.TRANSITIONS:
        raise Http404
    if action not in meeting.allowed_actions(request.user):
        raise PermissionDenied
    try:
        getattr(meeting, action)(by=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(meeting)s is now “%(status)s”.")
            % {"meeting": meeting, "status": meeting.get_status_display()},
        )
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return redirect(next_url)
    return redirect(meeting)


def organization_detail(request, pk):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    meetings = Meeting.objects.visible_to(request.user)
    return render(
        request,
        "minutes/organization_detail.html",
        {
            "organization": organization,
            "issued": meetings.issued_by(pk).with_people().newest_first()[:50],
            "attended": meetings.filter(attendances__organization=organization)
            .distinct()
            .with_people()
            .newest_first(),
            "assignments": Assignment.objects.filter(
                organization=organization, decision__agenda_item__meeting__in=meetings
            )
            .select_related("decision__agenda_item__meeting__issuer")
            .order_by("-decision__agenda_item__meeting__meeting_date", "decision"),
        },
    )


def person_detail(request, name):
    meetings = Meeting.objects.visible_to(request.user)
    attendances = (
        Attendance.objects.filter(person_name=name, meeting__in=meetings)
        .select_related("organization", "meeting__issuer")
        .order_by("organization__name", "-meeting__meeting_date")
    )
    chaired = meetings.filter(chair=name).with_people().newest_first()
    if not attendances and not chaired:
        raise Http404
    # One name may be two people at two bodies (the seed's 黄戟): each body is its own group.
    by_organization = [
        (organization, list(rows))
        for organization, rows in groupby(attendances, key=lambda a: a.organization)
    ]
    return render(
        request,
        "minutes/person_detail.html",
        {"name": name, "by_organization": by_organization, "chaired": chaired},
    )


def reviewed_document_detail(request, pk):
    document = get_object_or_404(ReviewedDocument.objects.visible_to(request.user), pk=pk)
    reviews = (
        Review.objects.filter(
            document=document, agenda_item__meeting__in=Meeting.objects.visible_to(request.user)
        )
        .select_related("agenda_item__meeting__issuer")
        .order_by("-agenda_item__meeting__meeting_date")
    )
    return render(
        request,
        "minutes/reviewed_document_detail.html",
        {"document": document, "reviews": reviews},
    )
