from __future__ import annotations

from typing import Any

from django.db import models

from interlude.audit.models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    subject: Any = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one audit event. Called by other actions inside their transaction."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        subject=subject if getattr(subject, "pk", None) else None,
        ip=ip,
    )


def audit_read(
    *,
    actor: Any,
    subject: Any,
    what: str,
    target: models.Model | None = None,
    ip: str | None = None,
) -> AuditEvent | None:
    """Record that ACTOR opened SUBJECT's content. Reading your own content is not logged."""
    if getattr(actor, "pk", None) == getattr(subject, "pk", None):
        return None
    return audit_record(actor=actor, action=f"read.{what}", target=target, subject=subject, ip=ip)
