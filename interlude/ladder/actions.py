"""Every write about ladders: building one (either of them adds, changes, reorders or takes off
steps, and each change is kept with its earlier wording), the client's choices (the step to work
on, the pause point), the therapist's hold, and trying a step (begin, pause, note how it went).

Nothing here moves a client up a ladder: only step_choose does, and only for the client.
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from interlude.accounts.models import User
from interlude.audit.actions import audit_record
from interlude.ladder.forms import (
    MAX_PAUSE_NOTE,
    MAX_REASON,
    MAX_REFLECTION,
    MAX_STEP_TEXT,
    draft_field_names,
)
from interlude.ladder.models import (
    MAX_STEPS,
    MIN_STEPS,
    SUDS_STEP,
    SUDS_TOP,
    Ladder,
    LadderAttempt,
    LadderChange,
    LadderReflection,
    LadderStep,
)
from interlude.lib.errors import UserFacingError
from interlude.sharing.person import Person, as_person
from interlude.sharing.rules import sharing_fields

if TYPE_CHECKING:  # types only: the ladder does not depend on homework's code
    from interlude.homework.models import Assignment

# Drafts keep only short values besides the two notes (choices, numbers).
MAX_DRAFT_VALUE = 200
Kind = LadderChange.Kind


class LadderError(UserFacingError):
    """Something about a ladder that cannot be done, in words for the person asking."""


# --- helpers -------------------------------------------------------------------------------


def _locked(ladder: Ladder) -> Ladder:
    """The ladder's row, locked for this transaction: changes to one ladder happen one at a
    time, so positions stay whole."""
    return (
        Ladder.objects.select_for_update()
        .select_related("assignment__therapist", "client")
        .get(pk=ladder.pk)
    )


def _already(ladder: Ladder, key: uuid.UUID | None) -> bool:
    return (
        key is not None and LadderChange.objects.filter(ladder=ladder, submission_key=key).exists()
    )


def _on_ladder(ladder: Ladder) -> list[LadderStep]:
    return list(ladder.steps.filter(removed_at__isnull=True).order_by("position", "pk"))


def _renumber(steps: list[LadderStep]) -> None:
    """Positions 1..n in the order given, writing only the steps whose position changed."""
    moved = []
    for number, step in enumerate(steps, start=1):
        if step.position != number:
            step.position = number
            moved.append(step)
    if moved:
        LadderStep.objects.bulk_update(moved, ["position"])


def _clean_text(text: str, limit: int, what: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise LadderError(f"Please write {what} in a few words.")
    if len(text) > limit:
        raise LadderError(f"This is longer than {limit} characters; could you shorten it?")
    return text


def _check_suds(value: int | None, *, required: bool = True) -> int | None:
    if value is None:
        if required:
            raise LadderError("Please choose a number from 0 to 100. A rough guess is fine.")
        return None
    if not 0 <= value <= SUDS_TOP or value % SUDS_STEP:
        raise LadderError("Please choose a number from 0 to 100, in fives.")
    return value


def _record(
    ladder: Ladder,
    *,
    by: User | None,
    kind: str,
    step: LadderStep | None = None,
    submission_key: uuid.UUID | None = None,
    **values: Any,
) -> LadderChange:
    change = LadderChange(
        ladder=ladder,
        client_id=ladder.client_id,
        step=step,
        by=by,
        kind=kind,
        submission_key=submission_key,
        **values,
    )
    change.save()
    ladder.updated_at = change.created_at
    ladder.save(update_fields=["updated_at"])
    return change


def _audit(actor: User, action: str, target: Any, ladder: Ladder) -> None:
    audit_record(actor=actor, action=f"ladder.{action}", target=target, subject=ladder.client)


def _check_editor(ladder: Ladder, by: User) -> None:
    """Only the ladder's client and the therapist who gave the assignment change it."""
    if by.pk not in (ladder.client_id, ladder.assignment.therapist_id):
        raise LadderError("This ladder belongs to someone else.")


# --- the ladder itself ---------------------------------------------------------------------


@transaction.atomic
def ladder_for(*, assignment: Assignment, client: User, by: User | None = None) -> Ladder:
    """CLIENT's ladder for ASSIGNMENT, made (empty) the first time either of them opens it (BY,
    the client when not given)."""
    ladder = Ladder.objects.filter(assignment=assignment, client=client).first()
    if ladder is not None:
        return ladder
    ladder = Ladder(assignment=assignment, client=client)
    try:
        with transaction.atomic():
            ladder.save()
    except IntegrityError:
        # Opened in two places at once: the other request made it.
        return Ladder.objects.get(assignment=assignment, client=client)
    audit_record(actor=by or client, action="ladder.create", target=ladder, subject=client)
    return ladder


