"""The questions of one couple's (or one client's) check-in: the agenda as written, with the
sections their therapist turned off left out and the questions they added at the end; and the
week a check-in belongs to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.utils import timezone

from interlude.accounts.models import User
from interlude.checkins.agenda import Agenda, load_agenda
from interlude.checkins.models import CheckinAgenda, CheckinQuestion

ADDED_TITLE = "A question from your therapist"
MAX_ADDED = 6


def week_of(user: User, *, at: dt.datetime | None = None) -> dt.date:
    """The Monday of USER's own week at AT (now by default).

    Every week this tool names is counted here. Until each person has their own time zone
    (`User.time_zone`), the site's zone stands in for it; then this becomes
    `person_today(user, at=at)` and nothing else changes.
    """
    today = timezone.localdate(at)
    return today - dt.timedelta(days=today.weekday())


def week_words(week: dt.date) -> str:
    """'the week of 23 Nov' (with the year when it is not this year's)."""
    day = f"{week.day} {week:%b}"
    if week.year != timezone.localdate().year:
        day += f" {week.year}"
    return f"the week of {day}"


@cache
def agenda() -> Agenda:
    """The agenda file, read and checked once per process."""
    return load_agenda()


@dataclass(frozen=True)
class Question:
    """One question as a person answers it."""

    key: str  # the section's slug, or "q<id>" for a question the therapist added
    title: str
    text: str
    hint: str = ""
    examples: tuple[str, ...] = ()
    added: bool = False

    @property
    def field(self) -> str:
        """The form field of the answer (keys are slugs or q<id>: safe in a field name)."""
        return f"answer-{self.key}"


def added_key(question: CheckinQuestion) -> str:
    return f"q{question.pk}"


def questions_for(
    tailoring: CheckinAgenda | None, added: Iterable[CheckinQuestion], *, solo: bool
) -> list[Question]:
    """The check-in's questions in order, worded for a client on their own (SOLO) or for
    partners preparing before they talk."""
    off = set(tailoring.sections_off) if tailoring is not None else set()
    questions = [
        Question(
            key=section.slug,
            title=section.title,
            text=section.question(solo=solo),
            hint=section.hint,
            examples=section.examples,
        )
        for section in agenda().sections
        if section.slug not in off
    ]
    questions += [
        Question(key=added_key(q), title=ADDED_TITLE, text=q.text, added=True) for q in added
    ]
    return questions
