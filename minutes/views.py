"""The public pages and the staff's workflow buttons. Every page starts from the one door."""

import datetime
from itertools import groupby
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
)
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import ListView

from minutes import directory, errors
from minutes.forms import BrowseForm
from minutes.models import (
    NEWEST_FIRST,
    Assignment,
    Attendance,
    Meeting,
    Organization,
    Review,
    ReviewedDocument,
    WorkflowError,
    archive_version,
)
from minutes.parsing import patterns
from minutes.withdrawals import once_public

LATEST_ON_HOME = 10
# Longer lists on the organisation and person pages end with a link to all of them.
LIST_LIMIT = 50


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


# Browse orders. Each ends on the id, so that pages never overlap.
BROWSE_ORDERS = {
    "newest": (*NEWEST_FIRST, F("pk").desc()),
    "oldest": (
        F("meeting_date").asc(nulls_last=True),
        F("year").asc(nulls_last=True),
        F("seq").asc(nulls_last=True),
        F("pk").asc(),
    ),
    "number": (F("year").desc(nulls_last=True), F("seq").desc(nulls_last=True), F("pk").desc()),
    "number_asc": (F("year").asc(nulls_last=True), F("seq").asc(nulls_last=True), F("pk").asc()),
}


class MeetingListView(ListView):
    """Browse by year, kind and issuer (each an optional query parameter), in a chosen order."""

    template_name = "minutes/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 20

    def get_queryset(self):
        self.visible = Meeting.objects.visible_to(self.request.user)
        form = BrowseForm(self.request.GET)
        self.filters = form.filters()
        self.sort = self.filters.pop("sort", "") or "newest"
        return self.visible.browse(**self.filters).with_people().order_by(*BROWSE_ORDERS[self.sort])

    def paginate_queryset(self, queryset, page_size):
        """A page out of range shows the nearest page that exists (the rule search follows too)."""
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.page(nearest_page(self.request.GET.get("page"), paginator.num_pages))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        keep = self.filters | ({"sort": self.sort} if self.sort != "newest" else {})
        context = super().get_context_data(
            years=Meeting.objects.years_visible_to(self.request.user),
            kinds=Meeting.Kind.choices,
            # One index probe per organisation, not a join over every visible document.
            issuers=Organization.objects.filter(Exists(self.visible.filter(issuer=OuterRef("pk")))),
            filters=self.filters,
            sort=self.sort,
            sorts=BrowseForm.base_fields["sort"].choices[1:],
            filter_query=f"{urlencode(keep)}&" if keep else "",
            **kwargs,
        )
        page = context["page_obj"]
        context["page_range"] = page.paginator.get_elided_page_range(
            page.number, on_each_side=2, on_ends=1
        )
        return context


