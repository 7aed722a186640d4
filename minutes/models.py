"""The records of a minutes document (DESIGN §2) and the one door to them (§3)."""

from __future__ import annotations

import copy
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage
from django.core.validators import FileExtensionValidator
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from minutes.parsing import patterns
from minutes.parsing.render import chinese_number


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Bodies named (as issuer, attendee or assignee) in a document the user may see."""
        meetings = Meeting.objects.visible_to(user)
        return self.filter(
            Exists(meetings.filter(issuer=OuterRef("pk")))
            | Exists(Attendance.objects.filter(meeting__in=meetings, organization=OuterRef("pk")))
            | Exists(
                Assignment.objects.filter(
                    decision__agenda_item__meeting__in=meetings, organization=OuterRef("pk")
                )
            )
        )


class OrganizationManager(models.Manager.from_queryset(OrganizationQuerySet)):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Organization(models.Model):
    """An issuer, department, district or other body named in the minutes."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        DEPARTMENT = "department", _("Department")
        DISTRICT = "district", _("District or county")
        PARTY = "party", _("Party body")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=120, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)

    objects = OrganizationManager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.name,)


class Role:
    """The staff roles, as the names of the groups that migration 0003_roles creates."""

    CLERKS = "clerks"  # 录入: enter and correct drafts, submit them for review
    REVIEWERS = "reviewers"  # 审核: publish, send back and withdraw
    READERS = "readers"  # 查阅: read everything, change nothing
    SUPERVISORS = "supervisors"  # 督查: set due dates, accept, return and close tasks


