from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from interlude.accounts.models import User
from interlude.audit.actions import audit_record
from interlude.guides.models import GuideDefault, GuideUse
from interlude.guides.plans import Plan
from interlude.homework.models import Assignment


@transaction.atomic
def guide_use_record(
    *,
    client: User,
    assignment: Assignment,
    plan: Plan,
    seconds: int,
    outcome: str,
    submission_key: uuid.UUID | None = None,
) -> GuideUse:
    """Note that CLIENT used a guide for SECONDS (at most its length) and finished or stopped.
    The same submission twice notes one use."""
    if submission_key is not None:
        earlier = GuideUse.objects.filter(client=client, submission_key=submission_key).first()
        if earlier is not None:
            return earlier
    if outcome == GuideUse.Outcome.COMPLETED:
        seconds = plan.seconds
    use = GuideUse(
        client=client,
        assignment=assignment,
        kind=plan.kind,
        minutes=plan.minutes,
        pattern=plan.pattern.slug if plan.pattern else "",
        seconds=min(max(seconds, 0), plan.seconds),
        outcome=outcome,
        submission_key=submission_key,
    )
    try:
        with transaction.atomic():
            use.save()
    except IntegrityError:
        # The same submission arrived twice at once: the other request noted it.
        earlier = GuideUse.objects.filter(client=client, submission_key=submission_key).first()
        if earlier is None:
            raise
        return earlier
    audit_record(actor=client, action="guide.use", target=use, subject=client)
    return use


@transaction.atomic
def guide_default_set(
    *,
    assignment: Assignment,
    by: User,
    scan_minutes: int | None = None,
    pattern: str = "",
    breathing_minutes: int | None = None,
) -> GuideDefault:
    """The therapist chooses what the guide offers first for ASSIGNMENT."""
    default, _ = GuideDefault.objects.update_or_create(
        assignment=assignment,
        defaults={
            "scan_minutes": scan_minutes,
            "pattern": pattern,
            "breathing_minutes": breathing_minutes,
            "set_by": by,
            "updated_at": timezone.now(),
        },
    )
    audit_record(actor=by, action="guide.default", target=default, subject=assignment.client)
    return default


@transaction.atomic
def guides_erase_for(*, user: User) -> int:
    """Delete USER's guide uses and the defaults of their own exercises (account deletion).
    Defaults of couple work stay with the partner's exercise."""
    GuideDefault.objects.filter(assignment__client=user).delete()
    count, _ = GuideUse.objects.filter(client=user).delete()
    return count
