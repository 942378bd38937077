from django.urls import path

from interlude.consultations import views

# Therapists only: a client's sessions and the private note on each.
urlpatterns = [
    path("clients/<id:client_id>/sessions/", views.sessions, name="sessions"),
    path(
        "clients/<id:client_id>/sessions/<id:consultation_id>/note/",
        views.session_note,
        name="session_note",
    ),
    path(
        "clients/<id:client_id>/sessions/<id:consultation_id>/note/autosave/",
        views.session_note_draft,
        name="session_note_draft",
    ),
    path("sessions/<id:consultation_id>/cancel/", views.session_cancel, name="session_cancel"),
]
