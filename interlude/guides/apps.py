from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "interlude.guides"
    label = "guides"
