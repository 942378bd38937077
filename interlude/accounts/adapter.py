from __future__ import annotations

import contextlib
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from interlude.accounts import tasks
from interlude.accounts.mail import site
from interlude.accounts.models import User


class AccountAdapter(DefaultAccountAdapter):
    """Public sign-up creates therapists; clients only ever join by invitation. Every e-mail
    carries the configured site name and goes through the task queue (accounts/mail.py); every
    message is in Interlude's words."""

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

    def send_password_reset_mail(self, user: Any, email: str, context: dict[str, Any]) -> None:
        # The task makes the link when it sends: the key is never written into the queue.
        transaction.on_commit(lambda: tasks.send_password_reset.enqueue(user.pk, email))

    def send_confirmation_mail(
        self, request: HttpRequest, emailconfirmation: Any, signup: bool
    ) -> None:
        address = emailconfirmation.email_address
        if address.pk is None:  # allauth's own confirmation for an address it has not stored
            address = EmailAddress.objects.get(user=address.user, email__iexact=address.email)
        transaction.on_commit(
            lambda: tasks.send_email_confirmation.enqueue(address.pk, bool(signup))
        )

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Messages without a secret in them (notices): rendered now, sent by the worker."""
        secrets_in_it = {"key", "code", "password_reset_url", "activate_url"} & set(context)
        if secrets_in_it:  # those are sent by their own tasks, which make the link at send time
            raise RuntimeError(f"{template_prefix} would queue a secret: {sorted(secrets_in_it)}")
        context = {
            "email": email,
            "site_name": settings.SITE_NAME,
            "current_site": site(),
            **context,
        }
        context.pop("request", None)
        rendered = self.render_mail(template_prefix, email, context)
        subject, body = str(rendered.subject), str(rendered.body)
        transaction.on_commit(lambda: tasks.send_rendered.enqueue(email, subject, body))

    def send_notification_mail(
        self,
        template_prefix: str,
        user: AbstractBaseUser,
        context: dict[str, Any] | None = None,
        email: str | None = None,
    ) -> None:
        """allauth's security notices, also when there is no request (a change made from a
        shell or a support script): then the place and browser are simply left out."""
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
        methods: list[dict[str, Any]] = super().get_reauthentication_methods(user)
        for method in methods:
            method["description"] = words.get(method["id"], method["description"])
        return methods
