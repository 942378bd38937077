"""The questionnaires' part of a client's page for their therapist (interlude/lib/workspace.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from interlude.accounts.models import User
from interlude.lib.workspace import CaseloadPart, Section, plural
from interlude.measures.queries import answered_since, therapist_measures


def section(therapist: User, client: User, since: datetime | None) -> Section:
    view = therapist_measures(therapist, client, since)
    return Section(
        title="Questionnaires",
        template="measures/_workspace.html",
        context={"measures": view, "client": client},
        since=view.since,
        order=20,
    )


def caseload(therapist: User, since: Mapping[int, datetime | None]) -> dict[int, CaseloadPart]:
    return {
        client_id: CaseloadPart(since=[plural(count, "questionnaire")])
        for client_id, count in answered_since(therapist, since).items()
    }
