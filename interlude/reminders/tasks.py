"""The task that delivers one reminder or notice e-mail (see delivery.py)."""

from __future__ import annotations

from django_tasks import task

from interlude.reminders import delivery


@task()
def send_reminder(occurrence_id: int, attempt: int = 1) -> str:
    """Deliver occurrence OCCURRENCE_ID; the link to stop is made now, never queued."""
    return delivery.occurrence_deliver(occurrence_id=occurrence_id, attempt=attempt)
