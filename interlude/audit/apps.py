from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "interlude.audit"
    label = "audit"
