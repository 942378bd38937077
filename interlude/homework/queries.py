"""Reads for the homework pages, with a constant number of queries however long the history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import (
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Prefetch,
    Q,
    QuerySet,
)
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from interlude.accounts.models import User
from interlude.couples.models import CoupleMember
from interlude.exercises.models import RATINGS, ExerciseVersion
from interlude.exercises.tools import tool_for
from interlude.homework.access import (
    assignments_for_client,
    changes_of,
    own_entries_for,
    past_assignments_for_client,
    said_ready,
)
from interlude.homework.actions import practice_draft_load
from interlude.homework.models import Assignment, AssignmentChange, PracticeEntry
from interlude.homework.stages import next_stage_version, previous_stage_version
from interlude.lib.workspace import moment_words
from interlude.sharing.person import Person
from interlude.sharing.visibility import THERAPIST_CAN_READ

RECENT_CHANGES = timedelta(days=14)


@dataclass
class ClientHomeItem:
    assignment: Assignment
    last_tried: datetime | None
    recent_changes: list[AssignmentChange] = field(default_factory=list)


@dataclass
class PastItem:
    """An exercise the client no longer practises, with the words for why."""

    assignment: Assignment
    line: str


@dataclass
class ClientHome:
    items: list[ClientHomeItem]
    past: list[PastItem]


def _last_tried(user: User, assignments: Sequence[Assignment]) -> dict[int, datetime]:
    # The date this client last tried each one (not their partner: no nudging about each other).
    return dict(
        PracticeEntry.objects.filter(client=user, assignment__in=assignments)
        .values("assignment_id")
        .annotate(last=Max("practised_at"))
        .values_list("assignment_id", "last")
    )


def client_home(person: Person) -> ClientHome:
    """Current exercises with the therapist's note, when the client last tried each, recent
    changes with their reasons, and a short line for each exercise set aside or belonging to
    a link that ended. Nothing counts what was not done."""
    since = timezone.now() - RECENT_CHANGES
    current = list(
        assignments_for_client(person)
        .prefetch_related(
            Prefetch(
                "changes",
                queryset=AssignmentChange.objects.filter(created_at__gte=since)
                .exclude(kind=AssignmentChange.Kind.CREATED)
                .select_related("by"),
                to_attr="recent",
            )
        )
        .order_by("status", "-updated_at")
    )
    past = list(
        past_assignments_for_client(person).prefetch_related(
            Prefetch(
                "changes",
                queryset=AssignmentChange.objects.filter(kind=AssignmentChange.Kind.DISCARDED),
                to_attr="set_aside",
            )
        )[:20]
    )
    mine = _last_tried(person.user, current)
    return ClientHome(
        # The newest change of each, with its reason; the practice page has the rest.
        items=[ClientHomeItem(a, mine.get(a.pk), list(a.recent)[:1]) for a in current],
        past=[PastItem(a, past_line(a, person)) for a in past],
    )


def past_line(assignment: Assignment, person: Person) -> str:
    """Why an exercise is no longer on the client's list, in one calm line."""
    set_aside = getattr(assignment, "set_aside", None)
    if assignment.status == Assignment.Status.DISCARDED:
        change = set_aside[0] if set_aside else None
        when = _day(change.created_at if change else assignment.updated_at)
        reason = f": “{change.reason}”" if change is not None and change.reason else "."
        return f"Set aside on {when}{reason}"
    return "From your shared work, which has ended. Your own notes stay here for you."


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j M")


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
    meta: SafeString  # when, which exercise and stage, how it went
    ratings: SafeString
    reasons: SafeString


REASON_WORDS = {
    PracticeEntry.Reason.TOO_MUCH: "Felt like too much",
    PracticeEntry.Reason.NOT_RIGHT_TIME: "Not the right time",
    PracticeEntry.Reason.NO_PRIVACY: "No privacy",
    PracticeEntry.Reason.NOT_IN_THE_MOOD: "Didn't feel like it",
}
TALK = "would like to talk about changing this exercise"
UNSAFE = "Felt pressured or unsafe"


def _rating(key: str, value: int, when: str) -> str:
    top = RATINGS[key].top if key in RATINGS else 10
    return f"{escape(key)} {when} {int(value)} (of {top})"


# How it went, in the therapist's words (the client chose "I did it", "I stopped partway").
OUTCOME_FOR_THERAPIST: dict[str, str] = {
    PracticeEntry.Outcome.COMPLETED: "Did it",
    PracticeEntry.Outcome.STOPPED: "Stopped partway",
    PracticeEntry.Outcome.NOT_THIS_TIME: "Not this time",
}


