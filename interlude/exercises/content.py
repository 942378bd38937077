"""The built-in exercise library: Markdown files under content/, parsed and strictly checked.

A content file is TOML front matter between two ``+++`` lines, then exactly seven ``##``
sections in a fixed order, optionally followed by an eighth, ``## For therapists``: notes shown
to therapists only, never to a client or a partner. Text is kept as plain text: inline Markdown
(bold, italics, code, links) is reduced to its words, paragraphs become single lines separated
by a blank line, and bullet points stay as lines starting with "- " (nested ones with "  - ").
Templates render that shape through the ``text_blocks`` filter, always escaped.

This module imports no models at import time, so a data migration can use it with its own
historical model classes (see ``sync_library``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

CONTENT_DIR = Path(__file__).resolve().parent / "content"

SECTIONS = (
    ("What it is", "what_it_is"),
    ("Before you start", "before_you_start"),
    ("Steps", "steps"),
    ("If you want to stop", "if_you_want_to_stop"),
    ("Afterwards", "afterwards"),
    ("Why it helps", "why_it_helps"),
    ("Safety notes", "safety_notes"),
)
# Sections a file may add after the seven, in this order. Same text rules; may be left out.
OPTIONAL_SECTIONS = (("For therapists", "for_therapists"),)
TEXT_FIELDS = tuple(name for _, name in SECTIONS if name != "steps")
OPTIONAL_TEXT_FIELDS = tuple(name for _, name in OPTIONAL_SECTIONS)

REQUIRED_KEYS = (
    "slug",
    "version",
    "family",
    "title",
    "summary",
    "suits",
    "intensity",
    "duration_minutes",
    "ratings_before",
    "ratings_after",
    "reflection_prompts",
)
OPTIONAL_KEYS = ("programme", "stage")

# The fields of one ExerciseVersion's text, in the order a reader meets them.
VERSION_FIELDS = (
    "title",
    "summary",
    "family",
    "suits",
    "intensity",
    "duration_minutes",
    "programme",
    "stage",
    "what_it_is",
    "before_you_start",
    "steps",
    "if_you_want_to_stop",
    "afterwards",
    "why_it_helps",
    "safety_notes",
    "for_therapists",
    "ratings_before",
    "ratings_after",
    "reflection_prompts",
)

MAX_TITLE = 160
MAX_SUMMARY = 300
MAX_SLUG = 80
MAX_DURATION = 240
MAX_TEXT = 10_000
MAX_STEPS = 30
MAX_STEP = 600
MAX_PROMPTS = 12
MAX_PROMPT = 300

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HEADING_RE = re.compile(r"^## (?P<title>\S.*?)\s*$")
STEP_RE = re.compile(r"^(?P<number>\d+)\.\s+(?P<text>\S.*)$")
BULLET_RE = re.compile(r"^(?P<indent>\s*)[-*+]\s+(?P<text>\S.*)$")
NUMBERED_RE = re.compile(r"^\s*\d+[.)]\s")

Fail = Callable[[str], NoReturn]


class ContentError(ValueError):
    """A content file (or the library as a whole) is not in the expected shape."""


class LibraryVersionError(ContentError):
    """A built-in exercise's text changed but its ``version`` was not raised."""


@dataclass(frozen=True)
class ExerciseContent:
    """One content file, parsed and checked."""

    path: Path
    slug: str
    version: int
    family: str
    title: str
    summary: str
    suits: str
    intensity: str
    duration_minutes: int
    what_it_is: str
    before_you_start: str
    steps: list[str]
    if_you_want_to_stop: str
    afterwards: str
    why_it_helps: str
    safety_notes: str
    ratings_before: list[str]
    ratings_after: list[str]
    reflection_prompts: list[str]
    programme: str = ""
    stage: int | None = None
    for_therapists: str = ""

    def version_fields(self, model: Any = None) -> dict[str, Any]:
        """The values of an ExerciseVersion row for this file (lists copied). Given a MODEL
        class, only the fields it has: a migration's historical model may predate some."""
        names = VERSION_FIELDS if model is None else model_fields(model, VERSION_FIELDS)
        values = {name: getattr(self, name) for name in names}
        for name in ("steps", "ratings_before", "ratings_after", "reflection_prompts"):
            values[name] = list(values[name])
        return values


def model_fields(model: Any, names: Sequence[str]) -> tuple[str, ...]:
    """Those of NAMES that MODEL (a real or a historical model class) has as fields."""
    have = {f.name for f in model._meta.get_fields()}
    return tuple(name for name in names if name in have)


