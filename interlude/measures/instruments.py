"""GAD-7 and PHQ-9: their items as published (content/instruments.json), scoring and severity
bands. Pure: no queries.

Both are free to use (see SOURCE). Copyrighted instruments (FSFI, IIEF, FSDS-R) are not shipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from interlude.lib.charts import GAD7_BANDS, PHQ9_BANDS, Band

CONTENT = Path(__file__).resolve().parent / "content" / "instruments.json"
GAD7 = "gad7"
PHQ9 = "phq9"
# PHQ-9's ninth item asks about thoughts of self-harm: any answer above 0 is a safety answer.
SAFETY_ITEM = 9


@dataclass(frozen=True)
class Instrument:
    key: str
    name: str
    question: str  # "Over the last 2 weeks, how often ..."
    items: tuple[str, ...]
    difficulty: str  # the optional, unscored last question
    bands: tuple[Band, ...]

    @property
    def top(self) -> int:
        return 3 * len(self.items)

    def score(self, answers: list[int]) -> int:
        if len(answers) != len(self.items) or any(a not in (0, 1, 2, 3) for a in answers):
            raise ValueError(f"{self.name} takes {len(self.items)} answers from 0 to 3.")
        return sum(answers)

    def band(self, total: int) -> str:
        """The severity band's name for TOTAL (minimal, mild, moderate, ...)."""
        for band in self.bands:
            if band.low <= total <= band.high:
                return band.label
        raise ValueError(f"{total} is outside {self.name}'s range.")

    def needs_safety_response(self, answers: list[int]) -> bool:
        return self.key == PHQ9 and len(answers) >= SAFETY_ITEM and answers[SAFETY_ITEM - 1] > 0


@cache
def _data() -> dict[str, object]:
    return json.loads(CONTENT.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def source() -> str:
    return str(_data()["source"])


def answer_words() -> tuple[str, ...]:
    return tuple(str(word) for word in _data()["answers"])  # type: ignore[attr-defined]


def difficulty_words() -> tuple[str, ...]:
    return tuple(str(word) for word in _data()["difficulty_answers"])  # type: ignore[attr-defined]


@cache
def instrument(key: str) -> Instrument:
    raw = _data()["instruments"][key]  # type: ignore[index]
    return Instrument(
        key=key,
        name=raw["name"],
        question=raw["question"],
        items=tuple(raw["items"]),
        difficulty=raw["difficulty"],
        bands=GAD7_BANDS if key == GAD7 else PHQ9_BANDS,
    )


def instruments() -> tuple[Instrument, ...]:
    return (instrument(GAD7), instrument(PHQ9))