# --- steps (either of them) ----------------------------------------------------------------


@transaction.atomic
def step_add(
    *,
    ladder: Ladder,
    by: User,
    text: str,
    suds: int,
    submission_key: uuid.UUID | None = None,
) -> LadderStep | None:
    """Add a step where its expected distress puts it (after the steps rated the same or lower).
    A ladder holds up to MAX_STEPS. The same submission twice adds it once (None the second
    time)."""
    ladder = _locked(ladder)
    _check_editor(ladder, by)
    if _already(ladder, submission_key):
        return None
    text = _clean_text(text, MAX_STEP_TEXT, "the step")
    suds = _check_suds(suds) or 0
    steps = _on_ladder(ladder)
    if len(steps) >= MAX_STEPS:
        raise LadderError(
            f"A ladder holds up to {MAX_STEPS} steps. To add this one, you could take a step "
            "off or join two steps into one first. What you typed is still here."
        )
    place = sum(1 for s in steps if s.suds <= suds)
    now = timezone.now()
    step = LadderStep(
        ladder=ladder,
        client_id=ladder.client_id,
        text=text,
        suds=suds,
        position=place + 1,
        added_by=by,
        created_at=now,
        updated_at=now,
    )
    # Make room first: the steps above the new one move up one place.
    _renumber([*steps[:place], step, *steps[place:]])
    step.save()
    _record(
        ladder,
        by=by,
        kind=Kind.ADDED,
        step=step,
        after_text=text,
        after_suds=suds,
        after_position=step.position,
        submission_key=submission_key,
    )
    _audit(by, "step_add", step, ladder)
    return step


@transaction.atomic
def step_edit(
    *,
    ladder: Ladder,
    step: LadderStep,
    by: User,
    text: str,
    suds: int,
    submission_key: uuid.UUID | None = None,
) -> LadderChange | None:
    """Change a step's words or expected distress; the earlier wording is kept in the history.
    The step keeps its place (the page offers to put the ladder in order)."""
    ladder = _locked(ladder)
    _check_editor(ladder, by)
    step = LadderStep.objects.get(pk=step.pk, ladder=ladder, removed_at__isnull=True)
    if _already(ladder, submission_key):
        return None
    text = _clean_text(text, MAX_STEP_TEXT, "the step")
    suds = _check_suds(suds) or 0
    if text == step.text and suds == step.suds:
        return None
    before_text, before_suds = step.text, step.suds
    step.text, step.suds, step.updated_at = text, suds, timezone.now()
    step.save(update_fields=["text", "suds", "updated_at"])
    change = _record(
        ladder,
        by=by,
        kind=Kind.EDITED,
        step=step,
        before_text=before_text,
        before_suds=before_suds,
        after_text=text,
        after_suds=suds,
        after_position=step.position,
        submission_key=submission_key,
    )
    _audit(by, "step_edit", step, ladder)
    return change


@transaction.atomic
def step_remove(
    *, ladder: Ladder, step: LadderStep, by: User, submission_key: uuid.UUID | None = None
) -> LadderChange | None:
    """Take a step off the ladder. Its words and the tries made at it are kept in the history.
    If it was the step being worked on, the client chooses again; if the therapist was holding
    it, the hold moves to the step below (or ends when there is none)."""
    ladder = _locked(ladder)
    _check_editor(ladder, by)
    step = LadderStep.objects.get(pk=step.pk, ladder=ladder, removed_at__isnull=True)
    if _already(ladder, submission_key):
        return None
    steps = _on_ladder(ladder)
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    step.removed_at = step.updated_at = timezone.now()
    step.save(update_fields=["removed_at", "updated_at"])
    remaining = steps[:index] + steps[index + 1 :]
    _renumber(remaining)
    fields = []
    if ladder.current_step_id == step.pk:
        ladder.current_step = None
        fields.append("current_step")
    if ladder.held_step_id == step.pk:
        ladder.held_step = remaining[index - 1] if index > 0 else None
        fields.append("held_step")
        if ladder.held_step is None:
            ladder.hold_reason, ladder.held_by, ladder.held_at = "", None, None
            fields += ["hold_reason", "held_by", "held_at"]
    if fields:
        ladder.save(update_fields=fields)
    change = _record(
        ladder,
        by=by,
        kind=Kind.REMOVED,
        step=step,
        before_text=step.text,
        before_suds=step.suds,
        before_position=index + 1,
        submission_key=submission_key,
    )
    _audit(by, "step_remove", step, ladder)
    return change


