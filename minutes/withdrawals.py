"""Withdrawn is not "never existed": what an address that is no longer public answers.

A document counts as *once public* when the history (django-simple-history) holds a state of it
that anonymous readers could see: published and 主动公开 at once. Being published as
依申请公开, or being 主动公开 only while a draft, never made it public, so such a document stays
the plain 404 of an address that never existed — the history of hidden states is never read
here, so a 404 can say nothing about them. The history is kept by address as well as by
document, so an address that a later correction renumbered still answers for what it showed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Subquery

from minutes.models import Meeting

PUBLIC_STATE = {"status": Meeting.Status.PUBLISHED, "disclosure": Meeting.Disclosure.PUBLIC}


@dataclass(frozen=True)
class NoLongerPublic:
    """An address that showed a public document: it moved (``moved_to``) or is gone ``since``."""

    since: datetime.datetime | None = None
    moved_to: Meeting | None = None


def once_public(**address) -> NoLongerPublic | None:
    """What became of the document the anonymous public last read at ``address``.

    ``address`` is ``id=…`` or ``issuer_id=…, kind=…, year=…, seq=…``. None when no public
    document was ever there. Called only when the one door has already refused the address.
    """
    public_rows = Meeting.history.filter(**address, **PUBLIC_STATE).exclude(history_type="-")
    last_seen = public_rows.order_by("-history_date").values_list("id", flat=True).first()
    if last_seen is None:
        return None
    now_public = Meeting.objects.published().select_related("issuer").filter(pk=last_seen).first()
    if now_public is not None:
        # Public again under another 文号 (corrected while withdrawn): send readers there.
        return NoLongerPublic(moved_to=now_public)
    return NoLongerPublic(since=_left_public_at(last_seen))


def _left_public_at(meeting_id: int) -> datetime.datetime | None:
    """When the document's last public state ended: the first history row after it."""
    history = Meeting.history.filter(id=meeting_id)
    last_public = (
        history.filter(**PUBLIC_STATE)
        .exclude(history_type="-")
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    return (
        history.filter(history_date__gt=Subquery(last_public))
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )
