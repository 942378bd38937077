from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "interlude.privacy"
    label = "privacy"

    def ready(self) -> None:
        from interlude.privacy import checks  # noqa: F401  (registers system checks)