def timeline_item(entry: PracticeEntry) -> TimelineItem:
    """The line for ENTRY, named by the version and stage it was done at. Written with escape()
    and f-strings: format_html for each part of 25 lines was a tenth of the page."""
    title = entry.version.title
    if entry.stage and f"stage {entry.stage}" not in title.lower():
        title = f"{title} (stage {entry.stage})"
    when = moment_words(entry.practised_at, weekday=True, time=True)
    outcome = OUTCOME_FOR_THERAPIST.get(entry.outcome, entry.get_outcome_display())
    meta = f"{when} · {escape(title)} · {escape(outcome)}"
    if entry.stopped_at_step:
        meta += f" (at step {int(entry.stopped_at_step)})"
    if entry.duration_minutes:
        meta += f" · {int(entry.duration_minutes)} min"
    before = [_rating(k, v, "before") for k, v in entry.ratings_before.items()]
    after = [_rating(k, v, "after") for k, v in entry.ratings_after.items()]
    ratings = " · ".join(filter(None, (", ".join(before), ", ".join(after))))
    words = [REASON_WORDS.get(r, "Something else") for r in entry.reasons]
    if entry.felt_unsafe:
        words.insert(0, UNSAFE)
    reasons = "; ".join(words)
    if entry.wants_to_talk:
        reasons = f"{reasons}; {TALK}" if reasons else TALK.capitalize()
    # Every piece of text was escaped; the rest are numbers and words of our own.
    return TimelineItem(
        entry,
        mark_safe(meta),  # noqa: S308
        mark_safe(ratings),  # noqa: S308
        mark_safe(escape(reasons)),  # noqa: S308
    )


@dataclass
class AssignmentLine:
    """How an assignment reads on the therapist's client page: for whom, how often."""

    assignment: Assignment
    who: str


TIMELINE_PAGE = 25
# An exercise's text, which the therapist's client page never shows: left out of its queries
# (a client with two years of exercises has dozens, and reading each one's text and parsing its
# JSON was a quarter of the page's time).
VERSION_TEXT = (
    "version__summary",
    "version__what_it_is",
    "version__before_you_start",
    "version__steps",
    "version__if_you_want_to_stop",
    "version__afterwards",
    "version__why_it_helps",
    "version__safety_notes",
    "version__for_therapists",
    "version__reflection_prompts",
)


@dataclass
class TherapistClientView:
    """One page of a client's practice log on their therapist's page (newest first),
    TIMELINE_PAGE entries at a time. (Their exercises are homework's section of the page:
    interlude/homework/workspace.py.)"""

    entries: list[PracticeEntry]
    readable: set[int]  # ids of entries whose reflection the therapist may read
    timeline: list[TimelineItem] = field(default_factory=list)
    page: int = 1
    has_older: bool = False
    # The log's part of time on this page: after `start` (None: the beginning), up to `end`
    # (None: now). Pages meet without gaps, so whatever else is set among the entries (the
    # sessions) appears on exactly one page.
    start: datetime | None = None
    end: datetime | None = None


def _who(
    assignment: Assignment, members: dict[int, list[CoupleMember]], client: User | None
) -> str:
    if assignment.couple_id is None:
        return "On their own"
    places = members.get(assignment.couple_id, [])
    other = next((m for m in places if client is None or m.client_id != client.pk), None)
    couple = assignment.couple
    if couple is not None and couple.ended_at is not None:
        return f"Couple work (the link ended on {_day(couple.ended_at)})"
    if other is None or other.status == CoupleMember.Status.NOT_TAKING_PART:
        return "Their own (their partner is not taking part)"
    if other.status == CoupleMember.Status.INVITED:
        return "Couple work (their partner has not joined yet)"
    return f"With {other.display_name}"


def assignment_line(assignment: Assignment) -> AssignmentLine:
    """One assignment's card line on its client's page (after an adjustment in place)."""
    members: dict[int, list[CoupleMember]] = defaultdict(list)
    if assignment.couple_id:
        for member in CoupleMember.objects.filter(couple_id=assignment.couple_id).select_related(
            "client"
        ):
            members[member.couple_id].append(member)
    page_of = assignment.client or next(
        (m.client for m in members.get(assignment.couple_id or 0, []) if m.client), None
    )
    return AssignmentLine(assignment, _who(assignment, members, page_of))


def assignments_for_therapist_page(therapist: User, client: User) -> QuerySet[Assignment]:
    """What access.assignments_of_client_for_therapist gives (everything THERAPIST gave CLIENT,
    alone or in any couple case of theirs), without the exercises' text, read the quick way:
    each of the client's own and couple assignments from its own index. Compared as written
    there, SQLite read every assignment of the therapist's whole caseload (thousands) instead,
    a fifth of the page's time; the comparison `therapist_id + 0` cannot use an index, so the
    database does not choose that one."""
    couples = CoupleMember.objects.filter(client=client).values("couple_id")
    by = ExpressionWrapper(F("therapist_id") + 0, output_field=IntegerField())
    return (
        Assignment.objects.annotate(given_by=by)
        .filter(Q(client=client) | Q(couple_id__in=couples), given_by=therapist.pk)
        .select_related("version", "couple")
        .defer(*VERSION_TEXT)
    )


