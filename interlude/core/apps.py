from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "interlude.core"
    label = "core"

    def ready(self) -> None:
        from interlude.core import checks  # noqa: F401  (registers the start-up checks)
