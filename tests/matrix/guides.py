"""The guides' part of the permission matrix: a couple's paced-breathing guide (Bob and Carol
may use it), Bob's own body scan, and the therapist's page choosing what a guide offers first."""

from __future__ import annotations

from typing import Any

from interlude.exercises.models import Exercise
from interlude.homework.actions import assignment_create
from tests.test_permission_matrix import Case, action, only, page


def latest(slug: str) -> Any:
    exercise = Exercise.objects.get(practice=None, slug=slug)
    return exercise.versions.get(version=exercise.latest_version)


def build(cast: Any, ctx: dict[str, Any]) -> None:
    couple = cast.member(cast.bob).couple
    ctx["guide_breathing"] = assignment_create(
        therapist=cast.alice, version=latest("paced-breathing"), couple=couple
    ).pk
    ctx["guide_scan"] = assignment_create(
        therapist=cast.alice, version=latest("body-scan"), client=cast.bob
    ).pk


breathing = lambda cast, ctx: {"assignment_id": ctx["guide_breathing"]}  # noqa: E731
scan = lambda cast, ctx: {"assignment_id": ctx["guide_scan"]}  # noqa: E731

MATRIX = {
    "tool_guide": page(only({"bob": 200, "carol": 200}), kwargs=breathing),
    "guide_play": page(only({"bob": 200}), kwargs=scan),
    "guide_end": action(
        only({"bob": 302, "carol": 302}),
        kwargs=breathing,
        data={"action": "stopped", "elapsed": "90", "minutes": "5"},
    ),
    "guide_defaults": Case(
        get=only({"alice": 200}),
        post=only({"alice": 302}),
        kwargs=scan,
        data={"scan_minutes": "3"},
    ),
}
