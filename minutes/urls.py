from django.urls import path

from minutes import views
from minutes.search import views as search_views

app_name = "minutes"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meeting-list"),
    path("minutes/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("search/", search_views.search, name="search"),
    path("api/search/", search_views.api_search, name="api-search"),
]
