"""Input checks of the follow-up pages: the task list's filters and each step on a task."""

from django import forms
from django.core.cache import cache
from django.core.validators import FileExtensionValidator
from django.db.models import Exists, OuterRef
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minutes.followup import ATTACHMENT_MAX_BYTES, followup_version
from minutes.models import (
    ATTACHMENT_EXTENSIONS,
    Meeting,
    Organization,
    Task,
    archive_version,
)

FILTER_CACHE_SECONDS = 60 * 60


def _filter_choices() -> tuple[list, list]:
    """The organisations and the meeting years that have tasks, for the filter menus.

    Cached under the states of the archive and of the tasks: both lists read every task.
    """
    key = f"minutes:task-filter-choices:{archive_version()}:{followup_version()}"
    choices = cache.get(key)
    if choices is None:
        with_tasks = Exists(Task.objects.filter(organization=OuterRef("pk")))
        organizations = list(Organization.objects.filter(with_tasks).values_list("pk", "name"))
        meetings = Meeting.objects.filter(Exists(Task.objects.filter(meeting=OuterRef("pk"))))
        years = [day.year for day in meetings.dates("meeting_date", "year", order="DESC")]
        choices = (organizations, years)
        cache.set(key, choices, FILTER_CACHE_SECONDS)
    return choices


class TaskFilterForm(forms.Form):
    """The task list's filters; a value that does not parse is ignored, not an error."""

    OPEN = "open"
    REPORTED = "reported"
    DETACHED = "detached"

    organization = forms.TypedChoiceField(
        label=_("Responsible organization"), required=False, coerce=int
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    year = forms.TypedChoiceField(label=_("Meeting year"), required=False, coerce=int)
    meeting = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organizations, years = _filter_choices()
        everything = ("", _("All"))
        self.fields["organization"].choices = [everything, *organizations]
        self.fields["year"].choices = [everything, *((year, year) for year in years)]
        self.fields["status"].choices = [
            everything,
            (self.OPEN, _("Open (not started or in progress)")),
            *Task.Status.choices,
            (self.REPORTED, _("Completion reported, awaiting acceptance")),
            (self.DETACHED, _("No longer in the document")),
        ]

    def filters(self) -> dict:
        """The valid filters given, by name."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: value
            for name, value in cleaned.items()
            if value not in (None, "", False) and name not in self.errors
        }

    def scope_key(self) -> str:
        """The filters other than the state, as part of a cache key of the counts."""
        filters = self.filters()
        return "&".join(
            f"{name}={filters[name]}"
            for name in ("organization", "meeting", "year")
            if name in filters
        )

    def count_key(self) -> str | None:
        """Which of ``TaskQuerySet.counts`` is the length of the narrowed list, if one is."""
        filters = self.filters()
        status = filters.get("status", "")
        if filters.get("overdue"):
            return "overdue" if status in ("", self.OPEN) else None
        return status or "total"

    def narrow(self, tasks, *, by_state=True):
        """``tasks`` narrowed by the filters; ``by_state=False`` leaves out status and overdue,
        for the counts of each state beside the list."""
        filters = self.filters()
        if "organization" in filters:
            tasks = tasks.of_organization(filters["organization"])
        if "meeting" in filters:
            tasks = tasks.of_meeting(filters["meeting"])
        if "year" in filters:
            tasks = tasks.in_year(filters["year"])
        if not by_state:
            return tasks
        status = filters.get("status")
        if status == self.OPEN:
            tasks = tasks.open()
        elif status == self.REPORTED:
            tasks = tasks.awaiting_acceptance()
        elif status == self.DETACHED:
            tasks = tasks.filter(detached_at__isnull=False)
        elif status:
            tasks = tasks.filter(status=status)
        if filters.get("overdue"):
            tasks = tasks.overdue()
        return tasks


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProgressForm(forms.Form):
    """What a handler did, on which day, with an optional file (a reply, a report)."""

    done_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput())
    text = forms.CharField(
        label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        allow_empty_file=False,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS)],
        help_text=_("Optional: PDF, OFD, Word, Excel, WPS, images or an archive, up to 20 MB."),
    )

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        if done_on > timezone.localdate():
            raise forms.ValidationError(_("The date lies in the future."))
        return done_on

    def clean_attachment(self):
        attachment = self.cleaned_data.get("attachment")
        if attachment and attachment.size > ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(
                _("%(name)s is %(size)s; an attachment may have at most 20 MB."),
                params={"name": attachment.name, "size": filesizeformat(attachment.size)},
            )
        return attachment


class DueDateForm(forms.Form):
    """A supervisor's due date (时限); empty clears it."""

    prefix = "due"

    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, task, **kwargs):
        self.task = task
        super().__init__(*args, **kwargs)

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        meeting_date = self.task.meeting.meeting_date
        if due_date and meeting_date and due_date < meeting_date:
            raise forms.ValidationError(
                _("The due date lies before the meeting (%(date)s)."),
                params={"date": meeting_date.isoformat()},
            )
        return due_date


class CloseForm(forms.Form):
    """A supervisor closes a task: completed, or no longer pursued (with the reason)."""

    prefix = "close"

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(Task.Status.DONE, _("Completed")), (Task.Status.DROPPED, _("No longer pursued"))],
        initial=Task.Status.DONE,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Closing note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Task.Status.DROPPED and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say why the task is no longer pursued."))
        return cleaned


class ReasonForm(forms.Form):
    """Returning a reported completion or reopening a closed task needs its reason."""

    reason = forms.CharField(
        label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
