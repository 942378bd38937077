"""Every write of the weekly check-in."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from interlude.accounts.models import User
from interlude.audit.actions import audit_record
from interlude.checkins.access import Place, current_checkin, together
from interlude.checkins.models import (
    AgreedVersion,
    Answer,
    CheckIn,
    CheckinAgenda,
    CheckinQuestion,
    Preparation,
)
from interlude.checkins.questions import Question, agenda, week_of
from interlude.couples.models import CoupleMember
from interlude.lib.errors import UserFacingError
from interlude.sharing.person import Person
from interlude.sharing.rules import sharing_fields


class CheckinError(UserFacingError):
    """A check-in change that cannot be made, in words for the person who asked."""


@dataclass(frozen=True)
class Written:
    """One answer as the person wrote it, with who may read it."""

    question: Question
    text: str
    visibility: str
    position: int = 0


def _open_checkin(place: Place, person: Person, *, start: bool = True) -> CheckIn | None:
    """The check-in PERSON works on now, locked; START begins this week's if there is none."""
    checkin = current_checkin(place, person)
    if checkin is None and not start:
        return None
    if checkin is None:
        checkin, _ = CheckIn.objects.get_or_create(
            assignment_id=place.assignment_id,
            week=week_of(person.user),
            defaults={"couple_id": place.couple_id, "solo": not together(person, place)},
        )
    # Whoever holds the lock decides the reveal: two partners saying "ready" at once still
    # reveal exactly once.
    return CheckIn.objects.select_for_update().get(pk=checkin.pk)


@transaction.atomic
def checkin_prepare(*, place: Place, person: Person, answers: Sequence[Written]) -> Preparation:
    """Keep PERSON's answers for the check-in they work on now, under their own key (their
    private draft until they say they are ready). A blank answer keeps nothing."""
    checkin = _open_checkin(place, person)
    assert checkin is not None
    if checkin.held_at is not None:
        raise CheckinError(
            "This week's check-in has already been read. What you wrote is still here, so you "
            "can copy it; next week's check-in opens on Monday."
        )
    preparation, _ = Preparation.objects.get_or_create(checkin=checkin, author=person.user)
    if preparation.ready_at is not None:
        raise CheckinError(
            "You said you're ready, so your answers are kept as they were. To change them, "
            "choose “Change my answers” first."
        )
    kept = {a.key: a for a in preparation.answers.all()}
    now = timezone.now()
    for written in answers:
        key, position = written.question.key, written.position
        answer = kept.get(key)
        if not written.text.strip():
            if answer is not None:
                answer.delete()
            continue
        fields = sharing_fields(person, written.visibility)
        if answer is None:
            answer = Answer(preparation=preparation, author=person.user, key=key)
        elif (
            answer.text == written.text
            and answer.effective_visibility == written.visibility
            and answer.position == position
        ):
            continue
        answer.text = written.text
        answer.question = written.question.text
        answer.position = position
        if answer.pk is None or answer.effective_visibility != written.visibility:
            answer.visibility = fields["visibility"]  # type: ignore[assignment]
            answer.shared_under = fields["shared_under"]  # type: ignore[assignment]
        answer.updated_at = now
        answer.save()
    preparation.updated_at = now
    preparation.save(update_fields=["updated_at"])
    return preparation


@transaction.atomic
def checkin_ready(*, place: Place, person: Person) -> CheckIn:
    """PERSON is ready. For a client on their own the check-in is held now; for partners it is
    held when both are ready, and only then does either read what the other shared."""
    checkin = _open_checkin(place, person, start=False)
    preparation = Preparation.objects.filter(checkin=checkin, author=person.user).first()
    if checkin is None or preparation is None or not preparation.answers.exists():
        raise CheckinError(
            "There's nothing written yet. Write a few words for any question, then choose "
            "this again, or come back later."
        )
    if checkin.held_at is not None or preparation.ready_at is not None:
        return checkin
    now = timezone.now()
    preparation.ready_at = now
    preparation.save(update_fields=["ready_at"])
    if checkin.solo or not together(person, place):
        held = True
    else:
        held = Preparation.objects.filter(
            checkin=checkin, author=person.partner, ready_at__isnull=False
        ).exists()
    if held:
        checkin.held_at = now
        checkin.save(update_fields=["held_at"])
        audit_record(actor=person.user, action="checkin.held", target=checkin)
    audit_record(actor=person.user, action="checkin.ready", target=preparation, subject=person.user)
    return checkin


@transaction.atomic
def checkin_not_ready(*, place: Place, person: Person) -> Preparation | None:
    """PERSON takes back "ready" to change their answers, while the check-in is not yet held."""
    checkin = _open_checkin(place, person, start=False)
    preparation = Preparation.objects.filter(checkin=checkin, author=person.user).first()
    if checkin is None or preparation is None or preparation.ready_at is None:
        return preparation
    if checkin.held_at is not None:
        raise CheckinError("This check-in has already been read, so its answers stay as they are.")
    preparation.ready_at = None
    preparation.save(update_fields=["ready_at"])
    audit_record(
        actor=person.user, action="checkin.not_ready", target=preparation, subject=person.user
    )
    return preparation


