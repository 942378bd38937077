from django.urls import path

from interlude.guides import views

urlpatterns = [
    path("guides/<id:assignment_id>/", views.guide, name="tool_guide"),
    path("guides/<id:assignment_id>/play/", views.guide_play, name="guide_play"),
    path("guides/<id:assignment_id>/end/", views.guide_end, name="guide_end"),
    path("guides/<id:assignment_id>/defaults/", views.guide_defaults, name="guide_defaults"),
]
