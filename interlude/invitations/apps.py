from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    name = "interlude.invitations"
    label = "invitations"
