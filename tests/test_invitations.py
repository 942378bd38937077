"""Clients and therapists join by single-use, expiring invitation links."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from interlude.accounts.models import User
from interlude.consents.models import Consent
from interlude.invitations.models import Invitation
from interlude.lib.tokens import hash_token
from interlude.testing import PASSWORD, make_therapist

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "slow river under stars"


def invite_client(client, therapist, email="new@example.test", capture=None):
    client.force_login(therapist)
    with capture(execute=True):
        response = client.post(reverse("client_invite"), {"email": email, "name": "Nia"})
    client.logout()
    link = re.search(r"(/invite/[^/\s]+/)", mail.outbox[-1].body).group(1)
    return response, link


def accept_form(**overrides):
    data = {
        "name": "Nia",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "agree_terms": "on",
    }
    data.update(overrides)
    return data


def test_it_sends_a_discreet_single_use_link(client, django_capture_on_commit_callbacks):
    alice = make_therapist("alice@example.test", name="Alice")
    response, link = invite_client(client, alice, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["new@example.test"]
    assert message.subject == "An invitation to Interlude"
    for word in ("therap", "sex", "exercise", "couple", "intima"):
        assert word not in (message.subject + message.body).lower()
    token = link.split("/")[2]
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hash_token(token)
    assert token not in str(Invitation.objects.values().get())


def test_it_creates_the_client_and_records_consent(client, django_capture_on_commit_callbacks):
    alice = make_therapist("alice@example.test")
    _, link = invite_client(client, alice, capture=django_capture_on_commit_callbacks)
    response = client.post(link, accept_form())
    assert response.status_code == 302 and response["Location"] == reverse("home")
    nia = User.objects.get(email="new@example.test")
    assert nia.kind == User.Kind.CLIENT
    assert nia.client_profile.therapist == alice
    assert nia.check_password(NEW_PASSWORD)
    consent = Consent.objects.get(user=nia, kind=Consent.Kind.TERMS)
    assert consent.version and consent.withdrawn_at is None
    assert nia.emailaddress_set.get().verified
    home = client.get(reverse("home"))
    assert b"Hello, Nia" in home.content


def test_it_refuses_a_reused_link(client, django_capture_on_commit_callbacks):
    alice = make_therapist("alice@example.test")
    _, link = invite_client(client, alice, capture=django_capture_on_commit_callbacks)
    client.post(link, accept_form())
    client.logout()
    response = client.get(link)
    assert response.status_code == 410
    assert b"already been used" in response.content
    assert client.post(link, accept_form()).status_code == 410
    assert User.objects.filter(email="new@example.test").count() == 1


def test_it_refuses_an_expired_link(client, django_capture_on_commit_callbacks):
    alice = make_therapist("alice@example.test")
    _, link = invite_client(client, alice, capture=django_capture_on_commit_callbacks)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(link)
    assert response.status_code == 410
    assert b"This link has expired" in response.content
    assert client.post(link, accept_form()).status_code == 410
    assert not User.objects.filter(email="new@example.test").exists()


def test_it_refuses_a_tampered_link(client, django_capture_on_commit_callbacks):
    alice = make_therapist("alice@example.test")
    _, link = invite_client(client, alice, capture=django_capture_on_commit_callbacks)
    token = link.split("/")[2]
    tampered = link.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))
    response = client.get(tampered)
    assert response.status_code == 404
    assert b"This link doesn" in response.content


def test_it_refuses_a_withdrawn_link(client, django_capture_on_commit_callbacks):
    alice = make_therapist("alice@example.test")
    _, link = invite_client(client, alice, capture=django_capture_on_commit_callbacks)
    client.force_login(alice)
    client.post(reverse("invitation_revoke", args=[Invitation.objects.get().pk]))
    client.logout()
    assert client.get(link).status_code == 410


def test_it_keeps_what_was_typed_when_the_password_is_weak(
    client, django_capture_on_commit_callbacks
):
    alice = make_therapist("alice@example.test")
    _, link = invite_client(client, alice, capture=django_capture_on_commit_callbacks)
    response = client.post(
        link, accept_form(name="Nia Q", password1="password12", password2="password12")
    )
    assert response.status_code == 400
    assert b"too common" in response.content
    assert b'value="Nia Q"' in response.content
    assert b"checked" in response.content  # the terms box stays ticked
    response = client.post(link, accept_form(password1="short", password2="short"))
    assert b"at least 10 characters" in response.content
    response = client.post(link, accept_form(password2="something else entirely"))
    assert b"The two passwords are different" in response.content
    response = client.post(link, accept_form(agree_terms=""))
    assert b"Please tick this box" in response.content
    assert not User.objects.filter(email="new@example.test").exists()


def test_it_accepts_long_passphrases(client, django_capture_on_commit_callbacks):
    alice = make_therapist("alice@example.test")
    _, link = invite_client(client, alice, capture=django_capture_on_commit_callbacks)
    long = "a very long passphrase " * 8  # 184 characters
    response = client.post(link, accept_form(password1=long, password2=long))
    assert response.status_code == 302
    assert User.objects.get(email="new@example.test").check_password(long)


def test_it_refuses_an_address_that_already_has_an_account(client):
    alice = make_therapist("alice@example.test")
    client.force_login(alice)
    response = client.post(reverse("client_invite"), {"email": "ALICE@example.test"})
    assert response.status_code == 200
    assert b"already has an Interlude account" in response.content
    assert b'value="ALICE@example.test"' in response.content


def test_it_lets_an_admin_invite_a_therapist_to_the_practice(
    client, django_capture_on_commit_callbacks
):
    alice = make_therapist("alice@example.test")
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("team"), {"email": "tess@example.test", "name": "Tess"})
    client.logout()
    link = re.search(r"(/invite/[^/\s]+/)", mail.outbox[-1].body).group(1)
    response = client.post(
        link, {"name": "Tess", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    tess = User.objects.get(email="tess@example.test")
    assert tess.kind == User.Kind.THERAPIST
    assert tess.membership.practice == alice.membership.practice
    assert not tess.membership.is_admin
    # Until two-step sign-in is enrolled, no practice or client page opens.
    assert client.get(reverse("caseload"))["Location"] == reverse("mfa_required")


def test_it_asks_a_signed_in_stranger_to_sign_out(client, django_capture_on_commit_callbacks):
    alice = make_therapist("alice@example.test")
    _, link = invite_client(client, alice, capture=django_capture_on_commit_callbacks)
    assert client.login(email="alice@example.test", password=PASSWORD)
    response = client.get(link)
    assert response.status_code == 409
    assert b"signed in as someone else" in response.content