@transaction.atomic
def checkin_agreed_save(
    *,
    checkin: CheckIn,
    person: Person,
    text: str,
    base: int | None,
    submission_key: uuid.UUID | None = None,
) -> AgreedVersion | None:
    """Save the note of what the couple agreed as a new version (the older ones stay as its
    history). Refused when someone saved a newer version since PERSON began (BASE), so nobody
    writes over the other without seeing it. Returns the new version, or None if unchanged;
    the same submission twice stores one version."""
    checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    assert checkin.couple_id is not None and checkin.held_at is not None
    if submission_key is not None:
        earlier = AgreedVersion.objects.filter(
            checkin=checkin, submission_key=submission_key
        ).first()
        if earlier is not None:
            return earlier
    latest = AgreedVersion.objects.filter(checkin=checkin).first()
    if (latest.pk if latest else 0) != (base or 0):
        raise CheckinError(
            "This note was changed while you were writing. Here it is as it is now; your words "
            "are kept in the box, so you can combine them and save again."
        )
    Preparation.objects.filter(checkin=checkin, author=person.user).update(
        updated_at=timezone.now()
    )
    _agreed_draft_clear(checkin=checkin, author=person.user)
    if (latest.text if latest else "") == text:
        return None
    version = AgreedVersion(
        checkin=checkin,
        couple_id=checkin.couple_id,
        by=person.user,
        submission_key=submission_key,
    )
    version.text = text
    version.save()
    audit_record(actor=person.user, action="checkin.agreed", target=version)
    return version


def _agreed_draft_clear(*, checkin: CheckIn, author: User) -> None:
    preparation = Preparation.objects.filter(checkin=checkin, author=author).first()
    if preparation is not None and preparation.agreed_draft:
        preparation.agreed_draft = ""
        preparation.save(update_fields=["agreed_draft"])


@transaction.atomic
def checkin_agreed_draft(*, checkin: CheckIn, author: User, text: str) -> bool:
    """Keep what AUTHOR is typing in the agreed note, privately, until they save it. False
    when there is no preparation of theirs to keep it with."""
    preparation = Preparation.objects.filter(checkin=checkin, author=author).first()
    if preparation is None:
        return False
    preparation.agreed_draft = text
    preparation.updated_at = timezone.now()
    preparation.save(update_fields=["agreed_draft", "updated_at"])
    return True


@transaction.atomic
def checkin_agenda_change(
    *,
    place: Place,
    by: User,
    sections_on: Sequence[str],
    add: str = "",
    remove: int | None = None,
    submission_key: uuid.UUID | None = None,
) -> CheckinAgenda:
    """The therapist tailors the agenda: the sections kept, a question added or removed. The
    same submission twice adds one question."""
    tailoring, _ = CheckinAgenda.objects.get_or_create(
        assignment_id=place.assignment_id,
        defaults={"couple_id": place.couple_id, "client_id": place.client_id},
    )
    # Locked, so the same submission arriving twice at once adds one question.
    tailoring = CheckinAgenda.objects.select_for_update().get(pk=tailoring.pk)
    known = [s.slug for s in agenda().sections]
    tailoring.sections_off = [slug for slug in known if slug not in sections_on]
    tailoring.updated_at = timezone.now()
    tailoring.save(update_fields=["sections_off", "updated_at"])
    repeated = (
        submission_key is not None
        and CheckinQuestion.objects.filter(agenda=tailoring, submission_key=submission_key).exists()
    )
    if add.strip() and not repeated:
        question = CheckinQuestion(
            agenda=tailoring,
            couple_id=place.couple_id,
            client_id=place.client_id,
            submission_key=submission_key,
        )
        question.text = add.strip()
        question.save()
    if remove is not None:
        CheckinQuestion.objects.filter(agenda=tailoring, pk=remove).delete()
    audit_record(actor=by, action="checkin.agenda", target=tailoring)
    return tailoring


@transaction.atomic
def checkins_erase_for(*, user: User) -> None:
    """Delete everything of USER's in the check-ins (their account is being deleted): their
    preparations and answers, their own check-ins, and the notes of what was agreed in any
    couple case they were part of (their partner no longer reads those once the link ends)."""
    Preparation.objects.filter(author=user).delete()
    couples = CoupleMember.objects.filter(client=user).values("couple_id")
    AgreedVersion.objects.filter(couple_id__in=couples).delete()
    CheckIn.objects.filter(Q(assignment__client=user)).delete()
    CheckIn.objects.filter(couple_id__in=couples, preparations__isnull=True).delete()
    CheckinAgenda.objects.filter(client=user).delete()
