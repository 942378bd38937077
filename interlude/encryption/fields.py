"""EncryptedTextField: stored as AES-256-GCM ciphertext, decrypted only when read.

Reading the attribute decrypts (once per value); assigning plain text marks it for encryption
at save. The associated data binds the value to table, row (`uid`), field and owner. Writing
plain text through QuerySet.update() or filtering on the field is refused: both would bypass
encryption.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.query_utils import DeferredAttribute

from interlude.lib.crypto import decrypt_text, encrypt_text


class Ciphertext(str):
    """A value as stored: encrypted text, not yet opened."""


def _aad(instance: Any, field: models.Field) -> bytes:  # type: ignore[type-arg]
    kind, owner_id = instance.encryption_owner()
    return f"{instance._meta.label_lower}|{instance.uid}|{field.name}|{kind}:{owner_id}".encode()


class EncryptedAttribute(DeferredAttribute):
    # A data descriptor (it defines __set__), so reads always pass through __get__ even though
    # the stored value lives in the instance __dict__.
    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if not isinstance(value, Ciphertext):
            return value
        opened = instance.__dict__.setdefault("_opened_fields", {})
        hit = opened.get(self.field.attname)
        if hit is not None and hit[0] is value:
            return hit[1]
        plain = self.field.decrypt(instance, value)  # type: ignore[attr-defined]
        opened[self.field.attname] = (value, plain)
        return plain


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    descriptor_class = EncryptedAttribute

    def decrypt(self, instance: Any, token: str) -> str:
        from interlude.encryption.keys import data_key_for

        kind, owner_id = instance.encryption_owner()
        return decrypt_text(data_key_for(kind, owner_id, create=False), token, _aad(instance, self))

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        from interlude.encryption.keys import data_key_for

        value = model_instance.__dict__.get(self.attname)
        if value is None or isinstance(value, Ciphertext):
            return value
        kind, owner_id = model_instance.encryption_owner()
        token = Ciphertext(
            encrypt_text(data_key_for(kind, owner_id), str(value), _aad(model_instance, self))
        )
        model_instance.__dict__[self.attname] = token
        model_instance.__dict__.setdefault("_opened_fields", {})[self.attname] = (token, value)
        return token

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else Ciphertext(value)

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, Ciphertext):
            return None if value is None else str(value)
        raise TypeError(
            "Encrypted fields are written only by saving a model instance; "
            "they cannot be filtered on or set with QuerySet.update()."
        )

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise TypeError("Encrypted fields cannot be filtered on.")
        return super().get_lookup(lookup_name)

    def get_placeholder(self, value: Any, compiler: Any, connection: Any) -> str:
        if hasattr(value, "as_sql"):
            raise TypeError("Encrypted fields cannot be set from an expression.")
        return "%s"

    def to_python(self, value: Any) -> Any:
        return value

    def value_to_string(self, obj: Any) -> str:
        return str(self.value_from_object(obj) or "")
