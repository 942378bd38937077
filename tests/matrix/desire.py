"""The desire map's part of the permission matrix (tests/test_permission_matrix.py).

Bob and Carol's map has one compared round; Gina keeps a personal map (her partner is not taking
part). Only the two partners reach their map, only Gina hers, and only Alice (who gave them)
the therapist's pages: everyone else is told it does not exist.
"""

from __future__ import annotations

from typing import Any

from interlude.desire.access import get_map_for_client
from interlude.desire.actions import (
    desire_answers_save,
    desire_answers_submit,
    desire_custom_item_add,
)
from interlude.exercises.models import Exercise
from interlude.homework.actions import assignment_create
from interlude.sharing.person import Person
from interlude.testing import Cast
from tests.test_permission_matrix import Case, action, only, page

PARTNERS = {"bob": 200, "carol": 200}


def build(cast: Cast, ctx: dict[str, Any]) -> None:
    exercise = Exercise.objects.get(slug="desire-mapping", practice__isnull=True)
    version = exercise.versions.get(version=exercise.latest_version)
    couple = assignment_create(
        therapist=cast.alice, version=version, couple=cast.member(cast.bob).couple
    )
    for who in (cast.bob, cast.carol):
        map_ = get_map_for_client(Person(who), couple.pk)
        desire_answers_save(map_=map_, slugs=["long-hugs"], answers={"long-hugs": ("yes", False)})
        desire_answers_submit(map_=map_)
    gina = assignment_create(
        therapist=cast.alice, version=version, couple=cast.member(cast.gina).couple
    )
    ctx["desire_couple"] = couple.pk
    ctx["desire_gina"] = gina.pk
    ctx["desire_item"] = desire_custom_item_add(
        assignment=couple, therapist=cast.alice, title="Dancing at home", description=""
    ).pk


def couple_map(cast: Cast, ctx: dict[str, Any]) -> dict[str, Any]:
    return {"assignment_id": ctx["desire_couple"]}


def gina_map(cast: Cast, ctx: dict[str, Any]) -> dict[str, Any]:
    return {"assignment_id": ctx["desire_gina"]}


MATRIX: dict[str, Case] = {
    "tool_desire_map": page(only(PARTNERS), kwargs=couple_map),
    # The round is sent and compared, so its answers stay as they are: the page says so.
    "desire_group": Case(
        get=only(PARTNERS),
        post=only({"bob": 400, "carol": 400}),
        kwargs=lambda cast, ctx: {"assignment_id": ctx["desire_couple"], "number": 1},
        data={"answer_long-hugs": "maybe"},
    ),
    # Sending again changes nothing; back to the map.
    "desire_review": Case(
        get=only(PARTNERS), post=only({"bob": 302, "carol": 302}), kwargs=couple_map
    ),
    # Nothing waits for a choice: back to the map, with a word.
    "desire_before_reveal": Case(
        get=only({"bob": 302, "carol": 302}),
        post=only({"bob": 302, "carol": 302}),
        kwargs=couple_map,
        data={"choice": "change"},
    ),
    "desire_shared": page(
        only(PARTNERS),
        kwargs=lambda cast, ctx: {"assignment_id": ctx["desire_couple"], "number": 1},
    ),
    # A personal map's summary: Gina's alone.
    "desire_summary": page(only({"gina": 200}), kwargs=gina_map),
    "desire_share": action(
        only({"bob": 302, "carol": 302}), kwargs=couple_map, data={"share": "on", "round": "1"}
    ),
    # Too soon for a new round: back to the map, saying from when.
    "desire_new_round": action(
        only({"bob": 302, "carol": 302}), kwargs=couple_map, data={"do": "ask"}
    ),
    "desire_settings": Case(
        get=only({"alice": 200}),
        post=only({"alice": 302}),
        kwargs=couple_map,
        data={"groups": "affection-and-closeness", "intensities": "gentle", "interval_days": "21"},
    ),
    "desire_item_add": action(
        only({"alice": 302}), kwargs=couple_map, data={"title": "Reading aloud in bed"}
    ),
    "desire_item_remove": action(
        only({"alice": 302}),
        kwargs=lambda cast, ctx: {
            "assignment_id": ctx["desire_couple"],
            "item_id": ctx["desire_item"],
        },
    ),
    "desire_results": page(only({"alice": 200}), kwargs=couple_map),
}
