"""Reads for the questionnaire pages: what a client has to fill in, and what their therapist
sees (scores with their bands and changes, charts, alerts), each in a constant number of
queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from interlude.accounts.models import User
from interlude.lib.charts import Chart, Series, line_chart, trend_sentence
from interlude.lib.workspace import count_since, moment_words
from interlude.measures.access import (
    assignments_of_client_for_therapist,
    own_assignments,
    responses_of_client_for_therapist,
)
from interlude.measures.instruments import Instrument, instrument
from interlude.measures.models import MeasureAssignment, MeasureResponse, SafetyAlert
from interlude.sharing.person import Person

CHART_POINTS = 12
# A questionnaire every N weeks opens again a day early: the same weekday is fine.
EARLY = timedelta(days=1)


def opens_at(assignment: MeasureAssignment, last: datetime | None) -> datetime | None:
    """When ASSIGNMENT is (or was) next open to answer, given the client's last answer to it;
    None when it will not open again."""
    if assignment.status != MeasureAssignment.Status.ACTIVE:
        return None
    if last is None:
        return assignment.created_at
    if assignment.every_weeks is None:
        return None
    return last + timedelta(weeks=assignment.every_weeks) - EARLY


def _last_answers(assignments: Iterable[MeasureAssignment]) -> dict[int, datetime]:
    from django.db.models import Max

    return dict(
        MeasureResponse.objects.filter(assignment__in=list(assignments))
        .values("assignment_id")
        .annotate(last=Max("completed_at"))
        .values_list("assignment_id", "last")
    )


def day(moment: datetime) -> str:
    return moment_words(moment, year=True)


def gentle_score(response: MeasureResponse) -> str:
    """A client's total in calm words, for when their therapist shares scores with them."""
    definition = response.definition
    band = next(b for b in definition.bands if b.low <= response.total <= b.high)
    return (
        f"Your answers add up to {response.total} of a possible {definition.top}. On the "
        f"{definition.name}, totals from {band.low:g} to {band.high:g} are in the range usually "
        f"called “{band.label}”. It is one snapshot of the last two weeks, and your therapist "
        "can talk it through with you."
    )


@dataclass
class Waiting:
    assignment: MeasureAssignment
    open: bool
    opens_on: str = ""


@dataclass
class ClientQuestionnaires:
    """The client's questionnaires page: what is open now, what opens later, and what they
    answered (with gentle words about the total where their therapist shares it)."""

    waiting: list[Waiting]
    answered: list[tuple[MeasureResponse, str]]


def client_questionnaires(person: Person) -> ClientQuestionnaires:
    current = list(own_assignments(person).filter(status=MeasureAssignment.Status.ACTIVE))
    last = _last_answers(current)
    now = timezone.now()
    waiting = []
    for assignment in current:
        at = opens_at(assignment, last.get(assignment.pk))
        if at is None:
            continue
        waiting.append(Waiting(assignment, at <= now, "" if at <= now else day(at)))
    answered = [
        (r, gentle_score(r) if r.assignment.share_scores else "")
        for r in MeasureResponse.objects.filter(client=person.user)
        .select_related("assignment")
        .order_by("-completed_at", "-pk")[:10]
    ]
    return ClientQuestionnaires(waiting, answered)


def is_open(assignment: MeasureAssignment) -> tuple[bool, str]:
    """Whether the client may answer ASSIGNMENT now, and if not, when it opens (words)."""
    at = opens_at(assignment, _last_answers([assignment]).get(assignment.pk))
    if at is None:
        return False, ""
    now = timezone.now()
    return at <= now, "" if at <= now else day(at)


# --- the therapist ---------------------------------------------------------------------------


@dataclass
class ScoreLine:
    response: MeasureResponse
    total: int
    band: str
    change: str  # against the answer before it, in words


@dataclass
class InstrumentView:
    definition: Instrument
    assignment: MeasureAssignment | None  # the current one, if any
    opens_on: str
    lines: list[ScoreLine]  # newest first
    chart: Chart | None = None


@dataclass
class TherapistMeasures:
    instruments: list[InstrumentView]
    since: list[str] = field(default_factory=list)


