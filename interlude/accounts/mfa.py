"""Two-step sign-in secrets (TOTP keys, recovery-code seeds) are encrypted at rest with the
master key, so a copy of the database alone cannot generate anyone's codes."""

from __future__ import annotations

from allauth.mfa.adapter import DefaultMFAAdapter

from interlude.encryption.keys import master_keys
from interlude.lib.crypto import DecryptionError, decrypt_text, encrypt_text

PREFIX = "m1:"
AAD = b"interlude-mfa-secret"


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]  # allauth is untyped
    def encrypt(self, text: str) -> str:
        newest = master_keys()[0]
        return f"{PREFIX}{newest.key_id}:{encrypt_text(newest.key, text, AAD)}"

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(PREFIX):
            raise DecryptionError("An MFA secret is stored without encryption.")
        key_id, token = encrypted_text[len(PREFIX) :].split(":", 1)
        for master in master_keys():
            if master.key_id == key_id:
                return decrypt_text(master.key, token, AAD)
        raise DecryptionError(f"Master key {key_id} is not configured.")
