from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "interlude.practice"
    label = "practice"
