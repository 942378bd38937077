from django.apps import AppConfig


class CoachConfig(AppConfig):
    name = "interlude.coach"
    label = "coach"
