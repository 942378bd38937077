"""The only way views obtain practice rows. A row the user may not see is a 404."""

from __future__ import annotations

from django.http import Http404

from interlude.accounts.models import User
from interlude.practice.models import ClientProfile, Membership


def get_membership_for(user: User) -> Membership:
    """The practitioner's own membership (therapists and practice admins)."""
    if not user.is_authenticated:
        raise Http404
    if not user.is_practitioner:
        raise Http404
    try:
        return Membership.objects.select_related("practice").get(user=user)
    except Membership.DoesNotExist as exc:
        raise Http404 from exc


def get_admin_membership_for(user: User) -> Membership:
    """The membership of a practice admin; admins manage the team, not client content."""
    membership = get_membership_for(user)
    if not membership.is_admin:
        raise Http404
    return membership


def get_client_for_therapist(user: User, client_id: int) -> ClientProfile:
    """A client's case, only for the therapist who cares for them."""
    if not user.is_authenticated:
        raise Http404
    if not user.is_therapist:
        raise Http404
    try:
        return ClientProfile.objects.select_related("user", "practice").get(
            user_id=client_id,
            therapist=user,
            user__is_active=True,
        )
    except ClientProfile.DoesNotExist as exc:
        raise Http404 from exc


def clients_of(therapist: User) -> list[ClientProfile]:
    """The therapist's caseload."""
    return list(
        ClientProfile.objects.filter(therapist=therapist, user__is_active=True)
        .select_related("user")
        .order_by("user__name", "user__email")
    )


def get_client_profile_for(user: User) -> ClientProfile:
    """A client's own case."""
    if not user.is_authenticated:
        raise Http404
    if not user.is_client:
        raise Http404
    try:
        return ClientProfile.objects.select_related("therapist", "practice").get(user=user)
    except ClientProfile.DoesNotExist as exc:
        raise Http404 from exc


def team_of(membership: Membership) -> list[Membership]:
    """Everyone in the admin's practice, in the order they joined."""
    return list(
        Membership.objects.filter(practice_id=membership.practice_id)
        .select_related("user")
        .order_by("joined_at")
    )
