"""The canary for the workspace's new flows: a unique string written as a private note (saved,
autosaved, refused as too long, posted to a session that is not the client's) and a unique
pattern of questionnaire answers never appear in a log line, an e-mail, a URL, an error page
or any raw database column."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from interlude.consultations.actions import consultation_record
from interlude.consultations.models import ClinicalNote, Consultation
from interlude.measures.actions import measure_assign
from interlude.measures.models import MeasureResponse
from tests.support import raw_database_text

pytestmark = pytest.mark.django_db

# An answer pattern no other row holds, and its total (3+2+1+0+3+2+1+2+1 = 15).
ANSWERS = [3, 2, 1, 0, 3, 2, 1, 2, 1]


def test_notes_and_answers_never_leak(client, cast, logs, django_capture_on_commit_callbacks):
    canary = f"canary-{uuid.uuid4().hex}"
    session = consultation_record(
        therapist=cast.alice,
        clients=[cast.bob, cast.carol],
        couple=cast.member(cast.bob).couple,
        at=timezone.now() - timedelta(days=1),
        mode=Consultation.Mode.IN_PERSON,
    )
    other = consultation_record(
        therapist=cast.alice,
        clients=[cast.dave],
        at=timezone.now() - timedelta(days=1),
        mode=Consultation.Mode.ONLINE,
    )
    phq9 = measure_assign(
        therapist=cast.alice,
        client=cast.bob,
        instrument_key="phq9",
        every_weeks=None,
        share_scores=True,
    )
    responses = []
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(cast.alice)
        note = reverse("session_note", args=[cast.bob.pk, session.pk])
        autosave = reverse("session_note_draft", args=[cast.bob.pk, session.pk])
        responses.append(client.post(autosave, {"body": f"{canary} draft"}, HTTP_HX_REQUEST="true"))
        responses.append(client.post(autosave, {"body": f"{canary} draft again"}))
        refused = client.post(note, {"body": f"{canary} " + "x" * 20_001})
        assert refused.status_code == 400 and canary in refused.content.decode()  # kept for her
        responses.append(client.post(note, {"body": f"{canary} saved ünïcode"}))
        responses.append(
            client.post(note.replace(str(session.pk), str(other.pk)), {"body": canary})
        )
        responses.append(client.post(reverse("home") + "no-such-page/", {"body": canary}))
        assert ClinicalNote.objects.get().body == f"{canary} saved ünïcode"
        assert canary in client.get(note).content.decode()  # she reads it back
        # Bob answers the PHQ-9 with the ninth item above 0: alert, e-mail, safety page.
        client.force_login(cast.bob)
        data = {f"item_{n}": str(v) for n, v in enumerate(ANSWERS, start=1)}
        data["submission"] = str(uuid.uuid4())
        answered = client.post(reverse("questionnaire", args=[phq9.pk]), data)
        responses.append(answered)
        responses.append(client.get(answered["Location"]))
        client.force_login(cast.alice)
        responses.append(client.get(reverse("caseload")))
        responses.append(client.get(reverse("client_detail", args=[cast.bob.pk])))
    response_row = MeasureResponse.objects.get()
    assert response_row.answers == ANSWERS and response_row.total == 15
    for response in responses:
        assert canary not in response.get("Location", "")
        if response.status_code >= 400:
            assert canary not in response.content.decode()
        for url in re.findall(r'(?:href|action|src)="([^"]*)"', response.content.decode()):
            assert canary not in url
    assert mail.outbox  # the alert e-mail went...
    for message in mail.outbox:  # ... with no note, no answer and no total in it
        text = message.message().as_string()
        assert canary not in text and "3, 2, 1" not in text and "15" not in message.body
    log_text = "\n".join(logs.lines)
    assert "INSERT INTO" in log_text
    assert canary not in log_text
    assert "[3, 2, 1, 0" not in log_text and "3,2,1,0" not in log_text
    raw = raw_database_text()
    assert canary not in raw and "ünïcode" not in raw
    assert "[3, 2, 1, 0" not in raw and "3,2,1,0" not in raw and '"total": 15' not in raw
