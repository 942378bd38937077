from __future__ import annotations

from interlude.couples.models import CoupleCase, CoupleMember
from interlude.lib.personal_data import Record

LEFT = "the link ends when you leave (your account's deletion does that first); that it existed stays in the clinical record"  # noqa: E501

RECORDS = [
    Record(
        CoupleMember,
        "Your place in couple work",
        rows=lambda u: CoupleMember.objects.filter(client=u),
        fields={
            "status": "Status",
            "consented_at": "Agreed",
            "created_at": "Since",
            "left_at": "Left",
        },
        kept_because=LEFT,
    ),
    Record(
        CoupleCase,
        "Couple work",
        rows=lambda u: CoupleCase.objects.filter(members__client=u).distinct(),
        fields={"created_at": "Started", "ended_at": "Ended"},
        kept_because=LEFT,
    ),
]