class NullsLastIndex(models.Index):
    """An index over ``DESC NULLS LAST`` columns, on both databases.

    PostgreSQL sorts NULLs first in a descending order unless told, so its index must say
    NULLS LAST to serve ``ORDER BY … DESC NULLS LAST``. SQLite sorts them last already,
    uses a plain DESC index for that order, and refuses the words in CREATE INDEX.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        index = self
        if schema_editor.connection.vendor == "sqlite":
            index = copy.copy(self)
            index.expressions = tuple(_without_nulls_last(e) for e in self.expressions)
        return super(NullsLastIndex, index).create_sql(model, schema_editor, using, **kwargs)


def _without_nulls_last(expression):
    # Ascending NULLS LAST (the task list's due dates) too: SQLite's planner still walks the
    # plain index for that order (EXPLAIN QUERY PLAN: SCAN … USING COVERING INDEX).
    if isinstance(expression, models.OrderBy):
        return models.OrderBy(expression.expression, descending=expression.descending)
    return expression


# Newest first: a document without a date goes last, then by 文号, then by id so that
# pages never overlap. The default order and both indexes below follow it exactly.
NEWEST_FIRST = (F("meeting_date").desc(nulls_last=True), F("year").desc(), F("seq").desc())


def sees_everything(user) -> bool:
    """Staff see every document, whatever its status (DESIGN §3)."""
    return user is not None and user.is_active and user.is_staff


class MeetingQuerySet(models.QuerySet):
    def published(self):
        """Released to the public: published and 主动公开."""
        return self.filter(status=Meeting.Status.PUBLISHED, disclosure=Meeting.Disclosure.PUBLIC)

    def visible_to(self, user):
        """The one door (DESIGN §3): staff see everything, everyone else the published."""
        if sees_everything(user):
            return self.all()
        return self.published()

    def in_year(self, year: int):
        return self.filter(meeting_date__year=year)

    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def issued_by(self, organization_id: int):
        return self.filter(issuer_id=organization_id)

    def browse(self, *, year=None, kind=None, issuer=None):
        """Narrowed by whichever of year, kind and issuer are given."""
        meetings = self
        if year:
            meetings = meetings.in_year(year)
        if kind:
            meetings = meetings.of_kind(kind)
        if issuer:
            meetings = meetings.issued_by(issuer)
        return meetings

    def with_people(self):
        """What a list row shows: the issuer, in one query with the documents."""
        return self.select_related("issuer")

    def years(self) -> list[int]:
        """The meeting years present, newest first (for the year links)."""
        return [day.year for day in self.dates("meeting_date", "year", order="DESC")]

    def by_doc_number(self, *, issuer_id: int, kind: str, year: int, seq: int):
        return self.filter(issuer_id=issuer_id, kind=kind, year=year, seq=seq)

    def with_doc_number(self, year: int, seq: int):
        return self.filter(year=year, seq=seq)

    def newest_first(self):
        return self.order_by(*NEWEST_FIRST, "-pk")


PUBLIC_YEARS_TIMEOUT = 60 * 60


class MeetingManager(models.Manager.from_queryset(MeetingQuerySet)):
    def years_visible_to(self, user) -> list[int]:
        """The years of the documents the user may see, newest first.

        Every public page shows the public list, and computing it reads every published
        document, so that list is cached, under a key that changes whenever a document is
        saved or deleted (``archive_changed``). Staff lists are never cached, so a year
        that only hidden documents have can never reach the public one.
        """
        if sees_everything(user):
            return self.visible_to(user).years()
        key = f"minutes:public-years:{archive_version()}"
        years = cache.get(key)
        if years is None:
            years = self.published().years()
            cache.set(key, years, PUBLIC_YEARS_TIMEOUT)
        return years


ARCHIVE_VERSION_KEY = "minutes:archive-version"


def archive_version() -> str:
    """The token that names the current state of the archive in cache keys."""
    version = cache.get(ARCHIVE_VERSION_KEY)
    if version is None:
        cache.add(ARCHIVE_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(ARCHIVE_VERSION_KEY)
    return version


def archive_changed(**kwargs) -> None:
    """A document was saved or deleted: what was cached about the archive is stale.

    A fresh token at once, and again once the transaction commits: a request that read
    the old rows while the change was still uncommitted stored its answer under the
    token in between, which no one asks for afterwards. Connected in ``MinutesConfig``.
    """
    cache.set(ARCHIVE_VERSION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(ARCHIVE_VERSION_KEY, uuid.uuid4().hex, None))


class Meeting(models.Model):
    """One meeting and its minutes document."""

    class Kind(models.TextChoices):
        EXECUTIVE = "executive", _("Executive meeting minutes")
        MAYOR_OFFICE = "mayor_office", _("Mayor's office meeting minutes")
        SPECIAL = "special", _("Special-topic meeting minutes")
        BUREAU_OFFICE = "bureau_office", _("Department head's office meeting minutes")
        CONGRESS_STANDING = "congress_standing", _("People's congress standing committee minutes")
        WORK_MEETING = "work_meeting", _("Regular work meeting minutes")
        PARTY_GROUP = "party_group", _("Party group meeting minutes")
        OTHER = "other", _("Other minutes")

    class TimeOfDay(models.TextChoices):
        MORNING = "morning", _("morning")
        AFTERNOON = "afternoon", _("afternoon")
        EVENING = "evening", _("evening")

    class Disclosure(models.TextChoices):
        PUBLIC = "public", _("Proactively disclosed")
        ON_REQUEST = "on_request", _("Disclosed on request")
        NOT_PUBLIC = "not_public", _("Not disclosed")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    issuer = models.ForeignKey(
        Organization,
        verbose_name=_("issuer"),
        on_delete=models.PROTECT,
        related_name="issued_meetings",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.EXECUTIVE)
    kind_label = models.CharField(
        _("kind as printed"),
        max_length=40,
        blank=True,
        help_text=_("When the document names its kind otherwise, for example 区长办公会议纪要"),
    )
    year = models.PositiveSmallIntegerField(_("document year"), null=True, blank=True)
    seq = models.PositiveIntegerField(_("document sequence"), null=True, blank=True)
    doc_number_ordinal = models.BooleanField(
        _("number printed with 第"),
        default=False,
        help_text=_("The document number reads 〔2021〕第2号 rather than 〔2021〕2号."),
    )
    session_no = models.PositiveIntegerField(_("session number"), null=True, blank=True)
    session_name = models.CharField(
        _("session as printed"),
        max_length=120,
        blank=True,
        help_text=_("For example 市政府第133次常务会议"),
    )
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True, db_index=True)
    time_of_day = models.CharField(_("time of day"), max_length=10, choices=TimeOfDay, blank=True)
    chair = models.CharField(_("chair"), max_length=40, blank=True, db_index=True)
    chair_title = models.CharField(_("chair's title"), max_length=40, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    opening = models.TextField(_("opening paragraph"), blank=True)
    compiled_office = models.ForeignKey(
        Organization,
        verbose_name=_("compiling office"),
        on_delete=models.PROTECT,
        related_name="compiled_meetings",
        null=True,
        blank=True,
    )
    compiled_date = models.DateField(_("compiled on"), null=True, blank=True)
    printed_office = models.ForeignKey(
        Organization,
        verbose_name=_("printing office"),
        on_delete=models.PROTECT,
        related_name="printed_meetings",
        null=True,
        blank=True,
    )
    printed_date = models.DateField(_("printed on"), null=True, blank=True)
    disclosure = models.CharField(
        _("disclosure"), max_length=20, choices=Disclosure, default=Disclosure.ON_REQUEST
    )
    # What the source text said, kept apart from the disclosure class chosen: the document
    # prints （此件公开发布） only when its source had that line.
    source_public = models.BooleanField(
        _("source says 此件公开发布"),
        default=False,
        help_text=_("The text as received carries the line （此件公开发布）."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    source_text = models.TextField(_("source text"), blank=True)
    source_file = models.FileField(_("source file"), upload_to="sources/%Y/", blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("historical minutes"))
    objects = MeetingManager()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = [*NEWEST_FIRST, "-pk"]
        indexes = [
            # The public lists (home, browse, API): the visibility pair, then the list order,
            # so the newest ten or a page at an offset are read off the index instead of
            # sorting every published document.
            NullsLastIndex(
                "status", "disclosure", *NEWEST_FIRST, F("id").desc(), name="meeting_public_newest"
            ),
            # The same order for staff, who see every document.
            NullsLastIndex(*NEWEST_FIRST, F("id").desc(), name="meeting_newest"),
        ]
        permissions = [
            ("submit_meeting", _("Can submit minutes for review")),
            ("publish_meeting", _("Can publish and withdraw minutes")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "kind", "year", "seq"],
                name="unique_doc_number_per_issuer_and_kind",
                violation_error_message=_(
                    "This issuer already has minutes of this kind with this document number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True, seq__isnull=True)
                | Q(year__isnull=False, seq__isnull=False),
                name="doc_number_year_and_seq_together",
                violation_error_message=_(
                    "A document number needs both its year and its sequence number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(seq__isnull=True) | Q(seq__gt=0),
                name="doc_number_seq_positive",
                violation_error_message=_("The document sequence number must be positive."),
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1949, year__lte=2100),
                name="doc_number_year_plausible",
                violation_error_message=_("The document year must lie between 1949 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(session_no__isnull=True) | Q(session_no__gt=0),
                name="session_no_positive",
                violation_error_message=_("The session number must be positive."),
            ),
        ]

    def __str__(self) -> str:
        """〔2021〕15号 第133次常务会议纪要, as a clerk would say it."""
        session = patterns.format_session(self.session_no) if self.session_no else ""
        return " ".join(part for part in [self.doc_number, f"{session}{self.kind_name}"] if part)

    def get_absolute_url(self) -> str:
        if self.has_stable_url:
            return reverse(
                "minutes:meeting-detail",
                kwargs={
                    "issuer": self.issuer_id,
                    "kind": self.kind,
                    "year": self.year,
                    "seq": self.seq,
                },
            )
        return reverse("minutes:meeting-detail", args=[self.pk])

    @property
    def doc_number(self) -> str:
        """The 文号 as printed on the document: 〔2021〕15号."""
        if self.year is None or self.seq is None:
            return ""
        return patterns.format_doc_number(self.year, self.seq, self.doc_number_ordinal)

    @property
    def kind_name(self) -> str:
        """The kind in the words of the document (常务会议纪要, 区长办公会议纪要)."""
        return self.kind_label or patterns.MEETING_KIND_NAMES.get(self.kind, "")

    @property
    def title(self) -> str:
        """苏州市人民政府第133次常务会议纪要: issuer, session and kind."""
        issuer = self.issuer.name if self.issuer_id else ""
        session = patterns.format_session(self.session_no) if self.session_no else ""
        return f"{issuer}{session}{self.kind_name}"

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.disclosure == self.Disclosure.PUBLIC

    def agenda(self):
        """The items with their decisions, assignees and reviewed titles: four queries, any size."""
        return self.items.prefetch_related(
            models.Prefetch(
                "decisions",
                Decision.objects.prefetch_related(
                    models.Prefetch(
                        "assignments", Assignment.objects.select_related("organization")
                    )
                ),
            ),
            models.Prefetch("reviews", Review.objects.select_related("document")),
        )

    @property
    def has_stable_url(self) -> bool:
        """Found by issuer, kind and 文号; documents without them keep their id URL."""
        return bool(self.issuer_id and self.year and self.seq)

    # --- Workflow: each state change is a method; callers check the user's permission.
    # The editing rule: a document is edited only while it is a draft or withdrawn
    # (``is_editable``). A published document is corrected by withdrawing it, editing,
    # and submitting it again, so no unreviewed word is ever public.
    EDITABLE = frozenset({Status.DRAFT, Status.WITHDRAWN})
    TRANSITIONS = {
        # action: (target status, allowed from, permission codename)
        "submit": (Status.REVIEW, {Status.DRAFT, Status.WITHDRAWN}, "submit_meeting"),
        "publish": (Status.PUBLISHED, {Status.REVIEW}, "publish_meeting"),
        "send_back": (Status.DRAFT, {Status.REVIEW}, "publish_meeting"),
        "withdraw": (Status.WITHDRAWN, {Status.PUBLISHED}, "publish_meeting"),
    }

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def allowed_actions(self, user) -> list[str]:
        """The workflow actions this user may take on this document now."""
        return [
            action
            for action, (_target, sources, codename) in self.TRANSITIONS.items()
            if self.status in sources and user.has_perm(f"minutes.{codename}")
        ]

    def submit(self, *, by=None) -> None:
        self._move("submit", by=by)

    def publish(self, *, by=None) -> None:
        from minutes.followup import sync_tasks

        # With the follow-up tasks its decisions give (DESIGN §8), in one transaction.
        with transaction.atomic():
            self._move("publish", by=by, published_at=timezone.now())
            sync_tasks(self, by=by)

    def send_back(self, *, by=None) -> None:
        self._move("send_back", by=by)

    def withdraw(self, *, by=None) -> None:
        self._move("withdraw", by=by)

    def _move(self, action: str, *, by=None, published_at=None) -> None:
        status, allowed_from, _codename = self.TRANSITIONS[action]
        if self.status not in allowed_from:
            raise WorkflowError(
                _("Cannot move minutes from “%(old)s” to “%(new)s”.")
                % {"old": self.get_status_display(), "new": self.Status(status).label}
            )
        self.status = status
        if published_at is not None:
            self.published_at = published_at
        # The history row says who moved it and why (simple_history reads these two).
        if by is not None:
            self._history_user = by
        self._change_reason = str(self.Status(status).label)
        self.save(update_fields=["status", "published_at", "updated_at"])

    # --- The canonical text.
    def to_parsed(self):
        """This document as the parser's records, so one renderer serves import and display."""
        from minutes.importing import meeting_to_parsed

        return meeting_to_parsed(self)

    def as_text(self) -> str:
        """The canonical text of the document; import -> as_text() -> parse is lossless."""
        from minutes.parsing import render

        return render(self.to_parsed())


