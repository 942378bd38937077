from __future__ import annotations

from django.db.models import Q

from interlude.invitations.actions import invitations_withdraw_sent_by
from interlude.invitations.models import Invitation
from interlude.lib.personal_data import Record

RECORDS = [
    Record(
        Invitation,
        "Invitations you sent or accepted",
        rows=lambda u: Invitation.objects.filter(Q(accepted_by=u) | Q(invited_by=u)),
        fields={
            "kind": "Kind",
            "email": "Sent to",
            "created_at": "Sent",
            "accepted_at": "Accepted",
            "revoked_at": "Withdrawn",
        },
        # Invitations still waiting stop working; the record that they were sent stays.
        erase=lambda u: invitations_withdraw_sent_by(user=u),
    )
]
