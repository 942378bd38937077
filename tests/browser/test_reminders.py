"""On a phone, a client sets reminders from the Privacy page: a time inside their quiet hours
is refused kindly and what they chose is kept; saved, the page says when the next one comes;
they turn on e-mail reminders and make a private calendar link (shown once; the feed says only
"Interlude"). Something new arrives: it is in "New for you" and in one neutral e-mail, whose
link stops the e-mails without signing in; an altered link changes nothing. Screenshots:
test-artifacts/screenshots/reminders-*.png (phone 390x844, desktop 1280x900)."""

from __future__ import annotations

import re
import zoneinfo

import pytest
from django.core import mail
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone

from interlude.accounts.actions import account_time_zone_set
from interlude.consents.models import Consent
from interlude.homework.actions import assignment_create
from interlude.reminders.actions import notice_send
from interlude.reminders.models import CalendarFeed, ReminderSettings
from interlude.testing import PASSWORD, make_cast, make_exercise

pytestmark = pytest.mark.django_db(transaction=True)

PHONE, DESKTOP = (390, 844), (1280, 900)


def sign_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def email_on(user) -> bool:  # type: ignore[no-untyped-def]
    return Consent.objects.filter(
        user=user, kind=Consent.Kind.REMINDER_EMAIL, withdrawn_at__isnull=True
    ).exists()


def show_notices(page, user) -> None:  # type: ignore[no-untyped-def]
    """The "New for you" component as a page that includes it would show it (the client's home
    page gains it with one include line)."""
    request = RequestFactory().get("/")
    request.user = user
    template = engines["django"].from_string(
        '{% extends "base.html" %}{% block content %}<h1>Hello</h1>'
        '{% include "reminders/_notices.html" %}{% endblock content %}'
    )
    with timezone.override(zoneinfo.ZoneInfo(user.time_zone)):  # as the middleware does
        html = template.render({"user": user}, request)
    page.route(
        "**/new-for-you-preview/", lambda route: route.fulfill(body=html, content_type="text/html")
    )
    page.goto("/new-for-you-preview/")


def test_a_client_sets_reminders_on_a_phone(new_page, shoot, check_axe):
    cast = make_cast()
    dave = cast.dave
    # Quiet hours a little after now on Dave's clock, so the e-mail below is not held back.
    hour = timezone.now().astimezone(zoneinfo.ZoneInfo("America/Los_Angeles")).hour
    quiet_from, inside, quiet_until, at = (f"{(hour + n) % 24:02d}:00" for n in (2, 3, 5, 6))
    account_time_zone_set(user=dave, time_zone="America/Los_Angeles")
    for title in ("Slow breathing", "Body scan"):
        version = make_exercise(
            "rem-" + title.lower().replace(" ", "-"), title=title, suits="either"
        )
        assignment_create(therapist=cast.alice, version=version, client=dave)

    phone = new_page(*PHONE, touch=True)
    sign_in(phone, dave.email)
    phone.goto("/privacy/")
    phone.get_by_role("heading", name="Reminders by e-mail").scroll_into_view_if_needed()
    shoot(phone, "reminders-00-privacy-phone")
    phone.get_by_role("link", name="Reminders: days, times, quiet hours and your calendar").click()
    phone.get_by_role("heading", name="Reminders", exact=True).wait_for()
    check_axe(phone, "reminders (phone)")
    shoot(phone, "reminders-01-page-phone")

    # A time inside quiet hours: refused kindly, nothing lost.
    phone.get_by_role("group", name="Reminders at times you choose").get_by_label("On").check()
    for day in ("Monday", "Wednesday", "Friday"):
        phone.get_by_label(day).check()
    phone.get_by_label("At what time?").fill(inside)
    phone.get_by_label("Quiet from").fill(quiet_from)
    phone.get_by_label("Quiet until").fill(quiet_until)
    phone.get_by_label("Body scan").uncheck()
    phone.get_by_role("button", name="Save reminders").click()
    alert = phone.get_by_role("alert")
    alert.get_by_text("Nothing you typed has been lost").wait_for()
    assert (
        f"{inside} is inside your quiet hours ({quiet_from} to {quiet_until})" in alert.inner_text()
    )
    assert phone.get_by_label("Wednesday").is_checked()
    assert not phone.get_by_label("Body scan").is_checked()
    check_axe(phone, "reminders with a problem (phone)")
    shoot(phone, "reminders-02-problem-phone")

    phone.get_by_label("At what time?").fill(at)
    phone.get_by_role("button", name="Save reminders").click()
    phone.get_by_text("Saved. Your reminders are set.").wait_for()
    assert phone.get_by_text(re.compile(rf"Your next reminder: \w+day \d+ \w+, {at}")).is_visible()
    row = ReminderSettings.objects.get(user=dave)
    assert row.days == [0, 2, 4] and row.at.strftime("%H:%M") == at

    phone.get_by_role("button", name="Send reminders by e-mail too").click()
    phone.get_by_text("E-mail reminders: on.").wait_for()
    assert email_on(dave)

    phone.get_by_role("button", name="Make a private calendar link").click()
    link = phone.get_by_label("Calendar link", exact=True).input_value()
    assert CalendarFeed.objects.filter(user=dave).exists() and "/reminders/calendar/" in link
    check_axe(phone, "reminders with a calendar link (phone)")
    shoot(phone, "reminders-03-saved-with-link-phone")
    feed = phone.request.get(link.split("testserver", 1)[1])  # SITE_URL is the test one
    assert feed.ok and "SUMMARY:Interlude" in feed.text() and "breathing" not in feed.text().lower()
    phone.goto("/reminders/")
    assert phone.get_by_label("Calendar link", exact=True).count() == 0  # shown once

    desktop = new_page(*DESKTOP)
    sign_in(desktop, dave.email)
    desktop.goto("/reminders/")
    check_axe(desktop, "reminders (desktop)")
    shoot(desktop, "reminders-04-page-desktop")

    # Something new: in Interlude, and in one neutral e-mail.
    notice_send(user=dave, kind="assignment_changed")
    show_notices(phone, dave)
    phone.get_by_role("heading", name="New for you").wait_for()
    check_axe(phone, "new for you (phone)")
    shoot(phone, "reminders-05-new-for-you-phone")
    subject = "You have something new in Interlude"
    (message,) = [m for m in mail.outbox if m.subject == subject]
    assert message.to == [dave.email]
    stop = re.search(r"https?://\S+(/reminders/stop/\S+/)", message.body).group(1)

    # The e-mail's link, opened on a phone that is not signed in.
    stranger = new_page(*PHONE, touch=True)
    stranger.goto(stop[:-3] + "xx/")
    stranger.get_by_role("heading", name="This link didn't work").wait_for()
    check_axe(stranger, "altered stop link (phone)")
    shoot(stranger, "reminders-06-altered-link-phone")
    assert email_on(dave)
    stranger.goto(stop)
    check_axe(stranger, "stop e-mails (phone)")
    shoot(stranger, "reminders-07-stop-phone")
    stranger.get_by_role("button", name="Stop reminder e-mails").click()
    stranger.get_by_role("heading", name="Reminder e-mails are off").wait_for()
    shoot(stranger, "reminders-08-stopped-phone")
    assert not email_on(dave)
    wide = new_page(*DESKTOP)
    wide.goto(stop)
    shoot(wide, "reminders-09-stopped-desktop")
