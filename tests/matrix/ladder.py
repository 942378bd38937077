"""The exposure ladder's URLs (interlude/ladder/urls.py) in the permission matrix.

Bob has a ladder for an exercise Alice gave him on his own: three steps, one chosen, a pause
point, and a try under way. Only Bob and Alice ever reach it; Carol, his partner, never does.
Choosing a step, the pause point and trying are Bob's alone; a hold is Alice's alone.
"""

from __future__ import annotations

from typing import Any

from interlude.exercises.models import Exercise
from interlude.homework.actions import assignment_create
from interlude.ladder import actions
from interlude.testing import Cast
from tests.test_permission_matrix import CLIENTS, Case, action, only, page

BOB_AND_ALICE = {"bob": 302, "alice": 302}


def build(cast: Cast, ctx: dict[str, Any]) -> None:
    exercise = Exercise.objects.get(practice=None, slug="practising-a-ladder-step")
    version = exercise.versions.get(version=exercise.latest_version)
    assignment = assignment_create(therapist=cast.alice, version=version, client=cast.bob)
    ladder = actions.ladder_for(assignment=assignment, client=cast.bob)
    steps = [
        actions.step_add(ladder=ladder, by=cast.alice, text="Sitting close, dressed", suds=20),
        actions.step_add(ladder=ladder, by=cast.bob, text="Holding hands", suds=35),
        actions.step_add(ladder=ladder, by=cast.bob, text="A long hug", suds=50),
    ]
    assert all(steps)
    actions.step_choose(ladder=ladder, step=steps[0], client=cast.bob)
    actions.pause_point_set(ladder=ladder, client=cast.bob, suds=70, note="if I feel far away")
    ladder.refresh_from_db()
    attempt = actions.attempt_start(ladder=ladder, client=cast.bob)
    ctx.update(
        ladder_assignment=assignment.pk,
        ladder=ladder.pk,
        ladder_step=steps[1].pk,  # not the one being tried
        ladder_attempt=attempt.pk,
    )


by_ladder = lambda cast, ctx: {"ladder_id": ctx["ladder"]}  # noqa: E731
by_step = lambda cast, ctx: {"ladder_id": ctx["ladder"], "step_id": ctx["ladder_step"]}  # noqa: E731
by_try = lambda cast, ctx: {"attempt_id": ctx["ladder_attempt"]}  # noqa: E731

MATRIX: dict[str, Case] = {
    "tool_ladder": page(
        only({"bob": 200}), kwargs=lambda cast, ctx: {"assignment_id": ctx["ladder_assignment"]}
    ),
    "ladder_shared": page(only(dict.fromkeys(CLIENTS, 200))),
    "ladder_for_therapist": page(
        only({"alice": 200}),
        kwargs=lambda cast, ctx: {
            "client_id": cast.bob.pk,
            "assignment_id": ctx["ladder_assignment"],
        },
    ),
    "ladder_step_add": action(
        only(BOB_AND_ALICE), kwargs=by_ladder, data={"text": "A slow kiss", "suds": "60"}
    ),
    "ladder_step_edit": Case(
        get=only({"bob": 200, "alice": 200}),
        post=only(BOB_AND_ALICE),
        kwargs=by_step,
        data={"text": "Holding hands, on the sofa", "suds": "30"},
    ),
    "ladder_step_remove": action(only(BOB_AND_ALICE), kwargs=by_step),
    "ladder_step_move": action(only(BOB_AND_ALICE), kwargs=by_step, data={"direction": "later"}),
    "ladder_step_choose": action(only({"bob": 302}), kwargs=by_step),
    "ladder_sort": action(only(BOB_AND_ALICE), kwargs=by_ladder),
    "ladder_pause_point": action(only({"bob": 302}), kwargs=by_ladder, data={"pause_suds": "65"}),
    "ladder_hold": action(
        only({"alice": 302}),
        kwargs=by_ladder,
        data={"action": "hold", "step": "ladder_step", "reason": "Let's stay here a while."},
    ),
    "ladder_attempt_start": action(only({"bob": 302}), kwargs=by_ladder),
    "ladder_attempt": Case(
        get=only({"bob": 200}), post=only({"bob": 302}), kwargs=by_try, data={"action": "pause"}
    ),
    "ladder_attempt_pause": action(only({"bob": 302}), kwargs=by_try),
    "ladder_attempt_draft": action(
        only({"bob": 302}), kwargs=by_try, data={"reflection_before": "Half a thought"}
    ),
}
