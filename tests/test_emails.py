"""Account e-mails: Interlude's own neutral words and the configured site name, never the
server's address; a notice for every change to how someone signs in."""

from __future__ import annotations

import re
import time
from pathlib import Path

import allauth
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.conf import settings
from django.core import mail
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone

from interlude.accounts.models import User
from interlude.testing import PASSWORD, make_therapist

pytestmark = pytest.mark.django_db

ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
OURS = Path(settings.BASE_DIR) / "templates"
# Nothing about therapy, bodies or intimacy in any account e-mail: a shared inbox, a lock-screen
# preview or a work mailbox must not give anything away.
NOT_IN_AN_EMAIL = re.compile(
    r"therap|sex|exercise|homework|intima|desire|couple|partner|client|clinic|counsel|erotic|"
    r"arous|orgasm|genital|sensate|fantas|body|bodies|touch",
    re.IGNORECASE,
)
ALLAUTH_WORDS = re.compile(r"Hello from|Thank you for using|Two-Factor|security key has been")


def allauth_email_templates() -> list[str]:
    names = []
    for folder in ("account/email", "mfa/email"):
        names += [f"{folder}/{p.name}" for p in sorted((ALLAUTH_TEMPLATES / folder).glob("*.txt"))]
    return names


def sample_context() -> dict[str, object]:
    user = User(email="sam@example.test", name="Sam", kind=User.Kind.THERAPIST)
    return {
        "user": user,
        "email": "sam@example.test",
        "site_name": settings.SITE_NAME,
        "activate_url": "http://localhost:8000/accounts/confirm-email/KEY/",
        "password_reset_url": "http://localhost:8000/accounts/password/reset/key/1-x/",
        "signup_url": "http://localhost:8000/accounts/signup/",
        "code": "123456",
        "key": "KEY",
        "from_email": "old@example.test",
        "to_email": "new@example.test",
        "deleted_email": "old@example.test",
        "timestamp": timezone.now(),
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
    }


@pytest.mark.parametrize("name", allauth_email_templates())
def test_every_account_email_is_written_by_interlude(name):
    origin = Path(get_template(name).origin.name)
    assert OURS in origin.parents, f"{name} still comes from allauth ({origin})"


@pytest.mark.parametrize(
    "name", [n for n in allauth_email_templates() if n.endswith("_subject.txt")]
)
def test_every_account_email_is_neutral(name):
    subject = render_to_string(name, sample_context()).strip()
    assert subject and "\n" not in subject
    body = render_to_string(name.replace("_subject.txt", "_message.txt"), sample_context())
    for text in (subject, body):
        assert not NOT_IN_AN_EMAIL.search(text), text
        assert not ALLAUTH_WORDS.search(text), text
    assert body.rstrip().endswith(settings.SITE_NAME)


def test_the_signup_confirmation_names_the_site_not_the_server(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_NAME = "Harbour Notes"
    settings.SITE_URL = "https://notes.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "email": "sam@example.test",
                "name": "Sam Rivera",
                "practice_name": "Harbour Therapy",
                "password1": "tide pools at dusk",
                "password2": "tide pools at dusk",
            },
            SERVER_NAME="127.0.0.1",
            SERVER_PORT="8131",
        )
    message = mail.outbox[-1]
    assert message.subject == "Harbour Notes: Please confirm your e-mail address"
    assert "127.0.0.1:8131!" not in message.body and "Hello from" not in message.body
    assert message.body.rstrip().endswith("Harbour Notes")
    # The link is made by the background worker, from the configured address, not the request.
    assert re.search(r"https://notes\.example\.org/accounts/confirm-email/\S+/", message.body)


# --- A notice for every change to how someone signs in ---------------------------------------


def test_turning_on_the_authenticator_app_sends_a_notice(
    client, django_capture_on_commit_callbacks
):
    tess = make_therapist("tess@example.test", mfa=False)
    client.force_login(tess)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": code})
    subjects = [m.subject for m in mail.outbox if m.to == ["tess@example.test"]]
    assert "Interlude: An authenticator app was added" in subjects


def test_removing_a_passkey_sends_a_notice(client, django_capture_on_commit_callbacks):
    alice = make_therapist("alice@example.test")
    key = Authenticator.objects.create(
        user=alice, type=Authenticator.Type.WEBAUTHN, data={"name": "Laptop", "credential": {}}
    )
    client.force_login(alice)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_remove_webauthn", kwargs={"pk": key.pk}))
    assert not Authenticator.objects.filter(pk=key.pk).exists()
    assert mail.outbox[-1].subject == "Interlude: A passkey or security key was removed"
    assert "When:" in mail.outbox[-1].body


def test_changing_the_password_sends_a_notice(client, django_capture_on_commit_callbacks):
    alice = make_therapist("alice@example.test")
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_change_password"),
            {
                "oldpassword": PASSWORD,
                "password1": "a new calm passphrase",
                "password2": "a new calm passphrase",
            },
        )
    assert mail.outbox[-1].subject == "Interlude: Your password was changed"
