from django.apps import AppConfig


class HomeworkConfig(AppConfig):
    name = "interlude.homework"
    label = "homework"
