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
from interlude.testing import PASSWORD, make_invitation, make_therapist

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


def test_it_answers_the_same_whether_or_not_an_account_exists(
    client, cast, django_capture_on_commit_callbacks
):
    """No therapist, in this practice or another, can learn whether an address has an account:
    the page answers alike, and only the e-mail (to the person themselves) says which."""
    answers = []
    for therapist, address in (
        (cast.mallory, "dave@example.test"),  # another practice's client
        (cast.mallory, "alice@example.test"),  # a practitioner
        (cast.mallory, "nobody-yet@example.test"),
    ):
        client.force_login(therapist)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("client_invite"), {"email": address}, follow=True)
        said = re.search(r'<div class="messages".*?</div>', response.content.decode(), re.S)
        answers.append((response.redirect_chain, said.group(0).replace(address, "ADDRESS")))
    assert answers[0] == answers[1] == answers[2]
    assert "Invitation sent to ADDRESS" in answers[0][1]
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "already has an Interlude account" in by_address["dave@example.test"].body
    assert "already has an Interlude account" in by_address["alice@example.test"].body
    assert "already has" not in by_address["nobody-yet@example.test"].body
    assert len({m.subject for m in mail.outbox}) == 1  # the subject never tells either


def test_a_partner_invitation_never_says_the_address_is_a_practitioner(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.dave)
    response = client.post(
        reverse("partner_invite"), {"name": "Al", "email": "alice@example.test"}, follow=True
    )
    page = response.content.decode()
    assert "practitioner" not in page and "looks at it first" in page
    # His therapist sends it (she does not learn anything from the address either).
    client.force_login(cast.alice)
    asked = Invitation.objects.get(email="alice@example.test", kind="partner")
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            reverse("invitation_approve", args=[asked.pk]), {"decision": "send"}, follow=True
        ).content.decode()
    assert "practitioner" not in page and "is on its way" in page
    # Alice, signed in, is told kindly that her account cannot take it; nothing changes.
    link = re.search(r"(/invite/[^/\s]+/)", mail.outbox[-1].body).group(1)
    client.force_login(cast.alice)
    page = client.get(link).content.decode()
    assert "This invitation can't be added to your account" in page
    assert not cast.alice.couple_memberships.exists()


def test_an_unconfirmed_sign_up_cannot_hold_an_invited_address(
    client, cast, django_capture_on_commit_callbacks
):
    """Someone signs up with the address first and never confirms it; the invited person's
    own acceptance wins and the squatting account is removed."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "email": "zoe@example.test",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "name": "Not Zoe",
            },
        )
    squatter = User.objects.get(email="zoe@example.test")
    invitation, token = make_invitation(
        kind=Invitation.Kind.CLIENT, email="zoe@example.test", by=cast.alice
    )
    client.logout()
    page = client.get(reverse("invitation_accept", args=[token]))
    assert b"Choose a password" in page.content  # offered a new account, not a sign-in
    response = client.post(
        reverse("invitation_accept", args=[token]),
        {
            "name": "Zoe",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "agree_terms": "on",
        },
    )
    assert response.status_code == 302
    zoe = User.objects.get(email="zoe@example.test")
    assert zoe.pk != squatter.pk and zoe.is_client and zoe.client_profile.therapist == cast.alice
    assert not User.objects.filter(pk=squatter.pk).exists()


@pytest.mark.parametrize(
    "look_alike", ["zoe@examp\u0131e.test", "\u1d22oe@example.test", "ｚｏｅ@example.test"]
)
def test_it_refuses_or_normalises_look_alike_addresses(client, cast, look_alike):
    client.force_login(cast.alice)
    response = client.post(reverse("client_invite"), {"email": look_alike})
    made = Invitation.objects.filter(email__icontains="oe@")
    if response.status_code == 302:  # normalised to the plain address
        assert [i.email for i in made] == ["zoe@example.test"]
    else:
        assert b"plain letters" in response.content or b"valid email" in response.content
        assert not made.exists()


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
