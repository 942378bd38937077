"""Reads for the reminders pages and the "New for you" list, each a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils import timezone

from interlude.accounts.models import User
from interlude.reminders.actions import email_reminders_on
from interlude.reminders.models import CalendarFeed, MutedAssignment, Notice, ReminderSettings
from interlude.reminders.subjects import Subject, current_subjects
from interlude.sharing.person import Person

# Notices leave the list when read, or after this long.
NOTICES_FOR = dt.timedelta(days=14)
NOTICES_SHOWN = 5


# Several notices of one kind are told once, with how many.
MANY = {
    Notice.Kind.ASSIGNMENT_NEW: "{n} new exercises are on your page.",
    Notice.Kind.ASSIGNMENT_CHANGED: "{n} changes to the exercises on your page.",
    Notice.Kind.CHECKIN_READY: "{n} check-ins are ready to read.",
    Notice.Kind.MEASURE_DUE: "{n} short questionnaires are waiting for you.",
    Notice.Kind.REMINDER: "{n} reminders, at the times you chose.",
}


@dataclass(frozen=True)
class NewForYou:
    """One line of "New for you": the notices of one kind, told once."""

    words: str
    latest: dt.datetime


def new_for_you(user: User) -> list[NewForYou]:
    """The client's unread notices from the last two weeks, one line per kind with how many,
    newest first (one query)."""
    if not user.is_authenticated or not user.is_client:
        return []
    since = timezone.now() - NOTICES_FOR
    rows = (
        Notice.objects.filter(user=user, seen_at__isnull=True, created_at__gte=since)
        .values("kind")
        .annotate(n=Count("id"), latest=Max("created_at"))
        .order_by("-latest")
    )
    return [
        NewForYou(
            Notice.Kind(row["kind"]).label
            if row["n"] == 1
            else MANY[row["kind"]].format(n=row["n"]),
            row["latest"],
        )
        for row in rows[:NOTICES_SHOWN]
    ]


@dataclass
class RemindersPage:
    settings: ReminderSettings
    subjects: list[Subject]
    muted: set[int]
    email_on: bool
    feed: CalendarFeed | None
    saved: bool = False


def reminders_page(person: Person) -> RemindersPage:
    """Everything the Reminders page shows: the settings (defaults until first saved), the
    current exercises and which are muted, e-mail on or off, and the calendar link's state."""
    user = person.user
    row = ReminderSettings.objects.filter(user=user).first()
    subjects = current_subjects(person)
    muted = set(
        MutedAssignment.objects.filter(
            user=user, assignment_id__in=[s.assignment_id for s in subjects]
        ).values_list("assignment_id", flat=True)
    )
    return RemindersPage(
        settings=row or ReminderSettings(user=user),
        subjects=subjects,
        muted=muted,
        email_on=email_reminders_on(user),
        feed=CalendarFeed.objects.filter(user=user).first(),
        saved=row is not None,
    )
