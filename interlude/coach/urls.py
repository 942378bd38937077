from django.urls import path

from interlude.coach import views

urlpatterns = [
    path("coach/check/", views.coach_check, name="coach_check"),
    path("coach/<id:assignment_id>/", views.coach, name="tool_coach"),
    path("coach/<id:assignment_id>/journal/", views.coach_journal, name="coach_journal"),
]
