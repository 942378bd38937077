"""The only way views obtain couple rows. A row the user may not see is a 404."""

from __future__ import annotations

from django.http import Http404

from interlude.accounts.models import User
from interlude.couples.models import CoupleCase, CoupleMember


def get_own_membership(user: User, member_id: int) -> CoupleMember:
    """A client's own place in a couple case (to consent or leave)."""
    if not user.is_authenticated:
        raise Http404
    if not user.is_client:
        raise Http404
    try:
        return CoupleMember.objects.select_related("couple").get(pk=member_id, client=user)
    except CoupleMember.DoesNotExist as exc:
        raise Http404 from exc


def current_membership_for(user: User) -> CoupleMember | None:
    """The client's place in their open couple case, or the most recently ended one."""
    return (
        CoupleMember.objects.filter(client=user)
        .select_related("couple")
        .order_by("couple__ended_at", "-couple__created_at")
        .first()
    )


def partner_of(member: CoupleMember) -> CoupleMember | None:
    """The other place in the same couple case (what a partner may know: name and status)."""
    return (
        CoupleMember.objects.filter(couple_id=member.couple_id)
        .exclude(pk=member.pk)
        .select_related("client")
        .order_by("-created_at")
        .first()
    )


def get_couple_for_therapist(user: User, couple_id: int) -> CoupleCase:
    """A couple case, only for the therapist who holds it."""
    if not user.is_authenticated:
        raise Http404
    if not user.is_therapist:
        raise Http404
    try:
        return CoupleCase.objects.get(pk=couple_id, therapist=user)
    except CoupleCase.DoesNotExist as exc:
        raise Http404 from exc


def open_membership_for(client: User) -> CoupleMember | None:
    """The client's place in their open couple case, if they have one."""
    return (
        CoupleMember.objects.filter(client=client, couple__ended_at__isnull=True)
        .exclude(status=CoupleMember.Status.LEFT)
        .select_related("couple")
        .first()
    )


def linked_partner_of(client: User) -> User | None:
    """The partner CLIENT is linked with now (both consented, case open), or None."""
    member = open_membership_for(client)
    if member is None or not member.is_linked:
        return None
    other = partner_of(member)
    if other is None or not other.is_linked or other.client is None:
        return None
    return other.client