class WorkflowError(Exception):
    """A state change that the workflow does not allow."""


class AgendaItem(models.Model):
    """一、… : one numbered item of the minutes."""

    class Kind(models.TextChoices):
        HEAR = "hear", _("Report heard")
        REVIEW = "review", _("Document reviewed")
        CONVEY = "convey", _("Instructions conveyed")
        STUDY = "study", _("Matter studied")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.TextField(_("title"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.OTHER)
    reviewed_documents = models.ManyToManyField(
        "ReviewedDocument",
        verbose_name=_("documents reviewed"),
        through="Review",
        related_name="agenda_items",
        blank=True,
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        # By the id column: ordering by "meeting" would join every prefetch of the parts of
        # one document up to its meeting and sort by the meeting's order (the same here).
        ordering = ["meeting_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="unique_item_number_per_meeting",
                violation_error_message=_("Two agenda items of one document share a number."),
            ),
            models.CheckConstraint(
                condition=Q(number__gt=0),
                name="item_number_positive",
                violation_error_message=_("An agenda item number must be positive."),
            ),
        ]

    def __str__(self) -> str:
        return f"{chinese_number(self.number)}、{self.title}"

    def get_absolute_url(self) -> str:
        """The item's permalink: the document's stable URL and the item's anchor."""
        return f"{self.meeting.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"item-{self.number}"


class Decision(models.Model):
    """（一）… : one decision point of an agenda item, or its unnumbered decision text."""

    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    number = models.PositiveSmallIntegerField(
        _("number"), null=True, blank=True, help_text=_("Empty for unnumbered text.")
    )
    text = models.TextField(_("text"))
    organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("organizations assigned"),
        through="Assignment",
        related_name="assigned_decisions",
        blank=True,
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["agenda_item_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "number"],
                name="unique_decision_number_per_item",
                violation_error_message=_("Two decision points of one item share a number."),
            ),
            models.UniqueConstraint(
                fields=["agenda_item", "position"],
                name="unique_decision_position_per_item",
                violation_error_message=_("Two decisions of one item share a position."),
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gt=0),
                name="decision_number_positive",
                violation_error_message=_("A decision number must be positive."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}{self.text[:40]}"

    @property
    def label(self) -> str:
        """（一） for a numbered point, empty for unnumbered text."""
        return f"（{chinese_number(self.number)}）" if self.number else ""


class Assignment(models.Model):
    """An organisation a decision assigns work to (由市工信局…), in the order the text names them."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="assignments"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["decision_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "organization"], name="unique_organization_per_decision"
            ),
        ]

    def __str__(self) -> str:
        return self.organization.name


class ReviewedDocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Titles reviewed at an item of a document the user may see."""
        meetings = Meeting.objects.visible_to(user)
        return self.filter(
            Exists(
                Review.objects.filter(agenda_item__meeting__in=meetings, document=OuterRef("pk"))
            )
        )


class ReviewedDocumentManager(models.Manager.from_queryset(ReviewedDocumentQuerySet)):
    def get_by_natural_key(self, title):
        return self.get(title=title)


class ReviewedDocument(models.Model):
    """A 《…》 title reviewed at one or more agenda items."""

    title = models.CharField(_("title"), max_length=300, unique=True)

    objects = ReviewedDocumentManager()

    class Meta:
        verbose_name = _("reviewed document")
        verbose_name_plural = _("reviewed documents")
        ordering = ["title"]

    def __str__(self) -> str:
        return f"《{self.title}》"

    def natural_key(self):
        return (self.title,)


class Review(models.Model):
    """The link of a reviewed document to an item, in the order the item names them."""

    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="reviews"
    )
    document = models.ForeignKey(
        ReviewedDocument,
        verbose_name=_("reviewed document"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["agenda_item_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "document"], name="unique_document_per_item"
            ),
        ]

    def __str__(self) -> str:
        return str(self.document)


class Attendance(models.Model):
    """One person (or body's representative) at a meeting: 出席, 列席 or 记录."""

    class Role(models.TextChoices):
        PRESENT = "present", _("Present")
        OBSERVER = "observer", _("Attending as observer")
        RECORDER = "recorder", _("Recorder")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="attendances"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role)
    position = models.PositiveSmallIntegerField(_("position"))
    person_name = models.CharField(
        _("person"),
        max_length=40,
        blank=True,
        db_index=True,
        help_text=_("Empty for “the representative of …”."),
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="attendances",
        null=True,
        blank=True,
    )
    group = models.CharField(_("group"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting_id", "role", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "role", "position"],
                name="unique_attendance_position",
                violation_error_message=_("Two attendance entries share a position."),
            ),
            models.CheckConstraint(
                condition=~Q(person_name="") | Q(organization__isnull=False),
                name="attendance_names_someone",
                violation_error_message=_("An attendance entry needs a person or an organization."),
            ),
        ]

    def __str__(self) -> str:
        org = self.organization.name if self.organization_id else ""
        if not self.person_name:
            return f"{org}{patterns.REPRESENTATIVE_SUFFIX}"
        return f"{org}{self.person_name}"

    @property
    def representative_suffix(self) -> str:
        """的代表, for an entry that names a body and no person."""
        return "" if self.person_name else patterns.REPRESENTATIVE_SUFFIX