# --- Checking field values (shared with the actions for a practice's own exercises) ---------


def _choices() -> tuple[set[str], set[str], set[str], set[str]]:
    from interlude.exercises.models import RATINGS, Family, Intensity, Suits

    return set(Family.values), set(Suits.values), set(Intensity.values), set(RATINGS)


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def field_problems(values: Mapping[str, Any]) -> list[str]:
    """Everything wrong with an exercise version's values, in plain words (empty when fine)."""
    families, suits, intensities, ratings = _choices()
    problems: list[str] = []

    for name, limit in (("title", MAX_TITLE), ("summary", MAX_SUMMARY)):
        value = values.get(name)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"'{name}' must be some text")
        elif "\n" in value or len(value) > limit:
            problems.append(f"'{name}' must be one line of at most {limit} characters")
    for name, allowed in (("family", families), ("suits", suits), ("intensity", intensities)):
        if values.get(name) not in allowed:
            problems.append(
                f"'{name}' is {values.get(name)!r}; it must be one of {', '.join(sorted(allowed))}"
            )
    duration = values.get("duration_minutes")
    if type(duration) is not int or not 1 <= duration <= MAX_DURATION:
        problems.append(f"'duration_minutes' must be a whole number from 1 to {MAX_DURATION}")
    programme, stage = values.get("programme", ""), values.get("stage")
    if programme and (not isinstance(programme, str) or not SLUG_RE.match(programme)):
        problems.append("'programme' must be a slug such as 'sensate-focus'")
    if stage is not None and (type(stage) is not int or stage < 1):
        problems.append("'stage' must be a whole number from 1")
    if bool(programme) != (stage is not None):
        problems.append("'programme' and 'stage' go together: give both or neither")
    for name in TEXT_FIELDS:
        value = values.get(name)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"'{name}' must not be empty")
        elif len(value) > MAX_TEXT:
            problems.append(f"'{name}' must be at most {MAX_TEXT:,} characters")
    for name in OPTIONAL_TEXT_FIELDS:
        value = values.get(name, "")
        if not isinstance(value, str):
            problems.append(f"'{name}' must be text (it may be empty)")
        elif len(value) > MAX_TEXT:
            problems.append(f"'{name}' must be at most {MAX_TEXT:,} characters")
    problems += _list_problems(values.get("steps"), "steps", MAX_STEPS, MAX_STEP)
    problems += _list_problems(
        values.get("reflection_prompts"), "reflection_prompts", MAX_PROMPTS, MAX_PROMPT
    )
    for name in ("ratings_before", "ratings_after"):
        keys = values.get(name)
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            problems.append(f"'{name}' must be a list of rating names")
            continue
        unknown = [k for k in keys if k not in ratings]
        if unknown:
            problems.append(
                f"'{name}' has unknown rating(s) {', '.join(unknown)}; "
                f"known ratings are {', '.join(sorted(ratings))}"
            )
        if len(set(keys)) != len(keys):
            problems.append(f"'{name}' lists a rating twice")
    return problems


def _list_problems(items: object, name: str, most: int, longest: int) -> list[str]:
    if not isinstance(items, list) or not items:
        return [f"'{name}' must list at least one item"]
    if not all(_is_text(item) for item in items):
        return [f"every item in '{name}' must be some text"]
    problems = []
    if len(items) > most:
        problems.append(f"'{name}' may have at most {most} items")
    if any(len(item) > longest or "\n" in item for item in items):
        problems.append(f"each item in '{name}' must be one line of at most {longest} characters")
    return problems


# --- Parsing one file -----------------------------------------------------------------------


def plain(text: str) -> str:
    """Inline Markdown reduced to its words: **bold**, *italics*, `code`, [links](url)."""
    result = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    result = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: m.group(1) or m.group(2), result)
    result = re.sub(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])", r"\1", result)
    result = re.sub(r"`([^`]*)`", r"\1", result)
    if result != text:
        # "**when** [a situation] **, and I'd like**" would otherwise leave "situation] , and".
        result = re.sub(r"\s+([,.;:!?])", r"\1", result)
    return result


