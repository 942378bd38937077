from django.apps import AppConfig


class ClinicConfig(AppConfig):
    """The therapist's workspace: caseload, each client's page, inviting clients and the team."""

    name = "interlude.clinic"
    label = "clinic"
