from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter

from minutes import (
    api,
    export_views,
    feeds,
    followup_views,
    statistics_views,
    version_views,
    views,
)
from minutes.models import Meeting
from minutes.search import views as search_views
from minutes.sitemaps import SITEMAPS

app_name = "minutes"


class KindConverter:
    regex = "|".join(Meeting.Kind.values)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(KindConverter, "meeting-kind")

urlpatterns = [
    path("", views.home, name="home"),
    path("minutes/", views.MeetingListView.as_view(), name="meeting-list"),
    # Two patterns share the name meeting-detail: the stable address by issuer, kind and 文号
    # (reverse with those keywords), and the id address (reverse with the pk), which redirects
    # to the stable one when the document has it.
    path(
        "minutes/<int:issuer>/<meeting-kind:kind>/<int:year>/<int:seq>/",
        views.meeting_detail,
        name="meeting-detail",
    ),
    path("minutes/<int:pk>/", views.meeting_by_pk, name="meeting-detail"),
    path("minutes/<int:pk>/text/", views.meeting_text, name="meeting-text"),
    path("minutes/<int:pk>/source/", views.meeting_source, name="meeting-source"),
    path(
        "minutes/<int:pk>/workflow/<str:action>/",
        views.meeting_transition,
        name="meeting-transition",
    ),
    path("organizations/", views.organization_list, name="organization-list"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization-detail"),
    path("people/", views.person_list, name="person-list"),
    # A name may hold any character, a slash too (the path converter takes it).
    path("people/<path:name>/", views.person_detail, name="person-detail"),
    path(
        "reviewed/<int:pk>/",
        views.reviewed_document_detail,
        name="reviewed-document-detail",
    ),
    path("feeds/rss/", feeds.LatestMinutesFeed(), name="feed-rss"),
    path("feeds/atom/", feeds.LatestMinutesAtomFeed(), name="feed-atom"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("api/meetings/", api.meeting_list, name="api-meeting-list"),
    path("api/meetings/<int:pk>/", api.meeting_detail, name="api-meeting-detail"),
    path("search/", search_views.search, name="search"),
    path("api/search/", search_views.api_search, name="api-search"),
    # Browsers and crawlers ask for /favicon.ico whatever the page's <link rel="icon"> says.
    path("favicon.ico", views.favicon, name="favicon"),
    # Exports (the official PDF and .docx of a document, the catalogue of a browse or a search)
    # and the staff's versions of a document.
    path("minutes/<int:pk>/pdf/", export_views.meeting_pdf, name="meeting-pdf"),
    path("minutes/<int:pk>/docx/", export_views.meeting_docx, name="meeting-docx"),
    path(
        "minutes/export.<str:file_format>",
        export_views.catalogue_export,
        name="catalogue-export",
    ),
    path("search/export.<str:file_format>", export_views.search_export, name="search-export"),
    path("minutes/<int:pk>/versions/", version_views.version_list, name="meeting-versions"),
    path(
        "minutes/<int:pk>/versions/diff/",
        version_views.version_diff,
        name="meeting-version-diff",
    ),
    # Follow-up of decisions (督办), for staff; the archive in numbers, for everyone.
    path("followup/", followup_views.task_list, name="task-list"),
    path("followup/tasks.csv", followup_views.task_export, name="task-export"),
    path("followup/tasks/<int:pk>/", followup_views.task_detail, name="task-detail"),
    path(
        "followup/tasks/<int:pk>/<str:action>/",
        followup_views.task_action,
        name="task-action",
    ),
    path(
        "followup/organizations/<int:pk>/",
        followup_views.organization_tasks,
        name="organization-tasks",
    ),
    path("followup/attachments/<int:pk>/", followup_views.attachment, name="task-attachment"),
    path("statistics/", statistics_views.statistics_page, name="statistics"),
]
