"""The items one assignment offers: the catalogue, less what the therapist hid, plus the items
they added, in a couple's words or a personal map's."""

from __future__ import annotations

from collections.abc import Sequence

from interlude.desire.catalogue import Catalogue, DesireGroup, DesireItem, catalogue
from interlude.desire.models import DesireCustomItem, DesireSettings

CUSTOM_GROUP = "from-your-therapist"
# A therapist's own item has no prompt of its own: this one fits any of them.
CUSTOM_PROMPT = (
    "What draws each of you to this, and what would help it feel easy to talk about slowly?"
)


def hidden_of(settings: DesireSettings | None) -> dict[str, list[str]]:
    return settings.hidden_choices if settings is not None else {}


def offered(
    *,
    settings: DesireSettings | None,
    custom: Sequence[DesireCustomItem],
    personal: bool,
    therapist_name: str,
) -> Catalogue:
    """The groups and items offered, in catalogue order, the therapist's own items last."""
    hidden = hidden_of(settings)
    shown = catalogue().without(
        groups=hidden.get("groups", ()),
        intensities=hidden.get("intensities", ()),
        items=hidden.get("items", ()),
    )
    if personal:
        shown = shown.personal()
    own = tuple(
        DesireItem(
            slug=item.slug,
            group=CUSTOM_GROUP,
            title=item.title,
            intensity="gentle",
            description=item.description,
            prompt=CUSTOM_PROMPT,
            custom=True,
        )
        for item in custom
    )
    return shown.with_group(
        DesireGroup(
            slug=CUSTOM_GROUP,
            title=f"Added by {therapist_name}",
            description=f"Ideas {therapist_name} added to your list.",
            items=own,
        )
    )


def slugs_of(offer: Catalogue) -> list[str]:
    return [item.slug for item in offer.items]
