"""Every write about homework: assignments and their changes, practising (one-tap stop with
undo, the afterwards note), drafts, and stages opening or stepping back."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from interlude.accounts.models import User
from interlude.accounts.tasks import alert_therapist
from interlude.audit.actions import audit_record
from interlude.couples.models import CoupleCase
from interlude.exercises.models import ExerciseVersion
from interlude.homework.forms import MAX_REFLECTION
from interlude.homework.models import (
    Assignment,
    AssignmentChange,
    PracticeDraft,
    PracticeEntry,
    StageReadiness,
)
from interlude.homework.stages import (
    next_stage_version,
    previous_stage_version,
    stage_participants,
)
from interlude.lib.announce import announce
from interlude.lib.errors import UserFacingError
from interlude.sharing.person import Person, as_person
from interlude.sharing.rules import sharing_fields

TAILORING = ("note", "times", "period", "steps", "version", "held")
# A stop tapped by mistake can be taken back for this long.
UNDO_MINUTES = 10
# The afterwards note can be added to a stopped practice for this long.
AFTERWARDS_DAYS = 7
# Drafts keep only short values besides the reflection (choices, numbers, the step reached).
MAX_DRAFT_VALUE = 200


class PracticeError(UserFacingError):
    """Something about practising that cannot be done, in words for the client."""


def _subject(assignment: Assignment) -> User | None:
    return assignment.client


def _record_change(
    assignment: Assignment,
    *,
    by: User | None,
    kind: str,
    fields: list[str] | None = None,
    reason: str = "",
) -> AssignmentChange:
    change = AssignmentChange(
        assignment=assignment,
        by=by,
        kind=kind,
        fields=sorted(set(fields or [])),
        stage=assignment.version.stage,
        reason=reason.strip(),
    )
    change.save()
    return change


# --- Assignments (the therapist) ---------------------------------------------------------------


@transaction.atomic
def assignment_create(
    *,
    therapist: User,
    version: ExerciseVersion,
    client: User | None = None,
    couple: CoupleCase | None = None,
    note: str = "",
    times: int | None = None,
    period: str = Assignment.Period.WEEK,
    steps: list[str] | None = None,
) -> Assignment:
    """Offer an exercise (at the stage VERSION is) to a client or a couple case, tailored."""
    if (client is None) == (couple is None):
        raise ValueError("An assignment is for a client or for a couple case.")
    if steps is not None and list(steps) == list(version.steps):
        steps = None
    assignment = Assignment(
        therapist=therapist,
        client=client,
        couple=couple,
        version=version,
        note=note,
        times=times,
        period=period,
        stage=version.stage,
    )
    assignment.steps = steps
    assignment.save()
    _record_change(assignment, by=therapist, kind=AssignmentChange.Kind.CREATED)
    audit_record(actor=therapist, action="assignment.create", target=assignment, subject=client)
    announce("assignment_new", stage_participants(assignment))
    return assignment


@transaction.atomic
def assignment_change(
    *, assignment: Assignment, by: User, reason: str, **changes: Any
) -> AssignmentChange | None:
    """Change how an exercise is tailored (its note, frequency, steps, stage or hold), with a
    short reason the client will read. Only the keys in TAILORING may change; nothing is
    recorded if nothing differs. A new stage (version) starts from its own steps."""
    unknown = set(changes) - set(TAILORING)
    if unknown:
        raise ValueError(f"Cannot change {sorted(unknown)}")
    version = changes.get("version", assignment.version)
    steps = changes.get("steps")
    if steps is not None and (list(steps) == list(version.steps) or version != assignment.version):
        changes["steps"] = None
    changed = []
    for name, value in changes.items():
        if getattr(assignment, name) != value:
            setattr(assignment, name, value)
            changed.append(name)
    if not changed:
        return None
    if "version" in changed:
        assignment.stage = assignment.version.stage
        changed.append("stage")
        StageReadiness.objects.filter(assignment=assignment).delete()
    assignment.updated_at = timezone.now()
    columns = {"steps": "custom_steps"}
    assignment.save(update_fields=[*{columns.get(c, c) for c in changed}, "updated_at"])
    change = _record_change(
        assignment,
        by=by,
        kind=AssignmentChange.Kind.CHANGED,
        fields=[c for c in changed if c != "version"] or ["stage"],
        reason=reason,
    )
    audit_record(
        actor=by, action="assignment.change", target=assignment, subject=_subject(assignment)
    )
    return change


@transaction.atomic
def assignment_set_status(
    *, assignment: Assignment, by: User, status: str, reason: str
) -> AssignmentChange | None:
    """Pause, resume or set aside an assignment, with a short reason for the client."""
    if status == assignment.status:
        return None
    kind = {
        Assignment.Status.PAUSED: AssignmentChange.Kind.PAUSED,
        Assignment.Status.ACTIVE: AssignmentChange.Kind.RESUMED,
        Assignment.Status.DISCARDED: AssignmentChange.Kind.DISCARDED,
    }[Assignment.Status(status)]
    assignment.status = status
    assignment.updated_at = timezone.now()
    assignment.save(update_fields=["status", "updated_at"])
    change = _record_change(assignment, by=by, kind=kind, reason=reason)
    audit_record(
        actor=by, action=f"assignment.{kind}", target=assignment, subject=_subject(assignment)
    )
    return change


@transaction.atomic
def assignment_adjust(
    *, assignment: Assignment, by: User, reason: str, status: str, **changes: Any
) -> list[AssignmentChange]:
    """The therapist's Adjust form in one step: tailoring (assignment_change) and status
    (pause, resume, set aside), with one reason. Returns what was recorded."""
    recorded = [
        assignment_change(assignment=assignment, by=by, reason=reason, **changes),
        assignment_set_status(assignment=assignment, by=by, status=status, reason=reason),
    ]
    done = [change for change in recorded if change is not None]
    if done:
        announce("assignment_changed", stage_participants(assignment))
    return done


# --- Practising (the client) -------------------------------------------------------------------


def _draft(assignment: Assignment, client: User) -> PracticeDraft | None:
    return PracticeDraft.objects.filter(assignment=assignment, client=client).first()


@transaction.atomic
def practice_entry_record(
    *,
    assignment: Assignment,
    client: User | Person,
    outcome: str,
    ratings_before: dict[str, int] | None = None,
    ratings_after: dict[str, int] | None = None,
    reasons: list[str] | None = None,
    felt_unsafe: bool = False,
    wants_to_talk: bool = False,
    reflection: str = "",
    visibility: str = PracticeEntry.DEFAULT_VISIBILITY,
    duration_minutes: int | None = None,
    stopped_at_step: int | None = None,
    submission_key: uuid.UUID | None = None,
    practised_at: datetime | None = None,
) -> PracticeEntry:
    """Record one time a client practised, stopped, or chose not to, at the version and stage
    they began at. The same submission twice stores one entry. The draft is cleared."""
    person = as_person(client)
    user = person.user
    if submission_key is not None:
        earlier = PracticeEntry.objects.filter(client=user, submission_key=submission_key).first()
        if earlier is not None:
            return earlier
    shared = sharing_fields(person, visibility)
    draft = _draft(assignment, user)
    version = draft.version if draft is not None else assignment.version
    if not isinstance(stopped_at_step, int) or not (
        1 <= stopped_at_step <= len(assignment.effective_steps)
    ):
        stopped_at_step = None
    entry = PracticeEntry(
        assignment=assignment,
        client=user,
        version=version,
        stage=version.stage,
        outcome=outcome,
        ratings_before=ratings_before or {},
        ratings_after=ratings_after or {},
        reasons=[] if outcome == PracticeEntry.Outcome.COMPLETED else list(reasons or []),
        felt_unsafe=felt_unsafe,
        wants_to_talk=wants_to_talk,
        reflection=reflection.strip(),
        duration_minutes=(
            None if outcome == PracticeEntry.Outcome.NOT_THIS_TIME else duration_minutes
        ),
        stopped_at_step=stopped_at_step if outcome == PracticeEntry.Outcome.STOPPED else None,
        submission_key=submission_key,
        practised_at=practised_at or timezone.now(),
        **shared,
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # The same submission arrived twice at once: the other request stored it.
        earlier = PracticeEntry.objects.filter(client=user, submission_key=submission_key).first()
        if earlier is None:
            raise
        return earlier
    PracticeDraft.objects.filter(assignment=assignment, client=user).delete()
    audit_record(actor=user, action="practice.record", target=entry, subject=user)
    if felt_unsafe:
        _alert_therapist_of(assignment)
    return entry


def _alert_therapist_of(assignment: Assignment) -> None:
    """Feeling pressured or unsafe reaches the therapist by a neutral e-mail as well as on
    their pages, once the answer is stored."""
    therapist = assignment.therapist
    transaction.on_commit(lambda: alert_therapist(therapist))


@transaction.atomic
def practice_stop(
    *, assignment: Assignment, client: User | Person, step: int, submission_key: uuid.UUID | None
) -> PracticeEntry:
    """One tap: the practice is noted as stopped at STEP, with the ratings given before, and
    nothing else is asked. The afterwards note is optional; Undo takes it back for a while."""
    person = as_person(client)
    draft = practice_draft_load(assignment=assignment, client=person.user)
    before = {
        key[len("before_") :]: int(value)
        for key, value in draft.items()
        if key.startswith("before_")
        and str(value).isascii()
        and str(value).isdigit()
        and len(str(value)) <= 3
    }
    return practice_entry_record(
        assignment=assignment,
        client=person,
        outcome=PracticeEntry.Outcome.STOPPED,
        ratings_before=before,
        reflection=str(draft.get("reflection", "")),
        visibility=PracticeEntry.DEFAULT_VISIBILITY,
        stopped_at_step=step,
        submission_key=submission_key,
    )


def can_add_afterwards(entry: PracticeEntry) -> bool:
    return timezone.now() - entry.created_at <= timedelta(days=AFTERWARDS_DAYS)


def can_undo(entry: PracticeEntry) -> bool:
    return (
        entry.outcome == PracticeEntry.Outcome.STOPPED
        and timezone.now() - entry.created_at <= timedelta(minutes=UNDO_MINUTES)
    )


@transaction.atomic
def practice_entry_add_afterwards(
    *,
    entry: PracticeEntry,
    author: User | Person,
    ratings_after: dict[str, int],
    reasons: list[str],
    felt_unsafe: bool,
    wants_to_talk: bool,
    reflection: str,
    visibility: str,
    duration_minutes: int | None,
) -> PracticeEntry:
    """Add how it felt to a practice noted earlier (a one-tap stop), in the days after."""
    person = as_person(author)
    if entry.client_id != person.user.pk:
        raise PracticeError("This note belongs to someone else.")
    if not can_add_afterwards(entry):
        raise PracticeError("This practice was noted a while ago; write a new note instead.")
    shared = sharing_fields(person, visibility)
    entry.ratings_after = ratings_after
    entry.reasons = list(reasons)
    newly_unsafe = felt_unsafe and not entry.felt_unsafe
    entry.felt_unsafe = felt_unsafe
    entry.wants_to_talk = wants_to_talk
    entry.reflection = reflection.strip()
    entry.duration_minutes = duration_minutes
    entry.visibility = shared["visibility"]  # type: ignore[assignment]
    entry.shared_under = shared["shared_under"]  # type: ignore[assignment]
    entry.save(
        update_fields=[
            "ratings_after",
            "reasons",
            "felt_unsafe",
            "wants_to_talk",
            "reflection",
            "duration_minutes",
            "visibility",
            "shared_under",
        ]
    )
    audit_record(
        actor=person.user, action="practice.afterwards", target=entry, subject=entry.client
    )
    # What was typed on this screen and kept as a draft has now been saved.
    draft = _draft(entry.assignment, person.user)
    if draft is not None and json.loads(draft.data).get("afterwards_of") == str(entry.pk):
        draft.delete()
    if newly_unsafe:
        _alert_therapist_of(entry.assignment)
    return entry


@transaction.atomic
def practice_entry_undo(*, entry: PracticeEntry, author: User) -> int:
    """Take back a stop tapped by mistake: the entry goes, and practising carries on from the
    step it was at (with the ratings given before). Returns that step."""
    if entry.client_id != author.pk or not can_undo(entry):
        raise PracticeError("That stop can no longer be undone; it stays in your notes.")
    step = entry.stopped_at_step or 1
    data: dict[str, Any] = {f"before_{k}": v for k, v in entry.ratings_before.items()}
    data["step"] = step
    if entry.reflection:
        data["reflection"] = entry.reflection
    assignment = entry.assignment
    version = entry.version
    entry.delete()
    _draft_upsert(assignment=assignment, client=author, version=version, data=data)
    audit_record(actor=author, action="practice.undo_stop", target=assignment, subject=author)
    return step


# --- Drafts -------------------------------------------------------------------------------


def clean_draft_data(data: dict[str, Any], allowed: set[str]) -> dict[str, Any]:
    """Only the form's own fields, each as long as a saved entry allows (longer: refused)."""
    kept: dict[str, Any] = {}
    for name, value in data.items():
        if name not in allowed:
            continue
        values = value if isinstance(value, list) else [value]
        limit = MAX_REFLECTION if name == "reflection" else MAX_DRAFT_VALUE
        if len(values) > 20 or any(len(str(v)) > limit for v in values):
            raise PracticeError(
                "This is longer than a note can be, so it was not kept as a draft. "
                "Could you shorten it a little? What you typed is still on the page."
            )
        kept[name] = value
    return kept