class Distribution(models.Model):
    """One 分送 recipient, in order."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="distributions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    recipient = models.CharField(_("recipient"), max_length=200)
    separator = models.CharField(
        _("mark after it"),
        max_length=1,
        blank=True,
        help_text=_("， within a group of recipients, ； between groups; empty for the last."),
    )

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("distribution")
        ordering = ["meeting_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="unique_distribution_position",
                violation_error_message=_("Two recipients share a position."),
            ),
        ]

    def __str__(self) -> str:
        return self.recipient


class IndexQueue(models.Model):
    """A document whose search entries must be brought up to date (DESIGN §4).

    One row per change, written in the transaction that made the change, so a crash loses
    nothing; the one writer (``minutes.search.indexing.drain``) applies and deletes them.
    Not a foreign key: a deleted document must still leave the index.
    """

    meeting_id = models.BigIntegerField(_("minutes id"))
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("search index update")
        verbose_name_plural = _("search index updates")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.meeting_id} @ {self.enqueued_at:%Y-%m-%d %H:%M:%S}"


class DocumentVersion(models.Model):
    """The whole document as it stood after one save: its canonical text and its state.

    Taken once the transaction that changed the document commits (``minutes.versions``), so
    the items, decisions and attendance that the admin saves after the document are in it.
    Staff only: an earlier version of a public document may hold words never published.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=20, choices=Meeting.Status)
    disclosure = models.CharField(_("disclosure"), max_length=20, choices=Meeting.Disclosure)
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("change"), max_length=200, blank=True)
    lines_added = models.PositiveIntegerField(_("lines added"), default=0)
    lines_removed = models.PositiveIntegerField(_("lines removed"), default=0)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["meeting_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="unique_version_number_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} v{self.number}"


