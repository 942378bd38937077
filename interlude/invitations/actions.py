from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from interlude.accounts.models import User
from interlude.audit.actions import audit_record
from interlude.couples.models import CoupleCase
from interlude.invitations.models import Invitation
from interlude.lib.errors import UserFacingError
from interlude.lib.tokens import new_token
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
    base_url: str = "",
) -> tuple[Invitation, str]:
    """Create a single-use invitation and e-mail its link once the transaction commits.

    Returns the invitation and the raw token (only ever held in memory and in the e-mail).
    """
    email = email.strip().lower()
    new_account = kind in (Invitation.Kind.CLIENT, Invitation.Kind.THERAPIST)
    if new_account and User.objects.filter(email__iexact=email).exists():
        raise InvitationError("Someone already has an Interlude account with this e-mail address.")
    # A newer invitation to the same address for the same purpose replaces the older one.
    Invitation.objects.filter(
        kind=kind,
        email__iexact=email,
        practice=practice,
        couple=couple,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=timezone.now())
    token, token_hash = new_token()
    invitation = Invitation.objects.create(
        kind=kind,
        email=email,
        name=name.strip(),
        token_hash=token_hash,
        practice=practice,
        invited_by=invited_by,
        therapist=therapist,
        couple=couple,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )
    audit_record(actor=invited_by, action=f"invitation.create.{kind}", target=invitation)
    link = base_url + reverse("invitation_accept", args=[token])
    transaction.on_commit(lambda: _send_invitation(invitation, link))
    return invitation, token


def _send_invitation(invitation: Invitation, link: str) -> None:
    # Discreet by design: no mention of therapy, sex or the exercise in the subject or body.
    context = {
        "invitation": invitation,
        "link": link,
        "inviter": invitation.invited_by.display_name,
        "days": settings.INVITATION_DAYS,
    }
    send_mail(
        subject="An invitation to Interlude",
        message=render_to_string("emails/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


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