def _draft_upsert(
    *, assignment: Assignment, client: User, version: ExerciseVersion, data: dict[str, Any]
) -> None:
    # One statement (INSERT … ON CONFLICT DO UPDATE), so two tabs saving the first draft at
    # once cannot collide. The row's uid is renewed with its text: encryption binds to it.
    draft = PracticeDraft(
        assignment=assignment, client=client, version=version, updated_at=timezone.now()
    )
    draft.data = json.dumps(data)
    PracticeDraft.objects.bulk_create(
        [draft],
        update_conflicts=True,
        unique_fields=["assignment", "client"],
        update_fields=["data", "uid", "version", "updated_at"],
    )


@transaction.atomic
def practice_draft_save(
    *,
    assignment: Assignment,
    client: User,
    data: dict[str, Any],
    allowed: set[str],
    begin: bool = False,
) -> None:
    """Keep what the client has typed so far, encrypted, until they save or clear it. Only the
    form's own fields (ALLOWED), with the same limits as a saved entry. The draft keeps the
    version (and stage) practice began at; BEGIN (pressing Start) begins again at the current
    one, so a draft left from an earlier stage is never recorded at it."""
    kept = clean_draft_data(data, allowed)
    existing = _draft(assignment, client)
    earlier = json.loads(existing.data) if existing is not None else {}
    if kept.get("afterwards_of") != earlier.get("afterwards_of"):
        # Words for a practice already noted, and words for a new one, never mix.
        earlier = {}
    version = existing.version if existing is not None and not begin else assignment.version
    if earlier:
        kept = {**earlier, **kept}
    _draft_upsert(assignment=assignment, client=client, version=version, data=kept)


