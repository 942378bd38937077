"""The scheduler's writes and the sending of each reminder: durable, idempotent, self-healing.

Why a scheduler loop (`manage.py reminders_scheduler`, beside `manage.py db_worker`) rather
than each send task queueing the next one: a chain of tasks breaks silently when one link is
lost (a worker killed mid-task, a task row pruned) and would then never remind that person
again; and nothing in a chain notices a changed time zone. The loop instead works from what is
stored each time it wakes (every 30 seconds by default): it is safe to run again at any moment,
and it heals what a crash left behind.

Each tick:
1. follows time-zone changes (the next reminder is worked out again in the new zone);
2. makes an `Occurrence` for each reminder now due, unique per person and moment, and moves
   the person's bookmark on, in one transaction: a tick that runs again, or two schedulers at
   once, cannot make a second one;
3. queues a task for each occurrence that is due and not queued, or whose task has vanished
   or stopped without finishing (a worker killed mid-send), claiming it first so it is queued
   once;
4. prunes finished occurrences after two months.

The task (`occurrence_deliver`) locks the occurrence, checks everything again at send time (the
account, reminders still on, something current, quiet hours, the e-mail consent: withdrawing it
stops the very next e-mail), and marks it finished in the same transaction as the send: a task
run twice sends once. A failed send is tried again with growing pauses for about a day, then
given up with a logged reason (`interlude.accounts.mail.send_or_retry`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus

from interlude.accounts.mail import BACKOFF_MINUTES, send_or_retry
from interlude.accounts.models import User
from interlude.accounts.timezones import zone_for
from interlude.consents.access import has_standing_consent
from interlude.consents.models import Consent
from interlude.reminders.mail import reminder_message
from interlude.reminders.models import Notice, Occurrence, ReminderSettings
from interlude.reminders.schedule import Quiet, after_quiet_hours, next_reminder
from interlude.reminders.subjects import has_something_to_remind

logger = logging.getLogger("interlude.reminders")

# A reminder the scheduler finds later than this after its time (it was stopped for a while)
# is let go rather than sent late; the next one comes as usual.
GRACE = dt.timedelta(hours=3)
# A queued task that has not finished its occurrence by then is looked at again.
STALE = dt.timedelta(minutes=15)
# Longer than every retry together (about 23 hours): an occurrence still open after this is
# closed with a logged reason.
GIVE_UP_AFTER = dt.timedelta(hours=26)
# At most one e-mail about new things an hour, however many changes a therapist makes.
NOTICE_GAP = dt.timedelta(hours=1)
KEEP_FINISHED = dt.timedelta(days=60)
BATCH = 500


@dataclass
class Tick:
    rezoned: int = 0
    made: int = 0
    skipped: int = 0
    queued: int = 0
    closed: int = 0
    pruned: int = 0

    def __bool__(self) -> bool:
        return any(vars(self).values())


def next_due(row: ReminderSettings, user: User, *, after: dt.datetime) -> dt.datetime | None:
    """The first reminder after AFTER for these settings, on USER's clock; None when off."""
    if not row.scheduled or row.at is None:
        return None
    return next_reminder(after, zone=zone_for(user), days=row.days, at=row.at)


def scheduler_tick(*, now: dt.datetime | None = None) -> Tick:
    """One pass of the scheduler (see the module's docstring). Safe to run at any time, any
    number of times, in any number of processes."""
    now = now or timezone.now()
    tick = Tick()
    _follow_zone_changes(now, tick)
    _make_due_occurrences(now, tick)
    _queue_due_occurrences(now, tick)
    pruned, _ = Occurrence.objects.filter(finished_at__lt=now - KEEP_FINISHED).delete()
    tick.pruned = pruned
    return tick


def _follow_zone_changes(now: dt.datetime, tick: Tick) -> None:
    moved = ReminderSettings.objects.filter(scheduled=True).exclude(zone=F("user__time_zone"))
    for row in moved.select_related("user")[:BATCH]:
        with transaction.atomic():
            row.zone = row.user.time_zone
            row.next_due_at = next_due(row, row.user, after=now)
            row.save(update_fields=["zone", "next_due_at"])
        tick.rezoned += 1


