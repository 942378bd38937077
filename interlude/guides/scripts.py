"""Guided practice scripts: body-scan cues (content/body_scan.toml) and paced-breathing patterns
(content/breathing.toml), read and strictly checked.

A pure loader: standard library only, no Django models. The files are kept as TOML so a
clinician can review every word and every timing in a pull request. This module refuses a file
that breaks the rules, naming the file, the entry and the problem; in particular a body scan's
cue seconds must add up exactly to its length, so the guide ends when it says it will.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NoReturn, cast

CONTENT_DIR = Path(__file__).resolve().parent / "content"
BODY_SCAN_FILE = CONTENT_DIR / "body_scan.toml"
BREATHING_FILE = CONTENT_DIR / "breathing.toml"
PROJECT_ROOT = Path(__file__).resolve().parents[2]

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_SLUG = 80
MAX_TITLE = 80
MAX_LINE = 300
MAX_CUE = 200  # a cue is read at a glance, in a large calm font
MAX_PHASE_CUE = 40
MAX_LINES = 10

# Every length the body-scan guide offers has a script.
BODY_SCAN_MINUTES = (3, 10, 20)
CUE_SECONDS = (5, 120)
PHASE_SECONDS = (1, 10)
MAX_SESSION_MINUTES = 60

PhaseName = Literal["in", "hold", "out"]
PHASE_NAMES: tuple[PhaseName, ...] = ("in", "hold", "out")

BODY_SCAN_KEYS = ("version", "note", "safety", "scripts")
SCRIPT_KEYS = ("slug", "title", "minutes", "cues")
CUE_KEYS = ("text", "seconds")
BREATHING_KEYS = ("version", "durations_minutes", "default", "safety", "opening", "closing")
BREATHING_TABLES = ("patterns",)
PATTERN_KEYS = ("slug", "title", "description", "phases")
PATTERN_OPTIONAL = ("note",)
PHASE_KEYS = ("name", "seconds", "cue")


class GuideError(ValueError):
    """A guide file cannot be read or is not in the expected shape."""


@dataclass(frozen=True)
class Cue:
    """One line of a guide, shown for ``seconds`` before the next."""

    text: str
    seconds: int


@dataclass(frozen=True)
class BodyScan:
    """One body-scan script; its cues' seconds add up to ``minutes`` x 60."""

    slug: str
    title: str
    minutes: int
    cues: tuple[Cue, ...]

    @property
    def seconds(self) -> int:
        """The script's length in seconds."""
        return self.minutes * 60


@dataclass(frozen=True)
class BodyScans:
    """Every body-scan script, shortest first, with the lines shown before any of them."""

    version: int
    note: str
    safety: str
    scripts: tuple[BodyScan, ...]

    def for_minutes(self, minutes: int) -> BodyScan:
        """The script of this length; KeyError if there is none."""
        for script in self.scripts:
            if script.minutes == minutes:
                return script
        raise KeyError(minutes)


@dataclass(frozen=True)
class BreathPhase:
    """One part of a breathing cycle: breathe in, pause (``hold``) or breathe out."""

    name: PhaseName
    seconds: int
    cue: str


@dataclass(frozen=True)
class BreathingPattern:
    """A breathing rhythm: its phases repeat in order for the chosen duration."""

    slug: str
    title: str
    description: str
    phases: tuple[BreathPhase, ...]
    note: str = ""

    @property
    def cycle_seconds(self) -> int:
        """The length of one cycle through every phase."""
        return sum(phase.seconds for phase in self.phases)


@dataclass(frozen=True)
class Breathing:
    """Every breathing pattern, the durations on offer and the lines around a session."""

    version: int
    durations_minutes: tuple[int, ...]
    default: str
    safety: tuple[str, ...]
    opening: tuple[Cue, ...]
    closing: tuple[Cue, ...]
    patterns: tuple[BreathingPattern, ...]

    def pattern(self, slug: str) -> BreathingPattern:
        """The pattern with this slug; KeyError if there is none."""
        for pattern in self.patterns:
            if pattern.slug == slug:
                return pattern
        raise KeyError(slug)

    @property
    def default_pattern(self) -> BreathingPattern:
        """The pattern offered first."""
        return self.pattern(self.default)


