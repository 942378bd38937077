from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from interlude.accounts.models import User
from interlude.audit.actions import audit_record
from interlude.couples.models import CoupleCase, CoupleMember
from interlude.exercises.models import RATINGS, ExerciseVersion
from interlude.homework.models import (
    Assignment,
    AssignmentChange,
    PracticeDraft,
    PracticeEntry,
    StageReadiness,
)
from interlude.sharing.person import Person, as_person
from interlude.sharing.rules import sharing_fields

TAILORING = ("note", "times", "period", "steps", "stage", "version", "held")


def _subject(assignment: Assignment) -> User | None:
    return assignment.client


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
    stage: int | None = None,
) -> Assignment:
    """Offer an exercise to a client or a couple case, tailored to them."""
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
        stage=stage if stage is not None else version.stage,
    )
    assignment.steps = steps
    assignment.save()
    AssignmentChange(assignment=assignment, by=therapist, kind=AssignmentChange.Kind.CREATED).save()
    audit_record(actor=therapist, action="assignment.create", target=assignment, subject=client)
    return assignment


@transaction.atomic
def assignment_change(
    *, assignment: Assignment, by: User, reason: str, **changes: Any
) -> AssignmentChange | None:
    """Change how an exercise is tailored, with a short reason the client will read.

    Only the keys in TAILORING may change; nothing is recorded if nothing differs.
    """
    unknown = set(changes) - set(TAILORING)
    if unknown:
        raise ValueError(f"Cannot change {sorted(unknown)}")
    if "steps" in changes and changes["steps"] is not None:
        version = changes.get("version", assignment.version)
        if list(changes["steps"]) == list(version.steps):
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
    assignment.updated_at = timezone.now()
    columns = {"steps": "custom_steps"}
    assignment.save(update_fields=[*{columns.get(c, c) for c in changed}, "updated_at"])
    change = AssignmentChange(
        assignment=assignment,
        by=by,
        kind=AssignmentChange.Kind.CHANGED,
        fields=sorted(set(changed)),
        reason=reason.strip(),
    )
    change.save()
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
    change = AssignmentChange(assignment=assignment, by=by, kind=kind, reason=reason.strip())
    change.save()
    audit_record(
        actor=by, action=f"assignment.{kind}", target=assignment, subject=_subject(assignment)
    )
    return change


def clean_ratings(raw: dict[str, Any], allowed: list[str]) -> dict[str, int]:
    """Keep only the scales this exercise asks about, as whole numbers in range."""
    ratings = {}
    for key in allowed:
        value = raw.get(key)
        if value in (None, ""):
            continue
        number = int(value)
        top = RATINGS[key][1]
        if not 0 <= number <= top:
            raise ValidationError(f"Please choose a number from 0 to {top}.")
        ratings[key] = number
    return ratings


@transaction.atomic
def practice_entry_record(
    *,
    assignment: Assignment,
    client: User | Person,
    outcome: str,
    ratings_before: dict[str, int] | None = None,
    ratings_after: dict[str, int] | None = None,
    reasons: list[str] | None = None,
    wants_to_talk: bool = False,
    reflection: str = "",
    visibility: str = PracticeEntry.DEFAULT_VISIBILITY,
    duration_minutes: int | None = None,
    stopped_at_step: int | None = None,
) -> PracticeEntry:
    """Record one time a client practised, stopped, or chose not to. The draft is cleared."""
    client = as_person(client)
    shared = sharing_fields(client, visibility)
    entry = PracticeEntry(
        assignment=assignment,
        client=client.user,
        outcome=outcome,
        ratings_before=ratings_before or {},
        ratings_after=ratings_after or {},
        reasons=[] if outcome == PracticeEntry.Outcome.COMPLETED else list(reasons or []),
        wants_to_talk=wants_to_talk,
        reflection=reflection.strip(),
        duration_minutes=duration_minutes,
        stopped_at_step=stopped_at_step if outcome == PracticeEntry.Outcome.STOPPED else None,
        **shared,
    )
    entry.save()
    PracticeDraft.objects.filter(assignment=assignment, client=client.user).delete()
    audit_record(actor=client.user, action="practice.record", target=entry, subject=client.user)
    return entry


@transaction.atomic
def practice_draft_save(*, assignment: Assignment, client: User, data: dict[str, Any]) -> None:
    """Keep what the client has typed so far, encrypted, until they save or discard it."""
    draft = PracticeDraft.objects.filter(assignment=assignment, client=client).first()
    if draft is None:
        draft = PracticeDraft(assignment=assignment, client=client)
    draft.data = json.dumps(data)
    draft.updated_at = timezone.now()
    draft.save()


def practice_draft_load(*, assignment: Assignment, client: User) -> dict[str, Any]:
    draft = PracticeDraft.objects.filter(assignment=assignment, client=client).first()
    return json.loads(draft.data) if draft else {}


@transaction.atomic
def practice_draft_discard(*, assignment: Assignment, client: User) -> None:
    PracticeDraft.objects.filter(assignment=assignment, client=client).delete()


def next_stage_version(version: ExerciseVersion) -> ExerciseVersion | None:
    """The latest version of the next stage in the same programme and collection, if any."""
    if not version.programme or not version.stage:
        return None
    candidates = ExerciseVersion.objects.filter(
        programme=version.programme,
        stage=version.stage + 1,
        exercise__practice=version.exercise.practice,
    ).order_by("exercise_id", "-version")
    for candidate in candidates:
        if candidate.version == candidate.exercise.latest_version:
            return candidate
    return None


def stage_participants(assignment: Assignment) -> list[int]:
    """Who must feel ready: the client, or each partner taking part in the couple case."""
    if assignment.client_id:
        return [assignment.client_id]
    assert assignment.couple is not None
    return [
        m.client_id
        for m in assignment.couple.members.filter(
            status=CoupleMember.Status.ACTIVE, consented_at__isnull=False
        )
        if m.client_id
    ]


@transaction.atomic
def stage_ready(*, assignment: Assignment, client: User) -> bool:
    """CLIENT feels ready for the next stage. It opens when everyone taking part is ready and
    the therapist is not holding it. Returns True if the next stage opened."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
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
    assignment.version = following
    assignment.stage = following.stage
    assignment.steps = None
    assignment.updated_at = timezone.now()
    assignment.save(update_fields=["version", "stage", "custom_steps", "updated_at"])
    reason = (
        "You both said you felt ready." if len(participants) > 1 else "You said you felt ready."
    )
    AssignmentChange(
        assignment=assignment,
        by=client,
        kind=AssignmentChange.Kind.CHANGED,
        fields=["stage"],
        reason=reason,
    ).save()
    audit_record(actor=client, action="assignment.stage_open", target=assignment, subject=client)
    return True


@transaction.atomic
def homework_erase_for(*, user: User) -> None:
    """Delete USER's practice log, drafts, readiness and their own (individual) assignments;
    couple assignments stay for the partner."""
    PracticeEntry.objects.filter(client=user).delete()
    PracticeDraft.objects.filter(client=user).delete()
    StageReadiness.objects.filter(client=user).delete()
    Assignment.objects.filter(client=user).delete()
