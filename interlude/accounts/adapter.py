from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from interlude.accounts.models import User


class AccountAdapter(DefaultAccountAdapter):
    """Public sign-up creates therapists; clients only ever join by invitation."""

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user.kind = User.Kind.THERAPIST
        user.name = form.cleaned_data.get("name", "")
        return super().save_user(request, user, form, commit=commit)
