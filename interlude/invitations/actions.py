from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from interlude.accounts.models import User
from interlude.accounts.validators import normalise_email
from interlude.audit.actions import audit_record
from interlude.couples.models import CoupleCase
from interlude.invitations.models import Invitation
from interlude.invitations.tasks import send_invitation
from interlude.invitations.tokens import invitation_token, new_nonce
from interlude.lib.errors import UserFacingError
from interlude.lib.tokens import hash_token
from interlude.practice.models import Practice


class InvitationError(UserFacingError):
    """A reason an invitation cannot be created or accepted, in words for the person."""


@transaction.atomic
def invitation_create(
    *,
    kind: str,
    email: str,
    practice: Practice,
    invited_by: User,
    name: str = "",
    therapist: User | None = None,
    couple: CoupleCase | None = None,
    awaiting_approval: bool = False,
) -> Invitation:
    """Create a single-use invitation; its e-mail goes out once the transaction commits.

    The answer is the same whether or not the address already has an account: whoever sent the
    invitation never learns it. The e-mail tells the person themselves, and they take it from
    there (see onboarding). No token is stored: the task derives it when it sends.
    AWAITING_APPROVAL: nothing is sent until the therapist approves (invitation_approve).
    """
    email = normalise_email(email)
    # A newer invitation to the same address for the same purpose replaces the older one.
    for older in Invitation.objects.filter(
        kind=kind,
        email__iexact=email,
        practice=practice,
        couple=couple,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ):
        invitation_revoke(invitation=older, by=invited_by)
    nonce = new_nonce()
    invitation = Invitation.objects.create(
        kind=kind,
        email=email,
        name=name.strip(),
        nonce=nonce,
        token_hash=hash_token(invitation_token(nonce)),
        practice=practice,
        invited_by=invited_by,
        therapist=therapist,
        couple=couple,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
        awaiting_approval=awaiting_approval,
    )
    audit_record(actor=invited_by, action=f"invitation.create.{kind}", target=invitation)
    if not awaiting_approval:
        transaction.on_commit(lambda: send_invitation.enqueue(invitation.pk))
    return invitation


@transaction.atomic
def invitation_approve(*, invitation: Invitation, by: User) -> Invitation:
    """The therapist approves an invitation a client asked for: it is sent now, and its link
    works for the usual number of days from today."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.awaiting_approval or invitation.revoked_at or invitation.accepted_at:
        raise InvitationError("This invitation is no longer waiting for you.")
    invitation.awaiting_approval = False
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_DAYS)
    invitation.save(update_fields=["awaiting_approval", "expires_at"])
    audit_record(actor=by, action="invitation.approve", target=invitation)
    transaction.on_commit(lambda: send_invitation.enqueue(invitation.pk))
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User | None) -> None:
    """Withdraw a pending invitation; its link stops working at once."""
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(actor=by, action="invitation.revoke", target=invitation)


@transaction.atomic
def invitation_revoke_pending(*, couple: CoupleCase, by: User | None) -> int:
    """Withdraw every invitation still waiting to join COUPLE (its links stop working)."""
    count = 0
    for invitation in Invitation.objects.filter(
        couple=couple, accepted_at__isnull=True, revoked_at__isnull=True
    ):
        invitation_revoke(invitation=invitation, by=by)
        count += 1
    return count


@transaction.atomic
def invitation_mark_accepted(*, invitation: Invitation, user: User) -> None:
    """The invitation was used by USER; its link never works again."""
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(actor=user, action=f"invitation.accept.{invitation.kind}", target=invitation)


def invitation_lock(invitation: Invitation) -> Invitation:
    """The invitation, locked for the rest of the transaction and checked to be still pending."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise InvitationError("This invitation has already been used or has expired.")
    return invitation


@transaction.atomic
def invitations_withdraw_sent_by(*, user: User) -> int:
    """Withdraw every invitation USER sent that is still waiting (their account is going)."""
    waiting = list(
        Invitation.objects.filter(
            invited_by=user, accepted_at__isnull=True, revoked_at__isnull=True
        )
    )
    for invitation in waiting:
        invitation_revoke(invitation=invitation, by=user)
    return len(waiting)
