from django.urls import path

from interlude.fantasy import views

urlpatterns = [
    # The fantasy journal
    path("fantasy/<id:assignment_id>/", views.fantasy_journal, name="tool_fantasy"),
    path("fantasy/<id:assignment_id>/draft/", views.fantasy_draft, name="fantasy_draft"),
    path("fantasy/entries/<id:entry_id>/edit/", views.fantasy_edit, name="fantasy_entry_edit"),
    path(
        "fantasy/entries/<id:entry_id>/delete/", views.fantasy_delete, name="fantasy_entry_delete"
    ),
    # The new-sensations log
    path("sensations/<id:assignment_id>/", views.sensations_log, name="tool_sensations"),
    path("sensations/<id:assignment_id>/draft/", views.sensation_draft, name="sensation_draft"),
    path(
        "sensations/entries/<id:entry_id>/edit/", views.sensation_edit, name="sensation_entry_edit"
    ),
    path(
        "sensations/entries/<id:entry_id>/delete/",
        views.sensation_delete,
        name="sensation_entry_delete",
    ),
    # What a partner shared from both; what a client shared with their therapist
    path("fantasy/shared/", views.shared_with_me, name="fantasy_shared"),
    path("clients/<id:client_id>/fantasy/", views.client_fantasy, name="client_fantasy"),
]
