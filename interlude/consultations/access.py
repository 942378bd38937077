"""The only way views obtain sessions and private notes. A row the user may not see is a 404.

Sessions and notes are the therapist's: only the therapist who cares for a client sees that
client's sessions and reads or writes their private notes. Never the client, their partner,
another therapist of the practice, or a practice admin.
"""

from __future__ import annotations

from django.http import Http404

from interlude.accounts.models import User
from interlude.consultations.models import Attendance, ClinicalNote, Consultation
from interlude.practice.models import ClientProfile


def get_session_for_therapist(user: User, consultation_id: int) -> Consultation:
    """A session, only for the therapist who holds it."""
    if not user.is_authenticated:
        raise Http404
    if not user.is_therapist:
        raise Http404
    try:
        return Consultation.objects.get(pk=consultation_id, therapist=user)
    except Consultation.DoesNotExist as exc:
        raise Http404 from exc


def get_session_of_client(user: User, profile: ClientProfile, consultation_id: int) -> Consultation:
    """A session PROFILE's client attended, only for the therapist who cares for them and held
    it (PROFILE comes from practice.access.get_client_for_therapist)."""
    if profile.therapist_id != user.pk:
        raise Http404
    consultation = get_session_for_therapist(user, consultation_id)
    if not Attendance.objects.filter(consultation=consultation, client_id=profile.user_id).exists():
        raise Http404
    return consultation


def note_of(profile: ClientProfile, consultation: Consultation) -> ClinicalNote | None:
    """The private note on CONSULTATION in PROFILE's record, if one was written (the caller
    already holds both through the functions above)."""
    return ClinicalNote.objects.filter(consultation=consultation, profile=profile).first()


def notes_for_transfer(therapist: User, profile: ClientProfile) -> list[ClinicalNote]:
    """Every private note in PROFILE's clinical record, oldest first, for the transfer-of-care
    export of the therapist who cares for the client."""
    if profile.therapist_id != therapist.pk:
        raise Http404
    return list(
        ClinicalNote.objects.filter(profile=profile)
        .select_related("consultation", "author")
        .order_by("consultation__at", "pk")
    )


def sessions_of(client: User, *, limit: int = 200) -> list[Consultation]:
    """CLIENT's sessions (held and planned), newest first, for their therapist's page or export."""
    return list(
        Consultation.objects.filter(attendances__client=client)
        .select_related("couple")
        .order_by("-at", "-pk")[:limit]
    )
