"""Who may read a piece of client-written content: chosen by its author, said in plain words."""

from __future__ import annotations

from django.db import models


class Visibility(models.TextChoices):
    ONLY_ME = "only_me", "Only me"
    THERAPIST = "therapist", "Me and my therapist"
    PARTNER = "partner", "Me and my partner"
    BOTH = "both", "Me, my therapist and my partner"


THERAPIST_CAN_READ = (Visibility.THERAPIST, Visibility.BOTH)
PARTNER_CAN_READ = (Visibility.PARTNER, Visibility.BOTH)


def who_can_see(visibility: str, *, therapist: str, partner: str | None) -> str:
    """The sentence shown beside every entry and entry form."""
    partner_name = partner or "your partner"
    return {
        Visibility.ONLY_ME: "Only you can see this.",
        Visibility.THERAPIST: f"You and {therapist} (your therapist) can see this.",
        Visibility.PARTNER: f"You and {partner_name} can see this. Your therapist can't.",
        Visibility.BOTH: f"You, {therapist} (your therapist) and {partner_name} can see this.",
    }[Visibility(visibility)]