def nearest_page(raw, last: int) -> int:
    """The page asked for, or the nearest that exists: not a number is 1, 0 is 1, 99 the last."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = 1
    return min(max(number, 1), last)


def document_context(meeting):
    """Everything the document page shows, in a fixed number of queries."""
    items = meeting.agenda()
    attendances = list(meeting.attendances.select_related("organization").order_by("position"))
    return {
        "meeting": meeting,
        "items": items,
        "present": attendance_entries(a for a in attendances if a.role == Attendance.Role.PRESENT),
        "observers": attendance_entries(
            a for a in attendances if a.role == Attendance.Role.OBSERVER
        ),
        "recorders": attendance_entries(
            a for a in attendances if a.role == Attendance.Role.RECORDER
        ),
        "distribution": meeting.distributions.all(),
        "representative_suffix": patterns.REPRESENTATIVE_SUFFIX,
        "source": source_file_facts(meeting),
        **related_documents(meeting),
    }


def attendance_entries(attendances) -> list[dict]:
    """The entries of one role as the text prints them: a run of bodies without a person is
    one entry, "市委政法委、武警苏州支队的代表", not one per body."""
    entries = []
    for attendance in attendances:
        if not attendance.person_name and entries and entries[-1]["representatives"]:
            entries[-1]["representatives"].append(attendance.organization)
        elif not attendance.person_name:
            entries.append({"representatives": [attendance.organization], "attendance": None})
        else:
            entries.append({"representatives": [], "attendance": attendance})
    return entries


def source_file_facts(meeting) -> dict | None:
    """The original file's name, type and size for the download link, if it is still stored."""
    if not meeting.source_file:
        return None
    try:
        size = meeting.source_file.size
    except OSError:
        return None
    name = Path(meeting.source_file.name).name
    return {"name": name, "type": Path(name).suffix.lstrip(".").upper(), "size": size}


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
    """The document itself (header, body, attendance, footer) with its facts panel, as HTML.

    It reads the same for everyone allowed to see it — status and workflow buttons stand
    outside it — so it is cached under the document, the language and ``archive_version()``,
    which every save of a document, one of its parts, an organisation or a reviewed title
    renews. The caller has already passed the one door; no request or user enters the fragment.
    """
    key = f"minutes:document:{meeting.pk}:{get_language()}:{archive_version()}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("minutes/_document_page.html", document_context(meeting))
        cache.set(key, html, DOCUMENT_CACHE_SECONDS)
    return html


def related_documents(meeting) -> dict:
    """The previous and next meeting of the series (issuer and kind) and the meetings that
    reviewed one of the same 《…》, as one query: a cold document page keeps its budget.

    They are those its readers may see, which makes them part of the shared body: a public
    document lists public minutes only, for everyone; any other document is read by staff
    alone, who see everything (``sees_everything``). So nothing here depends on the request.
    """
    visible = (
        Meeting.objects.visible_to(AnonymousUser()) if meeting.is_public else Meeting.objects.all()
    )
    series = visible.filter(issuer_id=meeting.issuer_id, kind=meeting.kind)
    # The neighbours in the list's own order (date, then 文号, then id), read off the list index
    # in that order (a sort of every earlier document otherwise): forward for the earlier one,
    # backward for the later one. Undated documents have no neighbours.
    day = meeting.meeting_date or datetime.date.min
    same_day_before, same_day_after = _same_day_order(meeting)
    earlier_pk = (
        series.filter(meeting_date__lte=day)
        .filter(Q(meeting_date__lt=day) | same_day_before)
        .order_by(*NEWEST_FIRST, "-pk")
        .values("pk")[:1]
    )
    later_pk = (
        series.filter(meeting_date__gte=day if meeting.meeting_date else datetime.date.max)
        .filter(Q(meeting_date__gt=day) | same_day_after)
        .order_by(
            F("meeting_date").asc(nulls_first=True),
            F("year").asc(nulls_first=True),
            F("seq").asc(nulls_first=True),
            "pk",
        )
        .values("pk")[:1]
    )
    same_documents = Review.objects.filter(agenda_item__meeting=meeting).values("document")
    # Driven from the reviews of those documents (an index), not a probe per visible document.
    reviewed_them = Review.objects.filter(document__in=same_documents).values(
        "agenda_item__meeting_id"
    )
    shared = Review.objects.filter(
        agenda_item__meeting=OuterRef("pk"), document__in=same_documents
    ).order_by("agenda_item__number", "position")
    # The candidates are found by id (the neighbours through the door already); then each is let
    # through the one door by its id. Filtered on the visibility pair first, SQLite walked every
    # published document to find the few that reviewed the same titles.
    rows = list(
        Meeting.objects.filter(Q(pk__in=earlier_pk) | Q(pk__in=later_pk) | Q(pk__in=reviewed_them))
        .filter(Exists(visible.filter(pk=OuterRef("pk"))))
        .exclude(pk=meeting.pk)
        .with_people()
        .annotate(
            shared_title=Subquery(shared.values("document__title")[:1]),
            shared_item=Subquery(shared.values("agenda_item__number")[:1]),
        )
        .order_by(*NEWEST_FIRST, "-pk")[: LIST_LIMIT + 2]
    )
    # The two neighbours are among the rows; found again here rather than by two more
    # subqueries, whose compilation cost more than the query itself.
    here = list_position(meeting)
    series_rows = [
        row for row in rows if (row.issuer_id, row.kind) == (meeting.issuer_id, meeting.kind)
    ]
    earlier = [row for row in series_rows if list_position(row) < here]
    later = [row for row in series_rows if list_position(row) > here]
    return {
        "meeting": meeting,
        "earlier": max(earlier, key=list_position) if earlier and meeting.meeting_date else None,
        "later": min(later, key=list_position) if later and meeting.meeting_date else None,
        "shared": [row for row in rows if row.shared_title][:LIST_LIMIT],
    }