def load_body_scans(path: Path | None = None) -> BodyScans:
    """Read and check the body-scan scripts (content/body_scan.toml unless PATH is given).

    Raises GuideError naming the file, the entry and the problem.
    """
    check = _Checker(BODY_SCAN_FILE if path is None else path)
    data = check.load()
    check.keys(data, "the top level", BODY_SCAN_KEYS)
    version = check.version(data)
    note = check.text(data, "note", "the top level", MAX_LINE)
    safety = check.text(data, "safety", "the top level", MAX_LINE)

    scripts: list[BodyScan] = []
    for number, raw in enumerate(check.tables(data, "scripts", "the top level"), start=1):
        slug = check.slug(raw, f"script {number}")
        where = f"script {slug!r}"
        if slug in (s.slug for s in scripts):
            check.fail(where, "this script slug is used twice")
        check.keys(raw, where, SCRIPT_KEYS)
        minutes = check.integer(raw, "minutes", where, 1, MAX_SESSION_MINUTES)
        if minutes in (s.minutes for s in scripts):
            check.fail(where, f"another script is already {minutes} minutes long")
        cues = check.cues(raw, "cues", where)
        total = sum(cue.seconds for cue in cues)
        if total != minutes * 60:
            check.fail(
                where,
                f"the cues add up to {total} seconds but the script is {minutes} minutes "
                f"({minutes * 60} seconds); change some cue seconds so they match exactly",
            )
        scripts.append(
            BodyScan(
                slug=slug,
                title=check.text(raw, "title", where, MAX_TITLE),
                minutes=minutes,
                cues=cues,
            )
        )

    lengths = tuple(sorted(s.minutes for s in scripts))
    if lengths != BODY_SCAN_MINUTES:
        check.fail(
            "the scripts",
            f"there must be one script for each of {', '.join(map(str, BODY_SCAN_MINUTES))} "
            f"minutes; found {', '.join(map(str, lengths))}",
        )
    scripts.sort(key=lambda s: s.minutes)
    return BodyScans(version=version, note=note, safety=safety, scripts=tuple(scripts))


def load_breathing(path: Path | None = None) -> Breathing:
    """Read and check the breathing patterns (content/breathing.toml unless PATH is given).

    Raises GuideError naming the file, the entry and the problem.
    """
    check = _Checker(BREATHING_FILE if path is None else path)
    data = check.load()
    check.keys(data, "the top level", BREATHING_KEYS + BREATHING_TABLES)
    version = check.version(data)

    durations = data["durations_minutes"]
    if (
        not isinstance(durations, list)
        or not durations
        or not all(type(m) is int and 1 <= m <= MAX_SESSION_MINUTES for m in durations)
        or durations != sorted(set(durations))
    ):
        check.fail(
            "the top level",
            "'durations_minutes' must list whole numbers of minutes from 1 to "
            f"{MAX_SESSION_MINUTES}, smallest first, each once",
        )
    safety = check.lines(data, "safety", "the top level")
    opening = check.cues(data, "opening", "the top level")
    closing = check.cues(data, "closing", "the top level")

    patterns: list[BreathingPattern] = []
    for number, raw in enumerate(check.tables(data, "patterns", "the top level"), start=1):
        slug = check.slug(raw, f"pattern {number}")
        where = f"pattern {slug!r}"
        if slug in (p.slug for p in patterns):
            check.fail(where, "this pattern slug is used twice")
        check.keys(raw, where, PATTERN_KEYS, PATTERN_OPTIONAL)
        patterns.append(
            BreathingPattern(
                slug=slug,
                title=check.text(raw, "title", where, MAX_TITLE),
                description=check.text(raw, "description", where, MAX_LINE),
                phases=check.phases(raw, where),
                note=check.text(raw, "note", where, MAX_LINE) if "note" in raw else "",
            )
        )

    default = data["default"]
    if default not in (p.slug for p in patterns):
        check.fail(
            "the top level",
            f"'default' is {default!r}, which is not one of the patterns "
            f"({', '.join(p.slug for p in patterns)})",
        )
    return Breathing(
        version=version,
        durations_minutes=tuple(durations),
        default=default,
        safety=safety,
        opening=opening,
        closing=closing,
        patterns=tuple(patterns),
    )