def _make_due_occurrences(now: dt.datetime, tick: Tick) -> None:
    due = ReminderSettings.objects.filter(scheduled=True, next_due_at__lte=now)
    for pk in list(due.values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            row = (
                ReminderSettings.objects.select_for_update()
                .select_related("user")
                .filter(pk=pk, scheduled=True, next_due_at__lte=now)
                .first()
            )
            if row is None or row.next_due_at is None:  # another scheduler got there first
                continue
            due_at = row.next_due_at
            if now - due_at <= GRACE and row.user.is_active:
                _, made = Occurrence.objects.get_or_create(
                    user=row.user, due_at=due_at, defaults={"kind": Occurrence.Kind.REMINDER}
                )
                tick.made += made
                row.next_due_at = next_due(row, row.user, after=due_at)
            else:
                logger.info("Let a reminder go that came due %s ago", now - due_at)
                tick.skipped += 1
                row.next_due_at = next_due(row, row.user, after=now)
            row.save(update_fields=["next_due_at"])


def _queue_due_occurrences(now: dt.datetime, tick: Tick) -> None:
    ready = Occurrence.objects.filter(finished_at__isnull=True, due_at__lte=now).filter(
        Q(not_before__isnull=True) | Q(not_before__lte=now)
    )
    waiting = ready.filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - STALE))
    for occurrence in waiting.order_by("due_at")[:BATCH]:
        since = occurrence.not_before or occurrence.due_at
        if now - since > GIVE_UP_AFTER:
            logger.error(
                "Gave up on reminder occurrence %s: not delivered a day after it was due",
                occurrence.pk,
            )
            Occurrence.objects.filter(pk=occurrence.pk, finished_at__isnull=True).update(
                finished_at=now, outcome=Occurrence.Outcome.GAVE_UP
            )
            tick.closed += 1
            continue
        if occurrence.enqueued_at is not None and _task_still_coming(occurrence.task_id, now):
            # Waiting for a retry after a pause: look again later.
            Occurrence.objects.filter(pk=occurrence.pk).update(enqueued_at=now)
            continue
        tick.queued += occurrence_enqueue(occurrence.pk, seen=occurrence.enqueued_at, now=now)


def _task_still_coming(task_id: str, now: dt.datetime) -> bool:
    """Whether the occurrence's task is waiting to run, or running now (not in a worker that
    was killed, which leaves its task marked running for ever)."""
    from interlude.reminders.tasks import send_reminder

    if not task_id:
        return False
    try:
        result = send_reminder.get_result(task_id)
    except Exception:  # noqa: BLE001 - gone, pruned, or a backend that keeps no results
        return False
    if result.status == TaskResultStatus.READY:
        return True
    started = result.started_at
    return (
        result.status == TaskResultStatus.RUNNING
        and started is not None
        and (now - started < STALE)
    )


def occurrence_enqueue(
    occurrence_id: int, *, seen: dt.datetime | None = None, now: dt.datetime | None = None
) -> bool:
    """Queue the task for an occurrence, once: the occurrence is claimed (its queued time moved
    from SEEN to now) in the same transaction that writes the task's row."""
    from interlude.reminders.tasks import send_reminder

    now = now or timezone.now()
    with transaction.atomic():
        claim = Occurrence.objects.filter(pk=occurrence_id, finished_at__isnull=True)
        claim = claim.filter(enqueued_at=seen) if seen else claim.filter(enqueued_at__isnull=True)
        if not claim.update(enqueued_at=now):
            return False
        result = send_reminder.enqueue(occurrence_id)
        Occurrence.objects.filter(pk=occurrence_id, finished_at__isnull=True).update(
            task_id=str(result.id)
        )
    return True


