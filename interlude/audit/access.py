from __future__ import annotations

from typing import TYPE_CHECKING

from interlude.audit.models import AuditEvent

if TYPE_CHECKING:  # audit sits below accounts
    from interlude.accounts.models import User

LABELS = {
    "read.journal.therapist": "opened the journal entries you shared with them",
    "read.journal.partner": "opened the journal entries you shared with them",
    "read.client.therapist": "opened your record",
    "read.export.transfer": "exported your record for a transfer of care",
}


def access_history_for(user: User, limit: int = 200) -> list[tuple[AuditEvent, str]]:
    """Who other than the client opened the client's record, newest first."""
    events = (
        AuditEvent.objects.filter(subject=user, action__startswith="read.")
        .exclude(actor=user)
        .select_related("actor")[:limit]
    )
    return [(e, LABELS.get(e.action, "opened your record")) for e in events]