@transaction.atomic
def step_move(
    *,
    ladder: Ladder,
    step: LadderStep,
    by: User,
    later: bool,
    submission_key: uuid.UUID | None = None,
) -> LadderChange | None:
    """Swap a step with the one just below it (earlier) or above it (LATER)."""
    ladder = _locked(ladder)
    _check_editor(ladder, by)
    if _already(ladder, submission_key):
        return None
    steps = _on_ladder(ladder)
    index = next((i for i, s in enumerate(steps) if s.pk == step.pk), None)
    if index is None:
        raise LadderError("That step is no longer on the ladder.")
    other = index + 1 if later else index - 1
    if not 0 <= other < len(steps):
        return None
    steps[index], steps[other] = steps[other], steps[index]
    moving = steps[other]
    _renumber(steps)
    change = _record(
        ladder,
        by=by,
        kind=Kind.MOVED,
        step=moving,
        after_text=moving.text,
        before_position=index + 1,
        after_position=other + 1,
        submission_key=submission_key,
    )
    _audit(by, "step_move", moving, ladder)
    return change


@transaction.atomic
def ladder_sort(
    *, ladder: Ladder, by: User, submission_key: uuid.UUID | None = None
) -> LadderChange | None:
    """Put the steps in order of expected distress, lowest first (steps rated the same keep
    their order)."""
    ladder = _locked(ladder)
    _check_editor(ladder, by)
    if _already(ladder, submission_key):
        return None
    steps = _on_ladder(ladder)
    ordered = sorted(steps, key=lambda s: (s.suds, s.position))
    if ordered == steps:
        return None
    _renumber(ordered)
    change = _record(ladder, by=by, kind=Kind.SORTED, submission_key=submission_key)
    _audit(by, "sort", ladder, ladder)
    return change


# --- the client's choices ------------------------------------------------------------------


def _person_name(user: User | None) -> str:
    return user.display_name if user is not None else "Your therapist"


@transaction.atomic
def step_choose(
    *,
    ladder: Ladder,
    step: LadderStep,
    client: User,
    submission_key: uuid.UUID | None = None,
) -> LadderChange | None:
    """The client chooses the step they work on: down at any time, up only by their own choice,
    and not above a step their therapist asks them to stay at for now. Nobody else moves it."""
    ladder = _locked(ladder)
    if client.pk != ladder.client_id:
        raise LadderError("Only you choose the step you work on.")
    if _already(ladder, submission_key):
        return None
    steps = _on_ladder(ladder)
    chosen = next((s for s in steps if s.pk == step.pk), None)
    if chosen is None:
        raise LadderError("That step is no longer on your ladder.")
    step = chosen
    if len(steps) < MIN_STEPS:
        raise LadderError(
            f"A ladder usually has at least {MIN_STEPS} small steps before you begin. You could "
            "add a step or two first; they can be tiny."
        )
    held = next((s for s in steps if s.pk == ladder.held_step_id), None)
    if held is not None and step.position > held.position:
        raise LadderError(
            f"{_person_name(ladder.held_by)} asks you to stay at or below step {held.position} for "
            "now; the reason is at the top of your ladder. You can talk about it at your next "
            "session."
        )
    if ladder.current_step_id == step.pk:
        return None
    before = next((s for s in steps if s.pk == ladder.current_step_id), None)
    ladder.current_step = step
    ladder.save(update_fields=["current_step"])
    change = _record(
        ladder,
        by=client,
        kind=Kind.CHOSE,
        step=step,
        after_text=step.text,
        before_position=before.position if before else None,
        after_position=step.position,
        submission_key=submission_key,
    )
    _audit(client, "step_choose", step, ladder)
    return change


def pause_point_words(suds: int | None, note: str) -> str:
    """The pause point as one line: "If my distress goes above 70, or if I feel far away"."""
    parts = []
    if suds is not None:
        parts.append(f"if my distress goes above {suds}")
    if note.strip():
        parts.append(note.strip())
    text = ", or ".join(parts)
    return text[:1].upper() + text[1:] if text else ""


