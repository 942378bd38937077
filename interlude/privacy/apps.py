from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """The client's rights: export, deletion, consents page and access history."""

    name = "interlude.privacy"
    label = "privacy"
