"""Reminders: on the client's own clock (across daylight-saving changes), never in quiet hours,
e-mailed only with consent asked at send time, one neutral e-mail for everything, a signed link
that stops them (GET asks, POST and RFC 8058 one-click stop), a scheduler that neither loses nor
repeats a reminder when the worker is killed, and a private calendar feed that says only
"Interlude".

The 2026 clock changes: the US springs forward on 8 March (at 10:00 UTC); New Zealand falls back
on 5 April (at 14:00 UTC on the 4th) and springs forward on 27 September (14:00 UTC on the 26th).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
import zoneinfo

import icalendar
import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from interlude.accounts.actions import account_time_zone_set
from interlude.accounts.mail import BACKOFF_MINUTES
from interlude.consents.models import Consent
from interlude.homework.actions import assignment_create
from interlude.lib.redact import redact
from interlude.reminders.actions import (
    calendar_feed_create,
    calendar_feed_revoke,
    notice_send,
    reminder_email_turn_off,
    reminder_email_turn_on,
    reminder_settings_save,
)
from interlude.reminders.delivery import occurrence_deliver, scheduler_tick
from interlude.reminders.links import stop_token, token_hash
from interlude.reminders.models import (
    CalendarFeed,
    MutedAssignment,
    Notice,
    Occurrence,
    ReminderSettings,
)
from interlude.reminders.schedule import Quiet, after_quiet_hours, next_reminder, on_the_clock
from interlude.reminders.tasks import send_reminder
from interlude.testing import make_exercise
from tests.support import raw_database_text

pytestmark = pytest.mark.django_db

LA, NZ = "America/Los_Angeles", "Pacific/Auckland"
EVERY_DAY = range(7)
SEVEN_PM = dt.time(19, 0)
QUEUED = override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
SUBJECT = "You have something new in Interlude"


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def local(moment: dt.datetime, zone: str) -> str:
    return moment.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


class Clock:
    """timezone.now(), as the code under test sees it, set by the test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = timezone.now()
        monkeypatch.setattr("django.utils.timezone.now", lambda: self.now)

    def set(self, moment: dt.datetime) -> dt.datetime:
        self.now = moment
        return moment


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def run_queue() -> int:
    """What the worker does with each task that is ready (as in tests/test_email_queue.py)."""
    ran = 0
    for row in DBTaskResult.objects.ready().order_by("enqueued_at"):
        import_string(row.task_path).call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        DBTaskResult.objects.filter(pk=row.pk).update(status="SUCCESSFUL")
        ran += 1
    return ran


def something_to_practise(user, *, title: str = "Slow breathing", note: str = ""):
    version = make_exercise(f"ex-{uuid.uuid4().hex[:8]}", title=title, suits="either")
    return assignment_create(
        therapist=user.client_profile.therapist, version=version, client=user, note=note
    )


def remind(user, *, zone: str = LA, days=EVERY_DAY, at=SEVEN_PM, quiet=(None, None), email=True):
    """USER (with something to practise) asks for reminders in ZONE."""
    account_time_zone_set(user=user, time_zone=zone)
    from interlude.reminders.subjects import current_subjects
    from interlude.sharing.person import Person

    current = [s.assignment_id for s in current_subjects(Person(user))]
    row = reminder_settings_save(
        user=user,
        scheduled=True,
        days=days,
        at=at,
        quiet_from=quiet[0],
        quiet_until=quiet[1],
        current=current,
        remind_about=current,
    )
    if email:
        reminder_email_turn_on(user=user)
    return row


# --- On the person's own clock, across daylight-saving changes ----------------------------------


