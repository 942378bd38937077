"""Sessions and private clinical notes: recorded and planned by the client's therapist only; a
couple's session on both partners' pages; notes encrypted under the record's own key, never
reachable by anyone else, outside the client's own export, inside the transfer-of-care record,
kept when the client deletes their account and erased when the retention period ends."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interlude.accounts.keep import rescue_for
from interlude.audit.models import AuditEvent
from interlude.consultations.actions import (
    clinical_note_save,
    consultation_plan,
    consultation_record,
)
from interlude.consultations.models import Attendance, ClinicalNote, Consultation
from interlude.consultations.retention import expired_records
from interlude.consultations.views import session_note
from interlude.encryption.models import DataKey
from interlude.journal.actions import journal_entry_create
from interlude.journal.models import JournalEntry
from interlude.privacy.actions import client_account_delete
from interlude.privacy.export import build_export, build_transfer_record
from tests.support import raw_database_text

pytestmark = pytest.mark.django_db

NOTE = "Private: exploring shame around touch; go gently next time."


def couple_session(cast, days_ago=3):
    return consultation_record(
        therapist=cast.alice,
        clients=[cast.bob, cast.carol],
        couple=cast.member(cast.bob).couple,
        at=timezone.now() - timedelta(days=days_ago),
        mode=Consultation.Mode.ONLINE,
    )


def test_a_couples_session_is_on_both_partners_pages(client, cast):
    couple_session(cast)
    client.force_login(cast.alice)
    for person in (cast.bob, cast.carol):
        page = client.get(reverse("client_detail", args=[person.pk])).content.decode()
        assert "Online, together with" in page
        assert "Since the last session" in page
    dave_page = client.get(reverse("client_detail", args=[cast.dave.pk])).content.decode()
    assert "No session recorded yet" in dave_page


def test_the_therapist_records_a_session_and_plans_the_next(client, cast):
    client.force_login(cast.alice)
    today = timezone.localdate()
    response = client.post(
        reverse("sessions", args=[cast.dave.pk]),
        {
            "action": "record",
            "who": "alone",
            "day": today.isoformat(),
            "at": "00:01",
            "mode": "in_person",
            "next_day": (today + timedelta(days=7)).isoformat(),
            "next_at": "14:00",
            "next_mode": "online",
        },
    )
    assert response.status_code == 302
    held, planned = Consultation.objects.order_by("status")
    assert held.status == "held" and planned.status == "planned" and planned.mode == "online"
    assert Attendance.objects.filter(client=cast.dave).count() == 2
    assert AuditEvent.objects.filter(action="session.record", subject=cast.dave).exists()


def test_a_planned_session_becomes_the_one_held_that_day(cast):
    at = timezone.now() + timedelta(hours=1)
    consultation_plan(
        therapist=cast.alice, clients=[cast.dave], at=at, mode=Consultation.Mode.IN_PERSON
    )
    consultation_record(
        therapist=cast.alice, clients=[cast.dave], at=at, mode=Consultation.Mode.ONLINE
    )
    only = Consultation.objects.get()
    assert only.status == "held" and only.mode == "online"
    assert list(Attendance.objects.values_list("status", flat=True)) == ["held"]


def test_it_keeps_the_form_and_explains_a_time_that_does_not_fit(client, cast):
    client.force_login(cast.alice)
    later = timezone.localdate() + timedelta(days=3)
    response = client.post(
        reverse("sessions", args=[cast.dave.pk]),
        {"action": "record", "who": "alone", "day": later.isoformat(), "at": "10:00", "mode": ""},
    )
    assert response.status_code == 400
    assert "Please choose in person or online." in response.content.decode()
    response = client.post(
        reverse("sessions", args=[cast.dave.pk]),
        {
            "action": "record",
            "who": "alone",
            "day": later.isoformat(),
            "at": "10:00",
            "mode": "online",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "That time is still to come" in page
    assert later.isoformat() in page  # what was typed is still there
    response = client.post(
        reverse("sessions", args=[cast.dave.pk]),
        {"action": "plan", "who": "alone", "day": "2001-01-01", "at": "10:00", "mode": "online"},
    )
    assert response.status_code == 400
    assert "A planned session is one still to come" in response.content.decode()
    assert not Consultation.objects.exists()


def test_a_planned_session_can_be_taken_off_the_plan(client, cast):
    planned = consultation_plan(
        therapist=cast.alice,
        clients=[cast.dave],
        at=timezone.now() + timedelta(days=2),
        mode=Consultation.Mode.IN_PERSON,
    )
    client.force_login(cast.olive)
    assert client.post(reverse("session_cancel", args=[planned.pk])).status_code == 404
    client.force_login(cast.alice)
    assert client.post(reverse("session_cancel", args=[planned.pk])).status_code == 302
    assert not Consultation.objects.exists()


def test_a_private_note_is_encrypted_under_the_records_own_key(client, cast):
    session = couple_session(cast)
    client.force_login(cast.alice)
    url = reverse("session_note", args=[cast.bob.pk, session.pk])
    assert client.post(url, {"body": NOTE}).status_code == 302
    note = ClinicalNote.objects.get()
    assert note.profile == cast.bob.client_profile and note.body == NOTE
    assert note.encryption_owner() == (DataKey.OwnerKind.RECORD, cast.bob.client_profile.pk)
    assert DataKey.objects.filter(owner_kind="record", owner_id=note.profile_id).exists()
    assert NOTE not in raw_database_text()
    # Carol's record has its own note on the same session, or none.
    assert (
        b"Write a private note"
        in client.get(reverse("client_detail", args=[cast.carol.pk])).content
    )
    assert (
        b"Read or change your private note"
        in client.get(reverse("client_detail", args=[cast.bob.pk])).content
    )


def test_nobody_but_the_clients_therapist_reaches_a_note(client, cast):
    session = couple_session(cast)
    clinical_note_save(
        therapist=cast.alice, consultation=session, profile=cast.bob.client_profile, body=NOTE
    )
    url = reverse("session_note", args=[cast.bob.pk, session.pk])
    autosave = reverse("session_note_draft", args=[cast.bob.pk, session.pk])
    for person in (cast.bob, cast.carol, cast.dave, cast.olive, cast.mallory, cast.pam):
        other = Client()
        other.force_login(person)
        assert other.get(url).status_code == 404, person
        assert other.post(url, {"body": "changed"}).status_code == 404
        assert other.post(autosave, {"body": "changed"}).status_code == 404
        for page in ("home", "journal", "shared_by_partner", "questionnaires", "privacy"):
            response = other.get(reverse(page))
            assert NOTE not in response.content.decode(), (person, page)
    assert ClinicalNote.objects.get().body == NOTE
    # Another client's session is not a way in either, for the right therapist.
    dave_session = consultation_record(
        therapist=cast.alice,
        clients=[cast.dave],
        at=timezone.now(),
        mode=Consultation.Mode.IN_PERSON,
    )
    client.force_login(cast.alice)
    assert (
        client.get(reverse("session_note", args=[cast.bob.pk, dave_session.pk])).status_code == 404
    )
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(action="read.clinical_note", subject=cast.bob).exists()


def test_notes_are_in_the_transfer_record_and_not_in_the_clients_export(cast):
    session = couple_session(cast)
    clinical_note_save(
        therapist=cast.alice, consultation=session, profile=cast.bob.client_profile, body=NOTE
    )
    assert NOTE not in json.dumps(build_export(cast.bob), default=str)
    assert NOTE not in json.dumps(build_export(cast.carol), default=str)
    exported = build_export(cast.bob)
    assert exported["consultations.consultation"][0]["mode"] == "online"  # the dates are theirs
    record = build_transfer_record(cast.alice, cast.bob)
    assert [n["text"] for n in record["private_clinical_notes"]] == [NOTE]
    assert record["sessions"][0]["status"] == "held"
    assert build_transfer_record(cast.alice, cast.carol)["private_clinical_notes"] == []


def test_autosave_keeps_the_note_and_a_timeout_rescues_it(client, cast):
    session = couple_session(cast)
    client.force_login(cast.alice)
    autosave = reverse("session_note_draft", args=[cast.bob.pk, session.pk])
    response = client.post(autosave, {"body": "half a thought"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Saved at" in response.content.decode()
    assert ClinicalNote.objects.get().body == "half a thought"
    too_long = client.post(autosave, {"body": "x" * 20_001}, HTTP_HX_REQUEST="true")
    assert "can be up to" in too_long.content.decode()
    assert ClinicalNote.objects.get().body == "half a thought"
    response = client.post(
        reverse("session_note", args=[cast.bob.pk, session.pk]), {"body": "y" * 20_001}
    )
    assert response.status_code == 400 and "y" * 100 in response.content.decode()
    assert rescue_for(session_note) is not None


def test_notes_outlive_the_clients_account_until_the_retention_period_ends(cast, settings):
    session = couple_session(cast)
    clinical_note_save(
        therapist=cast.alice, consultation=session, profile=cast.bob.client_profile, body=NOTE
    )
    journal_entry_create(author=cast.bob, body="mine alone", visibility="therapist")
    client_account_delete(user=cast.bob)
    # The client's own writing is shredded; the record's key and note are not.
    assert not JournalEntry.objects.filter(author=cast.bob).exists()
    assert DataKey.objects.get(owner_kind="user", owner_id=cast.bob.pk).destroyed_at
    note = ClinicalNote.objects.get()
    assert note.body == NOTE
    assert expired_records() == []
    out = io.StringIO()
    call_command("erase_expired_records", stdout=out)
    assert "No clinical record has reached the end" in out.getvalue()
    # Seven years on (the default), the command says what it erases, and erases it.
    later = timezone.now() + timedelta(days=7 * 366)
    assert [r.profile.user_id for r in expired_records(later)] == [cast.bob.pk]
    from unittest import mock

    from interlude.consultations.actions import record_retention_set

    a_year_on = timezone.now() + timedelta(days=370)
    with mock.patch("interlude.consultations.retention.timezone.now", return_value=a_year_on):
        settings.CLINICAL_RECORD_YEARS = 1
        out = io.StringIO()
        call_command("erase_expired_records", "--dry-run", stdout=out)
        assert "Would erase the clinical record of client" in out.getvalue()
        assert ClinicalNote.objects.exists()
        settings.CLINICAL_RECORD_YEARS = 7
        assert expired_records() == []
        # The practice's own period, set on its settings page, counts over the default.
        record_retention_set(practice=cast.bob.client_profile.practice, years=1, by=cast.pam)
        out = io.StringIO()
        call_command("erase_expired_records", stdout=out)
    said = out.getvalue()
    assert "Erased the clinical record of client" in said and "1 private note(s)" in said
    assert not ClinicalNote.objects.exists()
    key = DataKey.objects.get(owner_kind="record", owner_id=cast.bob.client_profile.pk)
    assert key.destroyed_at is not None and bytes(key.wrapped) == b""
    # Carol's place in the couple's session stays; Bob's goes.
    assert list(Attendance.objects.values_list("client_id", flat=True)) == [cast.carol.pk]
    assert AuditEvent.objects.filter(action="record.erase", subject=cast.bob).exists()
    # Clients who still have an account keep their record, however old.
    assert expired_records(timezone.now() + timedelta(days=100 * 366)) == []


def test_the_same_form_sent_twice_records_one_session(client, cast):
    client.force_login(cast.alice)
    today = timezone.localdate()
    form = {
        "action": "record",
        "who": "alone",
        "day": today.isoformat(),
        "at": "00:02",
        "mode": "online",
        "next_day": (today + timedelta(days=14)).isoformat(),
        "next_at": "09:30",
        "submission": "0b5f7c1e-8f0e-4a44-9d59-5b1f0a9a1c11",
    }
    for _ in range(2):
        assert client.post(reverse("sessions", args=[cast.dave.pk]), form).status_code == 302
    assert Consultation.objects.filter(status="held").count() == 1
    assert Consultation.objects.filter(status="planned").count() == 1
    plan = {
        **form,
        "action": "plan",
        "day": (today + timedelta(days=3)).isoformat(),
        "submission": "5d0b7f6e-1c1e-4c55-8a9b-2f4e6a7b8c22",
    }
    for _ in range(2):
        assert client.post(reverse("sessions", args=[cast.dave.pk]), plan).status_code == 302
    assert Consultation.objects.filter(status="planned").count() == 2
