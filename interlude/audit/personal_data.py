"""The audit log in a client's export: what was done with their record, by whom and when.

Only the client's own requests carry an address: someone else who opened their record appears
by name and action, never by where they were.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, F, GenericIPAddressField, Q, QuerySet, Value, When

from interlude.audit.access import action_words
from interlude.audit.models import AuditEvent
from interlude.lib.personal_data import Record


def events_about(user: Any) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(Q(subject=user) | Q(actor=user))
        .select_related("actor")
        .annotate(
            own_ip=Case(
                When(actor=user, then=F("ip")),
                default=Value(None),
                output_field=GenericIPAddressField(),
            )
        )
        .order_by("at", "pk")
    )


RECORDS = [
    Record(
        AuditEvent,
        "What was done with your record",
        rows=events_about,
        fields={
            "at": "When",
            "actor__name": "Who",
            "action": "What",
            "target_type": "To what",
            "own_ip": "From your address",
        },
        describe={"action": action_words},
        kept_because="the record of who did what is kept, without anything you wrote",
    )
]
