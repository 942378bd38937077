"""What a detector reports: one occurrence of a pattern, with words for the reframe."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    """One pattern found in one sentence.

    `span` is in the whole text. The other fields are the client's own words, ready for the
    I feel… when… I'd like… frame; an empty string means the rule could not tell, and the frame
    shows "…" for the client to fill in.
    """

    pattern: str
    span: tuple[int, int]
    feeling: str = ""
    situation: str = ""
    request: str = ""
    worry: str = ""
