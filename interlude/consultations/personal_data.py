"""Sessions and private notes in a client's export and when they leave.

Both belong to the practice's clinical record, which a therapist must keep: they stay when the
client deletes their account, and `manage.py erase_expired_records` erases them when the
record's retention period ends (CLINICAL_RECORD_YEARS, or the practice's own)."""

from __future__ import annotations

from interlude.consultations.models import Attendance, ClinicalNote, Consultation
from interlude.lib.personal_data import Record

KEPT = (
    "your therapist's clinical record keeps when your sessions took place until the record's "
    "retention period ends, then it is erased"
)

RECORDS = [
    Record(
        Consultation,
        "Your sessions",
        rows=lambda u: Consultation.objects.filter(attendances__client=u).order_by("at"),
        fields={"at": "When", "mode": "How you met", "status": "Held or planned"},
        describe={
            "mode": lambda v: dict(Consultation.Mode.choices).get(v, v),
            "status": lambda v: dict(Consultation.Status.choices).get(v, v),
        },
        kept_because=KEPT,
    ),
    Record(
        Attendance,
        "Who came to each session",
        rows=lambda u: Attendance.objects.filter(client=u),
        not_exported_because="the same sessions as “Your sessions”, one row for each person there",
        kept_because=KEPT,
    ),
    Record(
        ClinicalNote,
        "Your therapist's private session notes",
        rows=lambda u: ClinicalNote.objects.filter(profile__user=u),
        not_exported_because=(
            "a therapist's private notes on sessions (psychotherapy notes) are outside a "
            "client's right of access; they go only with your record if your care is transferred"
        ),
        kept_because=(
            "they belong to your therapist's clinical record, encrypted under the record's own "
            "key (not yours), and are erased with it when its retention period ends"
        ),
    ),
]
