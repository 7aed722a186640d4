from django.urls import path

from minutes import views

app_name = "minutes"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meeting-list"),
    path("minutes/<int:pk>/", views.meeting_detail, name="meeting-detail"),
]
