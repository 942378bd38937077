"""End to end in Chromium: the therapist records a session and offers a PHQ-9; the client
practises and stops at step 2, then answers the PHQ-9 with the ninth item above 0 and sees the
safety page at once; the therapist's caseload shows the alert first, the client's page says what
happened since the session; the therapist acknowledges the alert and writes a private note that
nobody else can reach. Every page built here is photographed at phone and desktop size and
checked with axe."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core import mail
from django.test import Client
from django.utils import timezone

from interlude.audit.models import AuditEvent
from interlude.consultations.models import ClinicalNote, Consultation
from interlude.exercises.actions import library_sync
from interlude.exercises.models import Exercise
from interlude.homework.actions import assignment_create, practice_entry_record
from interlude.homework.models import PracticeEntry
from interlude.measures.actions import measure_assign, measure_respond
from interlude.measures.models import MeasureResponse, SafetyAlert
from interlude.testing import PASSWORD, make_cast

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = "Talked about the stop at step 2; keep the pace gentle. Safety plan agreed."
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def sign_in(page, email, *, totp_user=None):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if totp_user is not None:
        secret = decrypt(
            Authenticator.objects.get(user=totp_user, type=Authenticator.Type.TOTP).data["secret"]
        )
        page.get_by_label("Code").fill(
            format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        )
        page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/")


def both_sizes(new_page, shoot, check_axe, state, path, name):
    """Photograph PATH at phone and desktop size (signed in as STATE's person) and check axe."""
    for size, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page = new_page(size["width"], size["height"], storage_state=state)
        page.goto(path)
        shoot(page, f"workspace-{name}-{label}")
        check_axe(page, f"{name} ({label})")
        page.context.close()


def test_session_practice_safety_answer_alert_and_a_private_note(
    new_page, shoot, check_axe, live_server
):
    library_sync()  # transactional tests empty the database between tests
    cast = make_cast()
    exercise = Exercise.objects.get(slug="body-scan", practice__isnull=True)
    version = exercise.versions.get(version=exercise.latest_version)
    assignment = assignment_create(therapist=cast.alice, version=version, client=cast.bob)

    # Alice records today's session with Bob and plans the next; then offers the PHQ-9.
    alice = new_page(**DESKTOP)
    sign_in(alice, "alice@example.test", totp_user=cast.alice)
    alice.goto(f"/clients/{cast.bob.pk}/")
    alice.get_by_role("link", name="Record or plan a session").click()
    alice.get_by_label("Bob on their own").first.check()
    alice.get_by_text("Plan the next session too").click()
    alice.get_by_label("Next session: date").fill(
        time.strftime("%Y-%m-%d", time.localtime(time.time() + 7 * 86400))
    )
    alice.get_by_label("Next session: time").fill("10:30")
    shoot(alice, "workspace-sessions-form-desktop")
    alice.get_by_role("button", name="Record this session").click()
    alice.get_by_text("Session recorded:").wait_for()
    assert Consultation.objects.filter(status="held").count() == 1
    assert Consultation.objects.filter(status="planned").count() == 1
    alice.get_by_role("link", name="Offer a questionnaire").click()
    alice.get_by_label("PHQ-9: 9 questions").check()
    alice.get_by_label("Every 2 weeks").check()
    shoot(alice, "workspace-offer-questionnaire-desktop")
    alice.get_by_role("button", name="Offer it").click()
    alice.get_by_text("is on Bob's questionnaires page").wait_for()
    alice_state = alice.context.storage_state()

    # Bob practises on his phone and stops at step 2.
    bob = new_page(**PHONE)
    sign_in(bob, "bob@example.test")
    bob_state = bob.context.storage_state()
    bob.goto(f"/practice/{assignment.pk}/")
    bob.get_by_role("button", name="Start").click()
    bob.get_by_role("heading", name="Step 1").wait_for()
    bob.get_by_role("button", name="Next step").click()
    bob.get_by_role("heading", name="Step 2").wait_for()
    bob.get_by_role("button", name="Stop at step 2").click()
    bob.get_by_text("Noted: you stopped at step 2").wait_for()
    assert PracticeEntry.objects.get(client=cast.bob).stopped_at_step == 2

    # He answers the PHQ-9, one question at a time; the ninth above "Not at all".
    bob.goto("/questionnaires/")
    shoot(bob, "workspace-questionnaires-open-phone")
    check_axe(bob, "questionnaires (phone)")
    bob.get_by_role("link", name="Answer the PHQ-9").click()
    questions = bob.locator("fieldset")
    assert questions.count() == 10  # nine questions and the optional last one
    assert "Little interest or pleasure in doing things" in questions.nth(0).inner_text()
    assert "No permission required to reproduce" in bob.locator("main").inner_text()
    shoot(bob, "workspace-questionnaire-phone")
    check_axe(bob, "questionnaire (phone)")
    # Sent with two unanswered: the page says which, and keeps what was chosen.
    for n in range(7):
        questions.nth(n).get_by_label("Several days").check()
    bob.get_by_role("button", name="Send my answers").click()
    bob.locator(".form-errors").wait_for()
    assert questions.nth(0).get_by_label("Several days").is_checked()
    shoot(bob, "workspace-questionnaire-errors-phone")
    questions.nth(7).get_by_label("Not at all").check()
    questions.nth(8).get_by_label("Several days").check()
    bob.get_by_role("button", name="Send my answers").click()
    bob.get_by_role("heading", name="If you are thinking about hurting yourself").wait_for()
    main = bob.locator("main").inner_text()
    assert "call or text 988" in main and "911" in main and "Alice" in main
    shoot(bob, "workspace-safety-page-first-phone")
    check_axe(bob, "safety page (phone)")
    alert = SafetyAlert.objects.get(client=cast.bob)
    assert alert.acknowledged_at is None

    # The therapist's e-mail is neutral: no answer, no questionnaire, no client.
    [message] = [m for m in mail.outbox if "attention" in m.subject]
    assert message.subject == "Something in Interlude needs your attention"
    for word in ("PHQ", "questionnaire", "Bob", "harm", "dead", "depress", "answer"):
        assert word.lower() not in message.message().as_string().lower()

    # Alice's caseload: Bob's row first, with the alert.
    alice.goto("/clients/")
    first = alice.locator(".caseload-row").first
    assert "Bob" in first.inner_text() and "Needs your attention" in first.inner_text()
    shoot(alice, "workspace-caseload-alert-desktop")
    check_axe(alice, "caseload (desktop)")
    first.get_by_role("link", name="Bob").click()
    since = alice.locator(".since").inner_text()
    assert "Since the last session" in since
    assert "stopped partway once at step 2" in since
    assert "PHQ-9 on" in since and "(mild)" in since
    assert alice.locator(".alert-card").is_visible()
    shoot(alice, "workspace-client-page-alert-desktop")
    check_axe(alice, "client page (desktop)")
    alice.emulate_media(media="print")
    shoot(alice, "workspace-client-page-print")
    assert not alice.locator(".site-nav").is_visible()
    assert alice.locator(".since").is_visible()
    alice.emulate_media(media="screen")

    # She acknowledges it (audited), and it no longer heads the caseload.
    alice.get_by_role("button", name="I have seen this and will follow it up").click()
    alice.get_by_text("Acknowledged.").wait_for()
    alert.refresh_from_db()
    assert alert.acknowledged_by == cast.alice
    assert AuditEvent.objects.filter(action="safety_alert.acknowledge", actor=cast.alice).exists()
    alice.goto("/clients/")
    assert "Needs your attention" not in alice.locator("main").inner_text()

    # She writes a private note on the session.
    alice.goto(f"/clients/{cast.bob.pk}/")
    alice.get_by_role("link", name="Write a private note").click()
    alice.get_by_label("Your private note").fill(NOTE)
    alice.get_by_text("Saved at").wait_for()  # autosaved, encrypted
    shoot(alice, "workspace-note-desktop")
    check_axe(alice, "note (desktop)")
    alice.get_by_role("button", name="Save note").click()
    alice.get_by_text("Your private note is saved.").wait_for()
    note = ClinicalNote.objects.get()
    assert note.body == NOTE and note.encryption_owner()[0] == "record"

    # Nobody else can reach it: the client, the partner, another therapist, a practice admin.
    note_url = f"/clients/{cast.bob.pk}/sessions/{note.consultation_id}/note/"
    for person in (cast.bob, cast.carol, cast.olive, cast.pam, cast.mallory, cast.dave):
        browser = Client()
        browser.force_login(person)
        assert browser.get(note_url).status_code == 404
        assert browser.post(note_url, {"body": "x"}).status_code == 404
        for path in ("/", "/questionnaires/", "/partner/shared/", "/journal/"):
            response = browser.get(path)
            assert NOTE not in response.content.decode(errors="replace")
    # ... nor is it in Bob's own export; it is in Alice's transfer-of-care record.
    bob_browser = Client()
    bob_browser.force_login(cast.bob)
    session = bob_browser.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session["account_authentication_methods_user"] = str(cast.bob.pk)
    session.save()
    export = bob_browser.get("/privacy/export/?download=1")
    archive = zipfile.ZipFile(io.BytesIO(export.content))
    for name in archive.namelist():
        assert NOTE not in archive.read(name).decode()
    alice_browser = Client()
    alice_browser.force_login(cast.alice)
    assert NOTE in alice_browser.get(f"/clients/{cast.bob.pk}/export/").content.decode()

    # Some history for the progress page: before and after ratings, a GAD-7 now and then.
    for days, before, after in ((9, 7, 5), (6, 6, 4), (3, 5, 2)):
        entry = practice_entry_record(
            assignment=assignment,
            client=cast.bob,
            outcome="completed",
            ratings_before={"calm": 10 - before},
            ratings_after={"calm": 10 - after},
        )
        PracticeEntry.objects.filter(pk=entry.pk).update(
            practised_at=timezone.now() - timedelta(days=days)
        )
    gad7 = measure_assign(
        therapist=cast.alice, client=cast.bob, instrument_key="gad7", every_weeks=2,
        share_scores=True,
    )  # fmt: skip
    for days, answers in ((28, [2] * 7), (14, [2, 1, 2, 1, 1, 1, 1]), (1, [1, 1, 0, 1, 0, 1, 0])):
        answered = measure_respond(assignment=gad7, client=cast.bob, answers=answers)
        MeasureResponse.objects.filter(pk=answered.pk).update(
            completed_at=timezone.now() - timedelta(days=days)
        )

    # Every page built here, at phone and desktop size.
    for path, name in (
        (f"/clients/{cast.bob.pk}/progress/", "progress"),
        ("/clients/", "caseload"),
        (f"/clients/{cast.bob.pk}/", "client-page"),
        (f"/clients/{cast.bob.pk}/sessions/", "sessions"),
        (note_url, "note"),
        (f"/clients/{cast.bob.pk}/questionnaires/new/", "offer-questionnaire"),
        ("/team/settings/", "practice-settings"),
    ):
        both_sizes(new_page, shoot, check_axe, alice_state, path, name)
    response = SafetyAlert.objects.get().response
    for path, name in (
        ("/questionnaires/", "questionnaires"),
        (f"/questionnaires/answered/{response.pk}/", "safety-page"),
        (f"/questionnaires/answered/{answered.pk}/", "answered-with-total"),
    ):
        both_sizes(new_page, shoot, check_axe, bob_state, path, name)
    phq9_weekly = measure_assign(
        therapist=cast.alice, client=cast.bob, instrument_key="phq9", every_weeks=1,
        share_scores=False,
    )  # fmt: skip
    both_sizes(new_page, shoot, check_axe, bob_state, f"/questionnaires/{phq9_weekly.pk}/", "phq9")
