"""The archive in numbers: one page for everyone, with the follow-up figures for staff."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from minutes import statistics
from minutes.statistics import archive_figures, followup_figures


def statistics_page(request):
    figures = archive_figures(request.user)
    reviewed = [
        {"name": row["kind"] or _("Other kinds"), "count": row["count"]}
        for row in figures["reviewed_kinds"]
    ]
    followup = followup_figures(request.user)
    return render(
        request,
        "minutes/statistics.html",
        {
            "figures": figures,
            "reviewed": reviewed,
            "months": statistics.month_heatmap(figures["years"]),
            "organizations": statistics.bar_chart(figures["organizations"]),
            "chairs": statistics.bar_chart(figures["chairs"]),
            "reviewed_chart": statistics.bar_chart(reviewed),
            "followup": followup,
            "followup_chart": followup
            and statistics.stacked_chart(followup["rows"][: statistics.TOP]),
            "followup_colours": statistics.FOLLOWUP_COLOURS,
        },
    )
