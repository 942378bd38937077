"""Every write about sessions and private notes: recording a session held, planning the next,
taking a planned one off, writing a note, the practice's retention period, and erasing a
clinical record whose retention period has ended."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from interlude.accounts.models import User
from interlude.audit.actions import audit_record
from interlude.consultations.models import Attendance, ClinicalNote, Consultation, RecordRetention
from interlude.couples.models import CoupleCase
from interlude.encryption.keys import destroy_data_key
from interlude.encryption.models import DataKey
from interlude.lib.errors import UserFacingError
from interlude.practice.models import ClientProfile, Practice

MAX_NOTE = 20_000
# A session recorded as held may be up to this far ahead (a clock a little off, notes written
# just before the end); further ahead it is planned, not held.
HELD_GRACE = timedelta(hours=2)


class SessionError(UserFacingError):
    """Something about a session or a note that cannot be done, in the therapist's words."""


def _attend(consultation: Consultation, clients: list[User]) -> None:
    Attendance.objects.bulk_create(
        Attendance(
            consultation=consultation, client=c, at=consultation.at, status=consultation.status
        )
        for c in clients
    )


def _check_clients(therapist: User, clients: list[User], couple: CoupleCase | None) -> None:
    if not clients:
        raise ValueError("A session has at least one client.")
    cared_for = set(
        ClientProfile.objects.filter(
            user__in=clients, therapist=therapist, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    if cared_for != {c.pk for c in clients}:
        raise ValueError("Every client of a session is the therapist's own.")
    if couple is not None and couple.therapist_id != therapist.pk:
        raise ValueError("A couple's session is with the couple's own therapist.")


def _submitted(therapist: User, key: uuid.UUID | None) -> Consultation | None:
    if key is None:
        return None
    return Consultation.objects.filter(therapist=therapist, submission_key=key).first()


@transaction.atomic
def consultation_record(
    *,
    therapist: User,
    clients: list[User],
    at: datetime,
    mode: str,
    couple: CoupleCase | None = None,
    submission_key: uuid.UUID | None = None,
) -> Consultation:
    """Record a session held with CLIENTS (both partners, for a couple's session). A session
    planned with the same people for the same day becomes this one, so it is not counted
    twice; the same submission twice records one."""
    if (earlier := _submitted(therapist, submission_key)) is not None:
        return earlier
    _check_clients(therapist, clients, couple)
    if at > timezone.now() + HELD_GRACE:
        raise SessionError(
            "That time is still to come. To plan a session, use “Plan the next session”."
        )
    day = timezone.localtime(at).date()
    planned = [
        c
        for c in Consultation.objects.filter(
            therapist=therapist,
            status=Consultation.Status.PLANNED,
            attendances__client__in=clients,
            at__date=day,
        ).distinct()
        if set(c.attendances.values_list("client_id", flat=True)) == {u.pk for u in clients}
    ]
    if planned:
        consultation = planned[0]
        consultation.at, consultation.mode = at, mode
        consultation.status = Consultation.Status.HELD
        consultation.couple = couple
        consultation.submission_key = submission_key
        consultation.save(update_fields=["at", "mode", "status", "couple", "submission_key"])
        consultation.attendances.update(at=at, status=Consultation.Status.HELD)
    else:
        consultation = Consultation.objects.create(
            therapist=therapist,
            couple=couple,
            at=at,
            mode=mode,
            status=Consultation.Status.HELD,
            submission_key=submission_key,
        )
        _attend(consultation, clients)
    for client in clients:
        audit_record(actor=therapist, action="session.record", target=consultation, subject=client)
    return consultation


@transaction.atomic
def consultation_plan(
    *,
    therapist: User,
    clients: list[User],
    at: datetime,
    mode: str,
    couple: CoupleCase | None = None,
    submission_key: uuid.UUID | None = None,
) -> Consultation:
    """Plan a session with CLIENTS at AT (in the future); the same submission twice plans
    one."""
    if (earlier := _submitted(therapist, submission_key)) is not None:
        return earlier
    _check_clients(therapist, clients, couple)
    if at <= timezone.now():
        raise SessionError("A planned session is one still to come: choose a later date or time.")
    consultation = Consultation.objects.create(
        therapist=therapist,
        couple=couple,
        at=at,
        mode=mode,
        status=Consultation.Status.PLANNED,
        submission_key=submission_key,
    )
    _attend(consultation, clients)
    for client in clients:
        audit_record(actor=therapist, action="session.plan", target=consultation, subject=client)
    return consultation


@transaction.atomic
def consultation_cancel(*, consultation: Consultation, by: User) -> None:
    """Take a planned session off the plan (a session held stays in the record)."""
    if consultation.status != Consultation.Status.PLANNED:
        raise SessionError("A session that was held stays in the record.")
    for client in User.objects.filter(attendances__consultation=consultation):
        audit_record(actor=by, action="session.cancel", target=consultation, subject=client)
    consultation.delete()


@transaction.atomic
def clinical_note_save(
    *, therapist: User, consultation: Consultation, profile: ClientProfile, body: str
) -> ClinicalNote:
    """Write (or rewrite) the private note on a session held, in PROFILE's clinical record.
    Only the client's own therapist, and only on a session the client attended."""
    if profile.therapist_id != therapist.pk or consultation.therapist_id != therapist.pk:
        raise ValueError("Only the client's own therapist writes their notes.")
    if not consultation.attendances.filter(client_id=profile.user_id).exists():
        raise ValueError("A note goes on a session the client attended.")
    if consultation.status != Consultation.Status.HELD:
        raise SessionError("Notes are written on a session that was held.")
    if len(body) > MAX_NOTE:
        raise SessionError(
            f"A note can be up to {MAX_NOTE:,} characters. Could you shorten it a little? "
            "What you typed is still on the page."
        )
    now = timezone.now()
    note = ClinicalNote.objects.filter(consultation=consultation, profile=profile).first()
    if note is None:
        note = ClinicalNote(
            consultation=consultation, profile=profile, author=therapist, created_at=now
        )
    note.body = body.strip()
    note.updated_at = now
    note.author = therapist
    note.save()
    audit_record(actor=therapist, action="clinical_note.save", target=note, subject=profile.user)
    return note


@transaction.atomic
def record_retention_set(*, practice: Practice, years: int | None, by: User) -> None:
    """The practice's own retention period for clinical records; None returns to the
    installation's CLINICAL_RECORD_YEARS."""
    if years is None:
        RecordRetention.objects.filter(practice=practice).delete()
    else:
        RecordRetention.objects.update_or_create(
            practice=practice, defaults={"years": years, "updated_at": timezone.now()}
        )
    audit_record(actor=by, action="practice.record_retention", target=practice)


@transaction.atomic
def clinical_record_erase(*, profile: ClientProfile) -> tuple[int, int]:
    """Erase what this app keeps of a client's clinical record: the record's key is destroyed
    first (every note unreadable, backups included), then the notes and the client's place in
    sessions go; sessions nobody else attended go with them. Returns (sessions, notes)."""
    destroy_data_key(DataKey.OwnerKind.RECORD, profile.pk)
    notes, _ = ClinicalNote.objects.filter(profile=profile).delete()
    attended = list(
        Attendance.objects.filter(client_id=profile.user_id).values_list(
            "consultation_id", flat=True
        )
    )
    Attendance.objects.filter(client_id=profile.user_id).delete()
    alone = Consultation.objects.filter(pk__in=attended, attendances__isnull=True)
    sessions = len(attended)
    alone.delete()
    audit_record(actor=None, action="record.erase", target=profile, subject=profile.user)
    return sessions, notes
