from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from interlude.reminders.schedule import Quiet


class ReminderSettings(models.Model):
    """A client's reminders: which days, at what time and when never to hear from Interlude,
    all on their own clock. One row per person, made the first time they save."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    # Reminders at chosen times; notices about new things are separate and always in-app.
    scheduled = models.BooleanField(default=False)
    days = models.JSONField(default=list)  # weekdays, 0 is Monday
    at = models.TimeField(null=True, blank=True)
    quiet_from = models.TimeField(null=True, blank=True)
    quiet_until = models.TimeField(null=True, blank=True)
    # The scheduler's bookmark: the next reminder in UTC, worked out in ZONE. When the person
    # changes their time zone the two differ and the scheduler works it out again.
    next_due_at = models.DateTimeField(null=True, blank=True)
    zone = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["scheduled", "next_due_at"])]
        verbose_name_plural = "reminder settings"

    def __str__(self) -> str:
        return f"Reminder settings {self.pk}"

    @property
    def quiet(self) -> Quiet:
        return Quiet(self.quiet_from, self.quiet_until)


class MutedAssignment(models.Model):
    """An exercise the client does not want reminders about (all the others are included)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    assignment = models.ForeignKey(
        "homework.Assignment", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "assignment"], name="mute_assignment_once")
        ]

    def __str__(self) -> str:
        return f"No reminders about assignment {self.assignment_id}"


class Occurrence(models.Model):
    """One e-mail that is due to one person: a reminder at a chosen time, or word of something
    new. Made (unique per person and moment) before its task is queued, and marked finished in
    the same transaction that sends it, so neither a restarted scheduler nor a task run twice
    sends it twice, and a worker killed mid-way does not lose it (the scheduler queues it
    again)."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "A reminder at a time you chose"
        NOTICE = "notice", "Word of something new"

    class Outcome(models.TextChoices):
        SENT = "sent", "Sent by e-mail"
        IN_APP = "in_app", "Shown in Interlude only (e-mail reminders were off)"
        NOTHING_CURRENT = "nothing_current", "Not sent: no exercise to be reminded about"
        TURNED_OFF = "turned_off", "Not sent: reminders had been turned off"
        CLOSED = "closed", "Not sent: the account was closed"
        GAVE_UP = "gave_up", "Not sent: the mail server could not be reached for a day"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_occurrences"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_at = models.DateTimeField()
    # Held back until the person's quiet hours end (set when it came due inside them).
    not_before = models.DateTimeField(null=True, blank=True)
    # The task that will send it, and when it was queued (the scheduler queues it again when
    # that task has vanished or stopped without finishing).
    task_id = models.CharField(max_length=64, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "due_at"], name="one_occurrence_per_moment")
        ]
        indexes = [models.Index(fields=["finished_at", "due_at"])]
        ordering = ["-due_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class Notice(models.Model):
    """Something new for the client, shown in Interlude (always) under "New for you". Its words
    come from its kind; it names no exercise and holds no text."""

    class Kind(models.TextChoices):
        ASSIGNMENT_NEW = "assignment_new", "A new exercise is on your page."
        ASSIGNMENT_CHANGED = "assignment_changed", "An exercise on your page has changed."
        CHECKIN_READY = "checkin_ready", "A check-in is ready to read."
        MEASURE_DUE = "measure_due", "A short questionnaire is waiting for you."
        REMINDER = "reminder", "Your reminder, at the time you chose."

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)
    # The reminder that made it: one notice per reminder, however often its task runs.
    occurrence = models.OneToOneField(
        Occurrence, on_delete=models.SET_NULL, null=True, blank=True, related_name="notice"
    )

    class Meta:
        indexes = [models.Index(fields=["user", "seen_at", "created_at"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Notice {self.pk}"


class CalendarFeed(models.Model):
    """A client's private calendar subscription. The link's token is shown once and never
    stored: only its SHA-256 hash, to find the feed when a calendar app asks for it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    # The form submission that made this link: the same submission again shows the same link.
    submission_key = models.UUIDField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed {self.pk}"