# --- Follow-up of decisions (督办, DESIGN §8): a task per decision and organisation it assigns
# work to, its dated entries, and the staff members who report for an organisation. The rules
# that move a task and that make tasks from a published document live in ``minutes.followup``.


class AttachmentStorage(FileSystemStorage):
    """Files attached to task entries: under ``MINUTES_DATA_DIR/attachments``, never public.

    Not under MEDIA_ROOT and without a URL: they are served only by the view that checks the
    reader may see tasks (``minutes:task-attachment``). The folder follows the setting at each
    use, so a test's own data folder holds its files.
    """

    @property
    def base_location(self):
        return str(settings.DATA_DIR / "attachments")

    @property
    def location(self):
        return self.base_location

    def url(self, name):
        raise ValueError("Task attachments have no public URL; link minutes:task-attachment.")


ATTACHMENT_EXTENSIONS = [
    *("pdf", "ofd", "doc", "docx", "wps", "xls", "xlsx", "et", "ppt", "pptx", "txt", "csv"),
    *("jpg", "jpeg", "png", "zip", "rar", "7z"),
]


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Tasks are for staff only (DESIGN §8): staff see every task, everyone else none."""
        if sees_everything(user):
            return self.all()
        return self.none()

    def open(self):
        return self.filter(status__in=Task.OPEN)

    def closed(self):
        return self.exclude(status__in=Task.OPEN)

    def overdue(self, today=None):
        """Open past their due date; 逾期 is derived, never stored."""
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def open_in_time(self, today=None):
        """Open and not past their due date (or without one)."""
        return self.open().exclude(due_date__lt=today or timezone.localdate())

    def awaiting_acceptance(self):
        """A handler reported the work done; a supervisor has yet to accept or return it."""
        return self.open().filter(completion_reported_at__isnull=False)

    def of_organization(self, organization_id: int):
        return self.filter(organization_id=organization_id)

    def of_meeting(self, meeting_id: int):
        return self.filter(meeting_id=meeting_id)

    def in_year(self, year: int):
        return self.filter(meeting__meeting_date__year=year)

    def for_list(self):
        """What a list row shows: the document, its issuer and the organisation."""
        return self.select_related("meeting__issuer", "organization")

    def counts(self, today=None) -> dict[str, int]:
        """How many of these tasks are in each state, in one query."""
        today = today or timezone.localdate()
        is_open = Q(status__in=Task.OPEN)
        return self.aggregate(
            total=models.Count("pk"),
            open=models.Count("pk", filter=is_open),
            overdue=models.Count("pk", filter=is_open & Q(due_date__lt=today)),
            reported=models.Count("pk", filter=is_open & Q(completion_reported_at__isnull=False)),
            detached=models.Count("pk", filter=Q(detached_at__isnull=False)),
            **{
                status: models.Count("pk", filter=Q(status=status)) for status in Task.Status.values
            },
        )


class Task(models.Model):
    """督办: one organisation's work on one decision of a published document."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Completed")
        DROPPED = "dropped", _("No longer pursued")

    OPEN = (Status.PENDING, Status.IN_PROGRESS)
    CLOSED = (Status.DONE, Status.DROPPED)

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="tasks"
    )
    # Empty when a correction of the document took the decision (or this organisation in it)
    # away: the task and its entries stay, flagged, for a supervisor to settle.
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        on_delete=models.SET_NULL,
        related_name="tasks",
        null=True,
        blank=True,
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("responsible organization"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    # The decision as the document read when the task was last matched to it: what the task
    # shows when the decision is gone, and what matches it again after a correction.
    item_number = models.PositiveSmallIntegerField(_("agenda item number"))
    decision_position = models.PositiveSmallIntegerField(_("decision position"))
    decision_label = models.CharField(_("decision number"), max_length=20, blank=True)
    decision_text = models.TextField(_("decision text"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.PENDING, db_index=True
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    completion_reported_at = models.DateTimeField(
        _("completion reported at"), null=True, blank=True
    )
    # Set when a republication no longer assigns this decision to this organisation.
    detached_at = models.DateTimeField(_("left the document at"), null=True, blank=True)
    # The day it was closed (the exact time is in its entry): 按期 compares it with the due date.
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("historical task"))
    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        # Soonest due first; then the most recently entered document first, each document's
        # tasks in the order of its decisions (they are made in that order).
        ordering = [F("due_date").asc(nulls_last=True), "-meeting_id", "pk"]
        indexes = [
            models.Index(
                fields=["organization", "status", "due_date"], name="task_organization_status"
            ),
            # A state's tasks in the list's order (their ids sorted without reading the table).
            models.Index(fields=["status", "due_date", "meeting"], name="task_status_due"),
            # The list's order (Meta.ordering), read off the index a page at a time.
            NullsLastIndex(
                F("due_date").asc(nulls_last=True),
                F("meeting_id").desc(),
                F("id").asc(),
                name="task_list_order",
            ),
        ]
        permissions = [
            ("supervise_task", _("Can set due dates, accept, return, close and reopen tasks")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "organization"],
                condition=Q(decision__isnull=False),
                name="unique_task_per_decision_and_organization",
                violation_error_message=_(
                    "This decision already has a task for this organization."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "in_progress"], closed_on__isnull=True)
                | Q(status__in=["done", "dropped"], closed_on__isnull=False),
                name="task_closed_when_done_or_dropped",
                violation_error_message=_("A task is closed exactly when it is done or dropped."),
            ),
            models.CheckConstraint(
                condition=Q(completion_reported_at__isnull=True) | Q(status="in_progress"),
                name="task_reported_only_in_progress",
                violation_error_message=_("Only a task in progress can await acceptance."),
            ),
        ]

    def __str__(self) -> str:
        """市工信局：〔2021〕15号 第133次常务会议纪要 二（一）."""
        return f"{self.organization.name}：{self.meeting} {self.decision_reference}"

    def get_absolute_url(self) -> str:
        return reverse("minutes:task-detail", args=[self.pk])

    @property
    def decision_reference(self) -> str:
        """二（一）: the item's number and the decision's, as staff cite a decision."""
        return f"{chinese_number(self.item_number)}{self.decision_label}"

    @property
    def decision_url(self) -> str:
        """The decision's item in the document (the document page's anchor)."""
        return f"{self.meeting.get_absolute_url()}#item-{self.item_number}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def status_label(self) -> str:
        """The status in words; a third of the time of get_status_display, per row of a list."""
        return self.Status(self.status).label

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.due_date and self.due_date < timezone.localdate())

    @property
    def awaits_acceptance(self) -> bool:
        return self.is_open and self.completion_reported_at is not None

    @property
    def in_document(self) -> bool:
        """False once a republished correction no longer assigns this decision to this body."""
        return self.detached_at is None

    @property
    def closed_on_time(self) -> bool:
        if self.status != self.Status.DONE:
            return False
        return self.due_date is None or self.closed_on <= self.due_date


