"""The archive in numbers (issue 11): the figures of the statistics page and their SVG charts.

Every figure starts from the one door, ``Meeting.objects.visible_to(user)``: the public's
count only published, 主动公开 documents; staff's count every document and add the follow-up
of decisions. Figures are cached under the archive's state token (``archive_version``, renewed
by every save or deletion of a document, one of its parts, an organisation or a reviewed
title), one entry for the public and one for staff; the follow-up figures also under the tasks'
token (``followup_version``, renewed by every step on a task) and the day, since 逾期 turns
with the date.

Charts are drawn here as geometry (positions and lengths in SVG user units) for the
templates ``statistics_*.html`` to draw: no script, readable when printed, each with a table
of its numbers beneath.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language, gettext

from minutes.followup import followup_version
from minutes.models import (
    Assignment,
    Decision,
    Meeting,
    Review,
    ReviewedDocument,
    Task,
    archive_version,
    sees_everything,
)
from minutes.parsing.patterns import REVIEWED_DOCUMENT_KINDS

STATISTICS_CACHE_SECONDS = 24 * 60 * 60
TOP = 20

# A parenthesised note after the kind: （试行）, （修订稿）, （2021~2023）, （征求意见稿）.
TRAILING_NOTE = re.compile(r"\s*[（(][^（）()]*[）)]\s*$")


def reviewed_document_kind(title: str) -> str | None:
    """措施 for 《苏州市促进集成电路产业高质量发展的若干措施》, None for a title of no known kind."""
    stripped = title.strip()
    while (shorter := TRAILING_NOTE.sub("", stripped)) != stripped and shorter:
        stripped = shorter
    return next((kind for kind in REVIEWED_DOCUMENT_KINDS if stripped.endswith(kind)), None)


# --- Figures.


def _state(user) -> str:
    """The audience and the state of what it counts, for cache keys."""
    if not sees_everything(user):
        return f"public:{archive_version()}"
    return f"staff:{archive_version()}:{followup_version()}:{timezone.localdate()}"


def page_key(user) -> str:
    """The cache key of the statistics page's body for this user's audience and language."""
    return f"minutes:statistics-page:{get_language()}:{_state(user)}"


def archive_figures(user) -> dict:
    """The figures of the documents ``user`` may see, cached per audience and archive state."""
    everything = sees_everything(user)
    key = f"minutes:statistics:{'staff' if everything else 'public'}:{archive_version()}"
    figures = cache.get(key)
    if figures is None:
        figures = _archive_figures(Meeting.objects.visible_to(user), everything=everything)
        cache.set(key, figures, STATISTICS_CACHE_SECONDS)
    return figures


def _archive_figures(meetings, *, everything: bool) -> dict:
    # By day, then summed here: grouping by a stored column reads the date index, where
    # extracting year and month runs a function per document (a Python one on SQLite).
    months: dict[int, list[int]] = {}
    undated = 0
    for day, count in meetings.values_list("meeting_date").annotate(Count("pk")).order_by():
        if day is None:
            undated += count
        else:
            months.setdefault(day.year, [0] * 12)[day.month - 1] += count
    years = [
        {"year": year, "months": counts, "total": sum(counts)}
        for year, counts in sorted(months.items(), reverse=True)
    ]

    def of_these_documents(queryset, path):
        # Staff see every document: the filter would only make the database join for nothing.
        return queryset if everything else queryset.filter(**{f"{path}__in": meetings})

    organizations = list(
        of_these_documents(Assignment.objects.all(), "decision__agenda_item__meeting")
        .values("organization_id", name=F("organization__name"))
        .annotate(count=Count("pk"))
        .order_by("-count", "name")[:TOP]
    )
    chairs = list(
        meetings.exclude(chair="")
        .values(name=F("chair"))
        .annotate(count=Count("pk"))
        .order_by("-count", "name")[:TOP]
    )
    reviews = of_these_documents(
        Review.objects.filter(document=OuterRef("pk")), "agenda_item__meeting"
    )
    titles = ReviewedDocument.objects.filter(Exists(reviews)).values_list("title", flat=True)
    kinds = Counter(reviewed_document_kind(title) for title in titles.iterator(chunk_size=5000))
    decisions = of_these_documents(Decision.objects.all(), "agenda_item__meeting")
    return {
        "documents": sum(year["total"] for year in years) + undated,
        "decisions": decisions.count(),
        "years": years,
        "undated": undated,
        "organizations": organizations,
        "chairs": chairs,
        # Known kinds by count, then the titles of no known kind (kind None) last.
        "reviewed_kinds": sorted(
            ({"kind": kind, "count": count} for kind, count in kinds.items()),
            key=lambda row: (row["kind"] is None, -row["count"], row["kind"] or ""),
        ),
        "reviewed_total": sum(kinds.values()),
    }


def followup_figures(user) -> dict | None:
    """Per organisation: open, overdue, closed on time, closed late, no longer pursued.

    Staff only (None for anyone else); cached under the archive's and the tasks' states and
    the day.
    """
    if not sees_everything(user):
        return None
    today = timezone.localdate()
    key = f"minutes:statistics:followup:{archive_version()}:{followup_version()}:{today}"
    figures = cache.get(key)
    if figures is None:
        figures = _followup_figures(Task.objects.visible_to(user), today)
        cache.set(key, figures, STATISTICS_CACHE_SECONDS)
    return figures


FOLLOWUP_COLUMNS = ("overdue", "open_in_time", "on_time", "late", "dropped")


def _followup_figures(tasks, today) -> dict:
    is_open = Q(status__in=Task.OPEN)
    done = Q(status=Task.Status.DONE)
    rows = list(
        tasks.values("organization_id", name=F("organization__name"))
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=is_open),
            overdue=Count("pk", filter=is_open & Q(due_date__lt=today)),
            on_time=Count(
                "pk",
                filter=done & (Q(due_date__isnull=True) | Q(closed_on__lte=F("due_date"))),
            ),
            late=Count("pk", filter=done & Q(closed_on__gt=F("due_date"))),
            dropped=Count("pk", filter=Q(status=Task.Status.DROPPED)),
        )
        .order_by("-open", "-overdue", "-total", "name")
    )
    for row in rows:
        row["open_in_time"] = row["open"] - row["overdue"]
    totals = {
        column: sum(row[column] for row in rows)
        for column in ("total", "open", "overdue", "on_time", "late", "dropped")
    }
    return {"rows": rows, "totals": totals}


# --- Chart geometry (SVG user units; the templates draw it).

CHART_WIDTH = 480
LABEL_WIDTH = 150
VALUE_WIDTH = 48
ROW_HEIGHT = 24
BAR_HEIGHT = 16
TOP_MARGIN = 24
LABEL_CHARACTERS = 10


def short_label(label: str) -> str:
    """A name that fits the label column; the full name is in the tooltip and the table."""
    return label if len(label) <= LABEL_CHARACTERS else f"{label[: LABEL_CHARACTERS - 1]}…"


def nice_ticks(largest: int, count: int = 4) -> list[int]:
    """Round gridline values from 0 up to at least ``largest`` (1, 2 or 5 times a power of 10)."""
    if largest <= 0:
        return [0, 1]
    raw = largest / count
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return list(range(0, math.ceil(largest / step) * step + 1, step))


def bar_chart(rows: list[dict], *, value="count", label="name") -> dict:
    """Horizontal bars, one per row, largest scale at the last gridline."""
    ticks = nice_ticks(max((row[value] for row in rows), default=0))
    span = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    scale = span / ticks[-1]
    bars = [
        {
            "label": str(row[label]),
            "short_label": short_label(str(row[label])),
            "value": row[value],
            "y": TOP_MARGIN + index * ROW_HEIGHT,
            "text_y": TOP_MARGIN + index * ROW_HEIGHT + BAR_HEIGHT - 3,
            "length": round(row[value] * scale, 1),
            "value_x": round(LABEL_WIDTH + row[value] * scale + 4, 1),
        }
        for index, row in enumerate(rows)
    ]
    return {
        "width": CHART_WIDTH,
        "height": TOP_MARGIN + len(rows) * ROW_HEIGHT + 4,
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 6,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
        "ticks": [{"value": t, "x": round(LABEL_WIDTH + t * scale, 1)} for t in ticks],
        "axis_bottom": TOP_MARGIN + len(rows) * ROW_HEIGHT,
    }


HEAT_LEVELS = ("#f1f5fb", "#c6d8ef", "#8fb3df", "#4f86c6", "#1f5aa6")
HEAT_CELL = 26
HEAT_LABEL = 44


def month_heatmap(years: list[dict]) -> dict:
    """Years by months: one shaded cell per month with its count, and the year's total."""
    largest = max((count for year in years for count in year["months"]), default=0) or 1
    total_largest = max((year["total"] for year in years), default=0) or 1
    tooltip = gettext("%(year)s-%(month)s: %(n)s")
    total_x = HEAT_LABEL + 12 * HEAT_CELL + 10
    total_span = CHART_WIDTH - total_x - VALUE_WIDTH
    rows = []
    for index, year in enumerate(years):
        y = TOP_MARGIN + index * HEAT_CELL
        cells = []
        for month, count in enumerate(year["months"]):
            level = 0 if not count else 1 + min(3, math.floor(4 * count / (largest + 1)))
            cells.append(
                {
                    "x": HEAT_LABEL + month * HEAT_CELL,
                    "text_x": HEAT_LABEL + month * HEAT_CELL + HEAT_CELL / 2,
                    "count": count,
                    "title": tooltip % {"year": year["year"], "month": month + 1, "n": count},
                    "fill": HEAT_LEVELS[level],
                    "ink": "#fff" if level >= 3 else "#1a1a1a",
                }
            )
        length = round(year["total"] * total_span / total_largest, 1)
        rows.append(
            {
                "year": year["year"],
                "y": y,
                "text_y": y + HEAT_CELL / 2 + 4,
                "cells": cells,
                "total": year["total"],
                "total_length": length,
                "total_value_x": round(total_x + length + 4, 1),
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": TOP_MARGIN + len(years) * HEAT_CELL + 4,
        "cell": HEAT_CELL,
        "label_x": HEAT_LABEL - 6,
        "months": [
            {"number": m, "x": HEAT_LABEL + (m - 1) * HEAT_CELL + HEAT_CELL / 2}
            for m in range(1, 13)
        ],
        "total_x": total_x,
        "rows": rows,
    }


FOLLOWUP_COLOURS = {
    "overdue": "#b71c1c",
    "open_in_time": "#e0a100",
    "on_time": "#2e7d32",
    "late": "#8d6e63",
    "dropped": "#9e9e9e",
}


def stacked_chart(rows: list[dict]) -> dict:
    """Follow-up per organisation: one bar each, in segments by state (FOLLOWUP_COLUMNS)."""
    ticks = nice_ticks(max((row["total"] for row in rows), default=0))
    span = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    scale = span / ticks[-1]
    bars = []
    for index, row in enumerate(rows):
        x = LABEL_WIDTH
        segments = []
        for column in FOLLOWUP_COLUMNS:
            length = round(row[column] * scale, 1)
            if length:
                segments.append(
                    {"column": column, "x": x, "length": length, "fill": FOLLOWUP_COLOURS[column]}
                )
            x = round(x + length, 1)
        bars.append(
            {
                "label": row["name"],
                "short_label": short_label(row["name"]),
                "total": row["total"],
                "y": TOP_MARGIN + index * ROW_HEIGHT,
                "text_y": TOP_MARGIN + index * ROW_HEIGHT + BAR_HEIGHT - 3,
                "segments": segments,
                "value_x": x + 4,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": TOP_MARGIN + len(rows) * ROW_HEIGHT + 4,
        "label_x": LABEL_WIDTH - 6,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
        "ticks": [{"value": t, "x": round(LABEL_WIDTH + t * scale, 1)} for t in ticks],
        "axis_bottom": TOP_MARGIN + len(rows) * ROW_HEIGHT,
    }
