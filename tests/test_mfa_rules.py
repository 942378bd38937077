"""Two-step sign-in rules: codes work once, practitioners keep a factor, passkeys count."""

from __future__ import annotations

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.core import mail
from django.test import Client
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


# --- What counts as a second factor -----------------------------------------------------------


def add_key(user, name: str = "Laptop") -> Authenticator:
    """A passkey row as allauth stores it (the browser ceremony is tested in Chromium)."""
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": name, "credential": {}}
    )


def test_recovery_codes_alone_do_not_open_practice_pages(client):
    tess = make_therapist("tess@example.test", mfa=False)
    RecoveryCodes.activate(tess)
    client.force_login(tess)
    assert client.get(reverse("caseload"))["Location"] == reverse("mfa_required")


def test_a_passkey_alone_opens_practice_pages(client):
    tess = make_therapist("tess@example.test", mfa=False)
    add_key(tess)
    client.force_login(tess)
    assert client.get(reverse("caseload")).status_code == 200


# --- A practitioner keeps at least one -------------------------------------------------------


def test_a_therapist_cannot_turn_off_their_only_authenticator_app(client):
    alice = make_therapist("alice@example.test")
    client.force_login(alice)
    confirm_its_you(client)
    page = client.get(reverse("mfa_deactivate_totp"))
    assert b"always keeps one" in page.content
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200 and b"always keeps one" in response.content
    assert Authenticator.objects.filter(user=alice, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("caseload")).status_code == 200


def test_a_therapist_cannot_remove_their_only_passkey(client):
    tess = make_therapist("tess@example.test", mfa=False)
    key = add_key(tess)
    client.force_login(tess)
    confirm_its_you(client)
    url = reverse("mfa_remove_webauthn", kwargs={"pk": key.pk})
    response = client.post(url, follow=True)
    assert b"always keeps one" in response.content
    assert Authenticator.objects.filter(pk=key.pk).exists()


def test_recovery_codes_do_not_make_the_last_factor_removable(client):
    alice = make_therapist("alice@example.test")
    key = add_key(alice)
    client.force_login(alice)
    confirm_its_you(client)
    # Two factors: either may go.
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=alice, type=Authenticator.Type.TOTP).exists()
    # Now the passkey (and the recovery codes) are left: the passkey stays.
    client.post(reverse("mfa_remove_webauthn", kwargs={"pk": key.pk}))
    assert Authenticator.objects.filter(pk=key.pk).exists()


def test_a_client_may_remove_their_last_factor(client, cast):
    from interlude.testing import enrol_mfa

    enrol_mfa(cast.bob)
    client.force_login(cast.bob)
    confirm_its_you(client)
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=cast.bob).exists()


# --- A practitioner who lost their factor starts again from an e-mailed link ----------------


def test_a_lost_factor_is_set_up_again_only_after_an_emailed_link(
    client, django_capture_on_commit_callbacks
):
    alice = make_therapist("alice@example.test")
    client.force_login(alice)
    assert client.get(reverse("caseload")).status_code == 200
    # Support removes her authenticator app (her phone was lost), from a shell.
    with django_capture_on_commit_callbacks(execute=True):
        Authenticator.objects.filter(user=alice, type=Authenticator.Type.TOTP).delete()
    assert not Authenticator.objects.filter(user=alice).exists(), "old recovery codes go too"
    assert client.get(reverse("caseload"))["Location"].startswith(reverse("account_login"))
    notice = mail.outbox[-1]
    assert notice.to == ["alice@example.test"] and "removed" in notice.body

    # Her password alone does not sign her in: an e-mailed link comes first.
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in_with_password(client, "alice@example.test")
    assert response["Location"] == reverse("account_email_verification_sent")
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body

    # A session that was somehow still open cannot set up a new factor before the link is used.
    other = Client()
    other.force_login(alice)
    response = other.get(reverse("mfa_activate_totp"))
    assert response["Location"] == reverse("mfa_index")
    page = other.get(reverse("mfa_index"))
    assert b"confirm your e-mail address" in page.content and b"E-mail me the link" in page.content

    # The link signs her in; she sets up her app on her new phone.
    client.post(link.group(1))
    assert client.get(reverse("caseload"))["Location"] == reverse("mfa_required")
    confirm_its_you(client)
    client.get(reverse("mfa_activate_totp"))
    code = totp_now(client.session[SECRET_SESSION_KEY])
    assert client.post(reverse("mfa_activate_totp"), {"code": code}).status_code == 302
    assert client.get(reverse("caseload")).status_code == 200


def test_a_clients_lost_factor_changes_nothing_else(client, cast):
    from interlude.testing import enrol_mfa

    enrol_mfa(cast.bob)
    client.force_login(cast.bob)
    Authenticator.objects.filter(user=cast.bob, type=Authenticator.Type.TOTP).delete()
    assert client.get(reverse("home")).status_code == 200
    assert EmailAddress.objects.get(user=cast.bob).verified
