"""End to end in Chromium: sign-up, two-step sign-in, invitations, linking, quick exit."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail

from interlude.accounts.models import User
from interlude.couples.models import CoupleMember
from interlude.testing import PASSWORD, make_cast

pytestmark = pytest.mark.django_db(transaction=True)

PASSPHRASE = "lanterns over still water"


def last_link(pattern: str) -> str:
    for message in reversed(mail.outbox):
        found = re.search(pattern, message.body)
        if found:
            return found.group(0)
    raise AssertionError(f"no e-mail with {pattern}")


def totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_the_foundation_journey(new_page, shoot, live_server):
    # A therapist signs up, confirms their e-mail and is asked to turn on two-step sign-in.
    page = new_page()
    page.goto("/")
    shoot(page, "01-welcome")
    page.get_by_role("link", name="Sign in").first.click()
    shoot(page, "02-sign-in")
    page.get_by_role("link", name="create an account for your practice").click()
    page.get_by_label("Email").fill("sam@example.test")
    page.get_by_label("Your name").fill("Sam Rivera")
    page.get_by_label("Practice name").fill("Harbour Therapy")
    page.get_by_label("Password", exact=True).fill(PASSPHRASE)
    page.get_by_label("Password (again)").fill(PASSPHRASE)
    shoot(page, "03-sign-up")
    page.get_by_role("button", name="Create account").click()
    page.goto(
        last_link(r"https?://\S+/accounts/confirm-email/\S+/").replace("http://testserver", "")
    )
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/secure-your-account/")
    shoot(page, "04-mfa-required")
    page.get_by_role("link", name="Set up an authenticator app").click()
    # Turning on two-step sign-in asks for the password again first.
    page.get_by_label("Password").fill(PASSPHRASE)
    page.get_by_role("button", name="Confirm").click()
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_now(secret))
    shoot(page, "05-mfa-activate")
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url("**/recovery-codes/**")
    shoot(page, "06-recovery-codes")

    # The therapist invites a client.
    page.goto("/clients/")
    shoot(page, "07-caseload-empty")
    page.get_by_role("link", name="Invite a client").click()
    page.get_by_label("Their name").fill("Nia")
    page.get_by_label("Their e-mail address").fill("nia@example.test")
    shoot(page, "08-invite-client")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("Invitation sent to nia@example.test").wait_for()

    # The client opens the link from the e-mail, sets a password and lands on their home.
    client_page = new_page()
    client_page.goto(last_link(r"/invite/[^/\s]+/"))
    shoot(client_page, "09-accept-invitation")
    client_page.get_by_role("button", name="Create my account").click()
    client_page.get_by_text("Something needs another look").wait_for()
    assert client_page.get_by_label("What would you like to be called?").input_value() == "Nia"
    client_page.get_by_label("Choose a password").fill(PASSPHRASE)
    client_page.get_by_label("The same password again").fill(PASSPHRASE)
    client_page.get_by_label("I have read how Interlude works").check()
    client_page.get_by_role("button", name="Create my account").click()
    client_page.get_by_role("heading", name="Hello, Nia").wait_for()
    shoot(client_page, "10-client-home")

    # The client invites a partner, who accepts and consents: both are linked.
    client_page.get_by_role("link", name="Partner").click()
    client_page.get_by_label("Their name").fill("Kai")
    client_page.get_by_label("Their e-mail address").fill("kai@example.test")
    shoot(client_page, "11-invite-partner")
    client_page.get_by_role("button", name="Ask to invite them").click()
    client_page.get_by_text("You asked to invite Kai").wait_for()
    # Nothing reaches Kai until the therapist sends it, from her caseload.
    page.goto("/clients/")
    page.get_by_role("link", name="Nia would like to invite their partner").click()
    shoot(page, "11b-invitation-waiting")
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_role("heading", name="Waiting for you: an invitation").wait_for(state="detached")
    client_page.reload()
    client_page.get_by_text("You invited Kai").wait_for()
    partner_page = new_page()
    partner_page.goto(last_link(r"/invite/[^/\s]+/"))
    partner_page.get_by_label("Choose a password").fill(PASSPHRASE)
    partner_page.get_by_label("The same password again").fill(PASSPHRASE)
    partner_page.get_by_label("I have read how Interlude works").check()
    partner_page.get_by_label("I agree to link my account").check()
    shoot(partner_page, "12-partner-accepts")
    partner_page.get_by_role("button", name="Create my account").click()
    partner_page.get_by_role("heading", name="Hello, Kai").wait_for()
    partner_page.get_by_role("link", name="Partner").click()
    partner_page.get_by_text("You're linked with").wait_for()
    shoot(partner_page, "13-partner-linked")
    client_page.reload()
    client_page.get_by_text("You're linked with Kai").wait_for()
    nia, kai = (
        User.objects.get(email="nia@example.test"),
        User.objects.get(email="kai@example.test"),
    )
    assert CoupleMember.objects.get(client=nia).is_linked
    assert CoupleMember.objects.get(client=kai).is_linked

    # The therapist sees both clients in the caseload.
    page.goto("/clients/")
    page.get_by_role("link", name="Nia").wait_for()
    page.get_by_role("link", name="Kai").wait_for()
    shoot(page, "14-caseload")
    page.get_by_role("link", name="Nia").click()
    page.get_by_text("Linked with").wait_for()
    shoot(page, "15-client-detail")


def test_quick_exit_leaves_and_back_does_not_return(new_page, shoot, neutral_site):
    make_cast()
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("bob@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Hello, Bob").wait_for()
    page.get_by_role("link", name="Partner").click()
    page.wait_for_url("**/partner/")
    shoot(page, "20-before-quick-exit")
    page.get_by_role("link", name="Exit this page").click()
    page.wait_for_url(neutral_site)
    assert "Weather today" in page.content()
    page.go_back()
    page.wait_for_timeout(300)
    page.wait_for_url(neutral_site)
    assert "Interlude" not in page.content()

    # Shift pressed three times does the same, from any page.
    page.goto("/")
    page.get_by_role("heading", name="Hello, Bob").wait_for()
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(neutral_site)
    page.go_back()
    page.wait_for_timeout(300)
    assert page.url == neutral_site


def test_typing_capitals_does_not_trigger_quick_exit(new_page, neutral_site):
    make_cast()
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").click()
    page.keyboard.type("Bob AND Carol Example")
    page.wait_for_timeout(300)
    assert "/accounts/login/" in page.url
