"""The questionnaires' part of a client's page for their therapist (interlude/lib/workspace.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from interlude.accounts.models import User
from interlude.lib.charts import Chart
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


def charts(therapist: User, client: User) -> list[Chart]:
    """Each questionnaire's totals over time, with its severity bands."""
    view = therapist_measures(therapist, client, None, with_charts=True)
    return [item.chart for item in view.instruments if item.chart is not None]


def caseload(therapist: User, since: Mapping[int, datetime | None]) -> dict[int, CaseloadPart]:
    return {
        client_id: CaseloadPart(since=[plural(count, "questionnaire")])
        for client_id, count in answered_since(therapist, since).items()
    }