@pytest.mark.parametrize(
    ("zone", "start", "expected"),
    [
        # Los Angeles, 19:00 every day around 8 March: 03:00 UTC, then 02:00 UTC.
        (
            LA,
            "2026-03-06T12:00",
            ["2026-03-07T03:00", "2026-03-08T03:00", "2026-03-09T02:00", "2026-03-10T02:00"],
        ),
        # Auckland around 5 April: 06:00 UTC (NZDT, +13), then 07:00 UTC (NZST, +12).
        (
            NZ,
            "2026-04-03T00:00",
            ["2026-04-03T06:00", "2026-04-04T06:00", "2026-04-05T07:00", "2026-04-06T07:00"],
        ),
        # ... and around 27 September: 07:00 UTC, then 06:00 UTC.
        (
            NZ,
            "2026-09-25T00:00",
            ["2026-09-25T07:00", "2026-09-26T07:00", "2026-09-27T06:00", "2026-09-28T06:00"],
        ),
    ],
)
def test_it_reminds_at_seven_in_the_evening_local_on_both_sides_of_a_clock_change(
    zone, start, expected
):
    moment, found = utc(start), []
    for _ in expected:
        moment = next_reminder(moment, zone=zoneinfo.ZoneInfo(zone), days=EVERY_DAY, at=SEVEN_PM)
        found.append(moment)
    assert found == [utc(e) for e in expected]
    assert {m.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%H:%M") for m in found} == {"19:00"}


@pytest.mark.parametrize(
    ("zone", "first_due", "days"),
    [(LA, "2026-03-06T12:00", 4), (NZ, "2026-04-02T12:00", 4), (NZ, "2026-09-24T12:00", 4)],
)
def test_the_scheduler_makes_each_reminder_at_seven_local_across_the_change(
    cast, clock, zone, first_due, days
):
    something_to_practise(cast.dave)
    clock.set(utc(first_due))
    remind(cast.dave, zone=zone, email=False)
    made = []
    for _ in range(days):
        due = ReminderSettings.objects.get(user=cast.dave).next_due_at
        clock.set(due + dt.timedelta(seconds=20))  # the scheduler wakes a little after
        scheduler_tick(now=clock.now)
        made.append(due)
    occurrences = list(Occurrence.objects.filter(user=cast.dave).order_by("due_at"))
    assert [o.due_at for o in occurrences] == made
    assert {local(o.due_at, zone)[11:16] for o in occurrences} == {"19:00"}
    assert len({o.due_at.astimezone(dt.UTC).hour for o in occurrences}) == 2  # the offset moved
    assert Notice.objects.filter(user=cast.dave, kind=Notice.Kind.REMINDER).count() == days


def test_a_time_the_clocks_skip_comes_as_much_later_and_a_repeated_one_once():
    la = zoneinfo.ZoneInfo(LA)
    skipped = on_the_clock(dt.date(2026, 3, 8), dt.time(2, 30), la)
    assert local(skipped, LA) == "2026-03-08 03:30 PDT"
    nz = zoneinfo.ZoneInfo(NZ)
    # 02:30 happens twice in Auckland on 5 April: the reminder comes at the first.
    twice = next_reminder(utc("2026-04-04T12:00"), zone=nz, days=EVERY_DAY, at=dt.time(2, 30))
    assert twice == utc("2026-04-04T13:30")
    again = next_reminder(twice, zone=nz, days=EVERY_DAY, at=dt.time(2, 30))
    assert local(again, NZ) == "2026-04-06 02:30 NZST"  # not a second one on the 5th


def test_it_follows_a_change_of_time_zone(cast, clock):
    something_to_practise(cast.dave)
    clock.set(utc("2026-06-01T12:00"))
    remind(cast.dave, zone=LA, email=False)
    assert local(ReminderSettings.objects.get(user=cast.dave).next_due_at, LA) == (
        "2026-06-01 19:00 PDT"
    )
    account_time_zone_set(user=cast.dave, time_zone=NZ)
    assert scheduler_tick(now=clock.now).rezoned == 1
    row = ReminderSettings.objects.get(user=cast.dave)
    assert local(row.next_due_at, NZ) == "2026-06-02 19:00 NZST" and row.zone == NZ


def test_it_reminds_only_on_the_chosen_days(cast):
    monday_noon = utc("2026-03-02T20:00")  # 12:00 in Los Angeles, a Monday
    found = next_reminder(monday_noon, zone=zoneinfo.ZoneInfo(LA), days=[2, 4], at=SEVEN_PM)
    assert local(found, LA) == "2026-03-04 19:00 PST"  # Wednesday
    assert next_reminder(monday_noon, zone=zoneinfo.ZoneInfo(LA), days=[], at=SEVEN_PM) is None


# --- Quiet hours ---------------------------------------------------------------------------------


def test_quiet_hours_may_cross_midnight():
    night = Quiet(dt.time(22), dt.time(7))
    assert night.covers(dt.time(22)) and night.covers(dt.time(23, 59)) and night.covers(dt.time(0))
    assert night.covers(dt.time(6, 59)) and not night.covers(dt.time(7))
    assert not night.covers(dt.time(21, 59)) and not night.covers(dt.time(12))
    afternoon = Quiet(dt.time(13), dt.time(15))
    assert afternoon.covers(dt.time(14)) and not afternoon.covers(dt.time(15))
    assert not Quiet(dt.time(9), dt.time(9)).is_set and not Quiet().covers(dt.time(9))


def test_something_due_in_quiet_hours_waits_until_they_end_on_the_persons_clock():
    la, nz, night = zoneinfo.ZoneInfo(LA), zoneinfo.ZoneInfo(NZ), Quiet(dt.time(22), dt.time(7))
    evening = utc("2026-03-08T07:30")  # 23:30 on 7 March in Los Angeles (PST)
    assert local(after_quiet_hours(evening, zone=la, quiet=night), LA) == "2026-03-08 07:00 PDT"
    early = utc("2026-09-26T13:30")  # 01:30 on 27 September in Auckland, before the change
    assert local(after_quiet_hours(early, zone=nz, quiet=night), NZ) == "2026-09-27 07:00 NZDT"
    noon = utc("2026-03-09T19:00")
    assert after_quiet_hours(noon, zone=la, quiet=night) == noon


@QUEUED
def test_word_of_something_new_in_quiet_hours_waits_until_morning(
    cast, clock, django_capture_on_commit_callbacks
):
    something_to_practise(cast.dave)
    clock.set(utc("2026-03-10T06:00"))  # 23:00 in Los Angeles
    remind(cast.dave, quiet=(dt.time(22), dt.time(7)))
    with django_capture_on_commit_callbacks(execute=True):
        notice_send(user=cast.dave, kind=Notice.Kind.ASSIGNMENT_NEW)
    assert Notice.objects.filter(user=cast.dave).count() == 1  # in Interlude at once
    occurrence = Occurrence.objects.get(user=cast.dave, kind=Occurrence.Kind.NOTICE)
    assert local(occurrence.due_at, LA) == "2026-03-10 07:00 PDT"
    clock.set(utc("2026-03-10T13:59"))  # 06:59
    scheduler_tick(now=clock.now)
    assert run_queue() == 0 and not mail.outbox
    clock.set(utc("2026-03-10T14:00:30"))  # 07:00:30
    scheduler_tick(now=clock.now)
    assert run_queue() == 1 and [m.subject for m in mail.outbox] == [SUBJECT]


@QUEUED
def test_quiet_hours_chosen_after_a_reminder_was_queued_still_hold_it(cast, clock):
    something_to_practise(cast.dave)
    clock.set(utc("2026-03-10T02:00"))  # 19:00 in Los Angeles
    remind(cast.dave)
    clock.set(utc("2026-03-11T02:00:10"))
    scheduler_tick(now=clock.now)
    remind(cast.dave, at=dt.time(12), quiet=(dt.time(18), dt.time(23)))  # now 19:00 is quiet
    run_queue()
    assert not mail.outbox
    occurrence = Occurrence.objects.get(user=cast.dave)
    assert local(occurrence.not_before, LA) == "2026-03-10 23:00 PDT"
    clock.set(utc("2026-03-11T06:00:10"))
    scheduler_tick(now=clock.now)
    run_queue()
    assert len(mail.outbox) == 1


def test_a_reminder_time_inside_quiet_hours_is_refused_kindly(client, cast):
    client.force_login(cast.dave)
    response = client.post(
        reverse("reminders"),
        {
            "scheduled": "on",
            "days": ["0"],
            "at": "23:00",
            "quiet_from": "22:00",
            "quiet_until": "07:00",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "23:00 is inside your quiet hours (22:00 to 07:00)" in page
    assert 'value="23:00"' in page and 'value="22:00"' in page  # nothing typed is lost
    assert not ReminderSettings.objects.filter(user=cast.dave).exists()


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"scheduled": "on", "at": "19:00"}, "days", "Choose at least one day"),
        ({"scheduled": "on", "days": ["1"]}, "at", "Choose a time"),
        ({"scheduled": "off", "quiet_from": "22:00"}, "quiet_until", "a start and an end"),
        (
            {"scheduled": "off", "quiet_from": "22:00", "quiet_until": "22:00"},
            "quiet_until",
            "different time",
        ),
        ({"scheduled": "on", "days": ["1"], "at": "7pm-ish"}, "at", "a time such as 19:00"),
    ],
)
def test_the_form_says_what_needs_another_look(client, cast, data, field, words):
    client.force_login(cast.dave)
    response = client.post(reverse("reminders"), data)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert response.context["form"].errors[field]


