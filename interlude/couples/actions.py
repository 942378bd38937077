from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from interlude.accounts.models import User
from interlude.audit.actions import audit_record
from interlude.consents.actions import consent_give, consent_withdraw
from interlude.consents.models import Consent
from interlude.couples.access import open_membership_for
from interlude.couples.models import CoupleCase, CoupleMember
from interlude.invitations.actions import InvitationError, invitation_create
from interlude.invitations.models import Invitation


def open_couple_for(client: User) -> CoupleCase | None:
    """The open couple case CLIENT belongs to, if any (one at a time)."""
    member = open_membership_for(client)
    return member.couple if member else None


def _start_couple(*, client: User, by: User) -> tuple[CoupleCase, CoupleMember]:
    if open_couple_for(client) is not None:
        raise InvitationError("There is already a shared space for this client.")
    profile = client.client_profile
    couple = CoupleCase.objects.create(practice=profile.practice, therapist=profile.therapist)
    # The client agrees by starting it themselves; a therapist's suggestion waits for them.
    self_started = by.pk == client.pk
    member = CoupleMember.objects.create(
        couple=couple,
        client=client,
        status=CoupleMember.Status.ACTIVE,
        consented_at=timezone.now() if self_started else None,
    )
    if self_started:
        consent_give(
            user=client,
            kind=Consent.Kind.COUPLE_LINK,
            version=settings.COUPLE_LINK_CONSENT_VERSION,
            couple=couple,
        )
    audit_record(actor=by, action="couple.create", target=couple, subject=client)
    return couple, member


@transaction.atomic
def couple_invite_partner(
    *, by: User, client: User, email: str, name: str = "", base_url: str = ""
) -> CoupleCase:
    """Invite CLIENT's partner to link. BY is the client or their therapist."""
    email = email.strip().lower()
    if email == client.email:
        raise InvitationError("That is your own e-mail address; please use your partner's.")
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and not existing.is_client:
        raise InvitationError("This address belongs to a practitioner account, not a client.")
    couple = open_couple_for(client)
    if couple is None:
        couple, _ = _start_couple(client=client, by=by)
    if couple.members.exclude(client=client).exclude(status=CoupleMember.Status.LEFT).exists():
        raise InvitationError("A partner is already part of this shared space.")
    CoupleMember.objects.create(
        couple=couple, label=name.strip(), status=CoupleMember.Status.INVITED
    )
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
def couple_add_partner_not_taking_part(*, by: User, client: User, label: str) -> CoupleCase:
    """Record a couple case where the partner is not taking part (and has no account)."""
    couple = open_couple_for(client)
    if couple is None:
        couple, _ = _start_couple(client=client, by=by)
    others = couple.members.exclude(client=client).exclude(status=CoupleMember.Status.LEFT)
    if others.filter(status=CoupleMember.Status.ACTIVE).exists():
        raise InvitationError("Your partner is already linked; they can leave from their side.")
    # An invitation still waiting becomes "not taking part" and its link stops working.
    Invitation.objects.filter(couple=couple, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    others.delete()
    CoupleMember.objects.create(
        couple=couple, label=label.strip(), status=CoupleMember.Status.NOT_TAKING_PART
    )
    # No second account is linked, so there is nothing for the client to agree to: their place
    # is active at once and the couple work is theirs alone.
    CoupleMember.objects.filter(couple=couple, client=client, consented_at__isnull=True).update(
        consented_at=timezone.now()
    )
    audit_record(actor=by, action="couple.partner_not_taking_part", target=couple, subject=client)
    return couple


@transaction.atomic
def couple_consent(*, member: CoupleMember, user: User) -> None:
    """USER agrees to the link a therapist suggested."""
    if member.client_id != user.pk or member.consented_at is not None:
        return
    member.consented_at = timezone.now()
    member.save(update_fields=["consented_at"])
    consent_give(
        user=user,
        kind=Consent.Kind.COUPLE_LINK,
        version=settings.COUPLE_LINK_CONSENT_VERSION,
        couple=member.couple,
    )
    audit_record(actor=user, action="couple.consent", target=member.couple, subject=user)


@transaction.atomic
def couple_leave(*, member: CoupleMember, user: User) -> None:
    """USER leaves; the shared space ends for both. Declining a suggestion is the same step."""
    if member.client_id != user.pk or member.status == CoupleMember.Status.LEFT:
        return
    now = timezone.now()
    couple = member.couple
    member.status = CoupleMember.Status.LEFT
    member.left_at = now
    member.save(update_fields=["status", "left_at"])
    couple.ended_at = now
    couple.save(update_fields=["ended_at"])
    Invitation.objects.filter(couple=couple, accepted_at__isnull=True).update(revoked_at=now)
    consent_withdraw(user=user, kind=Consent.Kind.COUPLE_LINK, couple=couple)
    # What either partner shared under this link is theirs alone again, at once; a later link
    # starts with nothing shared.
    for other in couple.members.exclude(client=None).select_related("client"):
        assert other.client is not None
        consent_withdraw(user=other.client, kind=Consent.Kind.PARTNER_SHARING, couple=couple)
    audit_record(actor=user, action="couple.leave", target=couple, subject=user)
