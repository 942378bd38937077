"""allauth's two-step sign-in forms, with Interlude's rules and words (settings.MFA_FORMS)."""

from __future__ import annotations

from typing import Any

from allauth.mfa.base import forms as base_forms
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.webauthn import forms as webauthn_forms

from interlude.accounts.account_forms import in_our_words, relabel

CODE_LABEL = "Code from your authenticator app, or a recovery code"
NAME_HELP = 'So you can tell them apart later, for example "Work laptop" or "Phone".'


def code_field(form: Any, label: str, help_text: str = "") -> None:
    in_our_words(form)
    field = form.fields["code"]
    field.label = label
    field.help_text = help_text
    field.widget.attrs.update({"inputmode": "numeric", "autocomplete": "one-time-code"})


def code_label(user: Any) -> str:
    """Someone with passkeys but no authenticator app can only type a recovery code."""
    has_app = Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP)
    return CODE_LABEL if has_app.exists() else "Recovery code"


class AuthenticateForm(base_forms.AuthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code_field(self, code_label(self.user))


class ReauthenticateForm(base_forms.ReauthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code_field(self, code_label(self.user))


class ActivateTOTPForm(AllauthActivateTOTPForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code_field(self, "Authenticator code")

    def clean_code(self) -> str:
        code: str = super().clean_code()
        # allauth remembers a used code (in the cache, for one 30-second period) only when it
        # signs someone in. The code typed to turn the app on is marked here too, so that
        # someone who saw it typed cannot sign in with it in the same 30 seconds.
        not_yet_saved = Authenticator(user_id=self.user.pk, type=Authenticator.Type.TOTP)
        TOTP(not_yet_saved)._mark_code_used(code)
        return code


class AddWebAuthnForm(webauthn_forms.AddWebAuthnForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_our_words(self)
        relabel(self, name="Name")
        self.fields["name"].help_text = NAME_HELP
        if "passwordless" in self.fields:
            passkey = self.fields["passwordless"]
            passkey.label = "Make it a passkey"
            passkey.help_text = (
                "A passkey signs you in on its own, with your fingerprint, face or screen "
                "lock, without your password. Untick this for a security key without a PIN: "
                "it will then be asked for after your password."
            )
            passkey.initial = True


class EditWebAuthnForm(webauthn_forms.EditWebAuthnForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_our_words(self)
        relabel(self, name="Name")


class ReauthenticateWebAuthnForm(webauthn_forms.ReauthenticateWebAuthnForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_our_words(self)


class AuthenticateWebAuthnForm(webauthn_forms.AuthenticateWebAuthnForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_our_words(self)


class LoginWebAuthnForm(webauthn_forms.LoginWebAuthnForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_our_words(self)
