"""How well the coach's rules agree with a set of labelled sentences.

A row is a mapping with "text" (str), "blame" (bool) and optionally "pattern" (a pattern id or
null). Overall figures treat the coach as a yes/no judge of blame. Per pattern:
- recall: of the rows labelled with the pattern, the share where the coach found that pattern;
- precision: of the rows where the coach found the pattern, the share labelled as blame (a row
  may show several patterns, and finding a second one in a blaming sentence is not a mistake).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from interlude.coach.rules import PATTERNS, analyse


@dataclass(frozen=True)
class Scores:
    """Counts and the figures computed from them; a figure is None when its base is zero."""

    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float | None:
        """Share of the coach's yeses that were right."""
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else None

    @property
    def recall(self) -> float | None:
        """Share of the real yeses the coach found."""
        real = self.true_positives + self.false_negatives
        return self.true_positives / real if real else None

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None
        return 2 * p * r / (p + r)


@dataclass(frozen=True)
class PatternScores:
    """One pattern's figures, with how many rows carried its label and how many it fired on."""

    pattern: str
    labelled: int
    detected: int
    recall: float | None
    precision: float | None

    @property
    def f1(self) -> float | None:
        """Harmonic mean of this pattern's precision and recall."""
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None
        return 2 * p * r / (p + r)


@dataclass(frozen=True)
class Mistake:
    """A row the coach judged differently from its label."""

    text: str
    blame: bool
    pattern: str | None
    found: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """Overall and per-pattern figures for one set of rows, and the rows that disagreed."""

    rows: int
    blame_rows: int
    overall: Scores
    patterns: tuple[PatternScores, ...]
    mistakes: tuple[Mistake, ...]


def evaluate(rows: Iterable[Mapping[str, object]]) -> Report:
    """Run the coach over each row and compare with its labels."""
    tp = fp = fn = count = blame_rows = 0
    labelled: dict[str, int] = {}
    recalled: dict[str, int] = {}
    detected: dict[str, int] = {}
    detected_on_blame: dict[str, int] = {}
    mistakes: list[Mistake] = []
    for row in rows:
        text, blame = str(row["text"]), bool(row["blame"])
        label = row.get("pattern")
        pattern = str(label) if label else None
        found = analyse(text).patterns
        count += 1
        blame_rows += blame
        predicted = bool(found)
        tp += predicted and blame
        fp += predicted and not blame
        fn += blame and not predicted
        if predicted != blame or (pattern and pattern not in found):
            mistakes.append(Mistake(text, blame, pattern, tuple(sorted(found))))
        if pattern:
            labelled[pattern] = labelled.get(pattern, 0) + 1
            recalled[pattern] = recalled.get(pattern, 0) + (pattern in found)
        for p in found:
            detected[p] = detected.get(p, 0) + 1
            detected_on_blame[p] = detected_on_blame.get(p, 0) + blame
    ids = list(PATTERNS) + sorted(set(labelled) - set(PATTERNS))
    per_pattern = tuple(
        PatternScores(
            pattern=p,
            labelled=labelled.get(p, 0),
            detected=detected.get(p, 0),
            recall=recalled.get(p, 0) / labelled[p] if labelled.get(p) else None,
            precision=detected_on_blame.get(p, 0) / detected[p] if detected.get(p) else None,
        )
        for p in ids
        if labelled.get(p) or detected.get(p)
    )
    return Report(
        rows=count,
        blame_rows=blame_rows,
        overall=Scores(tp, fp, fn),
        patterns=per_pattern,
        mistakes=tuple(mistakes),
    )


def _figure(value: float | None) -> str:
    return "   —  " if value is None else f"{value:6.3f}"


def format_report(report: Report, *, mistakes: bool = False) -> str:
    """The report as plain text: overall figures, a table per pattern, optionally the mistakes."""
    o = report.overall
    lines = [
        f"{report.rows} sentences, {report.blame_rows} labelled as blame.",
        "",
        "Overall (blame or not)",
        f"  precision {_figure(o.precision)}   recall {_figure(o.recall)}   F1 {_figure(o.f1)}",
        f"  found {o.true_positives}, flagged in error {o.false_positives}, "
        f"not found {o.false_negatives}",
        "",
        "Per pattern  (recall over rows labelled with it; precision over rows it fired on)",
        f"  {'pattern':<18} {'labelled':>8} {'fired':>6} {'recall':>7} {'precision':>9} {'F1':>7}",
    ]
    for p in report.patterns:
        lines.append(
            f"  {p.pattern:<18} {p.labelled:>8} {p.detected:>6} {_figure(p.recall):>7} "
            f"{_figure(p.precision):>9} {_figure(p.f1):>7}"
        )
    if mistakes and report.mistakes:
        lines += ["", "Disagreements"]
        for m in report.mistakes:
            expected = m.pattern or ("blame" if m.blame else "no blame")
            found = ", ".join(m.found) or "nothing"
            lines.append(f"  expected {expected}; found {found}: {m.text}")
    return "\n".join(lines)


class DataError(ValueError):
    """A sentence file that cannot be read, with a message fit to show a person."""


def read_rows(path: Path) -> list[dict[str, object]]:
    """Read a JSON-lines file of {"text": ..., "blame": ..., "pattern": ...} rows.

    Blank lines are skipped. Raises DataError naming the file and line for anything else that
    is not a row.
    """
    try:
        content = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(
            f"No file at {path}. Give the path to a JSON-lines file of sentences."
        ) from None
    except IsADirectoryError:
        raise DataError(
            f"{path} is a folder. Give the path to a JSON-lines file of sentences."
        ) from None
    except UnicodeDecodeError:
        raise DataError(f"{path} is not UTF-8 text.") from None
    rows = []
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{where}: not valid JSON ({exc.msg}).") from None
        if not isinstance(row, dict):
            raise DataError(f'{where}: expected an object like {{"text": "...", "blame": true}}.')
        if not isinstance(row.get("text"), str) or not row["text"].strip():
            raise DataError(f'{where}: "text" is missing or is not a piece of text.')
        if not isinstance(row.get("blame"), bool):
            raise DataError(f'{where}: "blame" is missing or is not true or false.')
        pattern = row.get("pattern")
        if pattern is not None and not isinstance(pattern, str):
            raise DataError(f'{where}: "pattern" is not a pattern id or null.')
        rows.append(row)
    if not rows:
        raise DataError(f"{path} has no sentences in it.")
    return rows
