"""Accounts: therapists sign up and must enrol two-step sign-in; sign-in is rate limited."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from interlude.accounts.models import User
from interlude.practice.models import Membership
from interlude.testing import PASSWORD, enrol_mfa, make_therapist

pytestmark = pytest.mark.django_db

GOOD = "tide pools at dusk"


def signup(client, **overrides):
    data = {
        "email": "sam@example.test",
        "name": "Sam Rivera",
        "practice_name": "Harbour Therapy",
        "password1": GOOD,
        "password2": GOOD,
    }
    data.update(overrides)
    return client.post(reverse("account_signup"), data)


def test_it_creates_a_therapist_with_a_practice_they_administer(client):
    response = signup(client)
    assert response.status_code == 302
    sam = User.objects.get(email="sam@example.test")
    assert sam.kind == User.Kind.THERAPIST and sam.name == "Sam Rivera"
    membership = Membership.objects.get(user=sam)
    assert membership.is_admin and membership.is_therapist
    assert membership.practice.name == "Harbour Therapy"
    assert sam.password.startswith("argon2")


def test_it_asks_to_verify_the_email_address_before_sign_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    assert "confirm" in mail.outbox[-1].body.lower() or "verify" in mail.outbox[-1].body.lower()
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "sam@example.test", "password": GOOD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")


def test_it_keeps_signup_input_and_explains_password_rules(client):
    response = signup(client, password1="password123", password2="password123")
    assert response.status_code == 200
    assert b"too common" in response.content
    assert (
        b'value="Sam Rivera"' in response.content and b'value="Harbour Therapy"' in response.content
    )
    response = signup(client, password1="a1!", password2="a1!")
    assert b"at least 10 characters" in response.content
    assert not User.objects.filter(email="sam@example.test").exists()


def test_it_requires_mfa_before_any_practice_page(client):
    tess = make_therapist("tess@example.test", mfa=False)
    client.force_login(tess)
    for url in (reverse("caseload"), reverse("team"), reverse("home"), reverse("client_invite")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("mfa_required"), url
    page = client.get(reverse("mfa_required"))
    assert b"turn on two-step sign-in" in page.content
    assert client.get(reverse("mfa_index")).status_code == 200
    enrol_mfa(tess)
    assert client.get(reverse("caseload")).status_code == 200


def test_it_asks_for_the_second_step_at_sign_in(client):
    alice = make_therapist("alice@example.test")
    response = client.post(
        reverse("account_login"), {"login": "alice@example.test", "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("caseload"))["Location"].startswith(reverse("account_login"))
    assert Authenticator.objects.filter(user=alice).count() == 2


def test_it_rate_limits_failed_sign_ins(client):
    make_therapist("alice@example.test")
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": "alice@example.test", "password": "wrong guess!"}
        )
        assert response.status_code == 200
    response = client.post(
        reverse("account_login"), {"login": "alice@example.test", "password": PASSWORD}
    )
    assert response.status_code == 429 or b"Too many" in response.content


def test_it_sends_a_password_reset_link(client, django_capture_on_commit_callbacks):
    make_therapist("alice@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "alice@example.test"})
    body = mail.outbox[-1].body
    link = re.search(r"http://testserver(/accounts/password/reset/key/[^\s]+)", body)
    assert link, body
    assert mail.outbox[-1].subject.startswith("Interlude: ")
    # The link made by the background task works.
    response = client.get(link.group(1))
    assert response.status_code == 302 and "set-password" in response["Location"]


def test_it_lists_sessions_and_signs_out_everywhere_else(cast):
    from django.test import Client

    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        assert device.login(email="bob@example.test", password=PASSWORD)
        device.get(reverse("home"))
    page = laptop.get(reverse("usersessions_list"))
    assert page.status_code == 200
    assert page.content.count(b"<tr") >= 3  # a header row and both sessions
    laptop.post(reverse("usersessions_list"), {})
    assert laptop.get(reverse("home")).status_code == 200
    assert phone.get(reverse("partner"))["Location"].startswith(reverse("account_login"))


def test_it_never_lets_pages_be_cached(client, cast):
    client.force_login(cast.bob)
    response = client.get(reverse("home"))
    assert response["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_it_stores_two_step_secrets_encrypted(cast):
    from allauth.mfa.utils import decrypt

    totp = Authenticator.objects.get(user=cast.alice, type=Authenticator.Type.TOTP)
    stored = totp.data["secret"]
    assert stored.startswith("m1:")
    secret = decrypt(stored)
    assert len(secret) == 32 and secret not in stored


def test_it_asks_to_confirm_identity_before_changing_email_or_mfa(client, cast):
    client.force_login(cast.bob)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "b2@example.test"})
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    client.force_login(cast.alice)
    response = client.get(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302 and "reauthenticate" in response["Location"]


# --- The account pages speak Interlude's words, accessibly -----------------------------------

ALLAUTH_WORDS = re.compile(
    r"Two-Factor|two-factor|Confirm Access|[Rr]eauthenticate|Security Keys|Ensure this value|"
    r"Enter a valid|This field is required|Forgot your password|Sign In\b|Activate Authenticator"
)


def visible_text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_sign_in_page_has_one_forgotten_password_link(client):
    page = client.get(reverse("account_login"))
    assert page.content.count(reverse("account_reset_password").encode()) == 1
    assert b"Use a passkey" in page.content


def test_account_pages_use_interludes_words(client, cast):
    client.force_login(cast.alice)
    pages = [reverse("account_reauthenticate"), reverse("mfa_reauthenticate")]
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    pages += [
        reverse(name)
        for name in (
            "mfa_index",
            "mfa_deactivate_totp",
            "mfa_list_webauthn",
            "mfa_add_webauthn",
            "mfa_view_recovery_codes",
            "mfa_generate_recovery_codes",
            "account_email",
            "account_change_password",
            "usersessions_list",
        )
    ]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        found = ALLAUTH_WORDS.findall(visible_text(page))
        assert not found, f"{url}: {found}"
    client.logout()
    for url in (reverse("account_login"), reverse("account_reset_password")):
        found = ALLAUTH_WORDS.findall(visible_text(client.post(url, {})))
        assert not found, f"{url}: {found}"


def test_an_error_summary_takes_focus_and_links_to_each_field(client):
    page = client.post(reverse("account_login"), {"login": "not an address", "password": ""})
    html = page.content.decode()
    summary = re.search(r"<div[^>]*data-error-summary[^>]*>.*?</div>", html, re.S)
    assert summary and 'tabindex="-1"' in summary.group(0)
    assert 'href="#id_login"' in summary.group(0) and 'href="#id_password"' in summary.group(0)
    assert "Please type a whole e-mail address" in summary.group(0)
    assert "error-summary.js" in html
    # Each field's errors are tied to it, by ids that exist.
    for field in ("id_login", "id_password"):
        described = re.search(rf'<input[^>]*id="{field}"[^>]*>', html).group(0)
        ids = re.search(r'aria-describedby="([^"]+)"', described).group(1).split()
        assert f"{field}_error" in ids and all(f'id="{i}"' in html for i in ids), described
