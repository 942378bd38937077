from django.apps import AppConfig


class LadderConfig(AppConfig):
    name = "interlude.ladder"
    label = "ladder"
    verbose_name = "Exposure ladder"
