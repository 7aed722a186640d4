"""The index pages of organisations and people: who appears in how many documents.

Counts are of the documents the user may see (the one door), each document once however often
it names the body or the person. Chinese names are listed in pinyin order (pypinyin), grouped
by the initial letter, as a printed index would be.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import groupby

from django.core.cache import cache
from django.db import connection
from django.db.models import F
from pypinyin import Style, lazy_pinyin

from minutes.models import Assignment, Attendance, Meeting, archive_version, sees_everything

DIRECTORY_TIMEOUT = 60 * 60


@lru_cache(maxsize=65536)
def pinyin_key(name: str) -> tuple[list[str], str]:
    """Sort key: the name's pinyin syllables (tones ignored), then the characters themselves.

    Kept per process (names recur on every page that orders them; pypinyin takes ~80 µs a
    name). The key is shared: never change it.
    """
    return (lazy_pinyin(name, style=Style.NORMAL, errors="default"), name)


def initial(name: str) -> str:
    """The index letter of a name: A–Z from its pinyin, # for anything else."""
    syllables = lazy_pinyin(name[:1], style=Style.FIRST_LETTER) if name else []
    letter = syllables[0][:1].upper() if syllables else ""
    return letter if "A" <= letter <= "Z" else "#"


def by_initial(rows: list[tuple[str, object]]) -> list[tuple[str, list]]:
    """[(name, …)] in pinyin order, grouped under their initial letters."""
    rows = sorted(rows, key=lambda row: pinyin_key(row[0]))
    return [(letter, list(group)) for letter, group in groupby(rows, key=lambda r: initial(r[0]))]


def _count_pairs(querysets) -> dict:
    """{k: number of distinct m} over the UNION of querysets of values ``k`` and ``m``.

    One query: the database removes the duplicate pairs and counts, so no list of every
    attendance of a large archive ever reaches Python.
    """
    first, *others = [queryset.order_by() for queryset in querysets]
    sql, params = first.union(*others).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pairs.k, COUNT(*) FROM ({sql}) pairs GROUP BY pairs.k", params)
        return dict(cursor.fetchall())


def _cached_for_public(name: str, user, compute):
    """Staff lists are computed each time; the public list once per state of the archive."""
    if sees_everything(user):
        return compute()
    key = f"minutes:directory:{name}:{archive_version()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, DIRECTORY_TIMEOUT)
    return value


def organization_counts(user) -> dict[int, int]:
    """{organisation id: documents naming it as issuer, attendee or assignee}."""

    def compute():
        visible = Meeting.objects.visible_to(user)
        return _count_pairs(
            [
                visible.filter(issuer__isnull=False).values(k=F("issuer_id"), m=F("pk")),
                Attendance.objects.filter(meeting__in=visible, organization__isnull=False).values(
                    k=F("organization_id"), m=F("meeting_id")
                ),
                Assignment.objects.filter(decision__agenda_item__meeting__in=visible).values(
                    k=F("organization_id"), m=F("decision__agenda_item__meeting_id")
                ),
            ]
        )

    return _cached_for_public("organizations", user, compute)


def people_counts(user) -> dict[str, int]:
    """{name: documents naming the person as chair or attendee}. A name is not an identity."""

    def compute():
        visible = Meeting.objects.visible_to(user)
        return _count_pairs(
            [
                visible.exclude(chair="").values(k=F("chair"), m=F("pk")),
                Attendance.objects.filter(meeting__in=visible)
                .exclude(person_name="")
                .values(k=F("person_name"), m=F("meeting_id")),
            ]
        )

    return _cached_for_public("people", user, compute)
