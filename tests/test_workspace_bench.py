"""The synthetic practice of `make bench` holds sessions, private notes and questionnaires, so
the workspace is measured with the data it reads."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bench.generate import generate_practice
from interlude.accounts.models import User
from interlude.consultations.models import Attendance, ClinicalNote, Consultation
from interlude.measures.models import MeasureResponse

pytestmark = pytest.mark.django_db


def test_the_practice_has_sessions_notes_and_questionnaires(client):
    summary = generate_practice(seed=7, scale=0.002, progress=lambda line: None)
    assert summary.sessions == Consultation.objects.filter(status="held").count() > 100
    assert Consultation.objects.filter(status="planned").count() >= 1
    assert summary.clinical_notes == ClinicalNote.objects.count() > 50
    assert summary.questionnaire_answers == MeasureResponse.objects.count() > 10
    assert ClinicalNote.objects.order_by("?").first().body  # encrypted, and opens
    assert 0 <= MeasureResponse.objects.first().total <= 27
    couple_sessions = Consultation.objects.filter(couple__isnull=False).first()
    assert couple_sessions is not None and couple_sessions.attendances.count() == 2
    assert Attendance.objects.count() > summary.sessions
    therapist = User.objects.get(kind=User.Kind.THERAPIST)
    client.force_login(therapist)
    page = client.get(reverse("caseload")).content.decode()
    assert "Last session: none recorded yet" not in page