# --- Consent, asked when each e-mail is sent ----------------------------------------------------


@QUEUED
def test_consent_withdrawn_between_queueing_and_sending_stops_that_email(cast, clock):
    something_to_practise(cast.dave)
    clock.set(utc("2026-03-10T01:00"))
    remind(cast.dave)
    clock.set(utc("2026-03-10T02:00:05"))
    scheduler_tick(now=clock.now)
    assert DBTaskResult.objects.count() == 1  # queued, with e-mail reminders on
    reminder_email_turn_off(user=cast.dave)
    run_queue()
    assert not mail.outbox
    occurrence = Occurrence.objects.get(user=cast.dave)
    assert occurrence.outcome == Occurrence.Outcome.IN_APP
    assert Notice.objects.filter(occurrence=occurrence).exists()  # still shown in Interlude


def test_without_consent_notices_stay_in_interlude(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice = notice_send(user=cast.dave, kind=Notice.Kind.MEASURE_DUE)
    assert notice is not None and not mail.outbox
    assert not Occurrence.objects.exists()


def test_turning_email_on_gives_the_consent_and_off_withdraws_it(client, cast):
    client.force_login(cast.dave)
    client.post(reverse("reminders_email"), {"email": "on", "back": "privacy"})
    consent = Consent.objects.get(user=cast.dave, kind=Consent.Kind.REMINDER_EMAIL)
    assert consent.withdrawn_at is None and consent.version
    assert "<strong>On.</strong>" in client.get(reverse("privacy")).content.decode()
    response = client.post(reverse("reminders_email"), {"email": "off", "back": "elsewhere"})
    assert response["Location"] == reverse("reminders")  # only known pages to go back to
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert "Allow e-mail reminders" in client.get(reverse("privacy")).content.decode()


# --- The link that stops reminder e-mails --------------------------------------------------------


def stop_link_in(message) -> str:
    return re.search(r"http://testserver(/reminders/stop/\S+/)", message.body).group(1)


def email_to(user, django_capture_on_commit_callbacks):
    reminder_email_turn_on(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        notice_send(user=user, kind=Notice.Kind.ASSIGNMENT_NEW)
    return mail.outbox[-1]


def email_on(user) -> bool:
    return Consent.objects.filter(
        user=user, kind=Consent.Kind.REMINDER_EMAIL, withdrawn_at__isnull=True
    ).exists()


def test_every_email_carries_a_signed_stop_link_and_one_click_headers(
    cast, django_capture_on_commit_callbacks
):
    message = email_to(cast.dave, django_capture_on_commit_callbacks)
    link = stop_link_in(message)
    assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = link.split("/")[3]
    assert "dave" not in token and "example" not in token  # no address, even encoded
    assert cast.dave.email not in message.body and message.to == [cast.dave.email]
    assert "@" not in link


def test_a_stop_link_asks_on_get_and_stops_on_post(
    client, cast, django_capture_on_commit_callbacks
):
    link = stop_link_in(email_to(cast.dave, django_capture_on_commit_callbacks))
    asked = client.get(link)
    assert asked.status_code == 200 and "Stop reminder e-mails?" in asked.content.decode()
    assert email_on(cast.dave)  # a mail scanner opening the link changes nothing
    stopped = client.post(link)
    assert stopped.status_code == 200 and "Reminder e-mails are off" in stopped.content.decode()
    assert not email_on(cast.dave)
    assert "Reminder e-mails are off" in client.get(link).content.decode()


def test_one_click_from_a_mail_program_works_without_csrf_and_twice(
    cast, django_capture_on_commit_callbacks
):
    link = stop_link_in(email_to(cast.dave, django_capture_on_commit_callbacks))
    mail_program = Client(enforce_csrf_checks=True)  # no cookie, no token
    for _ in range(2):
        response = mail_program.post(
            link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 200
    assert not email_on(cast.dave)
    assert Consent.objects.filter(user=cast.dave, kind=Consent.Kind.REMINDER_EMAIL).count() == 1


def test_only_the_stop_link_is_exempt_from_csrf(cast):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.dave)
    for name in ("reminders", "reminders_email", "reminders_calendar", "notices_seen"):
        assert strict.post(reverse(name), {"email": "on"}).status_code == 403, name


def altered(token: str) -> str:
    last = token[-1]
    return token[:-1] + ("A" if last != "A" else "B")


@pytest.mark.parametrize(
    "forge",
    [
        lambda user: altered(stop_token(user.pk)),  # one character changed
        lambda user: stop_token(user.pk).split(":")[0] + ":made:up",
        lambda user: "not-a-link",
        # Signed with the right key but for another purpose (another salt).
        lambda user: __import__("django.core.signing", fromlist=["x"]).dumps(user.pk),
    ],
)
def test_a_forged_or_altered_link_does_nothing_and_says_so_kindly(client, cast, forge):
    reminder_email_turn_on(user=cast.dave)
    url = reverse("reminders_stop", args=[forge(cast.dave)])
    got = client.get(url)
    assert got.status_code == 400 and "This link didn't work" in got.content.decode()
    assert "Nothing has been changed" in got.content.decode()
    assert Client(enforce_csrf_checks=True).post(url).status_code == 400
    assert email_on(cast.dave)


def test_a_stop_link_stops_only_its_own_accounts_emails(client, cast):
    for user in (cast.dave, cast.gina):
        reminder_email_turn_on(user=user)
    client.force_login(cast.gina)  # signed in as someone else: the link still speaks for dave
    client.post(reverse("reminders_stop", args=[stop_token(cast.dave.pk)]))
    assert not email_on(cast.dave) and email_on(cast.gina)


def test_stop_and_calendar_links_never_reach_a_log_line():
    stop = f"/reminders/stop/{stop_token(7)}/"
    feed = "/reminders/calendar/" + "ab" * 32 + ".ics"
    for path in (stop, feed, "/accounts/login/?next=" + stop.replace("/", "%2F")):
        cleaned = redact(f'"GET {path} HTTP/1.1" 200')
        assert stop_token(7) not in cleaned and "ab" * 32 not in cleaned, cleaned
        assert "[hidden]" in cleaned


# --- One neutral e-mail: the canary --------------------------------------------------------------

NOT_IN_AN_EMAIL = re.compile(
    r"therap|sex|exercise|homework|intima|desire|couple|partner|client|clinic|counsel|erotic|"
    r"arous|orgasm|genital|sensate|fantas|body|bodies|touch|breath|check-in|questionnaire|measure",
    re.IGNORECASE,
)


@QUEUED
def test_no_title_note_or_client_text_reaches_any_email(
    client, cast, clock, logs, django_capture_on_commit_callbacks
):
    canary = f"canary-{uuid.uuid4().hex}"  # what people write: encrypted, in no log either
    named = f"named-{uuid.uuid4().hex}"  # titles and names, stored as they are
    from interlude.journal.actions import journal_entry_create

    clock.set(utc("2026-03-10T01:00"))
    journal_entry_create(author=cast.bob, body=f"{canary} journal", visibility="therapist")
    # Every flow that sends an e-mail: the therapist gives an exercise (with a title and note
    # carrying the canary) and changes it, a check-in is ready, a measure is due, and a reminder
    # comes at the chosen time; for a client on their own and each of a couple.
    client.force_login(cast.alice)
    version = make_exercise("canary-exercise", title=f"{named} title", suits="either")
    client.post(
        reverse("assign", args=[cast.dave.pk]),
        {
            "exercise": version.exercise_id,
            "who": "client",
            "note": f"{canary} note",
            "period": "week",
            "steps": f"{canary} step",
        },
    )
    from interlude.homework.models import Assignment

    assert Assignment.objects.filter(client=cast.dave, version=version).exists()
    couple = cast.member(cast.bob).couple
    assignment_create(therapist=cast.alice, version=version, couple=couple, note=f"{canary} c")
    for user in (cast.dave, cast.bob, cast.carol):
        user.name = f"{named} name"
        user.save(update_fields=["name"])
        remind(user, zone=LA)
    for kind in ("assignment_new", "assignment_changed", "checkin_ready", "measure_due"):
        for user in (cast.dave, cast.bob, cast.carol):
            with django_capture_on_commit_callbacks(execute=True):
                notice_send(user=user, kind=kind)
            run_queue()
        clock.set(clock.now + dt.timedelta(minutes=61))  # past the hour between e-mails
        scheduler_tick(now=clock.now)
        run_queue()
    clock.set(utc("2026-03-11T02:00:05"))  # 19:00 in Los Angeles: the reminders
    scheduler_tick(now=clock.now)
    run_queue()
    kinds = Occurrence.objects.filter(outcome="sent").values_list("kind", flat=True)
    assert {"reminder", "notice"} <= set(kinds)
    assert len(mail.outbox) >= 12
    bodies = set()
    for message in mail.outbox:
        whole = message.message().as_string()
        assert canary not in whole and named not in whole
        assert message.subject == SUBJECT
        assert message.from_email == "Interlude <no-reply@interlude.invalid>"
        assert not NOT_IN_AN_EMAIL.search(message.subject + message.body), message.body
        assert not message.message().is_multipart() and "text/html" not in whole  # no preview
        bodies.add(re.sub(r"/reminders/stop/\S+/", "/reminders/stop/LINK/", message.body))
    assert len(bodies) == 1  # the same words every time, whatever it is about
    assert canary not in "\n".join(logs.lines)
    queued = json.dumps([r.args_kwargs for r in DBTaskResult.objects.all()])
    assert canary not in queued and named not in queued and "@" not in queued


# --- Durable and idempotent: killed workers, repeated passes, tasks run twice -------------------


@QUEUED
def test_a_scheduler_pass_run_again_makes_no_second_row_or_email(cast, clock):
    something_to_practise(cast.dave)
    clock.set(utc("2026-03-10T01:00"))
    remind(cast.dave)
    clock.set(utc("2026-03-10T02:00:05"))
    first = scheduler_tick(now=clock.now)
    assert (first.made, first.queued) == (1, 1)
    again = scheduler_tick(now=clock.now + dt.timedelta(seconds=30))
    assert (again.made, again.queued) == (0, 0)
    # Even a scheduler that lost its bookmark (killed before it moved on) makes no second row.
    ReminderSettings.objects.filter(user=cast.dave).update(next_due_at=utc("2026-03-10T02:00"))
    assert scheduler_tick(now=clock.now).made == 0
    assert Occurrence.objects.count() == 1 and DBTaskResult.objects.count() == 1
    run_queue()
    assert len(mail.outbox) == 1


@QUEUED
def test_a_worker_killed_mid_task_neither_loses_nor_repeats_the_reminder(cast, clock):
    something_to_practise(cast.dave)
    clock.set(utc("2026-03-10T01:00"))
    remind(cast.dave)
    clock.set(utc("2026-03-10T02:00:05"))
    scheduler_tick(now=clock.now)
    # The worker claimed the task and was killed before sending: its row stays "running".
    DBTaskResult.objects.update(status="RUNNING", started_at=clock.now)
    assert scheduler_tick(now=clock.now + dt.timedelta(minutes=5)).queued == 0  # may be busy
    assert not mail.outbox
    clock.set(clock.now + dt.timedelta(minutes=16))
    assert scheduler_tick(now=clock.now).queued == 1  # looked at again, queued again
    assert Occurrence.objects.count() == 1
    run_queue()
    assert len(mail.outbox) == 1
    # The old task, were it ever run after all, sends nothing more.
    for row in DBTaskResult.objects.all():
        import_string(row.task_path).call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
    assert len(mail.outbox) == 1


@QUEUED
def test_a_task_row_that_vanished_is_queued_again(cast, clock):
    something_to_practise(cast.dave)
    clock.set(utc("2026-03-10T01:00"))
    remind(cast.dave)
    clock.set(utc("2026-03-10T02:00:05"))
    scheduler_tick(now=clock.now)
    DBTaskResult.objects.all().delete()  # pruned, or a database restored from before
    clock.set(clock.now + dt.timedelta(minutes=16))
    scheduler_tick(now=clock.now)
    run_queue()
    assert len(mail.outbox) == 1


def test_a_task_run_twice_sends_once(cast, clock):
    something_to_practise(cast.dave)
    clock.set(utc("2026-03-10T01:00"))
    remind(cast.dave)
    occurrence = Occurrence.objects.create(
        user=cast.dave, kind=Occurrence.Kind.REMINDER, due_at=utc("2026-03-10T02:00")
    )
    clock.set(utc("2026-03-10T02:00:05"))
    send_reminder.call(occurrence.pk)
    send_reminder.call(occurrence.pk)
    assert len(mail.outbox) == 1
    occurrence.refresh_from_db()
    assert occurrence.outcome == "sent" and occurrence.finished_at is not None
    assert Notice.objects.filter(occurrence=occurrence).count() == 1


@QUEUED
def test_a_send_that_cannot_reach_the_server_is_retried_then_given_up_with_a_reason(
    cast, clock, monkeypatch, caplog
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    something_to_practise(cast.dave)
    clock.set(utc("2026-03-10T01:00"))
    remind(cast.dave)
    occurrence = Occurrence.objects.create(
        user=cast.dave, kind=Occurrence.Kind.REMINDER, due_at=utc("2026-03-10T02:00")
    )
    clock.set(utc("2026-03-10T02:00:05"))
    occurrence_deliver(occurrence_id=occurrence.pk)
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after == clock.now + dt.timedelta(minutes=BACKOFF_MINUTES[0])
    occurrence.refresh_from_db()
    assert occurrence.task_id == str(retry.pk) and occurrence.finished_at is None
    # Nobody is waiting on a retry: the scheduler leaves it be.
    assert scheduler_tick(now=clock.now + dt.timedelta(minutes=20)).queued == 0
    assert occurrence_deliver(occurrence_id=occurrence.pk, attempt=len(BACKOFF_MINUTES) + 1) == (
        "gave_up"
    )
    assert "Gave up sending a reminder" in caplog.text and cast.dave.email not in caplog.text
    assert Notice.objects.filter(occurrence=occurrence).count() == 1


def test_an_occurrence_never_delivered_is_closed_after_a_day_with_a_reason(cast, caplog):
    due = timezone.now() - dt.timedelta(hours=27)
    Occurrence.objects.create(user=cast.dave, kind="reminder", due_at=due, enqueued_at=due)
    assert scheduler_tick().closed == 1
    assert Occurrence.objects.get().outcome == "gave_up"
    assert "not delivered a day after it was due" in caplog.text


def test_a_reminder_found_hours_late_is_let_go(cast, clock):
    something_to_practise(cast.dave)
    clock.set(utc("2026-03-10T01:00"))
    remind(cast.dave)
    clock.set(utc("2026-03-10T07:00"))  # the scheduler was stopped for five hours
    tick = scheduler_tick(now=clock.now)
    assert (tick.made, tick.skipped) == (0, 1) and not mail.outbox
    row = ReminderSettings.objects.get(user=cast.dave)
    assert local(row.next_due_at, LA) == "2026-03-10 19:00 PDT"


# --- What reminders are about -------------------------------------------------------------------


def test_nothing_is_sent_when_every_current_exercise_is_muted_or_none_is_current(cast, clock):
    assignment = something_to_practise(cast.dave)
    clock.set(utc("2026-03-10T01:00"))
    remind(cast.dave)
    MutedAssignment.objects.create(user=cast.dave, assignment=assignment)
    clock.set(utc("2026-03-10T02:00:05"))
    scheduler_tick(now=clock.now)
    assert not mail.outbox and not Notice.objects.exists()
    assert Occurrence.objects.get().outcome == "nothing_current"


def test_a_couples_exercise_reminds_each_partner_by_their_own_settings(cast, clock):
    couple = cast.member(cast.bob).couple
    assignment_create(therapist=cast.alice, version=make_exercise(), couple=couple)
    clock.set(utc("2026-03-10T01:00"))
    remind(cast.bob)
    remind(cast.carol, zone=NZ)
    clock.set(utc("2026-03-10T02:00:05"))
    scheduler_tick(now=clock.now)
    assert [m.to for m in mail.outbox] == [[cast.bob.email]]  # Carol's 19:00 is later


def test_reminders_turned_off_after_queueing_are_not_sent(cast, clock):
    something_to_practise(cast.dave)
    clock.set(utc("2026-03-10T01:00"))
    remind(cast.dave)
    occurrence = Occurrence.objects.create(user=cast.dave, kind="reminder", due_at=clock.now)
    ReminderSettings.objects.filter(user=cast.dave).update(scheduled=False)
    assert occurrence_deliver(occurrence_id=occurrence.pk) == "turned_off"
    assert not mail.outbox


# --- Notices ------------------------------------------------------------------------------------


def test_notices_show_in_interlude_and_are_marked_read(client, cast):
    for kind in ("assignment_new", "assignment_changed", "checkin_ready", "measure_due"):
        notice_send(user=cast.dave, kind=kind)
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = cast.dave
    html = render_to_string("reminders/_notices.html", request=request)
    assert "New for you" in html and "A new exercise is on your page." in html
    assert "A short questionnaire is waiting for you." in html
    # Five new exercises at once are told once, with how many.
    for _ in range(4):
        notice_send(user=cast.dave, kind="assignment_new")
    html = render_to_string("reminders/_notices.html", request=request)
    assert "5 new exercises are on your page." in html
    assert "A new exercise is on your page." not in html
    client.force_login(cast.dave)
    assert client.post(reverse("notices_seen")).status_code == 302
    assert "New for you" not in render_to_string("reminders/_notices.html", request=request)
    cleared = client.post(reverse("notices_seen"), headers={"HX-Request": "true"})
    assert 'id="new-for-you"' in cleared.content.decode()


def test_notices_are_only_about_what_is_new(cast):
    with pytest.raises(ValueError):
        notice_send(user=cast.dave, kind="not_practised")
    assert notice_send(user=cast.alice, kind="assignment_new") is None  # clients only
    assert not Notice.objects.exists()


@QUEUED
def test_many_changes_at_once_make_one_email_an_hour(
    cast, clock, django_capture_on_commit_callbacks
):
    reminder_email_turn_on(user=cast.dave)
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            notice_send(user=cast.dave, kind="assignment_changed")
        run_queue()
    assert len(mail.outbox) == 1 and Notice.objects.filter(user=cast.dave).count() == 3
    waiting = Occurrence.objects.get(finished_at__isnull=True)
    assert waiting.due_at > clock.now + dt.timedelta(minutes=59)
    clock.set(waiting.due_at + dt.timedelta(seconds=10))
    scheduler_tick(now=clock.now)
    run_queue()
    assert len(mail.outbox) == 2


# --- The private calendar feed ------------------------------------------------------------------


def feed_of(client, token):
    response = client.get(reverse("reminders_calendar_feed", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content), response.content.decode()


def test_the_calendar_feed_says_only_interlude_at_the_chosen_times(cast, clock):
    something_to_practise(cast.dave, title="Slow breathing with a canary title")
    clock.set(utc("2026-03-02T20:00"))  # Monday noon in Los Angeles
    remind(cast.dave, days=[0, 2, 4], quiet=(dt.time(22), dt.time(7)))
    token = calendar_feed_create(user=cast.dave, submission=uuid.uuid4())
    calendar, raw = feed_of(Client(), token)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == "Interlude"
    for absent in ("DESCRIPTION", "LOCATION", "URL", "ATTENDEE", "ORGANIZER", "CATEGORIES"):
        assert absent not in event
    start = event.decoded("DTSTART")
    assert (start.strftime("%H:%M"), str(start.tzinfo)) == ("19:00", LA)
    assert event["RRULE"]["BYDAY"] == ["MO", "WE", "FR"]
    assert [str(a["DESCRIPTION"]) for a in event.walk("VALARM")] == ["Interlude"]
    assert LA in [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    words = set(re.findall(r"^(?:SUMMARY|DESCRIPTION|X-WR-CALNAME|NAME):(.*?)\r?$", raw, re.M))
    assert words == {"Interlude"}
    assert "canary" not in raw and "breathing" not in raw.lower()
    assert cast.dave.email not in raw and "Dave" not in raw


def test_the_calendar_feed_is_empty_while_reminders_at_set_times_are_off(cast):
    token = calendar_feed_create(user=cast.dave, submission=uuid.uuid4())
    calendar, _ = feed_of(Client(), token)
    assert not list(calendar.walk("VEVENT"))


def test_the_calendar_token_is_shown_once_stored_only_as_a_hash_and_revocable(client, cast):
    client.force_login(cast.dave)
    submission = str(uuid.uuid4())
    shown = client.post(reverse("reminders_calendar"), {"submission": submission})
    link = re.search(
        r">(http://testserver/reminders/calendar/\w+\.ics)</textarea>", shown.content.decode()
    )
    token = link.group(1).rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) == 64
    # A double tap shows the same link, and only one feed exists.
    again = client.post(reverse("reminders_calendar"), {"submission": submission})
    assert token in again.content.decode() and CalendarFeed.objects.count() == 1
    assert token not in raw_database_text()
    assert CalendarFeed.objects.get().token_hash == token_hash(token)
    assert token not in client.get(reverse("reminders")).content.decode()  # once only
    feed_of(Client(), token)
    # A new link replaces the old one; turning it off stops it at once.
    client.post(reverse("reminders_calendar"), {"submission": str(uuid.uuid4())})
    assert Client().get(link.group(1)).status_code == 404
    calendar_feed_revoke(user=cast.dave)
    assert not CalendarFeed.objects.exists()
    response = client.post(reverse("reminders_calendar"), {"calendar": "off"})
    assert response.status_code == 302


def test_a_made_up_calendar_token_is_not_found(client, cast):
    calendar_feed_create(user=cast.dave, submission=uuid.uuid4())
    url = reverse("reminders_calendar_feed", args=["0" * 64])
    assert client.get(url).status_code == 404


# --- The pages: Gina's own words, a constant number of queries, the Privacy switch --------------

JOINT = re.compile(r"\b(partner|partners|both|together|each other|you two)\b", re.IGNORECASE)


def main_text(response) -> str:
    import html

    main = response.content.decode().split("<main")[1].split("</main>")[0]
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


def test_a_client_whose_partner_is_not_taking_part_meets_no_couple_wording(client, cast):
    couple = cast.member(cast.gina).couple
    assignment_create(
        therapist=cast.alice, version=make_exercise(title="Solo focus"), couple=couple
    )
    reminder_email_turn_on(user=cast.gina)
    notice_send(user=cast.gina, kind="assignment_new")
    client.force_login(cast.gina)
    token = stop_token(cast.gina.pk)
    answers = [
        client.get(reverse("reminders")),
        client.post(reverse("reminders"), {"scheduled": "on"}),  # with its messages
        client.post(reverse("reminders_calendar"), {"submission": str(uuid.uuid4())}),
        client.get(reverse("reminders_stop", args=[token])),
        client.post(reverse("reminders_stop", args=[token])),
        client.get(reverse("reminders_stop", args=["altered"])),
    ]
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = cast.gina
    notices = render_to_string("reminders/_notices.html", request=request)
    texts = [main_text(a) for a in answers] + [re.sub(r"<[^>]+>", " ", notices)]
    assert "Solo focus" in texts[0] and "New for you" in texts[-1]
    problems = [m.group(0) for text in texts for m in JOINT.finditer(text)]
    assert not problems, problems


def grow_history(cast, assignments: int, notices: int) -> None:
    for i in range(assignments):
        something_to_practise(cast.dave, title=f"Exercise {i}")
    for i in range(notices):
        notice = Notice.objects.create(user=cast.dave, kind="assignment_changed")
        Occurrence.objects.create(
            user=cast.dave, kind="notice", due_at=timezone.now() - dt.timedelta(hours=i)
        )
        assert notice


def test_the_pages_run_a_constant_number_of_queries(client, cast):
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from tests.support import count_queries

    def measure() -> dict[str, int]:
        client.force_login(cast.dave)
        request = RequestFactory().get("/")
        request.user = cast.dave
        with CaptureQueriesContext(connection) as notices:
            render_to_string("reminders/_notices.html", request=request)
        return {
            "reminders": count_queries(client, reverse("reminders")),
            "notices": len(notices.captured_queries),
            "feed": count_queries(Client(), reverse("reminders_calendar_feed", args=[token])),
            "stop": count_queries(
                Client(), reverse("reminders_stop", args=[stop_token(cast.dave.pk)])
            ),
        }

    remind(cast.dave)
    token = calendar_feed_create(user=cast.dave, submission=uuid.uuid4())
    grow_history(cast, 1, 1)
    small = measure()
    grow_history(cast, 30, 60)
    large = measure()
    assert large == small, (small, large)
    assert small["notices"] == 1
    print("query counts", small)


def test_the_privacy_page_shows_and_switches_email_reminders(client, cast):
    client.force_login(cast.dave)
    page = client.get(reverse("privacy")).content.decode()
    assert "Reminders by e-mail" in page and "<strong>Off.</strong>" in page
    assert reverse("reminders") in page
    response = client.post(reverse("reminders_email"), {"email": "on", "back": "privacy"})
    assert response["Location"] == reverse("privacy")
    assert "<strong>On.</strong>" in client.get(reverse("privacy")).content.decode()


def test_the_reminders_page_is_each_clients_own(client, cast):
    something_to_practise(cast.dave, title="Dave's own exercise")
    client.force_login(cast.dave)
    response = client.post(
        reverse("reminders"),
        {
            "scheduled": "on",
            "days": ["0", "3"],
            "at": "08:30",
            "quiet_from": "22:00",
            "quiet_until": "07:00",
        },
    )
    assert response.status_code == 302
    row = ReminderSettings.objects.get(user=cast.dave)
    assert (row.days, row.at, row.quiet_from) == ([0, 3], dt.time(8, 30), dt.time(22))
    assert MutedAssignment.objects.filter(user=cast.dave).count() == 1  # left unticked
    client.force_login(cast.gina)
    assert "Dave's own exercise" not in client.get(reverse("reminders")).content.decode()
    client.force_login(cast.alice)
    assert client.get(reverse("reminders")).status_code == 404


def test_the_scheduler_command_runs_a_pass(cast, clock):
    from io import StringIO

    from django.core.management import call_command

    something_to_practise(cast.dave)
    clock.set(utc("2026-03-10T01:00"))
    remind(cast.dave)
    clock.set(utc("2026-03-10T02:00:05"))
    out = StringIO()
    call_command("reminders_scheduler", "--once", stdout=out)
    assert "made=1" in out.getvalue() and len(mail.outbox) == 1


def test_a_clients_reminders_are_in_their_export_and_gone_with_their_account(cast):
    from interlude.privacy.actions import client_account_delete
    from interlude.privacy.export import export_zip

    something_to_practise(cast.dave)
    remind(cast.dave)
    token = calendar_feed_create(user=cast.dave, submission=uuid.uuid4())
    notice_send(user=cast.dave, kind="measure_due")
    archive = export_zip(cast.dave)
    import io
    import zipfile

    data = json.loads(zipfile.ZipFile(io.BytesIO(archive)).read("interlude-export.json"))
    assert data["reminders.remindersettings"][0]["at"] == "19:00:00"
    assert data["reminders.notice"][0]["kind"] == "measure_due"
    assert token not in json.dumps(data) and token_hash(token) not in json.dumps(data)
    client_account_delete(user=cast.dave)
    for model in (ReminderSettings, Notice, Occurrence, CalendarFeed, MutedAssignment):
        assert not model.objects.exists(), model


def test_a_new_or_changed_assignment_is_told_to_each_client_neutrally(
    cast, django_capture_on_commit_callbacks
):
    """Homework announces; reminders tell each client taking part (interlude.lib.announce)."""
    from interlude.homework.actions import assignment_adjust, assignment_create
    from interlude.reminders.models import Notice
    from interlude.testing import make_exercise

    couple = cast.member(cast.bob).couple
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assignment_create(therapist=cast.alice, version=make_exercise(), couple=couple)
    assert set(Notice.objects.values_list("user_id", "kind")) == {
        (cast.bob.pk, "assignment_new"),
        (cast.carol.pk, "assignment_new"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        assignment_adjust(
            assignment=assignment, by=cast.alice, reason="Gentler.", status="active", times=1
        )
    assert Notice.objects.filter(kind="assignment_changed").count() == 2
    with django_capture_on_commit_callbacks(execute=True):  # nothing changed: nothing told
        assignment_adjust(
            assignment=assignment, by=cast.alice, reason="Same.", status="active", times=1
        )
    assert Notice.objects.filter(kind="assignment_changed").count() == 2
    # Each sees it on their home page, in words that say nothing of the exercise.
    client = Client()
    client.force_login(cast.carol)
    home = client.get(reverse("home")).content.decode()
    assert "New for you" in home
    assert home.index("New for you") < home.index('id="now-heading"')
    client.force_login(cast.dave)
    assert "New for you" not in client.get(reverse("home")).content.decode()
    # Reminders are one click away from the account pages.
    assert reverse("reminders") in client.get(reverse("account_email")).content.decode()
