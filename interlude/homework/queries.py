"""Reads for the homework pages, with a constant number of queries however long the history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from interlude.accounts.models import User
from interlude.homework.access import (
    assignments_for_client,
    assignments_of_client_for_therapist,
    entries_of_client_for_therapist,
)
from interlude.homework.models import Assignment, AssignmentChange, PracticeEntry
from interlude.sharing.person import Person
from interlude.sharing.visibility import THERAPIST_CAN_READ

RECENT_CHANGES = timedelta(days=14)


@dataclass
class ClientHomeItem:
    assignment: Assignment
    last_tried: object | None
    recent_changes: list[AssignmentChange] = field(default_factory=list)


def client_home(person: Person) -> list[ClientHomeItem]:
    """Current exercises with the therapist's note, when the client last tried each, and recent
    changes with their reasons. Nothing counts what was not done."""
    since = timezone.now() - RECENT_CHANGES
    assignments = list(
        assignments_for_client(person)
        .prefetch_related(
            Prefetch(
                "changes",
                queryset=AssignmentChange.objects.filter(created_at__gte=since)
                .exclude(kind=AssignmentChange.Kind.CREATED)
                .select_related("by", "assignment"),
                to_attr="recent",
            )
        )
        .order_by("status", "-updated_at")
    )
    # The date this client last tried each one (not their partner: no nudging about each other).
    mine = dict(
        PracticeEntry.objects.filter(client=person.user, assignment__in=assignments)
        .values("assignment_id")
        .annotate(last=Max("practised_at"))
        .values_list("assignment_id", "last")
    )
    return [ClientHomeItem(a, mine.get(a.pk), list(a.recent)) for a in assignments]


@dataclass
class Flag:
    kind: str
    text: str
    entry: PracticeEntry


@dataclass
class TimelineItem:
    """One line of a client's practice log on their therapist's page, its words made here: the
    same words in the template cost more than the rest of the page together."""

    entry: PracticeEntry
    meta: str  # when, which exercise, how it went
    ratings: str
    reasons: str


REASON_WORDS = {
    PracticeEntry.Reason.TOO_MUCH: "Felt like too much",
    PracticeEntry.Reason.NOT_RIGHT_TIME: "Not the right time",
    PracticeEntry.Reason.NO_PRIVACY: "No privacy",
    PracticeEntry.Reason.NOT_IN_THE_MOOD: "Didn't feel like it",
}
TALK = "would like to talk about changing it"


def timeline_item(entry: PracticeEntry) -> TimelineItem:
    meta = format_html(
        "{} · {} · {}",
        date_format(timezone.localtime(entry.practised_at), "D j M, H:i"),
        entry.assignment.version.title,
        entry.get_outcome_display(),
    )
    if entry.stopped_at_step:
        meta += format_html(" (at step {})", entry.stopped_at_step)
    if entry.duration_minutes:
        meta += format_html(" · {} min", entry.duration_minutes)
    before = [format_html("{} before {}", k, v) for k, v in entry.ratings_before.items()]
    after = [format_html("{} after {}", k, v) for k, v in entry.ratings_after.items()]
    # Every part was escaped by format_html.
    ratings = mark_safe(" · ".join(filter(None, (", ".join(before), ", ".join(after)))))  # noqa: S308
    reasons = "; ".join(REASON_WORDS.get(r, "Something else") for r in entry.reasons)
    if entry.wants_to_talk:
        reasons = f"{reasons}; {TALK}" if reasons else TALK.capitalize()
    return TimelineItem(entry, meta, ratings, mark_safe(reasons))  # noqa: S308 - our own words


@dataclass
class TherapistClientView:
    assignments: list[Assignment]
    entries: list[PracticeEntry]
    flags: list[Flag]
    readable: set[int]  # ids of entries whose reflection the therapist may read
    timeline: list[TimelineItem] = field(default_factory=list)


def therapist_client_view(therapist: User, client: User) -> TherapistClientView:
    # The cards show no change history (each card's "Adjust" page reads its own), so none is
    # loaded here.
    assignments = list(
        assignments_of_client_for_therapist(therapist, client).order_by("status", "-updated_at")
    )
    entries = entries_of_client_for_therapist(therapist, client)
    readable = {e.pk for e in entries if e.visibility in THERAPIST_CAN_READ}
    timeline = [timeline_item(e) for e in entries]
    return TherapistClientView(assignments, entries, gentle_flags(entries), readable, timeline)


def gentle_flags(entries: list[PracticeEntry]) -> list[Flag]:
    """Things a therapist may want to talk about. ENTRIES are newest first."""
    flags: list[Flag] = []
    by_assignment: dict[int, list[PracticeEntry]] = defaultdict(list)
    for entry in entries:
        by_assignment[entry.assignment_id].append(entry)
        if PracticeEntry.Reason.TOO_MUCH in entry.reasons:
            flags.append(Flag("too_much", "Said it felt like too much", entry))
        if entry.wants_to_talk:
            flags.append(Flag("talk", "Would like to talk about changing this", entry))
    for history in by_assignment.values():
        if (
            len(history) >= 2
            and history[0].outcome == PracticeEntry.Outcome.STOPPED
            and history[1].outcome == PracticeEntry.Outcome.STOPPED
        ):
            flags.append(Flag("stopped_twice", "Stopped partway twice in a row", history[0]))
        anxious = [e for e in history if "anxiety" in e.ratings_before]
        if len(anxious) >= 2:
            latest = anxious[0].ratings_before["anxiety"]
            earlier = [e.ratings_before["anxiety"] for e in anxious[1:4]]
            if latest - sum(earlier) / len(earlier) >= 2:
                flags.append(
                    Flag("anxiety_rise", "Anxiety before practising has risen", anxious[0])
                )
    flags.sort(key=lambda f: f.entry.practised_at, reverse=True)
    return flags