@transaction.atomic
def pause_point_set(
    *,
    ladder: Ladder,
    client: User,
    suds: int | None,
    note: str,
    submission_key: uuid.UUID | None = None,
) -> LadderChange | None:
    """The client's pause point, chosen in advance: a rating, their own words, or both."""
    ladder = _locked(ladder)
    if client.pk != ladder.client_id:
        raise LadderError("Only you choose your pause point.")
    if _already(ladder, submission_key):
        return None
    suds = _check_suds(suds, required=False)
    note = " ".join(note.split())
    if len(note) > MAX_PAUSE_NOTE:
        raise LadderError(f"This is longer than {MAX_PAUSE_NOTE} characters; could you shorten it?")
    if suds is None and not note:
        raise LadderError("Please choose a pause point: a number, a few words, or one of each.")
    if suds == ladder.pause_suds and note == ladder.pause_note:
        return None
    before = pause_point_words(ladder.pause_suds, ladder.pause_note)
    ladder.pause_suds, ladder.pause_note = suds, note
    ladder.save(update_fields=["pause_suds", "pause_note"])
    change = _record(
        ladder,
        by=client,
        kind=Kind.PAUSE_POINT,
        before_text=before,
        after_text=pause_point_words(suds, note),
        before_suds=None,
        after_suds=suds,
        submission_key=submission_key,
    )
    _audit(client, "pause_point", ladder, ladder)
    return change


# --- the therapist's hold ------------------------------------------------------------------


@transaction.atomic
def hold_set(
    *,
    ladder: Ladder,
    therapist: User,
    step: LadderStep,
    reason: str,
    submission_key: uuid.UUID | None = None,
) -> LadderChange | None:
    """The therapist asks the client to stay at or below STEP for now, with a reason the client
    reads. The client can still move down, and keeps the step they are on."""
    ladder = _locked(ladder)
    if therapist.pk != ladder.assignment.therapist_id:
        raise LadderError("Only the therapist who gave this exercise can ask to hold a step.")
    if _already(ladder, submission_key):
        return None
    step = LadderStep.objects.get(pk=step.pk, ladder=ladder, removed_at__isnull=True)
    reason = reason.strip()
    if not reason:
        raise LadderError("Please add a few words for your client about why.")
    if len(reason) > MAX_REASON:
        raise LadderError(f"This is longer than {MAX_REASON} characters; could you shorten it?")
    ladder.held_step, ladder.hold_reason = step, reason
    ladder.held_by, ladder.held_at = therapist, timezone.now()
    ladder.save(update_fields=["held_step", "hold_reason", "held_by", "held_at"])
    change = _record(
        ladder,
        by=therapist,
        kind=Kind.HELD,
        step=step,
        after_text=step.text,
        after_position=step.position,
        reason=reason,
        submission_key=submission_key,
    )
    _audit(therapist, "hold", step, ladder)
    return change


@transaction.atomic
def hold_release(
    *,
    ladder: Ladder,
    therapist: User,
    note: str = "",
    submission_key: uuid.UUID | None = None,
) -> LadderChange | None:
    """The therapist no longer asks the client to stay at a step."""
    ladder = _locked(ladder)
    if therapist.pk != ladder.assignment.therapist_id:
        raise LadderError("Only the therapist who gave this exercise can change a hold.")
    if _already(ladder, submission_key) or ladder.held_step_id is None:
        return None
    held = LadderStep.objects.get(pk=ladder.held_step_id)
    ladder.held_step, ladder.hold_reason, ladder.held_by, ladder.held_at = None, "", None, None
    ladder.save(update_fields=["held_step", "hold_reason", "held_by", "held_at"])
    change = _record(
        ladder,
        by=therapist,
        kind=Kind.RELEASED,
        step=held,
        after_text=held.text,
        before_position=held.position,
        reason=note.strip()[:MAX_REASON],
        submission_key=submission_key,
    )
    _audit(therapist, "release", held, ladder)
    return change


# --- trying a step (the client) ------------------------------------------------------------


def open_attempt(ladder: Ladder) -> LadderAttempt | None:
    return ladder.attempts.exclude(phase=LadderAttempt.Phase.DONE).first()


