from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "interlude.reminders"
    label = "reminders"

    def ready(self) -> None:
        from interlude.lib.announce import listen
        from interlude.reminders.actions import notices_for

        listen(notices_for)  # tools announce what is new; reminders tell each person neutrally
