from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "interlude.accounts"
    label = "accounts"

    def ready(self) -> None:
        from allauth.mfa.models import Authenticator
        from django.db.models.signals import post_delete

        from interlude.accounts.factors import on_authenticator_deleted

        post_delete.connect(
            on_authenticator_deleted, sender=Authenticator, dispatch_uid="interlude-factor-lost"
        )
