from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "interlude.journal"
    label = "journal"
