from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.db import transaction
from django.http import HttpRequest

from interlude.accounts import tasks
from interlude.accounts.mail import site
from interlude.accounts.models import User


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth is untyped
    """Public sign-up creates therapists; clients only ever join by invitation. Every e-mail
    goes through the task queue (interlude/accounts/mail.py)."""

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user.kind = User.Kind.THERAPIST
        user.name = form.cleaned_data.get("name", "")
        return super().save_user(request, user, form, commit=commit)

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
        context = {"email": email, "current_site": site(), **context}
        context.pop("request", None)
        rendered = self.render_mail(template_prefix, email, context)
        subject, body = str(rendered.subject), str(rendered.body)
        transaction.on_commit(lambda: tasks.send_rendered.enqueue(email, subject, body))
