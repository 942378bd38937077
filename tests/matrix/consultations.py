"""Sessions and private notes: the client's own therapist only (alice, for bob). Never the
client, their partner, another client, another therapist of the practice, a therapist
elsewhere, or a practice admin."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from interlude.consultations.actions import consultation_plan, consultation_record
from interlude.consultations.models import Consultation
from tests.test_permission_matrix import Case, action, only

bob_session = lambda cast, ctx: {  # noqa: E731
    "client_id": cast.bob.pk,
    "consultation_id": ctx["consultation"],
}

MATRIX: dict[str, Case] = {
    "sessions": Case(
        get=only({"alice": 200}),
        post=only({"alice": 302}),
        kwargs=lambda cast, ctx: {"client_id": cast.bob.pk},
        data={
            "action": "record",
            "who": "together",
            "day": "session_day",
            "at": "00:05",
            "mode": "online",
        },
    ),
    "session_note": Case(
        get=only({"alice": 200}),
        post=only({"alice": 302}),
        kwargs=bob_session,
        data={"body": "A private note."},
    ),
    "session_note_draft": action(
        only({"alice": 302}), kwargs=bob_session, data={"body": "Half a note"}
    ),
    "session_cancel": action(
        only({"alice": 302}), kwargs=lambda cast, ctx: {"consultation_id": ctx["planned"]}
    ),
}


def build(cast: Any, ctx: dict[str, Any]) -> None:
    couple = cast.member(cast.bob).couple
    held: Consultation = consultation_record(
        therapist=cast.alice,
        clients=[cast.bob, cast.carol],
        couple=couple,
        at=timezone.now() - timedelta(days=7),
        mode=Consultation.Mode.IN_PERSON,
    )
    planned = consultation_plan(
        therapist=cast.alice,
        clients=[cast.bob],
        at=timezone.now() + timedelta(days=7),
        mode=Consultation.Mode.ONLINE,
    )
    ctx["consultation"] = held.pk
    ctx["planned"] = planned.pk
    ctx["session_day"] = timezone.localdate().isoformat()
