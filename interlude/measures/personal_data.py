from __future__ import annotations

from typing import Any

from interlude.lib.personal_data import Record
from interlude.measures.actions import measures_erase_for
from interlude.measures.models import MeasureAssignment, MeasureResponse, SafetyAlert


def _erase(user: Any) -> None:
    measures_erase_for(user=user)


def _kind(value: Any) -> str:
    return {"gad7": "GAD-7", "phq9": "PHQ-9"}.get(value, str(value))


RECORDS = [
    Record(
        MeasureAssignment,
        "Questionnaires from your therapist",
        rows=lambda u: MeasureAssignment.objects.filter(client=u).order_by("created_at"),
        fields={
            "instrument": "Questionnaire",
            "how_often": "How often",
            "share_scores": "You see your total",
            "created_at": "Given",
            "status": "Status",
        },
        describe={"instrument": _kind},
        erase=_erase,
    ),
    Record(
        MeasureResponse,
        "Your questionnaire answers",
        rows=lambda u: MeasureResponse.objects.filter(client=u).order_by("completed_at"),
        fields={
            "completed_at": "When",
            "instrument": "Questionnaire",
            "answers": "Your answers in order (0 = not at all, 3 = nearly every day)",
            "difficulty": "How difficult (0 to 3; empty if skipped)",
            "total": "Total",
        },
        describe={"instrument": _kind},
        erase=_erase,
    ),
    Record(
        SafetyAlert,
        "Answers your therapist was asked to look at",
        rows=lambda u: SafetyAlert.objects.filter(client=u).order_by("created_at"),
        fields={"created_at": "When", "acknowledged_at": "Your therapist acknowledged it"},
        erase=_erase,
    ),
]
