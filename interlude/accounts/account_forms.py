"""allauth's account forms in Interlude's words (settings.ACCOUNT_FORMS points here).

Only labels, help and messages change: the checks themselves stay allauth's. Django's built-in
messages ("Enter a valid email address.", "Ensure this value has at most 320 characters") are
replaced field by field, so every message on the account pages reads the same way.
"""

from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from django import forms

REQUIRED = "Please fill this in."
MESSAGES = {
    "max_length": "Please use at most %(limit_value)d characters (this has %(show_value)d).",
    "min_length": "Please use at least %(limit_value)d characters (this has %(show_value)d).",
    "max_value": "Please choose a number no higher than %(limit_value)s.",
    "min_value": "Please choose a number no lower than %(limit_value)s.",
}
INVALID = {
    forms.EmailField: "Please type a whole e-mail address, like name@example.com.",
    forms.IntegerField: "Please type a whole number.",
    forms.JSONField: "That didn't go through. Please try again.",
}


def in_our_words(form: forms.Form) -> None:
    """Plain, kind messages for Django's own field checks; no placeholders (the labels say it)."""
    for field in form.fields.values():
        field.error_messages.update(MESSAGES)
        field.error_messages["required"] = (
            "Please tick this box." if isinstance(field, forms.BooleanField) else REQUIRED
        )
        for kind, message in INVALID.items():
            if isinstance(field, kind):
                field.error_messages["invalid"] = message
        if isinstance(field, forms.JSONField):
            # A passkey's answer, filled in by the browser: missing when the request was closed.
            field.error_messages["required"] = INVALID[forms.JSONField]
        field.widget.attrs.pop("placeholder", None)


def relabel(form: forms.Form, **labels: str) -> None:
    for name, label in labels.items():
        if name in form.fields:
            form.fields[name].label = label


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_our_words(self)
        relabel(self, login="Email address", password="Password")
        # The page has its own "Forgotten your password?" link: one is enough.
        self.fields["password"].help_text = ""


class SignupForm(allauth_forms.SignupForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_our_words(self)


class AddEmailForm(allauth_forms.AddEmailForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_our_words(self)
        relabel(self, email="New e-mail address")


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_our_words(self)
        relabel(
            self,
            oldpassword="Current password",
            password1="New password",
            password2="New password again",
        )
        self.fields["oldpassword"].help_text = ""


class SetPasswordForm(allauth_forms.SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_our_words(self)
        relabel(self, password1="Password", password2="Password again")


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_our_words(self)
        relabel(self, email="Email address")


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_our_words(self)
        relabel(self, password1="New password", password2="New password again")


class ReauthenticateForm(allauth_forms.ReauthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_our_words(self)
        relabel(self, password="Password")
        self.fields["password"].help_text = ""
