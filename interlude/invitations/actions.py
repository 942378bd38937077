from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from interlude.accounts.models import User
from interlude.audit.actions import audit_record
from interlude.consents.actions import consent_give
from interlude.consents.models import Consent
from interlude.couples.models import CoupleCase, CoupleMember
from interlude.invitations.models import Invitation
from interlude.lib.tokens import new_token
from interlude.practice.actions import client_profile_create, membership_add
from interlude.practice.models import Practice


class InvitationError(Exception):
    """A human-readable reason an invitation cannot be created or accepted."""


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
def invitation_revoke(*, invitation: Invitation, by: User) -> None:
    """Withdraw a pending invitation; its link stops working at once."""
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(actor=by, action="invitation.revoke", target=invitation)


def _mark_accepted(invitation: Invitation, user: User) -> None:
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])


@transaction.atomic
def invitation_accept_new_account(
    *, invitation: Invitation, name: str, password: str, link_consent: bool = False
) -> User:
    """Create the invited person's account, record their consent, and mark the link used.

    The caller has already checked the invitation is pending and validated the password.
    Because the e-mail arrived at this address, the address counts as verified.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise InvitationError("This invitation has already been used or has expired.")
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationError("Someone already has an Interlude account with this e-mail address.")
    kind = User.Kind.THERAPIST if invitation.kind == Invitation.Kind.THERAPIST else User.Kind.CLIENT
    user = User.objects.create_user(
        email=invitation.email, password=password, name=name.strip(), kind=kind
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if invitation.kind == Invitation.Kind.THERAPIST:
        membership_add(practice=invitation.practice, user=user)
    else:
        assert invitation.therapist is not None
        client_profile_create(client=user, therapist=invitation.therapist)
        consent_give(user=user, kind=Consent.Kind.TERMS, version=settings.TERMS_VERSION)
        if invitation.kind == Invitation.Kind.PARTNER:
            _join_couple(invitation=invitation, user=user, link_consent=link_consent)
    _mark_accepted(invitation, user)
    audit_record(actor=user, action=f"invitation.accept.{invitation.kind}", target=invitation)
    return user


@transaction.atomic
def invitation_accept_existing_client(
    *, invitation: Invitation, user: User, link_consent: bool
) -> None:
    """A partner who already has a client account with the same therapist joins the couple."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise InvitationError("This invitation has already been used or has expired.")
    if invitation.kind != Invitation.Kind.PARTNER or user.email.lower() != invitation.email:
        raise InvitationError("This invitation was sent to a different e-mail address.")
    profile = getattr(user, "client_profile", None)
    if profile is None or profile.therapist_id != invitation.therapist_id:
        raise InvitationError(
            "This invitation comes from a different therapist. Please ask them to invite "
            "you again, or use a different e-mail address."
        )
    _join_couple(invitation=invitation, user=user, link_consent=link_consent)
    _mark_accepted(invitation, user)
    audit_record(actor=user, action="invitation.accept.partner", target=invitation)


def _join_couple(*, invitation: Invitation, user: User, link_consent: bool) -> None:
    if not link_consent:
        raise InvitationError("Linking needs your agreement.")
    couple = invitation.couple
    if couple is None or not couple.is_open:
        raise InvitationError("This shared space has ended, so the invitation no longer works.")
    if CoupleMember.objects.filter(
        client=user, couple__ended_at__isnull=True, status=CoupleMember.Status.ACTIVE
    ).exists():
        raise InvitationError(
            "You are already linked with a partner. Leave that shared space first."
        )
    member = CoupleMember.objects.filter(
        couple=couple, client__isnull=True, status=CoupleMember.Status.INVITED
    ).first()
    if member is None:
        raise InvitationError("This invitation no longer matches a place in a shared space.")
    member.client = user
    member.status = CoupleMember.Status.ACTIVE
    member.consented_at = timezone.now()
    member.save(update_fields=["client", "status", "consented_at"])
    consent_give(
        user=user,
        kind=Consent.Kind.COUPLE_LINK,
        version=settings.COUPLE_LINK_CONSENT_VERSION,
        couple=couple,
    )
