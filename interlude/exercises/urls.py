from django.urls import path

from interlude.exercises import views

# Included at /library/ (therapists only).
urlpatterns = [
    path("", views.exercise_library, name="exercise_library"),
    path("new/", views.exercise_new, name="exercise_new"),
    path("<id:exercise_id>/", views.exercise_detail, name="exercise_detail"),
    path("<id:exercise_id>/edit/", views.exercise_edit, name="exercise_edit"),
]
