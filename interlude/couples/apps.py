from django.apps import AppConfig


class CouplesConfig(AppConfig):
    name = "interlude.couples"
    label = "couples"
