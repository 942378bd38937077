"""A client's desire-map data in their export, and what happens to it when they leave.

Their export holds their own answers, round by round, and never anyone else's: not a partner's
answers, and not what the two of them shared (that is worked out from both, never stored)."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Q, QuerySet

from interlude.desire.actions import desire_erase_for
from interlude.desire.catalogue import catalogue
from interlude.desire.models import DesireAnswers, DesireCustomItem, DesireRound, DesireSettings
from interlude.desire.queries import ANSWER_WORDS
from interlude.lib.personal_data import Record

ACTIVE = "active"


def _erase(user: Any) -> None:
    desire_erase_for(user=user)


def _of_their_maps(model: type[Any], user: Any) -> QuerySet[Any]:
    """Rows of maps that are USER's: their own, or their current couple's."""
    rows: QuerySet[Any] = model.objects.filter(
        Q(assignment__client=user)
        | Q(
            assignment__couple__members__client=user,
            assignment__couple__members__status=ACTIVE,
            assignment__couple__ended_at__isnull=True,
        )
    ).distinct()
    return rows


def _answers_in_words(value: Any) -> str:
    """{slug: [answer, only if the other says yes too]} as a person reads it."""
    titles = {item.slug: item.title for item in catalogue().items}
    raw = json.loads(value) if value else {}
    lines = []
    for slug, (answer, only_if_yes) in raw.items():
        title = titles.get(slug, "An item your therapist added")
        note = " (only if the other person says yes too)" if only_if_yes else ""
        lines.append(f"{title}: {ANSWER_WORDS.get(answer, answer)}{note}")
    return "; ".join(lines) or "—"


def _hidden_in_words(value: Any) -> str:
    known = catalogue()
    raw = json.loads(value) if value else {}
    groups = {g.slug: g.title for g in known.groups}
    items = {i.slug: i.title for i in known.items}
    parts = []
    if raw.get("groups"):
        parts.append("groups: " + ", ".join(groups.get(g, g) for g in raw["groups"]))
    if raw.get("intensities"):
        parts.append("kinds: " + ", ".join(raw["intensities"]))
    if raw.get("items"):
        parts.append("items: " + ", ".join(items.get(i, i) for i in raw["items"]))
    return "; ".join(parts) or "Nothing"


RECORDS = [
    Record(
        DesireAnswers,
        "Your desire-map answers",
        rows=lambda u: DesireAnswers.objects.filter(author=u).select_related("round"),
        fields={
            "round__number": "Round",
            "data": "Your answers",
            "updated_at": "Last changed",
            "submitted_at": "Sent or finished",
            "share_with_therapist": "Shared with your therapist",
        },
        describe={"data": _answers_in_words},
        erase=_erase,
    ),
    Record(
        DesireRound,
        "Desire-map rounds you took part in",
        rows=lambda u: DesireRound.objects.filter(answers__author=u).distinct(),
        fields={
            "number": "Round",
            "opened_at": "Started",
            "revealed_at": "Compared",
            "catalogue_version": "Version of the list",
        },
        # Goes with your answers; a couple's rounds stay, with the partner's own answers only.
        erase=_erase,
    ),
    Record(
        DesireCustomItem,
        "Items your therapist added to your desire map",
        rows=lambda u: _of_their_maps(DesireCustomItem, u),
        fields={"title": "Item", "description": "What it means", "created_at": "Added"},
        erase=_erase,
    ),
    Record(
        DesireSettings,
        "Your therapist's choices for your desire map",
        rows=lambda u: _of_their_maps(DesireSettings, u),
        fields={
            "hidden": "Left out",
            "interval_days": "Days between rounds",
            "updated_at": "Last changed",
        },
        describe={"hidden": _hidden_in_words},
        erase=_erase,
    ),
]
