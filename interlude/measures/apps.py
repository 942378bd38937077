from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    """Free validated questionnaires (GAD-7, PHQ-9): assigned, answered, scored, and the
    safety response to PHQ-9's last question."""

    name = "interlude.measures"
    label = "measures"
