"""Turning an exercise's plain text into something a template renders, always escaped.

The text shape (see interlude.exercises.content): blocks separated by blank lines; in a block,
lines starting with "- " are bullet points ("  - " one level deeper), other lines are a
paragraph. The filters return plain data, never HTML, so autoescaping stays in charge.
"""

from __future__ import annotations

import re
from typing import Any

from django import template

from interlude.exercises.models import RATINGS

register = template.Library()

BULLET = re.compile(r"^(?P<indent>\s*)[-*•]\s+(?P<text>\S.*)$")


@register.filter
def text_blocks(text: str) -> list[dict[str, Any]]:
    """[{"kind": "p", "lines": [...]}, {"kind": "ul", "items": [{"text", "children"}]}]"""
    blocks: list[dict[str, Any]] = []
    for chunk in re.split(r"\n\s*\n", (text or "").strip()):
        current: dict[str, Any] | None = None  # a blank line always starts a new block
        for line in chunk.splitlines():
            if not line.strip():
                continue
            bullet = BULLET.match(line)
            kind = "ul" if bullet else "p"
            if current is None or current["kind"] != kind:
                current = {"kind": "ul", "items": []} if bullet else {"kind": "p", "lines": []}
                blocks.append(current)
            if not bullet:
                current["lines"].append(line.strip())
                continue
            item: dict[str, Any] = {"text": bullet["text"].strip(), "children": []}
            if bullet["indent"] and current["items"]:
                current["items"][-1]["children"].append(item)
            else:
                current["items"].append(item)
    return blocks


@register.filter
def rating_questions(keys: list[str]) -> list[dict[str, Any]]:
    """Rating keys as the questions a client is asked, with their scale unless the question
    already says it (as SUDS does)."""
    questions = []
    for key in keys or []:
        if key not in RATINGS:
            continue
        rating = RATINGS[key]
        scale = f"0 = {rating.low}, {rating.top} = {rating.high}"
        questions.append({"key": key, "question": rating.question, "scale": scale})
    return questions
