from django.apps import AppConfig


class FantasyConfig(AppConfig):
    name = "interlude.fantasy"
    label = "fantasy"
