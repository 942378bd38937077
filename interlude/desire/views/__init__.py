"""Desire-map pages: the client's map, and the therapist's choices and what was shared."""

from interlude.desire.views.client import (
    desire_before_reveal,
    desire_group,
    desire_map,
    desire_new_round,
    desire_review,
    desire_share,
    desire_shared,
    desire_summary,
)
from interlude.desire.views.therapist import (
    desire_item_add,
    desire_item_remove,
    desire_results,
    desire_settings,
)

__all__ = [
    "desire_before_reveal",
    "desire_group",
    "desire_item_add",
    "desire_item_remove",
    "desire_map",
    "desire_new_round",
    "desire_results",
    "desire_review",
    "desire_settings",
    "desire_share",
    "desire_shared",
    "desire_summary",
]
