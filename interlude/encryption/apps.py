from django.apps import AppConfig


class EncryptionConfig(AppConfig):
    """Envelope encryption: data keys wrapped by a master key, encrypted fields, backups that
    never hold keys, and master-key rotation."""

    name = "interlude.encryption"
    label = "encryption"
