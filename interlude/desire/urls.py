"""Desire-map URLs. Paths say "map", not what it maps: they show in a browser's history."""

from django.urls import path

from interlude.desire import views

urlpatterns = [
    # Clients
    path("map/<id:assignment_id>/", views.desire_map, name="tool_desire_map"),
    path("map/<id:assignment_id>/group/<id:number>/", views.desire_group, name="desire_group"),
    path("map/<id:assignment_id>/review/", views.desire_review, name="desire_review"),
    path("map/<id:assignment_id>/before/", views.desire_before_reveal, name="desire_before_reveal"),
    path("map/<id:assignment_id>/round/<id:number>/", views.desire_shared, name="desire_shared"),
    path("map/<id:assignment_id>/summary/", views.desire_summary, name="desire_summary"),
    path("map/<id:assignment_id>/share/", views.desire_share, name="desire_share"),
    path("map/<id:assignment_id>/new-round/", views.desire_new_round, name="desire_new_round"),
    # Therapists
    path("assignments/<id:assignment_id>/map/", views.desire_settings, name="desire_settings"),
    path(
        "assignments/<id:assignment_id>/map/items/", views.desire_item_add, name="desire_item_add"
    ),
    path(
        "assignments/<id:assignment_id>/map/items/<id:item_id>/remove/",
        views.desire_item_remove,
        name="desire_item_remove",
    ),
    path("assignments/<id:assignment_id>/map/shared/", views.desire_results, name="desire_results"),
]
