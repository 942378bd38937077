from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "interlude.reminders"
    label = "reminders"
