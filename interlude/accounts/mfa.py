"""Two-step sign-in secrets (TOTP keys, recovery-code seeds) are encrypted at rest with the
master key, so a copy of the database alone cannot generate anyone's codes."""

from __future__ import annotations

from typing import Any

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings

from interlude.accounts import factors
from interlude.encryption.keys import master_keys
from interlude.lib.crypto import DecryptionError, decrypt_text, encrypt_text

PREFIX = "m1:"
AAD = b"interlude-mfa-secret"


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "add_email_blocked": "While two-step sign-in is on, a new e-mail address can't be "
        "added here.",
        "cannot_delete_authenticator": "This is the only second step on your account, and "
        "because you look after clients' records, your account always keeps one. To move to a "
        "new phone or key, first add another way to sign in (a passkey or an authenticator "
        "app), then come back and remove this one.",
        "cannot_generate_recovery_codes": "Recovery codes come with an authenticator app or a "
        "passkey. Please add one of those first.",
        "incorrect_code": "That code wasn't accepted. Codes change every 30 seconds: please "
        "type the newest one and try again.",
        "unverified_email": "Before you add a new way to sign in, please confirm your e-mail "
        "address: open the link we e-mail you. You can ask for the link on this page.",
    }

    def is_mfa_enabled(self, user: Any, types: Any = None) -> bool:
        """Whether USER has a second step at sign-in. Asked without types (by the therapist
        rule, the account pages, allauth's e-mail checks), recovery codes alone do not count:
        they are a way back to a factor, not one."""
        chosen = factors.FACTOR_TYPES if types is None else types
        return bool(super().is_mfa_enabled(user, types=chosen))

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        return factors.can_remove(authenticator)

    def _get_site_name(self) -> str:
        # Names the site in authenticator apps and in the browser's passkey prompt; allauth
        # would otherwise use the request's host ("localhost:8000").
        return str(settings.SITE_NAME)

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
