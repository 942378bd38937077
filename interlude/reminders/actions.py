"""Every write a person's choices make: their reminder settings, e-mail reminders on or off,
the calendar link; and `notice_send`, which the tools' higher layers call when a therapist's
action gives a client something new."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from interlude.accounts.models import User
from interlude.audit.actions import audit_record
from interlude.consents.access import has_standing_consent
from interlude.consents.actions import consent_give, consent_withdraw
from interlude.consents.models import Consent
from interlude.reminders.delivery import next_due, notice_occurrence, occurrence_enqueue
from interlude.reminders.links import calendar_token, token_hash
from interlude.reminders.models import (
    CalendarFeed,
    MutedAssignment,
    Notice,
    Occurrence,
    ReminderSettings,
)

# What a notice may be about: things a therapist's action (or both partners' own) made new.
# Never what a client or their partner has not done.
NOTICE_KINDS = frozenset(
    {
        Notice.Kind.ASSIGNMENT_NEW,
        Notice.Kind.ASSIGNMENT_CHANGED,
        Notice.Kind.CHECKIN_READY,
        Notice.Kind.MEASURE_DUE,
    }
)


@transaction.atomic
def reminder_settings_save(
    *,
    user: User,
    scheduled: bool,
    days: Collection[int],
    at: dt.time | None,
    quiet_from: dt.time | None,
    quiet_until: dt.time | None,
    current: Collection[int],
    remind_about: Collection[int],
) -> ReminderSettings:
    """Save USER's reminders (days, time and quiet hours on their own clock) and which of their
    CURRENT exercises to be reminded about (REMIND_ABOUT; the rest are muted). The next reminder
    is worked out at once; exercises no longer current keep their choice."""
    row, _ = ReminderSettings.objects.select_for_update().get_or_create(user=user)
    row.scheduled = scheduled
    row.days = sorted(set(days))
    row.at = at
    row.quiet_from, row.quiet_until = (quiet_from, quiet_until) if quiet_from else (None, None)
    row.zone = user.time_zone
    row.next_due_at = next_due(row, user, after=timezone.now())
    row.updated_at = timezone.now()
    row.save()
    muted = set(current) - set(remind_about)
    MutedAssignment.objects.filter(user=user, assignment_id__in=set(current) - muted).delete()
    MutedAssignment.objects.bulk_create(
        [MutedAssignment(user=user, assignment_id=pk) for pk in sorted(muted)],
        ignore_conflicts=True,
    )
    audit_record(actor=user, action="reminders.settings", target=row, subject=user)
    return row


def email_reminders_on(user: User) -> bool:
    return has_standing_consent(user, Consent.Kind.REMINDER_EMAIL)


@transaction.atomic
def reminder_email_turn_on(*, user: User) -> bool:
    """USER agrees to reminders and notices by e-mail (a recorded consent). False when it was
    already on."""
    if email_reminders_on(user):
        return False
    consent_give(
        user=user, kind=Consent.Kind.REMINDER_EMAIL, version=settings.REMINDER_EMAIL_CONSENT_VERSION
    )
    return True


@transaction.atomic
def reminder_email_turn_off(*, user: User) -> bool:
    """Withdraw the e-mail consent: the next e-mail is not sent (each is checked as it is sent).
    Reminders still appear in Interlude. Doing it again changes nothing."""
    return consent_withdraw(user=user, kind=Consent.Kind.REMINDER_EMAIL) > 0


@transaction.atomic
def calendar_feed_create(*, user: User, submission: uuid.UUID) -> str:
    """A new private calendar link for USER; any earlier link stops working. Returns the token,
    which is shown once and never stored (only its hash). The same form sent twice returns the
    same token."""
    existing = CalendarFeed.objects.select_for_update().filter(user=user).first()
    token = calendar_token(user.pk, submission)
    if existing is not None and existing.submission_key == submission:
        return token
    if existing is not None:
        existing.delete()
    feed = CalendarFeed.objects.create(
        user=user, token_hash=token_hash(token), submission_key=submission
    )
    audit_record(actor=user, action="reminders.calendar_on", target=feed, subject=user)
    return token


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> bool:
    """Turn off USER's calendar link: it stops working at once."""
    count, _ = CalendarFeed.objects.filter(user=user).delete()
    if count:
        audit_record(actor=user, action="reminders.calendar_off", subject=user)
    return bool(count)


@transaction.atomic
def notice_send(*, user: User, kind: str) -> Notice | None:
    """Tell USER (a client) there is something new of KIND: always in Interlude, and by the one
    neutral e-mail when they agreed to e-mail reminders (at most one an hour, after their
    quiet hours). Call it after the action that made something new has been done, once for
    each client it is new for. Returns the notice (None for anyone who is not an active
    client)."""
    if kind not in NOTICE_KINDS:
        raise ValueError(f"Not a kind of notice: {kind!r}")
    if not user.is_active or not user.is_client:
        return None
    now = timezone.now()
    notice = Notice.objects.create(user=user, kind=kind, created_at=now)
    audit_record(actor=None, action="reminders.notice", target=notice, subject=user)
    if email_reminders_on(user):
        occurrence = notice_occurrence(user, now=now)
        if occurrence is not None and occurrence.due_at <= now:
            transaction.on_commit(lambda: occurrence_enqueue(occurrence.pk))
    return notice


@transaction.atomic
def notices_mark_seen(*, user: User) -> int:
    """USER has read what is new: it leaves their list."""
    return Notice.objects.filter(user=user, seen_at__isnull=True).update(seen_at=timezone.now())


@transaction.atomic
def reminders_erase_for(*, user: User) -> None:
    """Delete everything reminders hold for USER (their account is being deleted)."""
    Notice.objects.filter(user=user).delete()
    Occurrence.objects.filter(user=user).delete()
    MutedAssignment.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    ReminderSettings.objects.filter(user=user).delete()


def notices_for(kind: str, user_ids: list[int]) -> None:
    """A tool announced something new (interlude.lib.announce): a notice for each person."""
    for user in User.objects.filter(pk__in=user_ids, is_active=True):
        notice_send(user=user, kind=kind)
