"""The fantasy app's content files, read once per process (interlude/fantasy/prompts.py checks
them)."""

from __future__ import annotations

from functools import cache

from interlude.fantasy.prompts import FantasyPrompts, Sensations, load_prompts, load_sensations


@cache
def prompts() -> FantasyPrompts:
    return load_prompts()


@cache
def sensations() -> Sensations:
    return load_sensations()
