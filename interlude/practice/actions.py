from __future__ import annotations

from django.db import transaction
from django.db.models import ProtectedError

from interlude.accounts.models import User
from interlude.audit.actions import audit_record
from interlude.practice.models import ClientProfile, Membership, Practice


@transaction.atomic
def practice_create_for_therapist(*, therapist: User, name: str) -> Practice:
    """A therapist who signs up gets a practice of their own, which they administer."""
    practice = Practice.objects.create(name=name.strip() or f"{therapist.display_name}'s practice")
    Membership.objects.create(practice=practice, user=therapist, is_therapist=True, is_admin=True)
    if therapist.kind != User.Kind.THERAPIST:
        therapist.kind = User.Kind.THERAPIST
        therapist.save(update_fields=["kind"])
    audit_record(actor=therapist, action="practice.create", target=practice)
    return practice


@transaction.atomic
def membership_add(
    *, practice: Practice, user: User, is_therapist: bool = True, is_admin: bool = False
) -> Membership:
    """Add a practitioner to a practice (after they accept an invitation)."""
    membership = Membership.objects.create(
        practice=practice, user=user, is_therapist=is_therapist, is_admin=is_admin
    )
    audit_record(actor=user, action="practice.join", target=membership)
    return membership


@transaction.atomic
def client_profile_create(*, client: User, therapist: User) -> ClientProfile:
    """Open a client's individual case with their therapist."""
    profile = ClientProfile.objects.create(
        user=client, therapist=therapist, practice=therapist.membership.practice
    )
    audit_record(actor=client, action="client.join", target=profile, subject=client)
    return profile


@transaction.atomic
def practice_remove_if_unused(*, practice: Practice) -> bool:
    """Remove a practice nobody belongs to and nothing refers to (for example the one an
    unconfirmed sign-up made for itself). Returns whether it was removed."""
    if practice.memberships.exists():
        return False
    try:
        with transaction.atomic():
            practice.delete()
    except ProtectedError:  # clients or couple cases still refer to it: it stays
        return False
    return True


# Where the practice's clients can get urgent help (blank: the US defaults).
CRISIS_FIELDS = ("emergency_number", "crisis_line", "abuse_helpline")


@transaction.atomic
def practice_crisis_details_set(*, practice: Practice, by: User, **details: str) -> bool:
    """Set the practice's crisis details (blank: the US default). Returns whether any changed."""
    changed = []
    for name in CRISIS_FIELDS:
        value = details.get(name, "").strip()
        if getattr(practice, name) != value:
            setattr(practice, name, value)
            changed.append(name)
    if changed:
        practice.save(update_fields=changed)
        audit_record(actor=by, action="practice.crisis_details", target=practice)
    return bool(changed)
