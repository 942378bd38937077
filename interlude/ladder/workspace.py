"""The ladder's part of a client's page for their therapist (interlude/lib/workspace.py): each
ladder's step and hold in a line, sentences for "Since last session", and gentle flags."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from interlude.accounts.models import User
from interlude.ladder.assignments import current_given_to
from interlude.ladder.models import Ladder, LadderAttempt, LadderChange, LadderStep
from interlude.ladder.queries import StepView, flags_for, since_sentences, tries_of
from interlude.lib.workspace import Section

# The client's ladders shown on their page (newest first); each has its own page for the rest.
MAX_LADDERS = 5
TRIES = 300


@dataclass
class LadderLine:
    title: str
    url: str
    ladder: Ladder | None = None  # None: assigned, and nobody has opened the ladder yet
    steps: int = 0
    current: LadderStep | None = None
    held: LadderStep | None = None
    tries: int = 0
    flags: int = 0


# Asked for its section only when the client was given an exercise that opens it.
SHOWN_FOR = frozenset({"ladder"})


def section(therapist: User, client: User, since: datetime | None) -> Section | None:
    """CLIENT's ladders from THERAPIST's assignments (and ladder exercises nobody has opened
    yet, so the therapist can suggest the first steps), or None when there are none."""
    ladders = list(
        Ladder.objects.filter(client=client, assignment__therapist=therapist)
        .select_related("assignment__version")
        .order_by("-updated_at", "-pk")[:MAX_LADDERS]
    )
    opened = {ladder.assignment_id for ladder in ladders}
    waiting = [a for a in current_given_to(therapist, client, MAX_LADDERS) if a.pk not in opened]
    if not ladders and not waiting:
        return None
    steps: dict[int, list[LadderStep]] = defaultdict(list)
    for step in LadderStep.objects.filter(ladder__in=ladders, removed_at__isnull=True).order_by(
        "position"
    ):
        steps[step.ladder_id].append(step)
    tries: dict[int, list[LadderAttempt]] = defaultdict(list)
    for attempt in tries_of(ladders, limit=TRIES):
        tries[attempt.ladder_id].append(attempt)
    recent = LadderChange.objects.filter(ladder__in=ladders, by=client).order_by("-created_at")
    if since is not None:
        recent = recent.filter(created_at__gte=since)
    changes: dict[int, list[LadderChange]] = defaultdict(list)
    for change in recent[:200]:
        changes[change.ladder_id].append(change)

    lines = [
        LadderLine(
            title=a.version.title,
            url=reverse("ladder_for_therapist", args=[client.pk, a.pk]),
        )
        for a in waiting
    ]
    sentences, flags = [], []
    many = len(ladders) > 1
    for ladder in ladders:
        own = steps[ladder.pk]
        by_step: dict[int, list[LadderAttempt]] = defaultdict(list)
        for attempt in tries[ladder.pk]:
            by_step[attempt.step_id].append(attempt)
        views = [StepView(step, by_step.get(step.pk, [])) for step in own]
        prefix = f"{ladder.assignment.version.title}: " if many else ""
        sentences += [
            prefix + s for s in since_sentences(own, tries[ladder.pk], changes[ladder.pk], since)
        ]
        own_flags = flags_for(views)
        flags += [prefix + flag.text + "." for flag in own_flags]
        lines.append(
            LadderLine(
                title=ladder.assignment.version.title,
                url=reverse("ladder_for_therapist", args=[client.pk, ladder.assignment_id]),
                ladder=ladder,
                steps=len(own),
                current=next((s for s in own if s.pk == ladder.current_step_id), None),
                held=next((s for s in own if s.pk == ladder.held_step_id), None),
                tries=sum(1 for a in tries[ladder.pk] if a.is_try),
                flags=len(own_flags),
            )
        )
    return Section(
        title="Exposure ladder",
        template="ladder/_workspace_section.html",
        context={"lines": lines, "client": client},
        since=sentences,
        flags=flags,
        order=40,
    )
