from django.apps import AppConfig


class DesireConfig(AppConfig):
    name = "interlude.desire"
    label = "desire"