def _finish(occurrence: Occurrence, outcome: str) -> str:
    occurrence.finished_at = timezone.now()
    occurrence.outcome = outcome
    occurrence.save(update_fields=["finished_at", "outcome"])
    return outcome


def _again(occurrence_id: int) -> Callable[..., Any]:
    def again(*, attempt: int, run_after: dt.datetime) -> None:
        from interlude.reminders.tasks import send_reminder

        result = send_reminder.using(run_after=run_after).enqueue(occurrence_id, attempt=attempt)
        Occurrence.objects.filter(pk=occurrence_id).update(
            task_id=str(result.id), enqueued_at=timezone.now()
        )

    return again


def occurrence_deliver(*, occurrence_id: int, attempt: int = 1) -> str:
    """Send one occurrence, or say why not; in one transaction with the occurrence locked, so
    it is sent once however often this runs. Returns what happened (for the task's result)."""
    with transaction.atomic():
        occurrence = (
            Occurrence.objects.select_for_update()
            .select_related("user")
            .filter(pk=occurrence_id)
            .first()
        )
        if occurrence is None or occurrence.finished_at is not None:
            return "already finished"
        user = occurrence.user
        if not user.is_active:
            return _finish(occurrence, Occurrence.Outcome.CLOSED)
        row = ReminderSettings.objects.filter(user=user).first()
        if occurrence.kind == Occurrence.Kind.REMINDER:
            if row is None or not row.scheduled:
                return _finish(occurrence, Occurrence.Outcome.TURNED_OFF)
            if not has_something_to_remind(user):
                return _finish(occurrence, Occurrence.Outcome.NOTHING_CURRENT)
        now = timezone.now()
        quiet = row.quiet if row is not None else Quiet()
        later = after_quiet_hours(now, zone=zone_for(user), quiet=quiet)
        if later > now:
            # Quiet hours (perhaps just chosen): held until they end, then queued again.
            occurrence.not_before, occurrence.enqueued_at, occurrence.task_id = later, None, ""
            occurrence.save(update_fields=["not_before", "enqueued_at", "task_id"])
            return "held until quiet hours end"
        if occurrence.kind == Occurrence.Kind.REMINDER:
            Notice.objects.get_or_create(
                occurrence=occurrence, defaults={"user": user, "kind": Notice.Kind.REMINDER}
            )
        # Asked now, at send time: a consent withdrawn after this was queued stops it.
        if not has_standing_consent(user, Consent.Kind.REMINDER_EMAIL):
            return _finish(occurrence, Occurrence.Outcome.IN_APP)
        email = reminder_message(user_id=user.pk, to=user.email)
        sent = send_or_retry(
            lambda: email.send(),
            again=_again(occurrence.pk),
            attempt=attempt,
            what=f"a reminder (occurrence {occurrence.pk})",
        )
        if sent:
            return _finish(occurrence, Occurrence.Outcome.SENT)
        if attempt > len(BACKOFF_MINUTES):
            return _finish(occurrence, Occurrence.Outcome.GAVE_UP)
        return "to be tried again"


def notice_occurrence(user: User, *, now: dt.datetime) -> Occurrence | None:
    """The e-mail that tells USER there is something new: one already waiting covers it;
    otherwise it is due now, or an hour after the last e-mail, and after quiet hours."""
    waiting = Occurrence.objects.filter(
        user=user, kind=Occurrence.Kind.NOTICE, finished_at__isnull=True
    )
    if waiting.exists():
        return None
    last = (
        Occurrence.objects.filter(user=user, outcome=Occurrence.Outcome.SENT)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    due = now if last is None else max(now, last + NOTICE_GAP)
    row = ReminderSettings.objects.filter(user=user).first()
    if row is not None:
        due = after_quiet_hours(due, zone=zone_for(user), quiet=row.quiet)
    occurrence, _ = Occurrence.objects.get_or_create(
        user=user, due_at=due, defaults={"kind": Occurrence.Kind.NOTICE}
    )
    return occurrence
