from __future__ import annotations

from django.db.models import Q

from interlude.homework.actions import homework_erase_for
from interlude.homework.models import (
    Assignment,
    AssignmentChange,
    PracticeDraft,
    PracticeEntry,
    StageReadiness,
)
from interlude.lib.personal_data import Record


def _erase(user: object) -> None:
    homework_erase_for(user=user)  # type: ignore[arg-type]


RECORDS = [
    Record(
        Assignment,
        "Exercises from your therapist",
        rows=lambda u: (
            Assignment.objects.filter(Q(client=u) | Q(couple__members__client=u))
            .select_related("version", "therapist")
            .distinct()
        ),
        fields={
            "version__title": "Exercise",
            "therapist__name": "From",
            "note": "Their note",
            "times": "How often",
            "period": "Over",
            "status": "Status",
            "created_at": "Given",
        },
        erase=_erase,
    ),
    Record(
        AssignmentChange,
        "What changed in your exercises",
        rows=lambda u: (
            AssignmentChange.objects.filter(
                Q(assignment__client=u) | Q(assignment__couple__members__client=u)
            )
            .select_related("assignment__version", "by")
            .distinct()
        ),
        fields={
            "assignment__version__title": "Exercise",
            "kind": "Change",
            "reason": "Why",
            "by__name": "By",
            "created_at": "When",
        },
        # Goes with your own exercises; changes to couple work stay with your partner's.
        erase=_erase,
    ),
    Record(
        PracticeEntry,
        "Your practice log",
        rows=lambda u: PracticeEntry.objects.filter(client=u).select_related("assignment__version"),
        fields={
            "practised_at": "When",
            "assignment__version__title": "Exercise",
            "outcome": "How it went",
            "duration_minutes": "Minutes",
            "ratings_before": "Before",
            "ratings_after": "Afterwards",
            "stopped_at_step": "Stopped at step",
            "reasons": "Why",
            "reflection": "What you noticed",
            "visibility": "Who could see it",
        },
        erase=_erase,
    ),
    Record(
        StageReadiness,
        "When you said you felt ready",
        rows=lambda u: StageReadiness.objects.filter(client=u),
        fields={"stage": "Ready to move on from stage", "created_at": "When"},
        erase=_erase,
    ),
    Record(
        PracticeDraft,
        "Drafts not yet saved",
        rows=lambda u: PracticeDraft.objects.filter(client=u),
        fields={"data": "What you had typed", "updated_at": "Kept at"},
        erase=_erase,
    ),
]
