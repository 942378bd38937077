"""Joining and linking, orchestrated: each step is the owning app's own action.

Accepting an invitation makes an account (accounts), a client's case or a place in a practice
(practice), an agreement to the terms (consents), a place in a couple case (couples), and marks
the invitation used (invitations) — all in one transaction, so a half-joined person never exists.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from interlude.accounts.actions import account_create, account_remove_unconfirmed
from interlude.accounts.models import User
from interlude.consents.actions import consent_give
from interlude.consents.models import Consent
from interlude.couples.actions import (
    couple_give_up_place,
    couple_join,
    couple_keep_place_for_partner,
    couple_leave,
    couple_mark_not_taking_part,
    couple_start,
    open_couple_for,
)
from interlude.couples.models import CoupleCase, CoupleMember
from interlude.invitations.access import unconfirmed_account_for
from interlude.invitations.actions import (
    InvitationError,
    invitation_approve,
    invitation_create,
    invitation_lock,
    invitation_mark_accepted,
    invitation_revoke,
    invitation_revoke_pending,
)
from interlude.invitations.models import Invitation
from interlude.practice.actions import (
    client_profile_create,
    membership_add,
    practice_remove_if_unused,
)
from interlude.practice.models import Membership


@transaction.atomic
def partner_invite(*, by: User, client: User, email: str, name: str = "") -> CoupleCase:
    """Invite CLIENT's partner to link. BY is the client or their therapist. An invitation a
    client asks for waits for their therapist's approval before it is sent: whoever joins
    becomes the therapist's client too."""
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
        awaiting_approval=by.pk != couple.therapist_id,
    )
    return couple


@transaction.atomic
def partner_invitation_approve(*, invitation: Invitation, by: User) -> None:
    """The therapist approves the partner invitation their client asked for: it is sent now."""
    invitation_approve(invitation=invitation, by=by)


@transaction.atomic
def partner_invitation_withdraw(*, invitation: Invitation, by: User) -> None:
    """A partner invitation is withdrawn (by whoever sent it), or not sent (the therapist
    declines one their client asked for): its link never works, and the place kept for the
    partner is given up, so the client may invite again."""
    if invitation.revoked_at or invitation.accepted_at:
        raise InvitationError("This invitation has already been used or withdrawn.")
    invitation_revoke(invitation=invitation, by=by)
    if invitation.couple is not None:
        couple_give_up_place(couple=invitation.couple)


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
    squatter = unconfirmed_account_for(invitation.email)
    if squatter is not None:
        # A sign-up never confirmed cannot hold an address against the person it was sent to:
        # their invitation reached it, so their confirmation wins.
        membership = Membership.objects.filter(user=squatter).select_related("practice").first()
        account_remove_unconfirmed(user=squatter)
        if membership is not None:
            practice_remove_if_unused(practice=membership.practice)
    elif User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationError(
            "This address already has an Interlude account. Please sign in, then open the "
            "link again."
        )
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


def why_account_cannot_accept(invitation: Invitation, user: User) -> str | None:
    """Why USER's existing account cannot take INVITATION, in words for them (or None)."""
    inviter = invitation.invited_by.display_name
    if invitation.kind != Invitation.Kind.PARTNER:
        return (
            f"This invitation from {inviter} is for a new account, and this address already has "
            f"one. If you'd like to talk about it, please contact {inviter} directly."
        )
    profile = getattr(user, "client_profile", None)
    if not user.is_client or profile is None:
        return (
            "This invitation is for linking two clients' accounts, and this account is not a "
            f"client's, so it can't be added. If you'd like to talk about it, please contact "
            f"{inviter}."
        )
    if profile.therapist_id != invitation.therapist_id:
        return (
            "This invitation comes from a different therapist than yours, so it can't be added "
            f"to this account. If you'd like to talk about it, please contact {inviter}."
        )
    return None


@transaction.atomic
def invitation_accept_existing_client(
    *, invitation: Invitation, user: User, link_consent: bool
) -> None:
    """A partner who already has a client account with the same therapist joins the couple."""
    invitation = invitation_lock(invitation)
    if user.email.lower() != invitation.email:
        raise InvitationError("This invitation was sent to a different e-mail address.")
    reason = why_account_cannot_accept(invitation, user)
    if reason:
        raise InvitationError(reason)
    if not link_consent:
        raise InvitationError("Linking needs your agreement.")
    if invitation.couple is None:
        raise InvitationError("This invitation no longer matches a place in a shared space.")
    couple_join(couple=invitation.couple, user=user)
    invitation_mark_accepted(invitation=invitation, user=user)
