"""Finding invitations: by token for the invited person, by id for whoever may revoke it."""

from __future__ import annotations

from enum import Enum

from allauth.account.models import EmailAddress
from django.http import Http404
from django.utils import timezone

from interlude.accounts.models import User
from interlude.invitations.models import Invitation
from interlude.lib.tokens import hash_token


class LinkState(Enum):
    OK = "ok"
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"
    WITHDRAWN = "withdrawn"


def get_invitation_by_token(token: str) -> tuple[Invitation | None, LinkState]:
    """Look an invitation up by the token in its link; never raises for a bad link."""
    if not token or len(token) > 100:
        return None, LinkState.INVALID
    invitation = (
        Invitation.objects.select_related("practice", "invited_by", "therapist", "couple")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        return None, LinkState.INVALID
    if invitation.accepted_at is not None:
        return invitation, LinkState.USED
    if invitation.revoked_at is not None:
        return invitation, LinkState.WITHDRAWN
    if invitation.awaiting_approval:  # never sent, so its link was never given to anyone
        return None, LinkState.INVALID
    if invitation.expires_at <= timezone.now():
        return invitation, LinkState.EXPIRED
    return invitation, LinkState.OK


def get_invitation_to_revoke(user: User, invitation_id: int) -> Invitation:
    """Who may withdraw an invitation: whoever sent it, or an admin of its practice for a
    therapist invitation."""
    if not user.is_authenticated:
        raise Http404
    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    if invitation.invited_by_id == user.pk:
        return invitation
    membership = getattr(user, "membership", None)
    if (
        invitation.kind == Invitation.Kind.THERAPIST
        and membership is not None
        and membership.is_admin
        and membership.practice_id == invitation.practice_id
    ):
        return invitation
    raise Http404


def pending_invitations_sent_by(user: User) -> list[Invitation]:
    return list(
        Invitation.objects.filter(
            invited_by=user,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).order_by("-created_at")
    )


def pending_therapist_invitations(practice_id: int) -> list[Invitation]:
    """Invitations to join a practice's team that are still waiting (admin view)."""
    return list(
        Invitation.objects.filter(
            practice_id=practice_id,
            kind=Invitation.Kind.THERAPIST,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).order_by("-created_at")
    )


def account_for_invitation(invitation: Invitation) -> User | None:
    """The confirmed, active account with the invited address, if any: its owner accepts by
    signing in. An account whose address was never confirmed does not count: it cannot block
    an invitation (the invited person's own confirmation wins; see onboarding)."""
    return User.objects.filter(
        email__iexact=invitation.email,
        is_active=True,
        emailaddress__email__iexact=invitation.email,
        emailaddress__verified=True,
    ).first()


def unconfirmed_account_for(email: str) -> User | None:
    """An account holding EMAIL whose address was never confirmed (a sign-up left waiting)."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None or EmailAddress.objects.filter(user=user, verified=True).exists():
        return None
    return user


def get_invitation_to_approve(user: User, invitation_id: int) -> Invitation:
    """An invitation waiting for USER's approval: only the therapist who would care for
    whoever joins."""
    if not user.is_authenticated or not user.is_therapist:
        raise Http404
    invitation = (
        Invitation.objects.select_related("invited_by", "couple")
        .filter(pk=invitation_id, therapist=user)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def awaiting_approval_for(therapist: User, client_ids: list[int] | None = None) -> list[Invitation]:
    """Partner invitations clients asked for that wait for THERAPIST (of CLIENT_IDS, if given)."""
    rows = Invitation.objects.filter(
        therapist=therapist,
        awaiting_approval=True,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).select_related("invited_by")
    if client_ids is not None:
        rows = rows.filter(invited_by_id__in=client_ids)
    return list(rows.order_by("created_at"))


def awaiting_approval_by(client: User) -> Invitation | None:
    """The partner invitation CLIENT asked for that still waits for their therapist."""
    return (
        Invitation.objects.filter(
            invited_by=client,
            awaiting_approval=True,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        )
        .select_related("therapist")
        .order_by("-created_at")
        .first()
    )


def last_not_sent_by(client: User) -> Invitation | None:
    """CLIENT's latest partner invitation, if it was withdrawn before it was ever sent (by
    them, or because their therapist did not send it)."""
    latest = (
        Invitation.objects.filter(invited_by=client, kind=Invitation.Kind.PARTNER)
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is not None and latest.revoked_at is not None and latest.awaiting_approval:
        return latest
    return None


def open_partner_invitation(couple_id: int) -> Invitation | None:
    """The partner invitation to COUPLE_ID that is neither used nor withdrawn, if any."""
    return (
        Invitation.objects.filter(
            couple_id=couple_id,
            kind=Invitation.Kind.PARTNER,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        )
        .order_by("-created_at", "-pk")
        .first()
    )