class _Checker:
    """Reads one TOML file and checks its values, raising GuideError that names the file, the
    entry and the problem. (Each content loader keeps its own small copy of this, so the apps
    built on them stay independent of each other.)"""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.name = str(path.resolve().relative_to(PROJECT_ROOT))
        except ValueError:
            self.name = str(path)

    def fail(self, where: str, problem: str) -> NoReturn:
        raise GuideError(f"{self.name}: {where}: {problem}")

    def load(self) -> dict[str, Any]:
        try:
            with self.path.open("rb") as handle:
                return tomllib.load(handle)
        except OSError as exc:
            self.fail("the file", f"cannot be read ({exc.strerror or exc})")
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            self.fail("the file", f"is not valid TOML ({exc})")

    def keys(
        self,
        table: dict[str, Any],
        where: str,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> None:
        # Both at once: a misspelt key is usually missing under one name and unknown under another.
        problems = []
        missing = [key for key in required if key not in table]
        if missing:
            problems.append(f"missing key(s): {', '.join(missing)}")
        unknown = sorted(set(table) - set(required) - set(optional))
        if unknown:
            allowed = ", ".join(required + optional)
            problems.append(f"unknown key(s): {', '.join(unknown)} (allowed: {allowed})")
        if problems:
            self.fail(where, "; ".join(problems))

    def version(self, table: dict[str, Any]) -> int:
        value = table.get("version")
        if type(value) is not int or value < 1:
            self.fail("the top level", "'version' must be a whole number from 1")
        return value

    def tables(self, table: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
        value = table.get(key)
        if not isinstance(value, list) or not value:
            self.fail(where, f"'{key}' must be a non-empty list of tables")
        if not all(isinstance(entry, dict) for entry in value):
            self.fail(where, f"every entry in '{key}' must be a table, such as {{ ... }}")
        return value

    def slug(self, table: dict[str, Any], where: str) -> str:
        value = table.get("slug")
        if not isinstance(value, str) or not SLUG_RE.match(value) or len(value) > MAX_SLUG:
            self.fail(
                where,
                f"'slug' is {value!r}; it must be lower-case letters and digits joined by "
                f"single hyphens, at most {MAX_SLUG} characters",
            )
        return value

    def text(self, table: dict[str, Any], key: str, where: str, limit: int) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(where, f"'{key}' must be some text")
        if "\n" in value or "\r" in value:
            self.fail(where, f"'{key}' must be one line")
        value = value.strip()
        if len(value) > limit:
            self.fail(where, f"'{key}' is {len(value)} characters; at most {limit} allowed")
        return value

    def integer(self, table: dict[str, Any], key: str, where: str, low: int, high: int) -> int:
        value = table.get(key)
        if type(value) is not int or not low <= value <= high:
            self.fail(
                where, f"'{key}' is {value!r}; it must be a whole number from {low} to {high}"
            )
        return value

    def lines(self, table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = table.get(key)
        if not isinstance(value, list) or not 1 <= len(value) <= MAX_LINES:
            self.fail(where, f"'{key}' must be a list of 1 to {MAX_LINES} lines of text")
        return tuple(
            self.text({key: line}, key, f"{where}, line {n} of '{key}'", MAX_LINE)
            for n, line in enumerate(value, start=1)
        )

    def cues(self, table: dict[str, Any], key: str, where: str) -> tuple[Cue, ...]:
        cues = []
        for number, raw in enumerate(self.tables(table, key, where), start=1):
            cue_where = f"{where}, cue {number} of '{key}'"
            self.keys(raw, cue_where, CUE_KEYS)
            cues.append(
                Cue(
                    text=self.text(raw, "text", cue_where, MAX_CUE),
                    seconds=self.integer(raw, "seconds", cue_where, *CUE_SECONDS),
                )
            )
        return tuple(cues)

    def phases(self, table: dict[str, Any], where: str) -> tuple[BreathPhase, ...]:
        phases = []
        for number, raw in enumerate(self.tables(table, "phases", where), start=1):
            phase_where = f"{where}, phase {number}"
            self.keys(raw, phase_where, PHASE_KEYS)
            name = raw["name"]
            if name not in PHASE_NAMES:
                self.fail(
                    phase_where,
                    f"'name' is {name!r}; it must be one of {', '.join(PHASE_NAMES)}",
                )
            phases.append(
                BreathPhase(
                    name=cast(PhaseName, name),
                    seconds=self.integer(raw, "seconds", phase_where, *PHASE_SECONDS),
                    cue=self.text(raw, "cue", phase_where, MAX_PHASE_CUE),
                )
            )
        if phases[0].name != "in":
            self.fail(where, "the first phase must be 'in'")
        if not any(phase.name == "out" for phase in phases):
            self.fail(where, "there must be at least one 'out' phase")
        # A cycle repeats, so the last phase meets the first; two of a kind in a row is a typo.
        for before, after in zip(phases, phases[1:] + phases[:1], strict=True):
            if before.name == after.name:
                self.fail(where, f"two '{before.name}' phases follow each other")
        return tuple(phases)
