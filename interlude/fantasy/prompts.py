"""Fantasy journal prompts (content/prompts.toml) and new-sensation log categories
(content/sensations.toml), read and strictly checked.

A pure loader: standard library only, no Django models. The files are kept as TOML so a
clinician can review every word in a pull request. This module refuses a file that breaks the
rules, naming the file, the entry and the problem.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

CONTENT_DIR = Path(__file__).resolve().parent / "content"
PROMPTS_FILE = CONTENT_DIR / "prompts.toml"
SENSATIONS_FILE = CONTENT_DIR / "sensations.toml"
PROJECT_ROOT = Path(__file__).resolve().parents[2]

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_SLUG = 80
MAX_TITLE = 80
MAX_LINE = 300
MAX_EXAMPLE = 80
MAX_LINES = 10
MIN_PROMPTS = 20
EXAMPLES = (3, 6)

# The log offers these categories; other apps and saved entries refer to them by slug.
SENSATION_SLUGS = ("texture", "temperature", "pressure", "lubricant", "toy", "other")

PROMPTS_KEYS = ("version", "no_obligation", "privacy", "care", "prompts")
PROMPT_KEYS = ("slug", "text")
SENSATIONS_KEYS = ("version", "intro", "safety", "categories")
CATEGORY_KEYS = ("slug", "title", "hint", "examples")
CATEGORY_OPTIONAL = ("safety",)


class FantasyContentError(ValueError):
    """A fantasy content file cannot be read or is not in the expected shape."""


@dataclass(frozen=True)
class Prompt:
    """One optional fantasy-journal prompt."""

    slug: str
    text: str


@dataclass(frozen=True)
class FantasyPrompts:
    """Every prompt, with the lines shown alongside the journal."""

    version: int
    no_obligation: str
    privacy: str
    care: str
    prompts: tuple[Prompt, ...]

    def prompt(self, slug: str) -> Prompt:
        """The prompt with this slug; KeyError if there is none."""
        for prompt in self.prompts:
            if prompt.slug == slug:
                return prompt
        raise KeyError(slug)


@dataclass(frozen=True)
class SensationCategory:
    """A kind of sensation to log, with what to notice, examples and any safety lines."""

    slug: str
    title: str
    hint: str
    examples: tuple[str, ...]
    safety: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sensations:
    """Every category of the new-sensations log, with the lines shown above it."""

    version: int
    intro: str
    safety: tuple[str, ...]
    categories: tuple[SensationCategory, ...]

    def category(self, slug: str) -> SensationCategory:
        """The category with this slug; KeyError if there is none."""
        for category in self.categories:
            if category.slug == slug:
                return category
        raise KeyError(slug)


def load_prompts(path: Path | None = None) -> FantasyPrompts:
    """Read and check the fantasy journal prompts (content/prompts.toml unless PATH is given).

    Raises FantasyContentError naming the file, the entry and the problem.
    """
    check = _Checker(PROMPTS_FILE if path is None else path)
    data = check.load()
    check.keys(data, "the top level", PROMPTS_KEYS)
    version = check.version(data)
    prompts: list[Prompt] = []
    for number, raw in enumerate(check.tables(data, "prompts", "the top level"), start=1):
        slug = check.slug(raw, f"prompt {number}")
        where = f"prompt {slug!r}"
        if slug in (p.slug for p in prompts):
            check.fail(where, "this prompt slug is used twice")
        check.keys(raw, where, PROMPT_KEYS)
        prompts.append(Prompt(slug=slug, text=check.text(raw, "text", where, MAX_LINE)))
    if len(prompts) < MIN_PROMPTS:
        check.fail("the prompts", f"there must be at least {MIN_PROMPTS}; found {len(prompts)}")
    return FantasyPrompts(
        version=version,
        no_obligation=check.text(data, "no_obligation", "the top level", MAX_LINE),
        privacy=check.text(data, "privacy", "the top level", MAX_LINE),
        care=check.text(data, "care", "the top level", MAX_LINE),
        prompts=tuple(prompts),
    )


def load_sensations(path: Path | None = None) -> Sensations:
    """Read and check the new-sensations log categories (content/sensations.toml unless PATH is
    given).

    Raises FantasyContentError naming the file, the entry and the problem.
    """
    check = _Checker(SENSATIONS_FILE if path is None else path)
    data = check.load()
    check.keys(data, "the top level", SENSATIONS_KEYS)
    version = check.version(data)
    categories: list[SensationCategory] = []
    for number, raw in enumerate(check.tables(data, "categories", "the top level"), start=1):
        slug = check.slug(raw, f"category {number}")
        where = f"category {slug!r}"
        if slug in (c.slug for c in categories):
            check.fail(where, "this category slug is used twice")
        check.keys(raw, where, CATEGORY_KEYS, CATEGORY_OPTIONAL)
        categories.append(
            SensationCategory(
                slug=slug,
                title=check.text(raw, "title", where, MAX_TITLE),
                hint=check.text(raw, "hint", where, MAX_LINE),
                examples=check.lines(raw, "examples", where, *EXAMPLES, limit=MAX_EXAMPLE),
                safety=check.lines(raw, "safety", where, 1, MAX_LINES) if "safety" in raw else (),
            )
        )
    missing = [slug for slug in SENSATION_SLUGS if slug not in (c.slug for c in categories)]
    if missing:
        check.fail("the categories", f"missing the required categories: {', '.join(missing)}")
    return Sensations(
        version=version,
        intro=check.text(data, "intro", "the top level", MAX_LINE),
        safety=check.lines(data, "safety", "the top level", 1, MAX_LINES),
        categories=tuple(categories),
    )


class _Checker:
    """Reads one TOML file and checks its values, raising FantasyContentError that names the
    file, the entry and the problem. (Each content loader keeps its own small copy of this, so
    the apps built on them stay independent of each other.)"""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.name = str(path.resolve().relative_to(PROJECT_ROOT))
        except ValueError:
            self.name = str(path)

    def fail(self, where: str, problem: str) -> NoReturn:
        raise FantasyContentError(f"{self.name}: {where}: {problem}")

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
            self.fail(where, f"'{key}' must be a non-empty list of tables ([[{key}]])")
        if not all(isinstance(entry, dict) for entry in value):
            self.fail(where, f"every entry in '{key}' must be a table ([[{key}]])")
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

    def lines(
        self,
        table: dict[str, Any],
        key: str,
        where: str,
        fewest: int,
        most: int,
        *,
        limit: int = MAX_LINE,
    ) -> tuple[str, ...]:
        value = table.get(key)
        if not isinstance(value, list) or not fewest <= len(value) <= most:
            self.fail(where, f"'{key}' must be a list of {fewest} to {most} lines of text")
        return tuple(
            self.text({key: line}, key, f"{where}, line {n} of '{key}'", limit)
            for n, line in enumerate(value, start=1)
        )