class TaskEntry(models.Model):
    """One dated line of a task's record: progress, a report, a supervisor's step."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress")
        REPORTED = "reported", _("Completion reported")
        RETURNED = "returned", _("Returned")
        DUE_DATE = "due_date", _("Due date")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")
        CORRECTED = "corrected", _("Decision corrected")
        REMOVED = "removed", _("Decision left the document")

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.PROGRESS)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        related_name="task_entries",
        null=True,
        blank=True,
    )
    # The name as it was: the record reads the same after the account is gone.
    author_name = models.CharField(_("author's name"), max_length=150, blank=True)
    done_on = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("what was done"), blank=True)
    # The due date a supervisor set (DUE_DATE entries; empty when it was cleared).
    due_date = models.DateField(_("due date"), null=True, blank=True)
    attachment = models.FileField(
        _("attachment"),
        upload_to="tasks/%Y/%m/",
        storage=AttachmentStorage(),
        blank=True,
        max_length=255,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS)],
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords(verbose_name=_("historical task entry"))

    class Meta:
        verbose_name = _("task entry")
        verbose_name_plural = _("task entries")
        ordering = ["task_id", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.done_on:%Y-%m-%d} {self.author_name} {self.get_kind_display()}"

    @property
    def attachment_name(self) -> str:
        return self.attachment.name.rsplit("/", 1)[-1] if self.attachment else ""


class OrganizationMember(models.Model):
    """A staff member who reports progress on an organisation's tasks (承办人员)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="organization_memberships",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="members",
    )

    history = HistoricalRecords(verbose_name=_("historical organization member"))

    class Meta:
        verbose_name = _("organization member")
        verbose_name_plural = _("organization members")
        ordering = ["organization_id", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"],
                name="unique_member_per_organization",
                violation_error_message=_("This user is already a member of this organization."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name}：{self.user.get_username()}"


# The PostgreSQL search engine's tables (unmanaged; minutes.search.postgres).
from minutes.search.pg_models import SearchDocument, SearchText  # noqa: E402, F401
