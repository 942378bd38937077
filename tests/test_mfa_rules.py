"""Two-step sign-in rules: codes work once, practitioners keep a factor, passkeys count."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.urls import reverse

from interlude.testing import PASSWORD, make_therapist

pytestmark = pytest.mark.django_db


def totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def confirm_its_you(client) -> None:
    """Type the password again, as the account pages ask before changing a sign-in method."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content


def sign_in_with_password(client, email: str):
    client.logout()
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


# --- A code works once ------------------------------------------------------------------------


def test_the_code_that_turns_on_the_app_cannot_sign_in_again(client):
    tess = make_therapist("tess@example.test", mfa=False)
    client.force_login(tess)
    confirm_its_you(client)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    code = totp_now(secret)
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=tess, type=Authenticator.Type.TOTP).exists()

    # Someone who watched the code being typed tries it at sign-in, within the same 30 seconds.
    response = sign_in_with_password(client, "tess@example.test")
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200, "the activation code signed in a second time"
    assert client.get(reverse("caseload"))["Location"].startswith(reverse("account_login"))
