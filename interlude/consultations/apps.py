from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    """Therapy sessions (held and planned) and the therapist's private clinical notes."""

    name = "interlude.consultations"
    label = "consultations"
