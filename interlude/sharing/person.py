"""Who is asking: the signed-in person's standing facts, each fetched at most once per request.

A view reads `request.person` (set lazily by `PersonMiddleware`); access functions, visibility
labels and templates take the Person instead of re-deriving the same facts from the user. A
Person describes one moment: build a fresh one after a write that changes who someone is linked
with (the middleware's lives for one request only).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from interlude.accounts.http import AuthedRequest
from interlude.accounts.models import User
from interlude.consents.models import Consent
from interlude.couples.access import open_membership_for, partner_of
from interlude.couples.models import CoupleMember
from interlude.practice.models import ClientProfile, Membership


class Person:
    """The facts about one signed-in person that most pages need."""

    def __init__(self, user: User) -> None:
        self.user = user

    def __repr__(self) -> str:
        return f"<Person {self.user.pk}>"

    @property
    def is_client(self) -> bool:
        return self.user.is_authenticated and self.user.is_client

    @property
    def is_therapist(self) -> bool:
        return self.user.is_authenticated and self.user.is_therapist

    @cached_property
    def profile(self) -> ClientProfile | None:
        """A client's own case (with therapist and practice), or None for anyone else."""
        if not self.is_client:
            return None
        return (
            ClientProfile.objects.select_related("therapist", "practice")
            .filter(user=self.user)
            .first()
        )

    @cached_property
    def membership(self) -> Membership | None:
        """A practitioner's place in their practice, or None for anyone else."""
        if not self.user.is_authenticated or not self.user.is_practitioner:
            return None
        return Membership.objects.select_related("practice").filter(user=self.user).first()

    @property
    def therapist(self) -> User | None:
        return self.profile.therapist if self.profile else None

    @cached_property
    def couple_member(self) -> CoupleMember | None:
        """The client's place in their open couple case, agreed to or not."""
        if not self.is_client:
            return None
        return open_membership_for(self.user)

    @cached_property
    def other_member(self) -> CoupleMember | None:
        """The other place in that couple case: a linked partner, an invited one, or a partner
        who is not taking part."""
        return partner_of(self.couple_member) if self.couple_member else None

    @property
    def couple_id(self) -> int | None:
        """The couple case whose work this client practises: linked, or alone when the partner
        is not taking part. A link the client has not agreed to gives nothing."""
        member = self.couple_member
        if member is None or member.consented_at is None:
            return None
        return member.couple_id

    @property
    def partner(self) -> User | None:
        """The partner this client is linked with now (both agreed, case open), or None."""
        member, other = self.couple_member, self.other_member
        if member is None or not member.is_linked or other is None:
            return None
        if not other.is_linked or other.client is None:
            return None
        return other.client

    @property
    def partner_not_taking_part(self) -> bool:
        """Couple work where the partner is not taking part: it reads as the client's own."""
        other = self.other_member
        return (
            self.couple_id is not None
            and other is not None
            and other.status == CoupleMember.Status.NOT_TAKING_PART
        )

    @cached_property
    def sharing_consent(self) -> Consent | None:
        """The client's standing agreement to share with the partner of their current link."""
        if self.partner is None or self.couple_member is None:
            return None
        return (
            Consent.objects.filter(
                user=self.user,
                kind=Consent.Kind.PARTNER_SHARING,
                couple_id=self.couple_member.couple_id,
                withdrawn_at__isnull=True,
            )
            .order_by("-given_at")
            .first()
        )


def as_person(who: User | Person) -> Person:
    """Actions accept a Person (a view passes its request's, so nothing is fetched twice) or a
    User (tasks and tests), for whom a fresh Person is built."""
    return who if isinstance(who, Person) else Person(who)


class PersonMiddleware:
    """Gives each request a lazily built Person for the signed-in user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.person = SimpleLazyObject(lambda: Person(request.user))  # type: ignore[arg-type, attr-defined]
        return self.get_response(request)


class PersonRequest(AuthedRequest):
    """A signed-in request with its Person."""

    person: Person
