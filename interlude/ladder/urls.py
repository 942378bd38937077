from django.urls import path

from interlude.ladder import views

# Included at the site's root: the client's ladder is the exercise's tool (tool_ladder); the
# therapist's sits with their client's pages; changes to a ladder are addressed by its id.
urlpatterns = [
    path("ladder/<id:assignment_id>/", views.ladder, name="tool_ladder"),
    path("ladder/shared-with-you/", views.shared_with_you, name="ladder_shared"),
    path(
        "clients/<id:client_id>/ladder/<id:assignment_id>/",
        views.therapist_ladder,
        name="ladder_for_therapist",
    ),
    path("ladders/<id:ladder_id>/steps/add/", views.step_add, name="ladder_step_add"),
    path("ladders/<id:ladder_id>/steps/<id:step_id>/", views.step_edit, name="ladder_step_edit"),
    path(
        "ladders/<id:ladder_id>/steps/<id:step_id>/remove/",
        views.step_remove,
        name="ladder_step_remove",
    ),
    path(
        "ladders/<id:ladder_id>/steps/<id:step_id>/move/",
        views.step_move,
        name="ladder_step_move",
    ),
    path(
        "ladders/<id:ladder_id>/steps/<id:step_id>/choose/",
        views.step_choose,
        name="ladder_step_choose",
    ),
    path("ladders/<id:ladder_id>/sort/", views.ladder_sort, name="ladder_sort"),
    path("ladders/<id:ladder_id>/pause-point/", views.pause_point, name="ladder_pause_point"),
    path("ladders/<id:ladder_id>/hold/", views.hold, name="ladder_hold"),
    path("ladders/<id:ladder_id>/try/", views.attempt_start, name="ladder_attempt_start"),
    path("ladder/tries/<id:attempt_id>/", views.attempt, name="ladder_attempt"),
    path("ladder/tries/<id:attempt_id>/pause/", views.attempt_pause, name="ladder_attempt_pause"),
    path("ladder/tries/<id:attempt_id>/draft/", views.attempt_draft, name="ladder_attempt_draft"),
]
