"""Couple cases: two separate accounts linked only with both partners' recorded consent."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from interlude.consents.models import Consent
from interlude.couples.models import CoupleCase, CoupleMember
from interlude.invitations.models import Invitation
from interlude.testing import PASSWORD, make_client, make_therapist

pytestmark = pytest.mark.django_db


def test_it_links_two_accounts_when_both_consent(cast):
    bob, carol = cast.member(cast.bob), cast.member(cast.carol)
    assert bob.couple_id == carol.couple_id
    assert bob.is_linked and carol.is_linked
    assert cast.bob.pk != cast.carol.pk  # never a shared login
    for person in (cast.bob, cast.carol):
        assert Consent.objects.filter(
            user=person, kind=Consent.Kind.COUPLE_LINK, couple=bob.couple, withdrawn_at=None
        ).exists()


def test_it_waits_for_the_client_when_the_therapist_invites_the_partner(
    client, django_capture_on_commit_callbacks
):
    alice = make_therapist("alice@example.test")
    dave = make_client("dave@example.test", therapist=alice)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("client_partner_invite", args=[dave.pk]),
            {"email": "pat@example.test", "name": "Pat"},
        )
    assert response.status_code == 302
    dave_member = CoupleMember.objects.get(client=dave)
    assert dave_member.consented_at is None  # a therapist's suggestion is not consent
    link = re.search(r"(/invite/[^/\s]+/)", mail.outbox[-1].body).group(1)
    client.logout()
    response = client.post(
        link,
        {
            "name": "Pat",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "agree_terms": "on",
        },
    )
    assert response.status_code == 400
    assert b"Linking needs your agreement" in response.content
    client.post(
        link,
        {
            "name": "Pat",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "agree_terms": "on",
            "link_consent": "on",
        },
    )
    pat_member = CoupleMember.objects.get(client__email="pat@example.test")
    assert pat_member.is_linked and not CoupleMember.objects.get(client=dave).is_linked
    # Dave is asked, kindly, on his home page, and decides.
    client.force_login(dave)
    assert b"Nothing is linked until you agree" in client.get(reverse("home")).content
    client.post(reverse("couple_consent", args=[dave_member.pk]))
    assert CoupleMember.objects.get(client=dave).is_linked


def test_it_ends_the_space_for_both_when_one_leaves(client, cast):
    client.force_login(cast.carol)
    member = cast.member(cast.carol)
    assert client.get(reverse("couple_leave", args=[member.pk])).status_code == 200
    client.post(reverse("couple_leave", args=[member.pk]))
    couple = CoupleCase.objects.get(pk=member.couple_id)
    assert couple.ended_at is not None
    assert Consent.objects.get(user=cast.carol, couple=couple).withdrawn_at is not None
    # Bob learns only that the shared space ended: not who ended it or why.
    client.force_login(cast.bob)
    page = client.get(reverse("partner")).content.decode()
    assert "The shared space with your partner has ended." in page
    assert "Carol" not in page and "left" not in page.lower().replace("leave", "")


def test_it_does_not_nag_when_a_partner_is_not_taking_part(client, cast):
    client.force_login(cast.gina)
    page = client.get(reverse("home")).content.decode().lower()
    main = page[page.index("<main") : page.index("</main>")]
    assert "hal" not in main and "partner" not in main
    for url in (reverse("home"), reverse("partner")):
        page = client.get(url).content.decode().lower()
        for nag in ("waiting for", "hasn't", "has not", "remind", "invite your partner"):
            assert nag not in page, (url, nag)
    assert "on your own for now" in client.get(reverse("partner")).content.decode()


def test_a_client_asks_to_invite_their_partner_and_their_therapist_sends_it(
    client, django_capture_on_commit_callbacks, cast
):
    # Whoever joins becomes Alice's client too, so nothing is sent until she approves.
    client.force_login(cast.dave)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("partner_invite"), {"email": "quinn@example.test", "name": "Quinn"}
        )
    assert response.status_code == 302
    assert CoupleMember.objects.get(client=cast.dave).consented_at is not None
    assert not [m for m in mail.outbox if "quinn@example.test" in m.to]
    invitation = Invitation.objects.get(kind="partner", email="quinn@example.test")
    assert invitation.awaiting_approval and not invitation.is_pending
    page = client.get(reverse("partner")).content.decode()
    assert "Alice looks at it first" in page and "Nothing is sent until then" in page
    # Another therapist cannot send it, nor can Dave himself.
    url = reverse("invitation_approve", args=[invitation.pk])
    for other in (cast.olive, cast.mallory, cast.dave, cast.bob):
        client.force_login(other)
        assert client.post(url, {"decision": "send"}).status_code == 404
    # Alice sees it on her caseload and on Dave's page, and sends it.
    client.force_login(cast.alice)
    page = client.get(reverse("caseload")).content.decode()
    assert "Dave would like to invite their partner" in page
    client.force_login(cast.olive)
    assert "would like to invite" not in client.get(reverse("caseload")).content.decode()
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.dave.pk])).content.decode()
    assert "Waiting for you: an invitation" in page and "quinn@example.test" in page
    assert "nothing is sent until you send it" in page and "has been invited" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "send"})
    assert response["Location"] == reverse("client_detail", args=[cast.dave.pk])
    assert mail.outbox[-1].to == ["quinn@example.test"]
    invitation.refresh_from_db()
    assert invitation.is_pending
    page = client.get(reverse("client_detail", args=[cast.dave.pk])).content.decode()
    assert "has been invited and has not accepted yet" in page and "Waiting for you" not in page
    link = re.search(r"(/invite/[^/\s]+/)", mail.outbox[-1].body).group(1)
    client.logout()
    assert client.get(link).status_code == 200


def test_a_therapist_may_not_send_an_invitation_a_client_asked_for(
    client, django_capture_on_commit_callbacks, cast
):
    client.force_login(cast.dave)
    client.post(reverse("partner_invite"), {"email": "quinn@example.test", "name": "Quinn"})
    invitation = Invitation.objects.get(email="quinn@example.test")
    client.force_login(cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("invitation_approve", args=[invitation.pk]), {"decision": "decline"})
    assert not [m for m in mail.outbox if "quinn@example.test" in m.to]
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    # The place kept for Quinn is given up; Dave reads that it was not sent (not why), and may
    # invite again.
    assert not CoupleMember.objects.filter(client__isnull=True, label="Quinn").exists()
    client.force_login(cast.dave)
    page = client.get(reverse("partner")).content.decode()
    assert "Your invitation to Quinn was not sent" in page and "Invite your partner" in page
    response = client.post(reverse("partner_invite"), {"email": "quinn@example.test"})
    assert response.status_code == 302
    # A link made for an invitation never sent does not work.
    from interlude.invitations.access import LinkState, get_invitation_by_token
    from interlude.invitations.tokens import invitation_token

    waiting = Invitation.objects.get(email="quinn@example.test", revoked_at__isnull=True)
    assert get_invitation_by_token(invitation_token(waiting.nonce)) == (None, LinkState.INVALID)
    # Dave may withdraw what he asked for himself.
    client.post(reverse("invitation_revoke", args=[waiting.pk]), {"next": "/partner/"})
    waiting.refresh_from_db()
    assert waiting.revoked_at is not None


def test_it_explains_an_invalid_partner_address_and_keeps_it(client, cast):
    client.force_login(cast.dave)
    response = client.post(reverse("partner_invite"), {"email": "dave@example.test", "name": "Me"})
    assert response.status_code == 400
    assert b"your own e-mail address" in response.content
    assert b'value="Me"' in response.content
    response = client.post(reverse("partner_invite"), {"email": "not-an-address", "name": "Q"})
    assert b"Enter a valid email address" in response.content


def test_it_refuses_a_second_partner_while_linked(client, cast):
    client.force_login(cast.bob)
    response = client.post(reverse("partner_invite"), {"email": "zed@example.test"})
    assert response.status_code == 400
    assert b"A partner is already part of this shared space" in response.content


def test_couple_work_reads_as_solo_when_the_partner_is_not_taking_part(client, cast):
    from interlude.homework.actions import assignment_create
    from interlude.testing import make_exercise

    couple = cast.member(cast.gina).couple
    assignment_create(therapist=cast.alice, version=make_exercise(), couple=couple)
    client.force_login(cast.gina)
    page = client.get(reverse("home")).content.decode()
    assert "On your own" in page and "Together" not in page
