from django.apps import AppConfig


class ConsentsConfig(AppConfig):
    name = "interlude.consents"
    label = "consents"
