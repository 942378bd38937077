"""Every change to a couple case and its members: the couple state machine lives here only.

A case starts with the client who asked for it (or whose therapist suggested it); a place is
kept for the invited partner, who fills it by accepting and agreeing; or the partner is noted
as not taking part. Either linked partner may leave at any time, which ends the case for both.
"""

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
from interlude.lib.errors import UserFacingError


class CoupleError(UserFacingError):
    """A couple change that cannot be made, in words for the person who asked."""


def open_couple_for(client: User) -> CoupleCase | None:
    """The open couple case CLIENT belongs to, if any (one at a time)."""
    member = open_membership_for(client)
    return member.couple if member else None


@transaction.atomic
def couple_start(*, client: User, by: User) -> CoupleCase:
    """Open a couple case for CLIENT. A client who starts it agrees by doing so; a therapist's
    suggestion waits for the client's agreement."""
    if open_couple_for(client) is not None:
        raise CoupleError("There is already a shared space for this client.")
    profile = client.client_profile
    couple = CoupleCase.objects.create(practice=profile.practice, therapist=profile.therapist)
    self_started = by.pk == client.pk
    CoupleMember.objects.create(
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
    return couple


@transaction.atomic
def couple_keep_place_for_partner(*, couple: CoupleCase, client: User, label: str) -> CoupleMember:
    """Keep a place in CLIENT's couple case for a partner who has been invited."""
    others = couple.members.exclude(client=client).exclude(status=CoupleMember.Status.LEFT)
    if others.exists():
        raise CoupleError("A partner is already part of this shared space.")
    return CoupleMember.objects.create(
        couple=couple, label=label.strip(), status=CoupleMember.Status.INVITED
    )


@transaction.atomic
def couple_give_up_place(*, couple: CoupleCase) -> None:
    """The place kept for an invited partner is given up (their invitation was not sent)."""
    couple.members.filter(client__isnull=True, status=CoupleMember.Status.INVITED).delete()


@transaction.atomic
def couple_mark_not_taking_part(*, couple: CoupleCase, client: User, label: str, by: User) -> None:
    """Note that CLIENT's partner is not taking part (and has no account): the couple work is
    the client's alone, with nothing for anyone else to agree to."""
    others = couple.members.exclude(client=client).exclude(status=CoupleMember.Status.LEFT)
    if others.filter(status=CoupleMember.Status.ACTIVE).exists():
        raise CoupleError("Your partner is already linked; they can leave from their side.")
    others.delete()
    CoupleMember.objects.create(
        couple=couple, label=label.strip(), status=CoupleMember.Status.NOT_TAKING_PART
    )
    CoupleMember.objects.filter(couple=couple, client=client, consented_at__isnull=True).update(
        consented_at=timezone.now()
    )
    audit_record(actor=by, action="couple.partner_not_taking_part", target=couple, subject=client)


@transaction.atomic
def couple_join(*, couple: CoupleCase, user: User) -> CoupleMember:
    """USER, invited and agreeing, takes the place kept for them in COUPLE."""
    if not couple.is_open:
        raise CoupleError("This shared space has ended, so the invitation no longer works.")
    if CoupleMember.objects.filter(
        client=user, couple__ended_at__isnull=True, status=CoupleMember.Status.ACTIVE
    ).exists():
        raise CoupleError("You are already linked with a partner. Leave that shared space first.")
    member = CoupleMember.objects.filter(
        couple=couple, client__isnull=True, status=CoupleMember.Status.INVITED
    ).first()
    if member is None:
        raise CoupleError("This invitation no longer matches a place in a shared space.")
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
    audit_record(actor=user, action="couple.join", target=couple, subject=user)
    return member


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
def couple_leave(*, member: CoupleMember, user: User) -> bool:
    """USER leaves; the shared space ends for both. Declining a suggestion is the same step.
    Returns whether anything changed."""
    if member.client_id != user.pk or member.status == CoupleMember.Status.LEFT:
        return False
    now = timezone.now()
    couple = member.couple
    member.status = CoupleMember.Status.LEFT
    member.left_at = now
    member.save(update_fields=["status", "left_at"])
    couple.ended_at = now
    couple.save(update_fields=["ended_at"])
    consent_withdraw(user=user, kind=Consent.Kind.COUPLE_LINK, couple=couple)
    # What either partner shared under this link is theirs alone again, at once; a later link
    # starts with nothing shared.
    for other in couple.members.exclude(client=None).select_related("client"):
        assert other.client is not None
        consent_withdraw(user=other.client, kind=Consent.Kind.PARTNER_SHARING, couple=couple)
    audit_record(actor=user, action="couple.leave", target=couple, subject=user)
    return True
