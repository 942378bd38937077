"""Homework pages: practising (the client), stages, and assigning and adjusting (the
therapist)."""

from interlude.homework.views.practising import (
    practice,
    practice_after,
    practice_draft,
    practice_entry_after,
    practice_pause,
    practice_step,
    practice_stop,
    practice_support,
    practice_undo,
)
from interlude.homework.views.stages import ready_for_next_stage, stage_back, stage_not_ready
from interlude.homework.views.therapist import assign, assignment_change

__all__ = [
    "assign",
    "assignment_change",
    "practice",
    "practice_after",
    "practice_draft",
    "practice_entry_after",
    "practice_pause",
    "practice_step",
    "practice_stop",
    "practice_support",
    "practice_undo",
    "ready_for_next_stage",
    "stage_back",
    "stage_not_ready",
]
