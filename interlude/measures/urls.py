from django.urls import path

from interlude.measures import views

urlpatterns = [
    # Therapists
    path(
        "clients/<id:client_id>/questionnaires/new/",
        views.measure_assign,
        name="measure_assign",
    ),
    path("questionnaires/given/<id:assignment_id>/end/", views.measure_end, name="measure_end"),
    path(
        "alerts/<id:alert_id>/acknowledge/",
        views.safety_alert_acknowledge,
        name="safety_alert_acknowledge",
    ),
    # Clients
    path("questionnaires/", views.questionnaires, name="questionnaires"),
    path("questionnaires/<id:assignment_id>/", views.questionnaire, name="questionnaire"),
    path(
        "questionnaires/answered/<id:response_id>/",
        views.questionnaire_done,
        name="questionnaire_done",
    ),
]
