"""Reads for the ladder pages and the therapist's client page, with a constant number of queries
however long the history: the steps, the tries, the notes and the recent changes are each one
query; charts, flags and sentences are made from them here."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format

from interlude.accounts.models import User
from interlude.ladder.actions import pause_point_words
from interlude.ladder.models import (
    MIN_STEPS,
    Ladder,
    LadderAttempt,
    LadderChange,
    LadderReflection,
    LadderStep,
)
from interlude.lib.charts import WORSE_NOTE, Chart, Series, line_chart, trend_sentence
from interlude.sharing.visibility import THERAPIST_CAN_READ

# Tries loaded for a ladder page (the most recent), and tries drawn in one step's chart.
MAX_TRIES = 400
CHART_TRIES = 20
RECENT = timedelta(days=14)
# A rise of this much (SUDS) over the average of the tries before is worth a conversation.
RISE = 15
Kind = LadderChange.Kind
Outcome = LadderAttempt.Outcome
Reason = LadderAttempt.Reason
# How a try reads on the therapist's pages (the client's own words are first person).
THERAPIST_OUTCOMES: dict[str, str] = {
    Outcome.COMPLETED: "Stayed with the step as planned",
    Outcome.STOPPED: "Stopped partway",
    Outcome.NOT_THIS_TIME: "Not this time",
}
THERAPIST_REASONS: dict[str, str] = {
    Reason.PAUSE_POINT: "Reached their pause point",
    Reason.FAR_AWAY: "Felt numb or far away",
    Reason.TOO_MUCH: "Felt like too much",
    Reason.NOT_RIGHT_TIME: "Not the right time",
    Reason.NO_PRIVACY: "No privacy",
    Reason.NOT_IN_THE_MOOD: "Didn't feel like it",
    Reason.OTHER: "Something else",
}


def about(value: float) -> int:
    """To the nearest 5, as SUDS is spoken of ("about 35"); halves round up."""
    return int(math.floor(value / 5 + 0.5) * 5)


@dataclass
class StepView:
    """One step on the page: its place, its tries (oldest first), its chart, what may be done."""

    step: LadderStep
    tries: list[LadderAttempt]
    chart: Chart | None = None
    current: bool = False
    held: bool = False
    above_hold: bool = False
    can_choose: bool = False

    @property
    def number(self) -> int:
        return self.step.position

    @property
    def noted(self) -> list[LadderAttempt]:
        """Tries noted, newest first, for the list under the chart."""
        return [a for a in reversed(self.tries) if a.phase == LadderAttempt.Phase.DONE]


@dataclass
class Flag:
    kind: str
    text: str
    when: datetime


@dataclass
class ChangeLine:
    """One change in words, for the person reading it ("You", or the other's name)."""

    change: LadderChange
    text: str
    earlier: str = ""


@dataclass
class LadderPage:
    ladder: Ladder
    role: str
    editable: bool
    steps: list[StepView]
    open_attempt: LadderAttempt | None
    history: list[ChangeLine]
    their_changes: list[ChangeLine]  # what the other one changed lately
    flags: list[Flag]
    notes: dict[int, list[LadderReflection]] = field(default_factory=dict)
    out_of_order: bool = False

    @property
    def current(self) -> StepView | None:
        return next((s for s in self.steps if s.current), None)

    @property
    def held(self) -> StepView | None:
        return next((s for s in self.steps if s.held), None)

    @property
    def ready(self) -> bool:
        return len(self.steps) >= MIN_STEPS

    @property
    def pause_point(self) -> str:
        return pause_point_words(self.ladder.pause_suds, self.ladder.pause_note)

    @property
    def has_tries(self) -> bool:
        return any(s.noted for s in self.steps)


def steps_on(ladder: Ladder) -> list[LadderStep]:
    return list(ladder.steps.filter(removed_at__isnull=True).order_by("position", "pk"))


def tries_of(ladders: Sequence[Ladder], limit: int = MAX_TRIES) -> list[LadderAttempt]:
    """The most recent tries of LADDERS (open ones included), oldest first."""
    recent = LadderAttempt.objects.filter(ladder__in=ladders).order_by("-started_at", "-pk")
    return list(reversed(recent[:limit]))


def ladder_page(
    ladder: Ladder, *, viewer: User, role: str, editable: bool, therapist_name: str
) -> LadderPage:
    """Everything a ladder page shows, for its client (ROLE "client") or therapist."""
    steps = steps_on(ladder)
    tries = tries_of([ladder])
    by_step: dict[int, list[LadderAttempt]] = defaultdict(list)
    for attempt in tries:
        by_step[attempt.step_id].append(attempt)
    held = next((s for s in steps if s.pk == ladder.held_step_id), None)
    for_client = role == "client"
    views = []
    for step in steps:
        view = StepView(
            step,
            by_step.get(step.pk, []),
            current=step.pk == ladder.current_step_id,
            held=held is not None and step.pk == held.pk,
            above_hold=held is not None and step.position > held.position,
        )
        view.can_choose = (
            for_client
            and editable
            and not view.current
            and not view.above_hold
            and len(steps) >= MIN_STEPS
        )
        view.chart = step_chart(view, for_client=for_client)
        views.append(view)
    open_attempt = next((a for a in reversed(tries) if a.is_open), None)
    notes_query = LadderReflection.objects.filter(attempt__ladder=ladder).select_related(
        "shared_under"
    )
    if not for_client:
        notes_query = notes_query.filter(visibility__in=THERAPIST_CAN_READ)
    notes: dict[int, list[LadderReflection]] = defaultdict(list)
    for note in notes_query:
        notes[note.attempt_id].append(note)
    changes = list(ladder.changes.select_related("by")[:40])
    lines = [change_line(c, viewer=viewer, therapist_name=therapist_name) for c in changes]
    since = timezone.now() - RECENT
    theirs = [
        line
        for line in lines
        if line.change.created_at >= since
        and line.change.by_id != viewer.pk
        and line.change.kind != Kind.CHOSE
        # The client reads a hold at the top of their ladder; the therapist made it.
        and line.change.kind != Kind.HELD
    ]
    return LadderPage(
        ladder=ladder,
        role=role,
        editable=editable,
        steps=views,
        open_attempt=open_attempt,
        history=lines,
        their_changes=theirs[:10],
        flags=[] if for_client else flags_for(views),
        notes=dict(notes),
        out_of_order=any(a.suds > b.suds for a, b in zip(steps, steps[1:], strict=False)),
    )


# --- charts ------------------------------------------------------------------------------


def step_chart(view: StepView, *, for_client: bool) -> Chart | None:
    """Distress before, at its peak and after, for each try at a step (the latest CHART_TRIES),
    with one plain sentence about distress after the step."""
    rated = [
        a
        for a in view.tries
        if a.is_try and any(v is not None for v in (a.suds_before, a.suds_peak, a.suds_after))
    ]
    if not rated:
        return None
    first = max(0, len(rated) - CHART_TRIES)
    shown = rated[first:]
    labels = [f"Try {first + i}" for i in range(1, len(shown) + 1)]
    after = [a.suds_after for a in shown]
    worse_note = WORSE_NOTE if for_client else ""
    if any(v is not None for v in after):
        noun = "after this step your distress" if for_client else "after this step, distress"
        values: list[int | None] = after
    else:
        noun = "before this step your distress" if for_client else "before this step, distress"
        values = [a.suds_before for a in shown]
    summary = trend_sentence(
        values,
        noun=noun,
        unit_word="tries",
        higher_is="worse",
        scale_max=100,
        worse_note=worse_note,
    )
    if first:
        summary += f" The chart shows the latest {CHART_TRIES} of {len(rated)} tries."
    return line_chart(
        title=f"Distress at step {view.number}, try by try",
        series=[
            Series("Before", [a.suds_before for a in shown]),
            Series("Peak", [a.suds_peak for a in shown]),
            Series("After", after),
        ],
        x_labels=labels,
        y_min=0,
        y_max=100,
        y_step=25,
        y_label="Distress (SUDS, 0 to 100)",
        x_heading="Try",
        summary=summary,
        chart_id=f"ladder-step-{view.step.pk}",
    )


# --- flags and sentences for the therapist -------------------------------------------------


def _tried(tries: list[LadderAttempt]) -> list[LadderAttempt]:
    return [a for a in tries if a.is_try]


def _distress_after(attempt: LadderAttempt) -> int | None:
    return attempt.suds_after if attempt.suds_after is not None else attempt.suds_peak


def flags_for(steps: list[StepView]) -> list[Flag]:
    """Gentle flags, newest first: distress after a step has risen, or a step was stopped
    partway twice in a row. Words, never pass or fail."""
    flags: list[Flag] = []
    for view in steps:
        tried = _tried(view.tries)
        last_two = tried[-2:]
        if len(last_two) == 2 and all(a.outcome == Outcome.STOPPED for a in last_two):
            when = last_two[-1].finished_at or last_two[-1].started_at
            flags.append(
                Flag(
                    "stopped_twice", f"Step {view.number} was stopped partway twice in a row", when
                )
            )
        rated = [a for a in tried if _distress_after(a) is not None]
        if len(rated) >= 2:
            latest = _distress_after(rated[-1]) or 0
            earlier = [_distress_after(a) or 0 for a in rated[-4:-1]]
            average = sum(earlier) / len(earlier)
            if latest - average >= RISE:
                flags.append(
                    Flag(
                        "distress_rise",
                        f"Distress after step {view.number} has gone up: about "
                        f"{about(average)} before, about {about(latest)} the last time",
                        rated[-1].finished_at or rated[-1].started_at,
                    )
                )
    flags.sort(key=lambda f: f.when, reverse=True)
    return flags


def _tries_words(count: int) -> str:
    return "1 try" if count == 1 else f"{count} tries"


def since_sentences(
    steps: list[LadderStep],
    tries: list[LadderAttempt],
    changes: list[LadderChange],
    since: datetime | None,
) -> list[str]:
    """What happened on a ladder after SINCE, in plain sentences: "2 tries at step 3; distress
    after came down from about 50 to about 35"."""
    number = {s.pk: s.position for s in steps}
    window = [
        a
        for a in tries
        if a.phase == LadderAttempt.Phase.DONE
        and a.step_id in number
        and (since is None or (a.finished_at or a.started_at) >= since)
    ]
    sentences = []
    by_step: dict[int, list[LadderAttempt]] = defaultdict(list)
    for attempt in window:
        by_step[attempt.step_id].append(attempt)
    for step_id, done in sorted(by_step.items(), key=lambda item: number[item[0]]):
        tried = _tried(done)
        position = number[step_id]
        if tried:
            sentence = f"{_tries_words(len(tried))} at step {position}"
            afters = [a.suds_after for a in tried if a.suds_after is not None]
            if len(afters) >= 2:
                start, end = about(afters[0]), about(afters[-1])
                if end < start:
                    sentence += f"; distress after came down from about {start} to about {end}"
                elif end > start:
                    sentence += f"; distress after went up from about {start} to about {end}"
                else:
                    sentence += f"; distress after stayed about {end}"
            elif afters:
                sentence += f"; distress after was about {about(afters[0])}"
            paused = sum(1 for a in tried if a.pauses)
            if paused and len(tried) == 1:
                sentence += "; paused along the way"
            elif paused:
                sentence += f"; paused during {paused} of them"
            sentences.append(sentence)
        skipped = len(done) - len(tried)
        if skipped:
            sentences.append(
                f"“Not this time” at step {position}"
                + (f" ({skipped} times)" if skipped > 1 else "")
            )
    chose = [c for c in changes if c.kind == Kind.CHOSE]
    if chose:
        latest = chose[0]
        direction = ""
        if latest.before_position and latest.after_position:
            direction = (
                " (a step up)"
                if latest.after_position > latest.before_position
                else " (a step down)"
            )
        sentences.append(f"Chose to work on step {latest.after_position}{direction}")
    edits = [c for c in changes if c.kind in (Kind.ADDED, Kind.EDITED, Kind.REMOVED, Kind.MOVED)]
    if edits:
        sentences.append(
            "Changed the ladder" + (f" ({len(edits)} changes)" if len(edits) > 1 else "")
        )
    return [s + "." for s in sentences]


# --- the history, in words -----------------------------------------------------------------


def _quoted(text: str) -> str:
    return f"“{text}”"


def change_line(change: LadderChange, *, viewer: User, therapist_name: str) -> ChangeLine:
    """CHANGE as a sentence for VIEWER: who did what, and the earlier wording where there was
    one."""
    if change.by_id is not None and change.by_id == viewer.pk:
        who = "You"
    elif change.by is not None:
        who = change.by.display_name
    else:
        who = therapist_name
    text, earlier = "", ""
    kind = change.kind
    if kind == Kind.ADDED:
        text = f"{who} added {_quoted(change.after_text)} (distress about {change.after_suds})."
    elif kind == Kind.EDITED:
        if change.before_text == change.after_text:
            text = (
                f"{who} changed how distressing {_quoted(change.after_text)} is expected to be, "
                f"from {change.before_suds} to {change.after_suds}."
            )
        else:
            text = f"{who} changed a step to {_quoted(change.after_text)} ({change.after_suds})."
            earlier = f"It was {_quoted(change.before_text)} ({change.before_suds})."
    elif kind == Kind.REMOVED:
        text = f"{who} took {_quoted(change.before_text)} off the ladder."
    elif kind == Kind.MOVED:
        text = (
            f"{who} moved {_quoted(change.after_text)} from step {change.before_position} "
            f"to step {change.after_position}."
        )
    elif kind == Kind.SORTED:
        text = f"{who} put the steps in order of distress, lowest first."
    elif kind == Kind.CHOSE:
        text = f"{who} chose to work on step {change.after_position}: {_quoted(change.after_text)}."
    elif kind == Kind.HELD:
        text = (
            f"{who} asked to stay at or below step {change.after_position} for now: "
            f"{_quoted(change.reason)}"
        )
    elif kind == Kind.RELEASED:
        text = f"{who} no longer asks to stay at step {change.before_position}."
        if change.reason:
            text += f" {_quoted(change.reason)}"
    elif kind == Kind.PAUSE_POINT:
        text = f"{who} chose a pause point: {change.after_text}."
        if change.before_text:
            earlier = f"It was: {change.before_text}."
    return ChangeLine(change, text, earlier)


def day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j M")