def list_position(meeting) -> tuple:
    """A key that sorts documents as NEWEST_FIRST lists them, oldest lowest (nulls last)."""
    return (
        meeting.meeting_date is not None,
        meeting.meeting_date or datetime.date.min,
        meeting.year is not None,
        meeting.year or 0,
        meeting.seq is not None,
        meeting.seq or 0,
        meeting.pk,
    )


def _same_day_order(meeting) -> tuple[Q, Q]:
    """Documents of the same day before and after this one in the list order (文号, then id)."""
    day, year, seq, pk = meeting.meeting_date, meeting.year, meeting.seq, meeting.pk
    if year is None:
        # No 文号: after every numbered one of the day, among the unnumbered by id.
        before = Q(meeting_date=day, year__isnull=True, pk__lt=pk)
        after = Q(meeting_date=day) & (Q(year__isnull=False) | Q(pk__gt=pk))
        return before, after
    before = Q(meeting_date=day) & (
        Q(year__isnull=True)
        | Q(year__lt=year)
        | Q(year=year, seq__lt=seq)
        | Q(year=year, seq=seq, pk__lt=pk)
    )
    after = Q(meeting_date=day) & (
        Q(year__gt=year) | Q(year=year, seq__gt=seq) | Q(year=year, seq=seq, pk__gt=pk)
    )
    return before, after


def _document_queryset(user):
    return Meeting.objects.visible_to(user).select_related(
        "issuer", "compiled_office", "printed_office"
    )


def no_longer_here(request, **address):
    """The one door refused the address: 410 if a public document was there, else the 404.

    A document still public under a corrected 文号 is one redirect away.
    """
    found = once_public(**address)
    if found is None:
        raise Http404
    if found.moved_to is not None:
        return redirect(found.moved_to)
    return errors.gone(request, found.since)


def meeting_detail(request, issuer, kind, year, seq):
    address = {"issuer_id": issuer, "kind": kind, "year": year, "seq": seq}
    meeting = _document_queryset(request.user).filter(**address).first()
    if meeting is None:
        return no_longer_here(request, **address)
    return render_document(request, meeting)


def meeting_by_pk(request, pk):
    meeting = _document_queryset(request.user).filter(pk=pk).first()
    if meeting is None:
        return no_longer_here(request, id=pk)
    if meeting.has_stable_url:
        return redirect(meeting, permanent=True)
    return render_document(request, meeting)


def meeting_text(request, pk):
    meeting = Meeting.objects.visible_to(request.user).filter(pk=pk).first()
    if meeting is None:
        return no_longer_here(request, id=pk)
    response = HttpResponse(meeting.as_text(), content_type="text/plain; charset=utf-8")
    filename = f"minutes-{meeting.year}-{meeting.seq}.txt" if meeting.year else f"minutes-{pk}.txt"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def meeting_source(request, pk):
    """The original file as the clerk uploaded it, through the one door (never a /media/ URL)."""
    meeting = Meeting.objects.visible_to(request.user).filter(pk=pk).first()
    if meeting is None:
        return no_longer_here(request, id=pk)
    if not meeting.source_file:
        raise Http404
    try:
        handle = meeting.source_file.open("rb")
    except OSError as missing:
        raise Http404 from missing
    return FileResponse(handle, as_attachment=True, filename=Path(meeting.source_file.name).name)


