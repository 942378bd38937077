"""Questionnaires: the therapist who cares for the client offers and ends them and acknowledges
alerts (alice, for bob); each client answers only their own (bob)."""

from __future__ import annotations

from typing import Any

from interlude.measures.actions import measure_assign, measure_respond
from tests.test_permission_matrix import CLIENTS, Case, action, ok, only, page

ANSWERS = {f"item_{n}": "0" for n in range(1, 10)}

MATRIX: dict[str, Case] = {
    "measure_assign": Case(
        get=only({"alice": 200}),
        post=only({"alice": 302}),
        kwargs=lambda cast, ctx: {"client_id": cast.bob.pk},
        data={"instrument": "gad7", "how_often": "2"},
    ),
    "measure_end": action(
        only({"alice": 302}), kwargs=lambda cast, ctx: {"assignment_id": ctx["phq9_weekly"]}
    ),
    "safety_alert_acknowledge": action(
        only({"alice": 302}), kwargs=lambda cast, ctx: {"alert_id": ctx["alert"]}
    ),
    "questionnaires": page(only(ok(CLIENTS))),
    "questionnaire": Case(
        get=only({"bob": 200}),
        post=only({"bob": 302}),
        kwargs=lambda cast, ctx: {"assignment_id": ctx["phq9_weekly"]},
        data=ANSWERS,
    ),
    "questionnaire_done": page(
        only({"bob": 200}), kwargs=lambda cast, ctx: {"response_id": ctx["phq9_response"]}
    ),
}


def build(cast: Any, ctx: dict[str, Any]) -> None:
    once = measure_assign(
        therapist=cast.alice,
        client=cast.bob,
        instrument_key="phq9",
        every_weeks=None,
        share_scores=True,
    )
    response = measure_respond(
        assignment=once, client=cast.bob, answers=[1, 1, 0, 2, 1, 0, 1, 0, 1]
    )
    weekly = measure_assign(
        therapist=cast.alice,
        client=cast.bob,
        instrument_key="phq9",
        every_weeks=1,
        share_scores=False,
    )
    ctx["phq9_response"] = response.pk
    ctx["alert"] = response.alert.pk
    ctx["phq9_weekly"] = weekly.pk
