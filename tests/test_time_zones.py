"""Each person's own time zone: every date and time a page shows is on their clock, "this week"
is their week, and the zone is one they confirmed or chose (never guessed for them).

Instants around the 2026 clock changes: the US springs forward on 8 March (02:00 PST becomes
03:00 PDT, at 10:00 UTC); New Zealand falls back on 5 April (03:00 NZDT becomes 02:00 NZST, at
14:00 UTC on the 4th) and springs forward on 27 September (02:00 NZST becomes 03:00 NZDT, at 14:00
UTC on the 26th).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from interlude.accounts.actions import account_anonymise, account_time_zone_set
from interlude.accounts.forms import TimeZoneForm
from interlude.accounts.models import User
from interlude.accounts.timezones import is_known, listed_zones, person_today, week_start
from interlude.audit.models import AuditEvent
from interlude.journal.actions import journal_entry_create
from interlude.journal.models import JournalEntry

pytestmark = pytest.mark.django_db

LA, NZ = "America/Los_Angeles", "Pacific/Auckland"
TIME_ZONE_URL = "/accounts/time-zone/"


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def with_zone(user: User, zone: str) -> User:
    return account_time_zone_set(user=user, time_zone=zone)


def journal_entry_at(user: User, moment: dt.datetime) -> None:
    entry = journal_entry_create(author=user, body="A few words.", visibility="only_me")
    JournalEntry.objects.filter(pk=entry.pk).update(created_at=moment, updated_at=moment)


def journal_times(client) -> str:
    return client.get(reverse("journal")).content.decode()


# --- Pages show the person's own clock ------------------------------------------------------------


def test_it_shows_a_client_in_auckland_1812_for_0512_utc(client, cast):
    with_zone(cast.bob, NZ)
    journal_entry_at(cast.bob, utc("2026-03-02T05:12"))
    client.force_login(cast.bob)
    page = journal_times(client)
    assert "Monday 2 March 2026, 18:12" in page
    assert "05:12" not in page


def test_it_shows_utc_until_a_zone_is_chosen(client, cast):
    journal_entry_at(cast.bob, utc("2026-03-02T05:12"))
    client.force_login(cast.bob)
    assert "Monday 2 March 2026, 05:12" in journal_times(client)


@pytest.mark.parametrize(
    ("zone", "moment", "shown"),
    [
        # Los Angeles springs forward: 01:59 PST, then 03:01 PDT two minutes later.
        (LA, "2026-03-08T09:59", "Sunday 8 March 2026, 01:59"),
        (LA, "2026-03-08T10:01", "Sunday 8 March 2026, 03:01"),
        # Auckland falls back: 02:59 NZDT, then 02:01 NZST two minutes later.
        (NZ, "2026-04-04T13:59", "Sunday 5 April 2026, 02:59"),
        (NZ, "2026-04-04T14:01", "Sunday 5 April 2026, 02:01"),
        # Auckland springs forward: 01:59 NZST, then 03:01 NZDT two minutes later.
        (NZ, "2026-09-26T13:59", "Sunday 27 September 2026, 01:59"),
        (NZ, "2026-09-26T14:01", "Sunday 27 September 2026, 03:01"),
    ],
)
def test_it_shows_the_right_wall_clock_across_a_daylight_saving_change(
    client, cast, zone, moment, shown
):
    with_zone(cast.bob, zone)
    journal_entry_at(cast.bob, utc(moment))
    client.force_login(cast.bob)
    assert shown in journal_times(client)


def test_each_person_sees_the_same_moment_on_their_own_clock(client, cast):
    """Bob writes at 18:12 on Monday in Auckland; his therapist in Los Angeles reads it as
    written at 21:12 on Sunday, her time."""
    with_zone(cast.bob, NZ)
    with_zone(cast.alice, LA)
    entry = journal_entry_create(author=cast.bob, body="For Alice.", visibility="therapist")
    moment = utc("2026-03-02T05:12")
    JournalEntry.objects.filter(pk=entry.pk).update(created_at=moment, updated_at=moment)
    client.force_login(cast.bob)
    assert "Monday 2 March 2026, 18:12" in journal_times(client)
    client.force_login(cast.alice)
    page = client.get(reverse("client_journal", kwargs={"client_id": cast.bob.pk}))
    assert "Sunday 1 March 2026, 21:12" in page.content.decode()
    # After each request the server's default zone is back: no one inherits another's clock.
    assert timezone.get_current_timezone_name() == "UTC"


def test_it_activates_the_zone_for_localtime_and_forms(rf, cast):
    from interlude.accounts.middleware import TimeZoneMiddleware

    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        seen["local"] = timezone.localtime(utc("2026-03-02T05:12")).strftime("%H:%M")
        from django.http import HttpResponse

        return HttpResponse("")

    request = rf.get("/")
    request.user = with_zone(cast.dave, LA)
    TimeZoneMiddleware(view)(request)
    assert seen == {"zone": LA, "local": "21:12"}
    assert timezone.get_current_timezone_name() == "UTC"


# --- "Today" and "this week" are the person's -----------------------------------------------------


def test_person_today_is_the_persons_date(cast):
    moment = utc("2026-03-08T20:00")  # Sunday afternoon in Los Angeles, Monday morning in Auckland
    assert person_today(with_zone(cast.bob, LA), at=moment) == dt.date(2026, 3, 8)
    assert person_today(with_zone(cast.carol, NZ), at=moment) == dt.date(2026, 3, 9)
    assert person_today(cast.dave, at=moment) == dt.date(2026, 3, 8)  # no zone yet: UTC


@pytest.mark.parametrize(
    ("zone", "moment", "monday_local", "monday_utc"),
    [
        # The week of the US change started before it (PST) ...
        (LA, "2026-03-08T20:00", "2026-03-02T00:00-08:00", "2026-03-02T08:00"),
        # ... and the next one after it (PDT): still Monday 00:00 on the person's clock.
        (LA, "2026-03-10T12:00", "2026-03-09T00:00-07:00", "2026-03-09T07:00"),
        # The same moment is already Monday in Auckland: a new week there.
        (NZ, "2026-03-08T20:00", "2026-03-09T00:00+13:00", "2026-03-08T11:00"),
        # Auckland falls back on Sunday 5 April: that week began in NZDT ...
        (NZ, "2026-04-04T20:00", "2026-03-30T00:00+13:00", "2026-03-29T11:00"),
        # ... and the next begins in NZST, at the very first moment of Monday 6 April.
        (NZ, "2026-04-05T12:00", "2026-04-06T00:00+12:00", "2026-04-05T12:00"),
        (NZ, "2026-04-05T11:59", "2026-03-30T00:00+13:00", "2026-03-29T11:00"),
        # Auckland springs forward on Sunday 27 September: before and after.
        (NZ, "2026-09-26T20:00", "2026-09-21T00:00+12:00", "2026-09-20T12:00"),
        (NZ, "2026-09-28T20:00", "2026-09-28T00:00+13:00", "2026-09-27T11:00"),
    ],
)
def test_week_start_is_the_persons_monday_midnight(cast, zone, moment, monday_local, monday_utc):
    start = week_start(with_zone(cast.bob, zone), at=utc(moment))
    assert start == dt.datetime.fromisoformat(monday_local)
    assert start.isoformat(timespec="minutes") == monday_local  # their wall clock, their offset
    assert start == utc(monday_utc)
    assert start.weekday() == 0 and (start.hour, start.minute) == (0, 0)


def test_week_start_is_utc_monday_while_no_zone_is_chosen(cast):
    assert week_start(cast.dave, at=utc("2026-03-08T20:00")) == utc("2026-03-02T00:00")


def test_week_start_defaults_to_now(cast):
    start = week_start(with_zone(cast.bob, NZ))
    now = timezone.now()
    assert start <= now < start + dt.timedelta(days=7, hours=1)


# --- Choosing a zone ------------------------------------------------------------------------------


def test_the_action_saves_and_audits_the_zone(cast):
    account_time_zone_set(user=cast.bob, time_zone=NZ)
    cast.bob.refresh_from_db()
    assert cast.bob.time_zone == NZ
    event = AuditEvent.objects.get(action="account.time_zone_set")
    assert event.actor == cast.bob and event.subject == cast.bob
    account_time_zone_set(user=cast.bob, time_zone=NZ)  # the same zone again: nothing to record
    assert AuditEvent.objects.filter(action="account.time_zone_set").count() == 1


@pytest.mark.parametrize("bad", ["", "Mars/Olympus", "localtime", "Pacific/Auckland "])
def test_the_action_refuses_a_zone_the_tz_database_does_not_know(cast, bad):
    with pytest.raises(ValidationError):
        account_time_zone_set(user=cast.bob, time_zone=bad)
    cast.bob.refresh_from_db()
    assert cast.bob.time_zone == ""


def test_the_model_validates_the_zone(cast):
    cast.bob.time_zone = "Mars/Olympus"
    with pytest.raises(ValidationError) as refused:
        cast.bob.full_clean()
    assert "time_zone" in refused.value.message_dict


def test_anonymising_an_account_forgets_its_zone(cast):
    account_anonymise(user=with_zone(cast.bob, NZ))
    cast.bob.refresh_from_db()
    assert cast.bob.time_zone == ""


def test_an_older_name_a_browser_reports_is_saved_as_todays():
    form = TimeZoneForm({"time_zone": "Asia/Calcutta"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["time_zone"] == "Asia/Kolkata"


def test_the_list_offers_one_name_per_place_yet_older_names_are_still_accepted():
    listed = listed_zones()
    assert {NZ, LA, "Europe/Kyiv", "UTC"} <= set(listed)
    assert not {"Asia/Calcutta", "US/Pacific", "localtime"} & set(listed)
    assert is_known("US/Pacific") and not is_known("localtime")


def test_without_the_zone_table_it_lists_zones_under_a_continent_or_ocean(monkeypatch, tmp_path):
    monkeypatch.setattr("zoneinfo.TZPATH", (str(tmp_path),))
    listed_zones.cache_clear()
    try:
        listed = listed_zones()
        assert NZ in listed and "UTC" in listed and "US/Pacific" not in listed
    finally:
        listed_zones.cache_clear()


def test_a_person_with_an_older_name_sees_it_chosen_in_the_list():
    html = TimeZoneForm(initial={"time_zone": "US/Pacific"}).as_div()
    assert '<option value="US/Pacific" selected>' in html


def test_confirming_the_prompt_saves_the_zone_and_goes_back(client, cast):
    client.force_login(cast.bob)
    response = client.post(
        TIME_ZONE_URL, {"time_zone": NZ, "action": "confirm", "next": reverse("journal")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("journal")
    cast.bob.refresh_from_db()
    assert cast.bob.time_zone == NZ
    assert "Your times are now shown for Pacific/Auckland." in journal_times(client)


def test_it_never_sends_anyone_to_another_site(client, cast):
    client.force_login(cast.bob)
    for target in ("https://elsewhere.example/", "//elsewhere.example/", "journal"):
        response = client.post(TIME_ZONE_URL, {"time_zone": NZ, "next": target})
        assert response["Location"] == reverse("account_email")


def test_confirming_in_place_answers_with_the_prompt_saying_so(client, cast):
    client.force_login(cast.bob)
    response = client.post(
        TIME_ZONE_URL, {"time_zone": LA, "action": "confirm"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your times are now shown for America/Los Angeles." in html
    assert "<html" not in html  # only the prompt's own fragment


def test_a_bad_zone_is_refused_with_a_kind_message_and_the_page_kept(client, cast):
    client.force_login(cast.bob)
    response = client.post(TIME_ZONE_URL, {"time_zone": "Mars/Olympus", "next": "/journal/"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "We don&#x27;t know a time zone called “Mars/Olympus”." in html
    assert "Please choose yours from the list." in html
    assert "Nothing you typed has been lost." in html
    assert 'value="/journal/"' in html  # where they were going is kept too
    cast.bob.refresh_from_db()
    assert cast.bob.time_zone == ""


def test_a_zone_the_server_does_not_know_is_explained_in_the_prompt(client, cast):
    client.force_login(cast.bob)
    response = client.post(
        TIME_ZONE_URL,
        {"time_zone": "Mars/Olympus", "action": "confirm", "next": "/journal/"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200  # htmx swaps it in place of the prompt
    html = response.content.decode()
    assert "data-time-zone-problem" in html and "Mars/Olympus" in html
    assert "/accounts/time-zone/?next=/journal/" in html


def test_an_empty_choice_asks_for_one(client, cast):
    client.force_login(cast.bob)
    response = client.post(TIME_ZONE_URL, {"time_zone": ""})
    assert response.status_code == 400
    assert "Please choose a time zone from the list." in response.content.decode()


def test_the_page_suggests_the_browsers_zone_but_saves_nothing(client, cast):
    client.force_login(cast.bob)
    response = client.get(TIME_ZONE_URL, {"suggested": NZ, "next": "/journal/"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{NZ}" selected>' in html
    cast.bob.refresh_from_db()
    assert cast.bob.time_zone == ""


def test_anonymous_people_are_asked_to_sign_in(client, db):
    response = client.post(TIME_ZONE_URL, {"time_zone": NZ})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- The prompt -----------------------------------------------------------------------------------


def test_the_prompt_appears_for_a_signed_in_person_without_a_zone(client, cast):
    client.force_login(cast.bob)
    html = client.get(reverse("home")).content.decode()
    assert "data-time-zone-prompt" in html
    assert "Yes, that's right" in html and "Not now" in html
    assert "interlude/time-zone" in html


def test_the_prompt_stays_away_once_a_zone_is_chosen(client, cast):
    client.force_login(with_zone(cast.bob, NZ))
    assert "data-time-zone-prompt" not in client.get(reverse("home")).content.decode()


def test_the_prompt_is_not_shown_to_anyone_signed_out(client, db):
    assert "data-time-zone-prompt" not in client.get(reverse("account_login")).content.decode()
    assert "data-time-zone-prompt" not in client.get(reverse("home")).content.decode()


def test_the_prompt_appears_for_therapists_too(client, cast):
    client.force_login(cast.alice)
    assert "data-time-zone-prompt" in client.get(reverse("caseload")).content.decode()


def test_not_now_hides_the_prompt_for_this_session(client, cast):
    client.force_login(cast.bob)
    response = client.post(TIME_ZONE_URL, {"action": "later", "next": "/journal/"})
    assert response.status_code == 302 and response["Location"] == "/journal/"
    assert "data-time-zone-prompt" not in client.get(reverse("home")).content.decode()
    cast.bob.refresh_from_db()
    assert cast.bob.time_zone == ""
    # Signed in again later: asked again, gently.
    client.logout()
    client.force_login(cast.bob)
    assert "data-time-zone-prompt" in client.get(reverse("home")).content.decode()


def test_not_now_in_place_removes_the_prompt(client, cast):
    client.force_login(cast.bob)
    response = client.post(TIME_ZONE_URL, {"action": "later"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.content == b""


# --- The Account page -----------------------------------------------------------------------------


def test_the_account_page_offers_a_choice_of_zone_common_ones_first(client, cast):
    client.force_login(with_zone(cast.bob, LA))
    html = client.get(reverse("account_email")).content.decode()
    assert "Your time zone" in html
    assert "Your dates and times are shown for America/Los Angeles." in html
    assert f'<option value="{LA}" selected>' in html
    assert html.index('label="Often chosen"') < html.index('label="Africa"')
    assert f'action="{TIME_ZONE_URL}"' in html
    assert 'name="next" value="/accounts/email/"' in html


def test_the_account_page_says_when_no_zone_is_chosen(client, cast):
    client.force_login(cast.bob)
    html = client.get(reverse("account_email")).content.decode()
    assert "You haven't chosen a time zone yet" in html


def test_saving_from_the_account_page_returns_there(client, cast):
    client.force_login(cast.bob)
    response = client.post(TIME_ZONE_URL, {"time_zone": LA, "next": "/accounts/email/"})
    assert response["Location"] == "/accounts/email/"
    assert "Your times are now shown for America/Los Angeles." in (
        client.get("/accounts/email/").content.decode()
    )


def test_a_practitioner_without_a_second_step_can_still_choose(client, cast):
    """The prompt shows on the page asking them to secure their account: answering it works."""
    from interlude.testing import make_therapist

    newcomer = make_therapist("newcomer@example.test", name="Nia")
    client.force_login(newcomer)
    response = client.post(TIME_ZONE_URL, {"time_zone": NZ, "next": "/secure-your-account/"})
    assert response["Location"] == "/secure-your-account/"
    newcomer.refresh_from_db()
    assert newcomer.time_zone == NZ