@errors.allow("POST")
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


def organization_list(request):
    counts = directory.organization_counts(request.user)
    organizations = Organization.objects.filter(pk__in=list(counts)).only("name", "kind")
    rows = [
        (organization.name, organization, counts[organization.pk]) for organization in organizations
    ]
    return render(
        request,
        "minutes/organization_list.html",
        {"groups": directory.by_initial(rows), "total": len(rows)},
    )


def person_list(request):
    counts = directory.people_counts(request.user)
    rows = [(name, None, count) for name, count in counts.items()]
    return render(
        request,
        "minutes/person_list.html",
        {"groups": directory.by_initial(rows), "total": len(rows)},
    )


def organization_detail(request, pk):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    meetings = Meeting.objects.visible_to(request.user)
    naming = meetings.filter(
        Exists(Attendance.objects.filter(meeting=OuterRef("pk"), organization=organization))
        | Exists(
            Assignment.objects.filter(
                decision__agenda_item__meeting=OuterRef("pk"), organization=organization
            )
        )
    )
    attended = meetings.filter(
        Exists(Attendance.objects.filter(meeting=OuterRef("pk"), organization=organization))
    )
    assignments = Assignment.objects.filter(
        organization=organization, decision__agenda_item__meeting__in=meetings
    )
    return render(
        request,
        "minutes/organization_detail.html",
        {
            "organization": organization,
            # The government it belongs to: the issuers of the documents that name it.
            "governments": naming.exclude(issuer=organization)
            .filter(issuer__isnull=False)
            .values("issuer_id", "issuer__name")
            .annotate(documents=Count("pk"))
            .order_by("-documents", "issuer__name")[:5],
            "issued": meetings.issued_by(pk).with_people().newest_first()[:LIST_LIMIT],
            "attended": attended.with_people().newest_first()[:LIST_LIMIT],
            "assignments": assignments.select_related(
                "decision__agenda_item__meeting__issuer"
            ).order_by(
                F("decision__agenda_item__meeting__meeting_date").desc(nulls_last=True),
                "decision__agenda_item__meeting",
                "decision__agenda_item__number",
                "decision__position",
            )[:LIST_LIMIT],
            "assignment_count": assignments.count(),
            "limit": LIST_LIMIT,
        },
    )


def person_detail(request, name):
    meetings = Meeting.objects.visible_to(request.user)
    attendances = list(
        Attendance.objects.filter(person_name=name, meeting__in=meetings)
        .select_related("organization", "meeting__issuer")
        .order_by("organization__name", "-meeting__meeting_date")
    )
    chaired = list(meetings.filter(chair=name).with_people().newest_first())
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
        {
            "name": name,
            "by_organization": by_organization,
            "appearances": appearances(chaired, attendances),
        },
    )


def appearances(chaired, attendances) -> list[dict]:
    """Each meeting once, newest first, with what the person was there: the chair and its
    title (李亚平 市长), or the role and the body (列席 · 市公安局)."""
    rows = {}
    for meeting in chaired:
        rows[meeting.pk] = {"meeting": meeting, "chair": True, "attendances": []}
    for attendance in attendances:
        row = rows.setdefault(
            attendance.meeting_id,
            {"meeting": attendance.meeting, "chair": False, "attendances": []},
        )
        if not (row["chair"] and attendance.role == Attendance.Role.PRESENT):
            row["attendances"].append(attendance)
    return sorted(
        rows.values(),
        key=lambda row: (row["meeting"].meeting_date or datetime.date.min, row["meeting"].pk),
        reverse=True,
    )


def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever a page's <link rel="icon"> says."""
    return redirect(static("minutes/img/favicon.svg"))


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
