from __future__ import annotations

from typing import Any

from interlude.ladder.actions import ladder_erase_for
from interlude.ladder.models import (
    Ladder,
    LadderAttempt,
    LadderChange,
    LadderReflection,
    LadderStep,
)
from interlude.lib.personal_data import Record


def _erase(user: Any) -> None:
    # One function for every record, so the deletion runs it once.
    ladder_erase_for(user=user)


RECORDS = [
    Record(
        Ladder,
        "Your exposure ladders",
        rows=lambda u: Ladder.objects.filter(client=u).select_related("assignment__version"),
        fields={
            "assignment__version__title": "Exercise",
            "pause_suds": "Your pause point (distress above)",
            "pause_note": "Your pause point (in your words)",
            "hold_reason": "Your therapist's reason for staying at a step",
            "created_at": "Started",
        },
        erase=_erase,
    ),
    Record(
        LadderStep,
        "The steps on your ladders",
        rows=lambda u: LadderStep.objects.filter(client=u).select_related("added_by"),
        fields={
            "position": "Step",
            "text": "The step",
            "suds": "Expected distress (0 to 100)",
            "added_by__name": "Added by",
            "created_at": "Added",
            "removed_at": "Taken off the ladder",
        },
        erase=_erase,
    ),
    Record(
        LadderChange,
        "What changed on your ladders",
        rows=lambda u: LadderChange.objects.filter(client=u).select_related("by"),
        fields={
            "created_at": "When",
            "by__name": "By",
            "kind": "Change",
            "before_text": "Before",
            "after_text": "After",
            "before_suds": "Distress before",
            "after_suds": "Distress after",
            "reason": "Why",
        },
        erase=_erase,
    ),
    Record(
        LadderAttempt,
        "Your tries at ladder steps",
        rows=lambda u: LadderAttempt.objects.filter(client=u).select_related("step"),
        fields={
            "started_at": "When",
            "step__text": "The step",
            "suds_before": "Distress before",
            "suds_peak": "Distress at its highest",
            "suds_after": "Distress after",
            "minutes": "Minutes",
            "outcome": "How it went",
            "reasons": "Why",
            "pauses": "Times paused",
            "draft": "Not yet saved",
        },
        erase=_erase,
    ),
    Record(
        LadderReflection,
        "What you wrote before and after trying a step",
        rows=lambda u: LadderReflection.objects.filter(client=u),
        fields={
            "created_at": "Written",
            "moment": "Before or after",
            "text": "What you wrote",
            "visibility": "Who could see it",
        },
        erase=_erase,
    ),
]