def _text_section(lines: list[tuple[int, str]], fail: Fail) -> str:
    """Paragraphs to single lines, bullets to "- " lines (one level of nesting), blank lines
    between blocks."""
    out: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(" ".join(paragraph))
            paragraph.clear()

    for number, raw in lines:
        line = raw.rstrip()
        if not line.strip():
            flush()
            if out and out[-1]:
                out.append("")
            continue
        if NUMBERED_RE.match(line):
            fail(f"line {number}: numbered lists belong in the Steps section; use '- ' here")
        bullet = BULLET_RE.match(line)
        if bullet:
            flush()
            indent = len(bullet["indent"].expandtabs(4))
            if indent > 3:
                fail(f"line {number}: bullet points may be nested one level only")
            prefix = "  - " if indent >= 2 else "- "
            out.append(prefix + plain(bullet["text"]))
        elif out and out[-1].lstrip().startswith("- ") and not paragraph:
            # A wrapped bullet point continues on the next line.
            out[-1] += " " + plain(line.strip())
        else:
            paragraph.append(plain(line.strip()))
    flush()
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _steps_section(lines: list[tuple[int, str]], fail: Fail) -> list[str]:
    steps: list[str] = []
    for number, raw in lines:
        if not raw.strip():
            continue
        step = STEP_RE.match(raw.rstrip())
        if step:
            if int(step["number"]) != len(steps) + 1:
                fail(
                    f"line {number}: steps must be numbered 1, 2, 3 and so on; "
                    f"expected {len(steps) + 1}, found {step['number']}"
                )
            steps.append(plain(step["text"]))
        elif steps and raw[:1].isspace():
            steps[-1] += " " + plain(raw.strip())
        else:
            fail(
                f"line {number}: the Steps section must be a numbered list only "
                "('1. …'), one action per step"
            )
    return steps


def parse_file(path: Path, *, root: Path | None = None) -> ExerciseContent:
    """Parse and check one content file. Raises ContentError naming the file and the problem."""
    root = CONTENT_DIR if root is None else root
    try:
        name = str(path.relative_to(root))
    except ValueError:
        name = str(path)

    def fail(problem: str) -> NoReturn:
        raise ContentError(f"{name}: {problem}")

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot be read as UTF-8 text ({exc})")
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "+++":
        fail("must start with a line of '+++' opening the TOML front matter")
    try:
        close = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
    except StopIteration:
        fail("the front matter is not closed by a second line of '+++'")
    try:
        meta = tomllib.loads("\n".join(lines[1:close]))
    except tomllib.TOMLDecodeError as exc:
        fail(f"the front matter is not valid TOML ({exc})")

    problems = []
    missing = [key for key in REQUIRED_KEYS if key not in meta]
    if missing:
        problems.append(f"missing front-matter key(s): {', '.join(missing)}")
    unknown = sorted(set(meta) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS))
    if unknown:
        problems.append(
            f"unknown front-matter key(s): {', '.join(unknown)} "
            f"(allowed: {', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)})"
        )
    slug, version = meta.get("slug"), meta.get("version")
    if not isinstance(slug, str) or not SLUG_RE.match(slug) or len(slug) > MAX_SLUG:
        problems.append("'slug' must be lower-case words joined by hyphens")
    elif slug != path.stem:
        problems.append(f"'slug' is {slug!r} but the file is named {path.name!r}; make them match")
    if type(version) is not int or version < 1:
        problems.append("'version' must be a whole number from 1")
    family = meta.get("family")
    if path.parent != root and isinstance(family, str) and family != path.parent.name:
        problems.append(f"'family' is {family!r} but the file is in the {path.parent.name}/ folder")
    if problems:
        fail("; ".join(problems))

    sections: dict[str, list[tuple[int, str]]] = {}
    found: list[str] = []
    current: list[tuple[int, str]] | None = None
    for number, line in enumerate(lines[close + 1 :], start=close + 2):
        heading = HEADING_RE.match(line)
        if heading:
            found.append(heading["title"])
            current = sections.setdefault(heading["title"], [])
        elif line.lstrip().startswith("#"):
            fail(
                f"line {number}: only the seven '## ' section headings (and an optional "
                "'## For therapists' at the end) are allowed here"
            )
        elif current is None:
            if line.strip():
                fail(f"line {number}: text before the first '## ' section heading")
        else:
            current.append((number, line))
    expected = [title for title, _ in SECTIONS]
    optional = [title for title, _ in OPTIONAL_SECTIONS]
    extra = found[len(expected) :]
    if found[: len(expected)] != expected or extra != optional[: len(extra)]:
        fail(
            "the sections must be, in this order: "
            + ", ".join(f"'## {t}'" for t in expected)
            + ", then optionally "
            + ", ".join(f"'## {t}'" for t in optional)
            + "; found: "
            + (", ".join(f"'## {t}'" for t in found) or "none")
        )

    body: dict[str, Any] = {}
    for title, attribute in SECTIONS + OPTIONAL_SECTIONS:
        if attribute == "steps":
            body[attribute] = _steps_section(sections[title], fail)
        elif title in sections:
            body[attribute] = _text_section(sections[title], fail)
        else:
            body[attribute] = ""
        if not body[attribute] and title in sections:
            fail(f"the '## {title}' section is empty")

    values = {**meta, **body}
    values.setdefault("programme", "")
    values.setdefault("stage", None)
    problems = field_problems(values)
    if problems:
        fail("; ".join(problems))
    return ExerciseContent(path=path, **values)


