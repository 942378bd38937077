"""Session rules: idle timeouts by role, an absolute lifetime, a new key at sign-in, and sign-out
that clears site data."""

import time

import pytest
from django.urls import reverse

from interlude.accounts.middleware import SEEN, STARTED
from interlude.testing import PASSWORD

pytestmark = pytest.mark.django_db


def age(client, *, idle=0, started=0):
    session = client.session
    now = int(time.time())
    session[SEEN] = now - idle
    session[STARTED] = now - started
    session.save()


def test_it_signs_a_therapist_out_after_15_idle_minutes(client, cast):
    client.force_login(cast.alice)
    client.get(reverse("caseload"))
    age(client, idle=14 * 60)
    assert client.get(reverse("caseload")).status_code == 200
    age(client, idle=16 * 60)
    response = client.get(reverse("caseload"))
    assert response["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("caseload"))["Location"].startswith(reverse("account_login"))


def test_it_gives_clients_30_idle_minutes(client, cast):
    client.force_login(cast.bob)
    client.get(reverse("home"))
    age(client, idle=29 * 60)
    assert client.get(reverse("journal")).status_code == 200
    age(client, idle=31 * 60)
    assert client.get(reverse("journal"))["Location"].startswith(reverse("account_login"))


def test_a_background_request_after_the_limit_sends_the_page_to_sign_in(client, cast):
    # htmx would otherwise put the sign-in page inside the page left open.
    client.force_login(cast.bob)
    client.get(reverse("home"))
    age(client, idle=31 * 60)
    response = client.post(
        reverse("journal_draft"),
        {"body": "half a thought"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/journal/?x=1",
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("account_login") + "?next=%2Fjournal%2F"
    assert response["Clear-Site-Data"]


def test_each_signed_in_page_knows_when_it_should_leave_itself(client, cast):
    assert b"idle-seconds" not in client.get(reverse("account_login")).content
    client.force_login(cast.bob)
    assert b'<meta name="idle-seconds" content="1800">' in client.get(reverse("home")).content
    client.force_login(cast.alice)
    assert b'<meta name="idle-seconds" content="900">' in client.get(reverse("caseload")).content


def test_it_ends_any_session_after_12_hours(client, cast):
    client.force_login(cast.bob)
    client.get(reverse("home"))
    age(client, idle=10, started=12 * 3600 + 5)
    assert client.get(reverse("journal"))["Location"].startswith(reverse("account_login"))


def test_the_idle_limits_are_configurable(client, cast, settings):
    settings.SESSION_IDLE_MINUTES_CLIENT = 5
    client.force_login(cast.bob)
    client.get(reverse("home"))
    age(client, idle=6 * 60)
    assert client.get(reverse("journal"))["Location"].startswith(reverse("account_login"))


def test_it_issues_a_new_session_key_at_sign_in(client, cast):
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key
    client.post(reverse("account_login"), {"login": "bob@example.test", "password": PASSWORD})
    assert client.session.session_key != before


def test_sign_out_clears_site_data(client, cast):
    client.force_login(cast.bob)
    response = client.post(reverse("account_logout"))
    assert '"storage"' in response["Clear-Site-Data"] and '"cookies"' in response["Clear-Site-Data"]
    assert client.get(reverse("journal"))["Location"].startswith(reverse("account_login"))


def test_reading_pages_does_not_write_on_every_request(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.bob)
    client.get(reverse("journal"))  # the first request records the session and "last seen"
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("journal"))
    writes = [q["sql"] for q in ctx.captured_queries if q["sql"].split()[0] in ("INSERT", "UPDATE")]
    assert writes == []
    from allauth.usersessions.models import UserSession

    assert UserSession.objects.filter(user=cast.bob).count() == 1
