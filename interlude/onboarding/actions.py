"""Joining and linking, orchestrated: each step is the owning app's own action.

Accepting an invitation makes an account (accounts), a client's case or a place in a practice
(practice), an agreement to the terms (consents), a place in a couple case (couples), and marks
the invitation used (invitations) — all in one transaction, so a half-joined person never exists.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from interlude.accounts.actions import account_create
from interlude.accounts.models import User
from interlude.consents.actions import consent_give
from interlude.consents.models import Consent
from interlude.couples.actions import (
    couple_join,
    couple_keep_place_for_partner,
    couple_leave,
    couple_mark_not_taking_part,
    couple_start,
    open_couple_for,
)
from interlude.couples.models import CoupleCase, CoupleMember
from interlude.invitations.actions import (
    InvitationError,
    invitation_create,
    invitation_lock,
    invitation_mark_accepted,
    invitation_revoke_pending,
)
from interlude.invitations.models import Invitation
from interlude.practice.actions import client_profile_create, membership_add


@transaction.atomic
def partner_invite(
    *, by: User, client: User, email: str, name: str = "", base_url: str = ""
) -> CoupleCase:
    """Invite CLIENT's partner to link. BY is the client or their therapist."""
    email = email.strip().lower()
    if email == client.email:
        raise InvitationError("That is your own e-mail address; please use your partner's.")
    couple = open_couple_for(client) or couple_start(client=client, by=by)
    couple_keep_place_for_partner(couple=couple, client=client, label=name)
    invitation_create(
        kind=Invitation.Kind.PARTNER,
        email=email,
        name=name,
        practice=couple.practice,
        invited_by=by,
        therapist=couple.therapist,
        couple=couple,
        base_url=base_url,
    )
    return couple


@transaction.atomic
def partner_not_taking_part(*, by: User, client: User, label: str) -> CoupleCase:
    """Record that CLIENT's partner is not taking part; an invitation still waiting stops
    working."""
    couple = open_couple_for(client) or couple_start(client=client, by=by)
    couple_mark_not_taking_part(couple=couple, client=client, label=label, by=by)
    invitation_revoke_pending(couple=couple, by=by)
    return couple


@transaction.atomic
def partner_leave(*, member: CoupleMember, user: User) -> None:
    """USER leaves their couple case (it ends for both); invitations to it stop working."""
    if couple_leave(member=member, user=user):
        invitation_revoke_pending(couple=member.couple, by=user)


@transaction.atomic
def invitation_accept_new_account(
    *, invitation: Invitation, name: str, password: str, link_consent: bool = False
) -> User:
    """Create the invited person's account and everything the invitation offered.

    The caller has already checked the invitation is pending and validated the password.
    Because the e-mail arrived at this address, the address counts as verified.
    """
    invitation = invitation_lock(invitation)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationError("Someone already has an Interlude account with this e-mail address.")
    if invitation.kind == Invitation.Kind.PARTNER and not link_consent:
        raise InvitationError("Linking needs your agreement.")
    kind = User.Kind.THERAPIST if invitation.kind == Invitation.Kind.THERAPIST else User.Kind.CLIENT
    user = account_create(email=invitation.email, password=password, name=name, kind=kind)
    if invitation.kind == Invitation.Kind.THERAPIST:
        membership_add(practice=invitation.practice, user=user)
    else:
        assert invitation.therapist is not None
        client_profile_create(client=user, therapist=invitation.therapist)
        consent_give(user=user, kind=Consent.Kind.TERMS, version=settings.TERMS_VERSION)
        if invitation.kind == Invitation.Kind.PARTNER:
            assert invitation.couple is not None
            couple_join(couple=invitation.couple, user=user)
    invitation_mark_accepted(invitation=invitation, user=user)
    return user


@transaction.atomic
def invitation_accept_existing_client(
    *, invitation: Invitation, user: User, link_consent: bool
) -> None:
    """A partner who already has a client account with the same therapist joins the couple."""
    invitation = invitation_lock(invitation)
    if invitation.kind != Invitation.Kind.PARTNER or user.email.lower() != invitation.email:
        raise InvitationError("This invitation was sent to a different e-mail address.")
    profile = getattr(user, "client_profile", None)
    if profile is None or profile.therapist_id != invitation.therapist_id:
        raise InvitationError(
            "This invitation comes from a different therapist. Please ask them to invite "
            "you again, or use a different e-mail address."
        )
    if not link_consent:
        raise InvitationError("Linking needs your agreement.")
    if invitation.couple is None:
        raise InvitationError("This invitation no longer matches a place in a shared space.")
    couple_join(couple=invitation.couple, user=user)
    invitation_mark_accepted(invitation=invitation, user=user)
