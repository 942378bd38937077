"""Passkeys in Chromium, with a virtual authenticator (a built-in one with a fingerprint reader,
as on a laptop or phone), against the live server at http://localhost."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core import mail

from interlude.testing import PASSWORD, make_cast

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}


def with_fingerprint_reader(page):  # type: ignore[no-untyped-def]
    """A platform authenticator that keeps passkeys and checks the person (user verification)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    found = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, found["authenticatorId"]


def totp_now(user) -> str:  # type: ignore[no-untyped-def]
    secret = decrypt(
        Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    )
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in_with_password(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_text("Account", exact=True).click()  # the account menu holds Sign out
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Sign in").first.wait_for()
    page.goto("/accounts/login/")


def add_a_passkey(page, shoot, name: str, shot: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/2fa/")
    page.get_by_role("link", name="Add a passkey or security key").click()
    # Adding one asks for the password again first.
    page.get_by_role("heading", name="Confirm it's you").wait_for()
    shoot(page, shot.replace("add-passkey", "confirm-its-you"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Add a passkey or security key").wait_for()
    page.get_by_label("Name").fill(name)
    assert page.get_by_label("Make it a passkey").is_checked()
    shoot(page, shot)
    page.get_by_role("button", name="Add it").click()


def test_a_therapist_adds_a_passkey_and_signs_in_with_it_alone(new_page, shoot):
    cast = make_cast()
    page = new_page()
    with_fingerprint_reader(page)

    # Before any passkey: the sign-in page offers one; the code page does not offer a key.
    page.goto("/accounts/login/")
    assert page.get_by_role("button", name="Use a passkey").is_visible()
    shoot(page, "60-sign-in-phone")
    sign_in_with_password(page, "alice@example.test")
    page.get_by_role("heading", name="Two-step sign-in").wait_for()
    assert page.get_by_role("button", name="Use a passkey or security key").count() == 0
    shoot(page, "61-two-step-code-only-phone")
    page.get_by_label("Code").fill(totp_now(cast.alice))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/clients/")

    page.goto("/accounts/2fa/")
    shoot(page, "62-two-step-settings-phone")
    add_a_passkey(page, shoot, "Work laptop", "63-add-passkey-phone")
    page.get_by_text("Your passkey or security key is added.").wait_for()
    key = Authenticator.objects.get(user=cast.alice, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().is_passwordless is True
    assert any(m.subject == "Interlude: A passkey or security key was added" for m in mail.outbox)
    page.get_by_role("link", name="See and manage them").click()
    page.get_by_role("cell", name="Work laptop", exact=True).wait_for()
    page.get_by_text("Passkey", exact=True).wait_for()
    shoot(page, "64-passkeys-list-phone")

    # The passkey alone signs her in: no password, no code, and the practice pages open.
    sign_out(page)
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url("**/clients/")
    page.get_by_role("link", name="Clients").wait_for()

    # With a password, the two-step page now offers her key as well as a code.
    sign_out(page)
    sign_in_with_password(page, "alice@example.test")
    page.get_by_role("button", name="Use a passkey or security key").wait_for()
    shoot(page, "65-two-step-with-key-phone")
    page.get_by_role("button", name="Use a passkey or security key").click()
    page.wait_for_url("**/clients/")


def test_a_client_adds_a_passkey_and_signs_in_with_it(new_page, shoot):
    make_cast()
    page = new_page(**DESKTOP)
    with_fingerprint_reader(page)
    page.goto("/accounts/login/")
    shoot(page, "70-sign-in-desktop")
    sign_in_with_password(page, "bob@example.test")
    page.get_by_role("heading", name="Hello, Bob").wait_for()
    page.goto("/accounts/2fa/")
    shoot(page, "71-two-step-settings-desktop")
    add_a_passkey(page, shoot, "Phone", "72-add-passkey-desktop")
    # A first second factor comes with recovery codes.
    page.wait_for_url("**/recovery-codes/**")
    shoot(page, "73-recovery-codes-desktop")
    sign_out(page)
    page.get_by_role("button", name="Use a passkey").click()
    page.get_by_role("heading", name="Hello, Bob").wait_for()

    # With a password, the second step is now the passkey.
    sign_out(page)
    sign_in_with_password(page, "bob@example.test")
    page.get_by_role("heading", name="Two-step sign-in").wait_for()
    shoot(page, "74-two-step-key-desktop")
    page.get_by_role("button", name="Use a passkey or security key").click()
    page.get_by_role("heading", name="Hello, Bob").wait_for()


def test_a_cancelled_passkey_request_is_explained(new_page):
    make_cast()
    page = new_page()
    cdp, authenticator = with_fingerprint_reader(page)
    # The person does not confirm with their fingerprint: the browser refuses the request.
    cdp.send(
        "WebAuthn.setUserVerified", {"authenticatorId": authenticator, "isUserVerified": False}
    )
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Use a passkey").click()
    page.get_by_role("status").get_by_text(re.compile("didn't go through|closed before")).wait_for()
    assert "/accounts/login/" in page.url


def test_at_an_ip_address_passkeys_are_explained_not_offered(new_page, shoot, live_server):
    make_cast()
    page = new_page()
    at_ip = live_server.url.replace("localhost", "127.0.0.1")
    page.goto(f"{at_ip}/accounts/login/")
    page.get_by_text("Passkeys and security keys can't be used at this address").wait_for()
    assert not page.get_by_role("button", name="Use a passkey").is_visible()
    link = page.locator("[data-webauthn-localhost]")
    assert link.is_visible() and link.inner_text() == live_server.url
    assert link.get_attribute("href") == f"{live_server.url}/accounts/login/"
    shoot(page, "75-sign-in-at-ip-address-phone")


def test_a_therapist_keeps_their_last_passkey(new_page, shoot):
    cast = make_cast()
    page = new_page(**DESKTOP)
    with_fingerprint_reader(page)
    sign_in_with_password(page, "alice@example.test")
    page.get_by_label("Code").fill(totp_now(cast.alice))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/clients/")
    add_a_passkey(page, shoot, "Phone", "76-add-passkey-therapist-desktop")
    page.get_by_text("Your passkey or security key is added.").wait_for()

    # With a passkey in place, the authenticator app may go.
    page.get_by_role("link", name="Turn it off").click()
    shoot(page, "77-turn-off-app-desktop")
    page.get_by_role("button", name="Turn it off").click()
    page.get_by_text("The authenticator app is turned off.").wait_for()

    # The passkey is now her only second step: it stays, and she is told why and what to do.
    page.get_by_role("link", name="See and manage them").click()
    page.get_by_role("link", name="Remove Phone").click()
    page.get_by_text("your account always keeps one").wait_for()
    assert page.get_by_role("button", name="Remove it").count() == 0
    shoot(page, "78-last-passkey-stays-desktop")
    assert Authenticator.objects.filter(user=cast.alice, type=Authenticator.Type.WEBAUTHN).exists()


def test_a_sign_in_problem_takes_focus(new_page, shoot):
    make_cast()
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("bob@example.test")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator("[data-error-summary]")
    summary.get_by_text("don't match an account").wait_for()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    shoot(page, "79-sign-in-problem-phone")
