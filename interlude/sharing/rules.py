"""Which visibilities an author may choose right now, and the plain words for each.

Journal entries, practice reflections and every later tool with a "who can see this" choice use
these functions, so the choice and its words are the same everywhere.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from interlude.sharing.models import PartnerShareable
from interlude.sharing.person import Person
from interlude.sharing.visibility import PARTNER_CAN_READ, Visibility, who_can_see


def allowed_visibilities(person: Person) -> list[str]:
    """Partner options appear only while linked and while the author's sharing consent for
    that link stands."""
    allowed = [Visibility.ONLY_ME, Visibility.THERAPIST]
    if person.partner is not None and person.sharing_consent is not None:
        allowed += [Visibility.PARTNER, Visibility.BOTH]
    return [str(v) for v in allowed]


def check_visibility_allowed(person: Person, visibility: str) -> None:
    """Refuse a visibility the author may not choose now, in words they can act on."""
    if visibility not in allowed_visibilities(person):
        if visibility in PARTNER_CAN_READ:
            raise ValidationError(
                "Sharing with a partner needs a linked partner and sharing turned on in Privacy."
            )
        raise ValidationError("Please choose who can see this.")


def visibility_labels(person: Person) -> dict[str, str]:
    """Each visibility as the author reads it in a form, by the names of who that means."""
    therapist = person.therapist.display_name if person.therapist else None
    partner = person.partner.display_name if person.partner else "my partner"
    mine = f"{therapist} (my therapist)" if therapist else "my therapist"
    return {
        Visibility.ONLY_ME: "Only me",
        Visibility.THERAPIST: f"Me and {mine}",
        Visibility.PARTNER: f"Me and {partner} (not {therapist or 'my therapist'})",
        Visibility.BOTH: f"Me, {mine} and {partner}",
    }


def sharing_hint(person: Person) -> str:
    """Where sharing with a linked partner could be turned on, for someone who has a linked
    partner and has not turned it on; nothing for anyone else (no partner wording)."""
    if person.partner is not None and person.sharing_consent is None:
        return (
            f"To share with {person.partner.display_name} too, turn on sharing with your "
            "partner in Privacy."
        )
    return ""


def who_can_see_now(person: Person, visibility: str) -> str:
    """The sentence shown beside one of the author's own entries."""
    therapist = person.therapist.display_name if person.therapist else "your therapist"
    partner = person.partner.display_name if person.partner else None
    return who_can_see(visibility, therapist=therapist, partner=partner)


def sharing_fields(person: Person, visibility: str) -> dict[str, object]:
    """The values an action stores for VISIBILITY: the agreement it is shared under, if any.
    Raises ValidationError when the author may not choose VISIBILITY now."""
    check_visibility_allowed(person, visibility)
    shared_under = person.sharing_consent if visibility in PARTNER_CAN_READ else None
    return {"visibility": visibility, "shared_under": shared_under}


def entry_visibility_sentence(person: Person, entry: PartnerShareable) -> str:
    """Who can read one of the author's entries now, truthfully, including sharing that ended."""
    sentence = who_can_see_now(person, entry.effective_visibility)
    consent = entry.shared_under
    if entry.partner_sharing_ended and consent is not None and consent.withdrawn_at is not None:
        ended = date_format(timezone.localtime(consent.withdrawn_at), "j M Y")
        sentence += f" It was shared with a partner until {ended}."
    elif entry.partner_sharing_ended:
        sentence += " It is no longer shared with a partner."
    return sentence
