from django.urls import path

from interlude.checkins import views

urlpatterns = [
    path("checkin/<id:assignment_id>/", views.checkin, name="tool_checkin"),
    path(
        "checkin/<id:assignment_id>/week/<id:checkin_id>/",
        views.checkin_week,
        name="checkin_week",
    ),
    path(
        "checkin/<id:assignment_id>/week/<id:checkin_id>/agreed/",
        views.checkin_agreed,
        name="checkin_agreed",
    ),
    path("checkin/<id:assignment_id>/questions/", views.checkin_agenda, name="checkin_agenda"),
]