def log_for_therapist(therapist: User, client: User) -> Any:
    """CLIENT's practice log for the assignments THERAPIST gave, newest first, each entry with
    its version's title and stage only (loading each version's whole text and parsing its
    JSON was most of the page's time)."""
    entry_fields = [f.name for f in PracticeEntry._meta.concrete_fields]
    return (
        PracticeEntry.objects.filter(client=client, assignment__therapist=therapist)
        .select_related("version")
        .only(*entry_fields, "version__title", "version__stage")
        .order_by("-practised_at", "-pk")
    )


def assignment_lines(assignments: list[Assignment], client: User) -> list[AssignmentLine]:
    """The cards' lines for ASSIGNMENTS on CLIENT's page: for whom, how often."""
    couple_ids = {a.couple_id for a in assignments if a.couple_id}
    members: dict[int, list[CoupleMember]] = defaultdict(list)
    if couple_ids:
        for member in CoupleMember.objects.filter(couple_id__in=couple_ids).select_related(
            "client"
        ):
            members[member.couple_id].append(member)
    return [AssignmentLine(a, _who(a, members, client)) for a in assignments]


def therapist_client_view(therapist: User, client: User, page: int = 1) -> TherapistClientView:
    """Page PAGE of CLIENT's practice log for the exercises THERAPIST gave."""
    offset = (page - 1) * TIMELINE_PAGE
    # One entry either side of the page: the newer one says where this page's time ends, the
    # older one that there is an older page.
    window = list(
        log_for_therapist(therapist, client)[max(0, offset - 1) : offset + TIMELINE_PAGE + 1]
    )
    newer = window.pop(0) if offset and window else None
    has_older = len(window) > TIMELINE_PAGE
    entries = window[:TIMELINE_PAGE]
    readable = {e.pk for e in entries if e.visibility in THERAPIST_CAN_READ}
    return TherapistClientView(
        entries=entries,
        readable=readable,
        timeline=[timeline_item(e) for e in entries],
        page=page,
        has_older=has_older,
        start=entries[-1].practised_at if has_older and entries else None,
        end=newer.practised_at if newer is not None else None,
    )


def gentle_flags(entries: list[PracticeEntry]) -> list[Flag]:
    """Things a therapist may want to talk about, the safety answer first. ENTRIES are newest
    first; each flag stays with the entry (and so the stage) it came from."""
    safety: list[Flag] = []
    flags: list[Flag] = []
    by_assignment: dict[int, list[PracticeEntry]] = defaultdict(list)
    for entry in entries:
        by_assignment[entry.assignment_id].append(entry)
        if entry.felt_unsafe:
            safety.append(Flag("unsafe", "Said they felt pressured or unsafe", entry))
        if PracticeEntry.Reason.TOO_MUCH in entry.reasons:
            flags.append(Flag("too_much", "Said it felt like too much", entry))
        if entry.wants_to_talk:
            flags.append(Flag("talk", "Would like to talk about changing this exercise", entry))
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
    return safety + flags


@dataclass
class PracticePage:
    """What every practising screen shows around its own form."""

    assignment: Assignment
    steps: list[str]
    together: bool  # practised with a linked partner: the only case with partner wording
    history: list[PracticeEntry]
    changes: list[AssignmentChange]
    next_stage: ExerciseVersion | None
    previous_stage: ExerciseVersion | None
    said_ready: bool
    hold_reason: str
    draft: dict[str, Any]
    tool_url: str = ""  # the exercise's interactive tool for this assignment, if it has one
    tool_button: str = ""

    @property
    def version(self) -> ExerciseVersion:
        return self.assignment.version


def practice_page(person: Person, assignment: Assignment) -> PracticePage:
    """The practice screens' context for PERSON (a client who may read ASSIGNMENT)."""
    changes = changes_of(assignment)
    hold = next((c for c in changes if "held" in c.fields and assignment.held), None)
    current = assignment.status != Assignment.Status.DISCARDED and (
        assignment.couple_id is None or assignment.couple_id == person.couple_id
    )
    tool = tool_for(assignment.version.exercise)
    tool_url = ""
    if tool is not None:
        try:
            tool_url = reverse(f"tool_{tool.name}", kwargs={"assignment_id": assignment.pk})
        except NoReverseMatch:  # a tool not built (yet) in this installation
            tool = None
    together = bool(assignment.couple_id) and person.partner is not None and current
    return PracticePage(
        assignment=assignment,
        steps=assignment.effective_steps,
        together=together,
        history=own_entries_for(person.user, assignment, limit=5),
        changes=changes,
        next_stage=next_stage_version(assignment.version) if current else None,
        previous_stage=previous_stage_version(assignment.version) if current else None,
        said_ready=said_ready(person.user, assignment),
        hold_reason=hold.reason if hold else "",
        draft=_practising_draft(assignment, person),
        tool_url=tool_url,
        tool_button=(tool.together or tool.button)
        if tool and together
        else getattr(tool, "button", ""),
    )


def _practising_draft(assignment: Assignment, person: Person) -> dict[str, Any]:
    """The draft of a practice under way; words kept for a practice already noted (a one-tap
    stop's afterwards screen) belong to that screen alone."""
    draft = practice_draft_load(assignment=assignment, client=person.user)
    return {} if "afterwards_of" in draft else draft
