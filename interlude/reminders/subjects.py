"""What reminders are about: the client's current exercises. The one module here that reads
another tool (homework), so reminders sit in a layer just above the tools (pyproject.toml)."""

from __future__ import annotations

from dataclasses import dataclass

from interlude.accounts.models import User
from interlude.homework.access import assignments_for_client
from interlude.homework.models import Assignment
from interlude.reminders.models import MutedAssignment
from interlude.sharing.person import Person


@dataclass(frozen=True)
class Subject:
    """One current exercise, as the signed-in client's own Reminders page lists it."""

    assignment_id: int
    title: str


def current_subjects(person: Person) -> list[Subject]:
    """The client's current exercises (not paused, not set aside), oldest first, by title."""
    rows = (
        assignments_for_client(person)
        .filter(status=Assignment.Status.ACTIVE)
        .order_by("created_at", "pk")
        .values_list("pk", "version__title")
    )
    return [Subject(pk, title) for pk, title in rows]


def has_something_to_remind(user: User) -> bool:
    """Whether USER has a current exercise they have not turned reminders off for. Reminders
    are about what there is to try, never about what was or was not done."""
    muted = MutedAssignment.objects.filter(user=user).values("assignment_id")
    return (
        assignments_for_client(Person(user))
        .filter(status=Assignment.Status.ACTIVE)
        .exclude(pk__in=muted)
        .exists()
    )
