from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "interlude.accounts"
    label = "accounts"