def _change(total: int, earlier: MeasureResponse | None, definition: Instrument) -> str:
    if earlier is None:
        return "the first time"
    before = earlier.total
    if total == before:
        return f"the same as on {day(earlier.completed_at)}"
    way = "up" if total > before else "down"
    return (
        f"{way} {abs(total - before)} from {before} ({definition.band(before)}) on "
        f"{day(earlier.completed_at)}"
    )


def therapist_measures(
    therapist: User, client: User, since: datetime | None, *, with_charts: bool = False
) -> TherapistMeasures:
    """The questionnaires part of CLIENT's page: for each questionnaire given, the current
    offer, the latest scores with their bands and change, a chart, and the sentences for
    "Since last session"."""
    assignments = list(
        assignments_of_client_for_therapist(therapist, client).order_by("-created_at", "-pk")
    )
    if not assignments:
        return TherapistMeasures([])
    limit = CHART_POINTS * 2 + 2
    responses = list(
        responses_of_client_for_therapist(therapist, client).order_by("-completed_at", "-pk")[
            :limit
        ]
    )
    by_kind: dict[str, list[MeasureResponse]] = defaultdict(list)
    last: dict[int, datetime] = {}
    for response in responses:
        by_kind[response.instrument].append(response)
        last.setdefault(response.assignment_id, response.completed_at)
    current = {a.instrument: a for a in assignments if a.status == MeasureAssignment.Status.ACTIVE}
    unknown = [a for a in current.values() if a.pk not in last]
    if unknown and len(responses) == limit:  # answered long ago, beyond those read
        last.update(_last_answers(unknown))
    views = []
    since_lines = []
    for key in sorted({a.instrument for a in assignments}):
        definition = instrument(key)
        answered = by_kind.get(key, [])
        if not with_charts:
            # The page says the latest and its change, and what came since the session: only
            # those are opened (each answer is decrypted to read its total).
            recent = sum(1 for r in answered if since is None or r.completed_at > since)
            answered = answered[: max(2, recent + 1)]
        answered = answered[:CHART_POINTS]
        lines = []
        for index, response in enumerate(answered):
            earlier = answered[index + 1] if index + 1 < len(answered) else None
            total = response.total
            lines.append(
                ScoreLine(
                    response, total, definition.band(total), _change(total, earlier, definition)
                )
            )
        assignment = current.get(key)
        opening = opens_at(assignment, last.get(assignment.pk)) if assignment else None
        view = InstrumentView(
            definition,
            assignment,
            day(opening) if opening and opening > timezone.now() else "",
            lines,
        )
        if lines and with_charts:
            oldest_first = list(reversed(lines))
            totals: list[float | None] = [float(line.total) for line in oldest_first]
            view.chart = line_chart(
                title=f"{definition.name} totals",
                series=[Series("Total", totals)],
                x_labels=[moment_words(line.response.completed_at) for line in oldest_first],
                y_min=0,
                y_max=definition.top,
                y_step=3 if definition.top > 21 else 3,
                bands=definition.bands,
                y_label=f"Total (0 to {definition.top})",
                x_heading="Answered",
                summary=trend_sentence(
                    totals,
                    noun=f"the {definition.name} total",
                    unit_word="questionnaires",
                    higher_is="worse",
                    scale_max=definition.top,
                    worse_note="",
                ),
                chart_id=f"chart-{key}-{client.pk}",
            )
        for line in lines:
            if since is None or line.response.completed_at > since:
                since_lines.append(
                    f"{definition.name} on {day(line.response.completed_at)}: {line.total} "
                    f"({line.band}), {line.change}."
                )
        views.append(view)
    return TherapistMeasures(views, since_lines)


def open_alerts(therapist: User, client_ids: Iterable[int] | None = None) -> dict[int, int]:
    """How many alerts each of THERAPIST's clients has that are not yet acknowledged."""
    found = SafetyAlert.objects.filter(therapist=therapist, acknowledged_at__isnull=True)
    if client_ids is not None:
        found = found.filter(client_id__in=list(client_ids))
    return dict(found.values("client_id").annotate(n=Count("pk")).values_list("client_id", "n"))


def answered_since(therapist: User, since: Mapping[int, datetime | None]) -> dict[int, int]:
    """How many questionnaires each client answered since their last session (one query)."""
    return {
        client_id: row["rows"]
        for client_id, row in count_since(
            MeasureResponse, since, client="client", at="completed_at"
        ).items()
    }
