from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "interlude.checkins"
    label = "checkins"