def load_library(root: Path | None = None) -> list[ExerciseContent]:
    """Every content file under ROOT (the app's content/ folder by default), parsed and checked,
    in a stable order."""
    root = CONTENT_DIR if root is None else root
    paths = sorted(root.rglob("*.md"))
    if not paths:
        raise ContentError(f"{root}: no exercise files (*.md) found")
    library = [parse_file(path, root=root) for path in paths]
    seen: dict[str, Path] = {}
    for item in library:
        if item.slug in seen:
            raise ContentError(
                f"{item.path.relative_to(root)}: slug {item.slug!r} is already used by "
                f"{seen[item.slug].relative_to(root)}"
            )
        seen[item.slug] = item.path
    return library


# --- Writing the library into the database ---------------------------------------------------


@dataclass
class SyncResult:
    """What a sync wrote: (exercise, version) rows created, updated or filled in, and how many
    files were unchanged."""

    created: list[tuple[Any, Any]] = field(default_factory=list)
    updated: list[tuple[Any, Any]] = field(default_factory=list)
    filled: list[tuple[Any, Any]] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        filled = f", {len(self.filled)} filled in" if self.filled else ""
        return (
            f"Exercise library: {len(self.created)} new, {len(self.updated)} updated{filled}, "
            f"{self.unchanged} unchanged."
        )


def _blank(value: Any) -> bool:
    return value in ("", None, [])


def sync_library(
    *,
    exercise_model: Any,
    version_model: Any,
    library: Sequence[ExerciseContent] | None = None,
    fill_blank: Sequence[str] = (),
) -> SyncResult:
    """Write built-in exercises from the content files, given the two model classes (the real
    ones, or a migration's historical ones, which may lack later fields: only the fields the
    model has are written and compared). Never edits a stored version's text: a changed file
    must carry a higher ``version``, which becomes a new row.

    FILL_BLANK names fields added to ExerciseVersion after some rows were written (for a data
    migration): when the stored latest version has the file's own version number and differs
    from the file only in those fields, and they are blank in the stored row, they are filled
    in. That row was written from this very file before the column existed.

    The caller provides the transaction."""
    items = load_library() if library is None else library
    result = SyncResult()
    for item in items:
        values = item.version_fields(version_model)
        denormalised = {k: values[k] for k in ("family", "suits", "intensity", "title")}
        exercise = exercise_model.objects.filter(practice__isnull=True, slug=item.slug).first()
        if exercise is None:
            exercise = exercise_model.objects.create(
                slug=item.slug, practice=None, latest_version=item.version, **denormalised
            )
            version = version_model.objects.create(
                exercise=exercise, version=item.version, **values
            )
            result.created.append((exercise, version))
            continue
        latest = version_model.objects.get(exercise=exercise, version=exercise.latest_version)
        differs = [name for name, value in values.items() if getattr(latest, name) != value]
        if not differs:
            result.unchanged += 1
            continue
        if (
            item.version == latest.version
            and set(differs) <= set(fill_blank)
            and all(_blank(getattr(latest, name)) for name in differs)
        ):
            for name in differs:
                setattr(latest, name, values[name])
            latest.save(update_fields=differs)
            result.filled.append((exercise, latest))
            continue
        if item.version <= latest.version:
            raise LibraryVersionError(
                f"{item.path.parent.name}/{item.path.name}: the text differs from the stored "
                f"version {latest.version} "
                f"of {item.slug!r}, but the file still says version = {item.version}. Bump "
                f"'version' to {latest.version + 1} in its front matter: stored versions are "
                "never edited, because assignments point at the version they were given."
            )
        version = version_model.objects.create(exercise=exercise, version=item.version, **values)
        for name, value in denormalised.items():
            setattr(exercise, name, value)
        exercise.latest_version = item.version
        exercise.save(update_fields=[*denormalised, "latest_version"])
        result.updated.append((exercise, version))
    return result
