from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from interlude.accounts.models import User


@dataclass(frozen=True)
class SiteName:
    """Stands in for django.contrib.sites (not installed): without it allauth names the site
    after the request's host ("Hello from 127.0.0.1:8131!")."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    """Public sign-up creates therapists; clients only ever join by invitation. Every e-mail
    carries the configured site name; every message is in Interlude's words."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": "This account is closed. If you think that's a mistake, please "
        "ask your practice.",
        "cannot_remove_primary_email": "This is the address you sign in with, so it stays. To "
        "change it, add the new address, confirm it and make it your main one first.",
        "duplicate_email": "This address is already on your account.",
        "email_password_mismatch": "That e-mail address and password don't match an account. "
        "Please check both and try again.",
        "email_taken": "Another account already uses this e-mail address.",
        "enter_current_password": "Please type your current password.",
        "incorrect_code": "That code wasn't accepted. Please check it and try again.",
        "incorrect_password": "That isn't your current password. Please try again.",
        "invalid_or_expired_key": "This link has expired or has already been used. You can ask "
        "for a new one.",
        "invalid_login": "That didn't sign you in. Please check your details and try again.",
        "invalid_password_reset": "This link has expired or has already been used. You can ask "
        "for a new one.",
        "max_email_addresses": "You can have up to %d e-mail addresses.",
        "too_many_login_attempts": "Too many tries in a short time. To keep your account safe, "
        "please wait a few minutes before trying again.",
        "unknown_email": "No account uses this e-mail address.",
        "unverified_primary_email": "Please confirm your main e-mail address first.",
        "select_only_one": "Please choose just one.",
        "same_as_current": "That's the same as the current one.",
        "rate_limited": "Too many tries in a short time. Please wait a few minutes and try again.",
    }

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user.kind = User.Kind.THERAPIST
        user.name = form.cleaned_data.get("name", "")
        return super().save_user(request, user, form, commit=commit)

    def format_email_subject(self, subject: str) -> str:
        return f"{settings.SITE_NAME}: {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = allauth_context.request
        ctx: dict[str, Any] = {
            "request": request,
            "email": email,
            "site_name": settings.SITE_NAME,
            "current_site": SiteName(
                settings.SITE_NAME, request.get_host() if request is not None else ""
            ),
        }
        ctx.update(context)
        self.render_mail(template_prefix, email, ctx).send()

    def send_notification_mail(
        self,
        template_prefix: str,
        user: AbstractBaseUser,
        context: dict[str, Any] | None = None,
        email: str | None = None,
    ) -> None:
        """allauth's security notices, also when there is no request (a change made from a
        shell or a support script): then the place and browser are simply left out."""
        from allauth.account.models import EmailAddress

        if not account_settings.EMAIL_NOTIFICATIONS:
            return
        email = email or EmailAddress.objects.get_primary_email(user)
        if not email:
            return
        request = allauth_context.request
        ctx: dict[str, Any] = {"timestamp": timezone.now(), "ip": "", "user_agent": ""}
        if request is not None:
            with contextlib.suppress(PermissionDenied):  # no address known: leave it out
                ctx["ip"] = self.get_client_ip(request)
            ctx["user_agent"] = request.META.get("HTTP_USER_AGENT", "")[:200]
        ctx.update(context or {})
        self.send_mail(template_prefix, email, ctx)

    def get_reauthentication_methods(self, user: Any) -> list[dict[str, Any]]:
        words = {
            "reauthenticate": "Type your password",
            "mfa_reauthenticate": "Type a code from your authenticator app, or a recovery code",
            "mfa_reauthenticate:webauthn": "Use a passkey or security key",
        }
        methods = super().get_reauthentication_methods(user)
        for method in methods:
            method["description"] = words.get(method["id"], method["description"])
        return methods
