"""Account e-mails, sent by the background worker (see interlude/accounts/mail.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.urls import reverse
from django_tasks import task

from interlude.accounts.mail import absolute, message, send_or_retry, site
from interlude.accounts.models import User


def _later(task_: Any, *args: Any) -> Any:
    def again(*, attempt: int, run_after: datetime) -> None:
        task_.using(run_after=run_after).enqueue(*args, attempt=attempt)

    return again


@task()
def send_rendered(to: str, subject: str, body: str, attempt: int = 1) -> None:
    """A message with no secret in it, rendered when it was asked for."""
    send_or_retry(
        lambda: message(to=to, subject=subject, body=body).send(),
        again=_later(send_rendered, to, subject, body),
        attempt=attempt,
        what="an account notice",
    )


@task()
def send_password_reset(user_id: int, email: str, attempt: int = 1) -> None:
    """The reset link, made when it is sent (its key is derived from the account's state, so it
    stops working once the password changes or the person signs in)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    url = absolute(path.replace("UID-KEY", key))
    context = {
        "user": user,
        "password_reset_url": url,
        "email": email,
        "current_site": site(),
        "site_name": settings.SITE_NAME,
    }
    send_or_retry(
        lambda: (
            get_adapter().render_mail("account/email/password_reset_key", email, context).send()
        ),
        again=_later(send_password_reset, user_id, email),
        attempt=attempt,
        what="a password reset link",
    )


@task()
def send_email_confirmation(email_address_id: int, signup: bool, attempt: int = 1) -> None:
    """The address-confirmation link, made when it is sent (derived from the address row)."""
    address = EmailAddress.objects.select_related("user").filter(pk=email_address_id).first()
    if address is None or address.verified:
        return
    confirmation = EmailConfirmationHMAC(address)
    url = absolute(reverse("account_confirm_email", args=[confirmation.key]))
    context = {
        "user": address.user,
        "key": confirmation.key,
        "activate_url": url,
        "email": address.email,
        "current_site": site(),
        "site_name": settings.SITE_NAME,
    }
    prefix = "account/email/email_confirmation" + ("_signup" if signup else "")
    send_or_retry(
        lambda: get_adapter().render_mail(prefix, address.email, context).send(),
        again=_later(send_email_confirmation, email_address_id, signup),
        attempt=attempt,
        what="an address confirmation link",
    )


# The therapist's e-mail when something a client said needs their attention soon (the safety
# answer to a questionnaire, or feeling pressured or unsafe while practising): nothing about
# what was said, or by whom.
ALERT_SUBJECT = "Something in Interlude needs your attention"
ALERT_BODY = (
    "Hello,\n\n"
    "Something in Interlude needs your attention. Please sign in to see it:\n\n"
    "{link}\n\n"
    "This message is sent by Interlude and holds no details, for privacy.\n"
)


def alert_therapist(therapist: User) -> None:
    """Queue the neutral "needs your attention" e-mail to THERAPIST."""
    send_rendered.enqueue(
        therapist.email, ALERT_SUBJECT, ALERT_BODY.format(link=absolute(reverse("caseload")))
    )
