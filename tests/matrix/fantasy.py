"""The fantasy journal's and the new-sensations log's part of the permission matrix: Bob's own
exercises and entries, what a partner was shared, what a therapist was shared."""

from __future__ import annotations

from typing import Any

from interlude.exercises.models import Exercise
from interlude.fantasy.actions import fantasy_entry_create, sensation_entry_create
from interlude.homework.actions import assignment_create
from tests.test_permission_matrix import CLIENTS, Case, action, ok, only, page


def latest(slug: str) -> Any:
    exercise = Exercise.objects.get(practice=None, slug=slug)
    return exercise.versions.get(version=exercise.latest_version)


def build(cast: Any, ctx: dict[str, Any]) -> None:
    fantasy = assignment_create(
        therapist=cast.alice, version=latest("solo-fantasy-journal"), client=cast.bob
    )
    log = assignment_create(therapist=cast.alice, version=latest("sensation-log"), client=cast.bob)
    ctx["fantasy_assignment"] = fantasy.pk
    ctx["sensation_assignment"] = log.pk
    ctx["fantasy_entry"] = fantasy_entry_create(
        author=cast.bob, body="only mine", visibility="therapist", assignment=fantasy
    ).pk
    ctx["sensation_entry"] = sensation_entry_create(
        author=cast.bob,
        kind="texture",
        description="a feather",
        feeling="pleasant",
        visibility="therapist",
        assignment=log,
    ).pk


fantasy = lambda cast, ctx: {"assignment_id": ctx["fantasy_assignment"]}  # noqa: E731
log = lambda cast, ctx: {"assignment_id": ctx["sensation_assignment"]}  # noqa: E731
fantasy_entry = lambda cast, ctx: {"entry_id": ctx["fantasy_entry"]}  # noqa: E731
sensation_entry = lambda cast, ctx: {"entry_id": ctx["sensation_entry"]}  # noqa: E731
SENSATION = {
    "kind": "texture",
    "description": "A silk scarf.",
    "feeling": "pleasant",
    "intensity": "4",
    "again": "yes",
    "visibility": "only_me",
}

MATRIX = {
    "tool_fantasy": Case(
        get=only({"bob": 200}),
        post=only({"bob": 302}),
        kwargs=fantasy,
        data={"body": "A few words.", "visibility": "only_me"},
    ),
    "fantasy_draft": action(only({"bob": 302}), kwargs=fantasy, data={"body": "Half a thought"}),
    "fantasy_entry_edit": Case(
        get=only({"bob": 200}),
        post=only({"bob": 302}),
        kwargs=fantasy_entry,
        data={"body": "Other words.", "visibility": "only_me"},
    ),
    "fantasy_entry_delete": action(only({"bob": 302}), kwargs=fantasy_entry),
    "tool_sensations": Case(
        get=only({"bob": 200}), post=only({"bob": 302}), kwargs=log, data=SENSATION
    ),
    "sensation_draft": action(
        only({"bob": 302}), kwargs=log, data={"description": "Half a thought"}
    ),
    "sensation_entry_edit": Case(
        get=only({"bob": 200}), post=only({"bob": 302}), kwargs=sensation_entry, data=SENSATION
    ),
    "sensation_entry_delete": action(only({"bob": 302}), kwargs=sensation_entry),
    "fantasy_shared": page(only(ok(CLIENTS))),
    "client_fantasy": page(
        only({"alice": 200}), kwargs=lambda cast, ctx: {"client_id": cast.bob.pk}
    ),
}
