"""The weekly check-in's URLs in the permission matrix (tests/test_permission_matrix.py).

Bob and Carol's couple has a check-in assignment, with one check-in both prepared for and
held: only they open its pages; only Alice, who gave it, chooses its questions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from interlude.checkins.models import CheckIn
from interlude.homework.actions import assignment_create
from interlude.sharing.person import Person
from interlude.testing import Cast
from tests.talk_support import latest_version
from tests.test_permission_matrix import Case, action, only, page

CHECKIN = "weekly-intimacy-check-in"


def hold_a_checkin(cast: Cast, assignment: Any) -> Any:
    """Bob and Carol each prepare privately and say they're ready: the check-in is held."""
    from interlude.checkins.access import get_place_for_client
    from interlude.checkins.actions import Written, checkin_prepare, checkin_ready
    from interlude.checkins.questions import questions_for

    question = questions_for(None, [], solo=False)[0]
    for who, words in ((cast.bob, "The tea on Tuesday."), (cast.carol, "The long walk.")):
        person = Person(who)
        place = get_place_for_client(person, assignment.pk)
        checkin_prepare(place=place, person=person, answers=[Written(question, words, "only_me")])
        held = checkin_ready(place=place, person=person)
    return held


def build(cast: Cast, ctx: dict[str, Any]) -> None:
    assignment = assignment_create(
        therapist=cast.alice,
        version=latest_version(CHECKIN),
        couple=cast.member(cast.bob).couple,
    )
    ctx["checkin_assignment"] = assignment.pk
    held = hold_a_checkin(cast, assignment)
    # It was last week's: this week's check-in is still to prepare.
    CheckIn.objects.filter(pk=held.pk).update(week=held.week - dt.timedelta(days=7))
    ctx["checkin"] = held.pk


both = {"bob": 200, "carol": 200}
assignment: Any = lambda cast, ctx: {"assignment_id": ctx["checkin_assignment"]}  # noqa: E731
week: Any = lambda cast, ctx: {  # noqa: E731
    "assignment_id": ctx["checkin_assignment"],
    "checkin_id": ctx["checkin"],
}

MATRIX: dict[str, Case] = {
    "tool_checkin": Case(
        get=only(both),
        post=only({"bob": 302, "carol": 302}),
        kwargs=assignment,
        data={"action": "save", "answer-kind-thing": "A note on the mirror."},
    ),
    "checkin_week": page(only(both), kwargs=week),
    "checkin_agreed": action(
        only({"bob": 302, "carol": 302}), kwargs=week, data={"text": "Rest on Friday.", "base": "0"}
    ),
    "checkin_agenda": Case(
        get=only({"alice": 200}),
        post=only({"alice": 302}),
        kwargs=assignment,
        data={"sections": "appreciation", "question": "What helped this week?"},
    ),
}