def practice_draft_load(*, assignment: Assignment, client: User) -> dict[str, Any]:
    draft = _draft(assignment, client)
    return dict(json.loads(draft.data)) if draft else {}


@transaction.atomic
def practice_draft_discard(*, assignment: Assignment, client: User) -> None:
    PracticeDraft.objects.filter(assignment=assignment, client=client).delete()


# --- Stages ---------------------------------------------------------------------------------


def _move_to(assignment: Assignment, version: ExerciseVersion) -> None:
    assignment.version = version
    assignment.stage = version.stage
    assignment.steps = None
    assignment.updated_at = timezone.now()
    assignment.save(update_fields=["version", "stage", "custom_steps", "updated_at"])


def _locked(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update()
        .select_related("version__exercise")
        .get(pk=assignment.pk)
    )


@transaction.atomic
def stage_ready(*, assignment: Assignment, client: User) -> bool:
    """CLIENT feels ready for the next stage. It opens when everyone taking part is ready and
    the therapist is not holding it. Returns True if the next stage opened."""
    assignment = _locked(assignment)
    current = assignment.version.stage or 0
    StageReadiness.objects.get_or_create(assignment=assignment, client=client, stage=current)
    audit_record(actor=client, action="assignment.stage_ready", target=assignment, subject=client)
    following = next_stage_version(assignment.version)
    if following is None or assignment.held:
        return False
    ready = set(
        StageReadiness.objects.filter(assignment=assignment, stage=current).values_list(
            "client_id", flat=True
        )
    )
    participants = stage_participants(assignment)
    if not participants or not set(participants) <= ready:
        return False
    _move_to(assignment, following)
    reason = (
        "You both said you felt ready." if len(participants) > 1 else "You said you felt ready."
    )
    # No "by": in a couple, the page never says who was ready last.
    _record_change(
        assignment, by=None, kind=AssignmentChange.Kind.CHANGED, fields=["stage"], reason=reason
    )
    audit_record(actor=client, action="assignment.stage_open", target=assignment, subject=client)
    return True


