from __future__ import annotations

from interlude.lib.personal_data import Record
from interlude.practice.models import ClientProfile, Membership

RECORDS = [
    Record(
        ClientProfile,
        "Your care",
        rows=lambda u: ClientProfile.objects.filter(user=u).select_related("practice", "therapist"),
        fields={
            "practice__name": "Practice",
            "therapist__name": "Therapist",
            "created_at": "Since",
        },
        kept_because="your therapist's record keeps that you were their client, and when",
    ),
    Record(
        Membership,
        "Practice membership",
        rows=lambda u: Membership.objects.filter(user=u),
        not_exported_because="practitioners only; clients have none",
        kept_because="practitioners only; clients have none",
    ),
]