@transaction.atomic
def attempt_start(
    *, ladder: Ladder, client: User, submission_key: uuid.UUID | None = None
) -> LadderAttempt:
    """Start a try at the step the client chose. A try already under way is carried on instead,
    and the same submission twice starts one try."""
    ladder = _locked(ladder)
    if client.pk != ladder.client_id:
        raise LadderError("Only you can try a step on your ladder.")
    if submission_key is not None:
        earlier = LadderAttempt.objects.filter(client=client, submission_key=submission_key).first()
        if earlier is not None:
            return earlier
    under_way = open_attempt(ladder)
    if under_way is not None:
        return under_way
    step = ladder.current_step
    if step is None or step.removed_at is not None:
        raise LadderError("Please choose the step you'd like to work on first.")
    attempt = LadderAttempt(ladder=ladder, step=step, client=client, submission_key=submission_key)
    attempt.save()
    _audit(client, "try_start", attempt, ladder)
    return attempt


def _locked_attempt(attempt: LadderAttempt) -> LadderAttempt:
    return LadderAttempt.objects.select_for_update().select_related("ladder").get(pk=attempt.pk)


def _reflect(
    attempt: LadderAttempt, person: Person, moment: str, text: str, visibility: str
) -> LadderReflection | None:
    """Keep what the client wrote at MOMENT, visible as they chose (an empty note is none)."""
    text = text.strip()
    if len(text) > MAX_REFLECTION:
        raise LadderError(
            f"This is longer than {MAX_REFLECTION:,} characters. Could you shorten it a little?"
        )
    shared = sharing_fields(person, visibility)
    existing = attempt.reflections.filter(moment=moment).first()
    if not text:
        if existing is not None:
            existing.delete()
        return None
    note = existing or LadderReflection(attempt=attempt, client=person.user, moment=moment)
    note.text = text
    note.visibility = shared["visibility"]  # type: ignore[assignment]
    note.shared_under = shared["shared_under"]  # type: ignore[assignment]
    note.save()
    return note


def _drop_draft(attempt: LadderAttempt, names: set[str]) -> None:
    data = _draft_data(attempt)
    attempt.draft = json.dumps({k: v for k, v in data.items() if k not in names})


@transaction.atomic
def attempt_begin(
    *,
    attempt: LadderAttempt,
    client: User | Person,
    suds_before: int | None,
    reflection: str,
    visibility: str,
) -> LadderAttempt:
    """Before the step: distress now and what the client expects; then the step begins."""
    person = as_person(client)
    attempt = _locked_attempt(attempt)
    _check_own(attempt, person.user)
    if attempt.phase != LadderAttempt.Phase.BEFORE:
        return attempt
    attempt.suds_before = _check_suds(suds_before, required=False)
    _reflect(attempt, person, LadderReflection.Moment.BEFORE, reflection, visibility)
    attempt.phase = LadderAttempt.Phase.DURING
    attempt.began_at = timezone.now()
    attempt.paused = False
    _drop_draft(attempt, {"suds_before", "reflection_before", "visibility_before"})
    attempt.save(update_fields=["suds_before", "phase", "began_at", "paused", "draft"])
    _audit(person.user, "try_begin", attempt, attempt.ladder)
    return attempt


@transaction.atomic
def attempt_to_afterwards(
    *,
    attempt: LadderAttempt,
    client: User | Person,
    outcome: str,
    suds_before: int | None = None,
    reflection: str = "",
    visibility: str = LadderReflection.DEFAULT_VISIBILITY,
) -> LadderAttempt:
    """The client finished, stopped partway, or chose not this time: on to noting how it went.
    From the first screen ("not this time"), what they wrote there is kept too."""
    person = as_person(client)
    attempt = _locked_attempt(attempt)
    _check_own(attempt, person.user)
    if attempt.phase == LadderAttempt.Phase.DONE:
        return attempt
    if attempt.phase == LadderAttempt.Phase.BEFORE:
        attempt.suds_before = _check_suds(suds_before, required=False)
        _reflect(attempt, person, LadderReflection.Moment.BEFORE, reflection, visibility)
        _drop_draft(attempt, {"suds_before", "reflection_before", "visibility_before"})
    data = _draft_data(attempt)
    data["outcome"] = outcome if outcome in LadderAttempt.Outcome.values else ""
    attempt.draft = json.dumps(data)
    attempt.phase = LadderAttempt.Phase.AFTER
    attempt.paused = False
    attempt.save(update_fields=["suds_before", "phase", "paused", "draft"])
    return attempt