@transaction.atomic
def stage_unready(*, assignment: Assignment, client: User) -> bool:
    """ "Not ready after all": CLIENT takes back their readiness for the next stage."""
    assignment = _locked(assignment)
    deleted, _ = StageReadiness.objects.filter(
        assignment=assignment, client=client, stage=assignment.version.stage or 0
    ).delete()
    if deleted:
        audit_record(
            actor=client, action="assignment.stage_unready", target=assignment, subject=client
        )
    return bool(deleted)


@transaction.atomic
def stage_step_back(*, assignment: Assignment, client: User) -> ExerciseVersion | None:
    """Go back a stage. In a couple, stepping back by either partner steps back for both, and
    neither is told who asked. Readiness starts afresh. Returns the stage now practised."""
    assignment = _locked(assignment)
    previous = previous_stage_version(assignment.version)
    if previous is None:
        return None
    _move_to(assignment, previous)
    StageReadiness.objects.filter(assignment=assignment).delete()
    _record_change(
        assignment,
        by=None,
        kind=AssignmentChange.Kind.CHANGED,
        fields=["stage"],
        reason=f"Your practice is back at stage {previous.stage}.",
    )
    audit_record(actor=client, action="assignment.stage_back", target=assignment, subject=client)
    return previous


# --- Leaving --------------------------------------------------------------------------------


@transaction.atomic
def homework_erase_for(*, user: User) -> None:
    """Delete USER's practice log, drafts, readiness and their own (individual) assignments;
    couple assignments stay for the partner."""
    PracticeEntry.objects.filter(client=user).delete()
    PracticeDraft.objects.filter(client=user).delete()
    StageReadiness.objects.filter(client=user).delete()
    Assignment.objects.filter(client=user).delete()
