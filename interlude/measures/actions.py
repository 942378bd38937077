"""Every write about questionnaires: offering one, ending it, answering it (with the safety
response to PHQ-9's ninth item), acknowledging an alert, and erasing a client's answers."""

from __future__ import annotations

import json
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from interlude.accounts.models import User
from interlude.accounts.tasks import alert_therapist
from interlude.audit.actions import audit_record
from interlude.lib.errors import UserFacingError
from interlude.measures.instruments import instrument
from interlude.measures.models import MeasureAssignment, MeasureResponse, SafetyAlert


class MeasureError(UserFacingError):
    """Something about a questionnaire that cannot be done, in words for the person."""


@transaction.atomic
def measure_assign(
    *,
    therapist: User,
    client: User,
    instrument_key: str,
    every_weeks: int | None,
    share_scores: bool,
    submission_key: uuid.UUID | None = None,
) -> MeasureAssignment:
    """Offer a questionnaire to CLIENT, once or every 1 to 4 weeks. A current one of the same
    kind is replaced (ended), so the client never has two of the same; the same submission
    twice offers it once."""
    if submission_key is not None:
        earlier = MeasureAssignment.objects.filter(
            therapist=therapist, submission_key=submission_key
        ).first()
        if earlier is not None:
            return earlier
    instrument(instrument_key)  # a known questionnaire
    if every_weeks is not None and not 1 <= every_weeks <= 4:
        raise ValueError("every_weeks is 1 to 4, or None for once.")
    now = timezone.now()
    MeasureAssignment.objects.filter(
        client=client,
        instrument=instrument_key,
        status=MeasureAssignment.Status.ACTIVE,
    ).update(status=MeasureAssignment.Status.ENDED, ended_at=now)
    assignment = MeasureAssignment.objects.create(
        therapist=therapist,
        client=client,
        instrument=instrument_key,
        every_weeks=every_weeks,
        share_scores=share_scores,
        submission_key=submission_key,
    )
    audit_record(actor=therapist, action="measure.assign", target=assignment, subject=client)
    return assignment


@transaction.atomic
def measure_end(*, assignment: MeasureAssignment, by: User) -> None:
    """Stop offering a questionnaire (the answers given stay)."""
    if assignment.status == MeasureAssignment.Status.ENDED:
        return
    assignment.status = MeasureAssignment.Status.ENDED
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["status", "ended_at"])
    audit_record(actor=by, action="measure.end", target=assignment, subject=assignment.client)


@transaction.atomic
def measure_respond(
    *,
    assignment: MeasureAssignment,
    client: User,
    answers: list[int],
    difficulty: int | None = None,
    submission_key: uuid.UUID | None = None,
) -> MeasureResponse:
    """Store CLIENT's answers (encrypted, with their total). A PHQ-9 answer above 0 to the ninth
    item raises a safety alert for the therapist at once, and a neutral e-mail. A questionnaire
    offered once ends with its answer. The same submission twice stores one response."""
    if assignment.client_id != client.pk:
        raise ValueError("A client answers only their own questionnaire.")
    if submission_key is not None:
        earlier = MeasureResponse.objects.filter(client=client, submission_key=submission_key)
        if (found := earlier.first()) is not None:
            return found
    if assignment.status != MeasureAssignment.Status.ACTIVE:
        raise MeasureError("This questionnaire is no longer open; your therapist ended it.")
    definition = assignment.definition
    total = definition.score(answers)
    if difficulty is not None and difficulty not in (0, 1, 2, 3):
        raise ValueError("difficulty is 0 to 3, or None.")
    response = MeasureResponse(
        assignment=assignment,
        client=client,
        instrument=assignment.instrument,
        submission_key=submission_key,
    )
    response.data = json.dumps({"answers": answers, "difficulty": difficulty, "total": total})
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        earlier_one = MeasureResponse.objects.filter(
            client=client, submission_key=submission_key
        ).first()
        if earlier_one is None:
            raise
        return earlier_one
    audit_record(actor=client, action="measure.respond", target=response, subject=client)
    if definition.needs_safety_response(answers):
        alert = SafetyAlert.objects.create(
            response=response, client=client, therapist=assignment.therapist
        )
        audit_record(actor=None, action="safety_alert.raise", target=alert, subject=client)
        therapist = assignment.therapist
        transaction.on_commit(lambda: alert_therapist(therapist))
    if assignment.every_weeks is None:
        assignment.status = MeasureAssignment.Status.ENDED
        assignment.ended_at = timezone.now()
        assignment.save(update_fields=["status", "ended_at"])
    return response


@transaction.atomic
def safety_alert_acknowledge(*, alert: SafetyAlert, by: User, ip: str | None = None) -> bool:
    """The therapist has seen the alert and is following it up. Returns False when it had
    already been acknowledged."""
    updated = SafetyAlert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=timezone.now(), acknowledged_by=by
    )
    if updated:
        audit_record(
            actor=by, action="safety_alert.acknowledge", target=alert, subject=alert.client, ip=ip
        )
    return bool(updated)


@transaction.atomic
def measures_erase_for(*, user: User) -> None:
    """Delete USER's questionnaires, answers and alerts (the audit log keeps that they were)."""
    SafetyAlert.objects.filter(client=user).delete()
    MeasureResponse.objects.filter(client=user).delete()
    MeasureAssignment.objects.filter(client=user).delete()
