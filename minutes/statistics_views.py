"""The archive in numbers: one page for everyone, with the follow-up figures for staff."""

from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from minutes import statistics
from minutes.statistics import STATISTICS_CACHE_SECONDS, archive_figures, followup_figures


def statistics_page(request):
    figures = archive_figures(request.user)
    followup = followup_figures(request.user)
    # The body reads the same for its whole audience, and drawing some 500 SVG shapes and table
    # cells is most of a request's time: it is cached under the states of its figures.
    key = statistics.page_key(request.user)
    body = cache.get(key)
    if body is None:
        body = render_to_string("minutes/statistics_body.html", _body_context(figures, followup))
        cache.set(key, body, STATISTICS_CACHE_SECONDS)
    return render(
        request,
        "minutes/statistics.html",
        {"body": body, "figures": figures, "followup": followup},
    )


def _body_context(figures, followup) -> dict:
    reviewed = [
        {"name": row["kind"] or _("Other kinds"), "count": row["count"]}
        for row in figures["reviewed_kinds"]
    ]
    return {
        "figures": figures,
        "reviewed": reviewed,
        "months": statistics.month_heatmap(figures["years"]),
        "organizations": statistics.bar_chart(figures["organizations"]),
        "chairs": statistics.bar_chart(figures["chairs"]),
        "reviewed_chart": statistics.bar_chart(reviewed),
        "followup": followup,
        "followup_chart": followup and statistics.stacked_chart(followup["rows"][: statistics.TOP]),
    }
