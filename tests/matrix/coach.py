"""The I-statement helper's URLs in the permission matrix (tests/test_permission_matrix.py).

Bob and Carol's couple has an I-statement assignment: only they open its helper. The notes
for any writing field (coach_check) answer every client, on their own words only.
"""

from __future__ import annotations

from typing import Any

from interlude.homework.actions import assignment_create
from interlude.testing import Cast
from tests.talk_support import latest_version
from tests.test_permission_matrix import CLIENTS, Case, action, ok, only, page


def build(cast: Cast, ctx: dict[str, Any]) -> None:
    ctx["coach_assignment"] = assignment_create(
        therapist=cast.alice,
        version=latest_version("i-statement-practice"),
        couple=cast.member(cast.bob).couple,
    ).pk


assignment: Any = lambda cast, ctx: {"assignment_id": ctx["coach_assignment"]}  # noqa: E731

MATRIX: dict[str, Case] = {
    "tool_coach": Case(
        get=only({"bob": 200, "carol": 200}),
        post=only({"bob": 302, "carol": 302}),
        kwargs=assignment,
        data={"action": "save", "text": "You never plan anything."},
    ),
    # Without a draft there is nothing to save yet: back to the helper.
    "coach_journal": page(only({"bob": 302, "carol": 302}), kwargs=assignment),
    "coach_check": action(
        only(ok(CLIENTS)), data={"coach_field": "body", "body": "You always forget."}
    ),
}