@transaction.atomic
def attempt_pause(
    *, attempt: LadderAttempt, client: User, data: dict[str, Any] | None = None
) -> LadderAttempt:
    """Pause: one tap, nothing lost. What was typed is kept as the draft, and the try waits at
    the same screen for whenever the client comes back."""
    attempt = _locked_attempt(attempt)
    _check_own(attempt, client)
    if attempt.phase == LadderAttempt.Phase.DONE:
        return attempt
    if data:
        attempt.draft = json.dumps({**_draft_data(attempt), **clean_draft(data)})
    attempt.pauses = min(attempt.pauses + 1, 999)
    attempt.paused = True
    attempt.save(update_fields=["pauses", "paused", "draft"])
    _audit(client, "try_pause", attempt, attempt.ladder)
    return attempt


@transaction.atomic
def attempt_finish(
    *,
    attempt: LadderAttempt,
    client: User | Person,
    outcome: str,
    suds_peak: int | None,
    suds_after: int | None,
    minutes: int | None,
    reasons: list[str],
    reflection: str,
    visibility: str,
) -> LadderAttempt:
    """Note how it went. Saving twice keeps one try: a try already noted is left as it is."""
    person = as_person(client)
    attempt = _locked_attempt(attempt)
    _check_own(attempt, person.user)
    if attempt.phase == LadderAttempt.Phase.DONE:
        return attempt
    if outcome not in LadderAttempt.Outcome.values:
        raise LadderError("Please choose how it went, whichever fits. Each is fine.")
    attempt.outcome = outcome
    attempt.suds_peak = _check_suds(suds_peak, required=False)
    attempt.suds_after = _check_suds(suds_after, required=False)
    attempt.minutes = minutes
    attempt.reasons = (
        []
        if outcome == LadderAttempt.Outcome.COMPLETED
        else [r for r in reasons if r in LadderAttempt.Reason.values]
    )
    _reflect(attempt, person, LadderReflection.Moment.AFTER, reflection, visibility)
    now = timezone.now()
    attempt.phase = LadderAttempt.Phase.DONE
    attempt.finished_at = now
    attempt.began_at = attempt.began_at or now
    attempt.paused = False
    attempt.draft = "{}"
    attempt.save(
        update_fields=[
            "outcome",
            "suds_peak",
            "suds_after",
            "minutes",
            "reasons",
            "phase",
            "finished_at",
            "began_at",
            "paused",
            "draft",
        ]
    )
    ladder = attempt.ladder
    ladder.updated_at = now
    ladder.save(update_fields=["updated_at"])
    _audit(person.user, "try_note", attempt, ladder)
    return attempt


def _check_own(attempt: LadderAttempt, user: User) -> None:
    if attempt.client_id != user.pk:
        raise LadderError("This try belongs to someone else.")


# --- drafts --------------------------------------------------------------------------------


def _draft_data(attempt: LadderAttempt) -> dict[str, Any]:
    try:
        data = json.loads(attempt.draft or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def clean_draft(data: dict[str, Any]) -> dict[str, Any]:
    """Only the try's own form fields, each as long as a saved note allows (longer: refused)."""
    allowed = draft_field_names()
    kept: dict[str, Any] = {}
    for name, value in data.items():
        if name not in allowed:
            continue
        values = value if isinstance(value, list) else [value]
        limit = MAX_REFLECTION if name.startswith("reflection") else MAX_DRAFT_VALUE
        if len(values) > 20 or any(len(str(v)) > limit for v in values):
            raise LadderError(
                "This is longer than a note can be, so it was not kept as a draft. Could you "
                "shorten it a little? What you typed is still on the page."
            )
        kept[name] = value
    return kept


@transaction.atomic
def attempt_draft_save(*, attempt: LadderAttempt, client: User, data: dict[str, Any]) -> None:
    """Keep what the client has typed on a try's screen, encrypted, until they save it."""
    kept = clean_draft(data)
    attempt = _locked_attempt(attempt)
    _check_own(attempt, client)
    if attempt.phase == LadderAttempt.Phase.DONE:
        return
    attempt.draft = json.dumps({**_draft_data(attempt), **kept})
    attempt.save(update_fields=["draft"])


def attempt_draft(attempt: LadderAttempt) -> dict[str, Any]:
    return _draft_data(attempt)


# --- leaving -------------------------------------------------------------------------------


@transaction.atomic
def ladder_erase_for(*, user: User) -> int:
    """Delete USER's ladders, with every step, change, try and note (their account is being
    deleted). Steps their therapist suggested were part of the client's ladder and go too."""
    count, _ = Ladder.objects.filter(client=user).delete()
    return count
