from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation

from interlude.accounts.models import User


class SetPasswordFields(forms.Form):
    """Name and password for someone accepting an invitation."""

    name = forms.CharField(
        label="What would you like to be called?",
        max_length=80,
        help_text="Your therapist sees this name. A first name or nickname is fine.",
    )
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters. A few unrelated words make a strong, memorable one.",
    )
    password2 = forms.CharField(
        label="The same password again",
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords are different. Please type it again.")
        elif p1:
            try:
                password_validation.validate_password(
                    p1, User(email=self.email, name=data.get("name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
