"""The route to urgent help under every exercise's safety notes, from one place.

    {% load urgent_help %}{% urgent_help version %}

The practice whose crisis details are shown is, in order: a ``practice`` context variable; the
signed-in person's own practice (a client's, or a therapist's); the practice of the therapist
who gave the ``assignment`` in the context. Without any, the US defaults.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from interlude.exercises.crisis import crisis_details, with_phone_links
from interlude.exercises.models import Suits
from interlude.practice.models import Practice

register = template.Library()


def _practice_from(context: template.Context) -> Practice | None:
    practice = context.get("practice")
    if isinstance(practice, Practice):
        return practice
    # The signed-in person's own practice, already known for this request (no query).
    person = getattr(context.get("request"), "person", None)
    profile = getattr(person, "profile", None) if person is not None else None
    if profile is not None:
        return profile.practice  # type: ignore[no-any-return]
    membership = getattr(person, "membership", None) if person is not None else None
    if membership is not None:
        return membership.practice  # type: ignore[no-any-return]
    therapist_id = getattr(context.get("assignment"), "therapist_id", None)
    if therapist_id is None:
        user = getattr(context.get("request"), "user", None)
        if getattr(user, "is_authenticated", False) and getattr(user, "is_therapist", False):
            therapist_id = getattr(user, "pk", None)
    if therapist_id is None:
        return None
    return Practice.objects.filter(memberships__user_id=therapist_id).first()


@register.inclusion_tag("exercises/_urgent_help.html", takes_context=True)
def urgent_help(
    context: template.Context, version: Any, abuse_helpline: bool = False, level: int = 3
) -> dict[str, Any]:
    """The crisis details, each phone number a link. The domestic-abuse helpline is added for
    an exercise that suits couples, for couple work (an ``assignment``, or a ``page`` with one,
    in the context, given to a couple), and wherever ABUSE_HELPLINE asks for it. LEVEL: the
    heading's level."""
    assignment = context.get("assignment") or getattr(context.get("page"), "assignment", None)
    couple_work = getattr(assignment, "couple_id", None) is not None
    return {
        "crisis": crisis_details(_practice_from(context)),
        "for_couples": abuse_helpline
        or couple_work
        or getattr(version, "suits", None) in (Suits.COUPLE, Suits.EITHER),
        "level": level,
    }


@register.filter
def phone_links(detail: str) -> SafeString:
    """A crisis detail with its phone numbers as links (see crisis.with_phone_links)."""
    return with_phone_links(str(detail))
