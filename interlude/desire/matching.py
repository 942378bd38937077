"""What two people share, worked out from both sets of answers: the only place they meet.

Pure functions, no database, so every rule can be tested on its own:

- An answer counts towards a match when it is yes or maybe, except that one marked "only if they
  say yes too" counts only when the other person said yes.
- An item is shared when both answers count: "you both said yes" when both are yes, "you're both
  curious" otherwise (both yes or maybe, without saying who chose which).
- Nothing else about the other person's answers is ever returned: a no, a skip and an item left
  unmarked look exactly the same from the other side.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

YES, MAYBE, NO, SKIP = "yes", "maybe", "no", "skip"
ANSWERS = (YES, MAYBE, NO, SKIP)
OPEN = (YES, MAYBE)
# A comparison is held back, and the other person told first, when someone marked yes or maybe
# for this share of the items offered or more: it would show almost all of the other's own yes
# and maybe answers.
WARNING_SHARE = 0.8

Answers = Mapping[str, tuple[str, bool]]  # item slug -> (answer, only if the other says yes too)
Kind = Literal["both_yes", "both_curious"]
BOTH_YES: Kind = "both_yes"
BOTH_CURIOUS: Kind = "both_curious"


def counts(mine: tuple[str, bool] | None, theirs: tuple[str, bool] | None) -> bool:
    """Whether MINE counts towards a match, given THEIRS."""
    if mine is None or mine[0] not in OPEN:
        return False
    only_if_yes = mine[1]
    return not only_if_yes or (theirs is not None and theirs[0] == YES)


def match(mine: tuple[str, bool] | None, theirs: tuple[str, bool] | None) -> Kind | None:
    """How one item is shared, or None when it is not."""
    if not (counts(mine, theirs) and counts(theirs, mine)):
        return None
    assert mine is not None and theirs is not None
    return BOTH_YES if mine[0] == YES and theirs[0] == YES else BOTH_CURIOUS


@dataclass(frozen=True)
class Match:
    slug: str
    kind: Kind


def matches(slugs: Iterable[str], first: Answers, second: Answers) -> list[Match]:
    """The shared items among SLUGS, in the order of SLUGS (the catalogue's order: nothing about
    anyone's answers decides where an item appears). Symmetric in FIRST and SECOND."""
    found = []
    for slug in slugs:
        kind = match(first.get(slug), second.get(slug))
        if kind is not None:
            found.append(Match(slug, kind))
    return found


def open_share(slugs: Iterable[str], answers: Answers) -> float:
    """The share of SLUGS marked yes or maybe (with or without "only if they say yes too")."""
    offered = list(slugs)
    if not offered:
        return 0.0
    open_ = sum(1 for slug in offered if answers.get(slug, (SKIP, False))[0] in OPEN)
    return open_ / len(offered)


def needs_warning(slugs: Iterable[str], other: Answers) -> bool:
    """Whether a comparison with OTHER would show almost all of one's own yes and maybe answers
    (OTHER marked yes or maybe for WARNING_SHARE of the items or more)."""
    return open_share(slugs, other) >= WARNING_SHARE


def marked(slugs: Iterable[str], answers: Answers) -> int:
    """How many of SLUGS have an answer (skip included): for the author's own progress only."""
    return sum(1 for slug in slugs if slug in answers)
