"""A client's check-ins in their export, and what is erased when they leave.

Their export holds their own preparations and answers, and the notes of what was agreed in
the couple case they are linked in now; never anything their partner wrote for themselves.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from interlude.checkins.actions import checkins_erase_for
from interlude.checkins.models import (
    AgreedVersion,
    Answer,
    CheckIn,
    CheckinAgenda,
    CheckinQuestion,
    Preparation,
)
from interlude.couples.models import CoupleMember
from interlude.lib.personal_data import Record


def _erase(user: Any) -> None:
    checkins_erase_for(user=user)


def _linked_couples(user: Any) -> QuerySet[CoupleMember, Any]:
    """The couple case USER is linked in now (an ended or left one gives nothing)."""
    return CoupleMember.objects.filter(
        client=user, status=CoupleMember.Status.ACTIVE, couple__ended_at__isnull=True
    ).values("couple_id")


def _own_or_linked(user: Any) -> Q:
    return Q(client=user) | Q(couple_id__in=_linked_couples(user))


RECORDS = [
    Record(
        CheckIn,
        "Weekly check-ins",
        rows=lambda u: (
            CheckIn.objects.filter(Q(preparations__author=u) | Q(assignment__client=u))
            .select_related("assignment__version")
            .distinct()
        ),
        fields={
            "assignment__version__title": "Exercise",
            "week": "Week of",
            "held_at": "Held",
        },
        erase=_erase,
    ),
    Record(
        Preparation,
        "Your check-in preparations",
        rows=lambda u: Preparation.objects.filter(author=u).select_related("checkin"),
        fields={
            "checkin__week": "Week of",
            "ready_at": "You said you were ready",
            "agreed_draft": "What you were writing in the agreed note, not yet saved",
            "updated_at": "Last changed",
        },
        erase=_erase,
    ),
    Record(
        Answer,
        "Your check-in answers",
        rows=lambda u: Answer.objects.filter(author=u).select_related("preparation__checkin"),
        fields={
            "preparation__checkin__week": "Week of",
            "question": "Question",
            "text": "Your answer",
            "visibility": "Who could see it",
        },
        erase=_erase,
    ),
    Record(
        AgreedVersion,
        "What you agreed at check-ins",
        rows=lambda u: (
            AgreedVersion.objects.filter(couple_id__in=_linked_couples(u))
            .select_related("checkin", "by")
            .order_by("checkin__week", "created_at")
        ),
        fields={
            "checkin__week": "Week of",
            "text": "What you agreed",
            "by__name": "Written by",
            "created_at": "When",
        },
        erase=_erase,
    ),
    Record(
        CheckinAgenda,
        "How your therapist tailored your check-in",
        rows=lambda u: CheckinAgenda.objects.filter(_own_or_linked(u)),
        fields={"sections_off": "Sections left out", "updated_at": "Changed"},
        erase=_erase,
    ),
    Record(
        CheckinQuestion,
        "Questions your therapist added to your check-in",
        rows=lambda u: CheckinQuestion.objects.filter(_own_or_linked(u)),
        fields={"text": "Question", "created_at": "Added"},
        erase=_erase,
    ),
]
