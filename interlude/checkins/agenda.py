"""The weekly check-in agenda: content/agenda.toml, read and strictly checked.

A pure loader: standard library only, no Django models. The file is kept as TOML so a clinician
can review every word in a pull request. This module refuses a file that breaks the rules,
naming the file, the entry and the problem; in particular, nothing a solo client sees may use
partner wording, because a client whose partner is not taking part is never reminded of it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

CONTENT_FILE = Path(__file__).resolve().parent / "content" / "agenda.toml"
PROJECT_ROOT = Path(__file__).resolve().parents[2]

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_SLUG = 80
MAX_TITLE = 80
MAX_LINE = 300
MAX_LINES = 10

# The agenda's fixed order: appreciation first sets a kind tone; a kind plan closes it.
SECTION_SLUGS = (
    "appreciation",
    "what-felt-good",
    "more-or-less",
    "a-worry",
    "practice-plans",
    "kind-thing",
)
MIN_EXAMPLES = 2
MAX_EXAMPLES = 3

# Words that presume a partner who takes part. Whole words, any case.
PARTNER_WORDS_RE = re.compile(
    r"\b(partners?|partner['’]s|together|both|each\s+other|we|us|our|ours|couple|couples)\b",
    re.IGNORECASE,
)

TOP_KEYS = ("version", "intro_couple", "intro_solo", "after_reveal", "after_solo", "sections")
SECTION_KEYS = ("slug", "title", "question_couple", "question_solo", "hint", "examples")


class AgendaError(ValueError):
    """The agenda file cannot be read or is not in the expected shape."""


@dataclass(frozen=True)
class AgendaSection:
    """One question of the check-in, in its couple and solo wording."""

    slug: str
    title: str
    question_couple: str
    question_solo: str
    hint: str
    examples: tuple[str, ...]

    def question(self, *, solo: bool) -> str:
        """The question as a solo client or a partner preparing for a talk sees it."""
        return self.question_solo if solo else self.question_couple


@dataclass(frozen=True)
class Agenda:
    """The whole agenda. ``version`` is raised in the file whenever any text changes."""

    version: int
    intro_couple: str
    intro_solo: str
    after_reveal: tuple[str, ...]
    after_solo: tuple[str, ...]
    sections: tuple[AgendaSection, ...]

    def intro(self, *, solo: bool) -> str:
        """The introduction for a solo client or for partners preparing for a talk."""
        return self.intro_solo if solo else self.intro_couple

    def after(self, *, solo: bool) -> tuple[str, ...]:
        """What to do with the answers: talking it over (couple) or reading back (solo)."""
        return self.after_solo if solo else self.after_reveal

    def section(self, slug: str) -> AgendaSection:
        """The section with this slug; KeyError if there is none."""
        for section in self.sections:
            if section.slug == slug:
                return section
        raise KeyError(slug)


def partner_words(text: str) -> list[str]:
    """Every word in TEXT that presumes a partner taking part (empty when there is none)."""
    return [match.group(0) for match in PARTNER_WORDS_RE.finditer(text)]


def load_agenda(path: Path | None = None) -> Agenda:
    """Read and check the check-in agenda (content/agenda.toml unless PATH is given).

    Raises AgendaError naming the file, the entry and the problem.
    """
    check = _Checker(CONTENT_FILE if path is None else path)
    data = check.load()
    check.keys(data, "the top level", TOP_KEYS)
    version = check.version(data)
    intro_couple = check.text(data, "intro_couple", "the top level", MAX_LINE)
    intro_solo = check.solo(check.text(data, "intro_solo", "the top level", MAX_LINE), "intro_solo")
    after_reveal = check.lines(data, "after_reveal", "the top level", 1, MAX_LINES)
    after_solo = check.lines(data, "after_solo", "the top level", 1, MAX_LINES)
    for line in after_solo:
        check.solo(line, "after_solo")

    sections: list[AgendaSection] = []
    for number, raw in enumerate(check.tables(data, "sections", "the top level"), start=1):
        slug = check.slug(raw, f"section {number}")
        where = f"section {slug!r}"
        if slug in (s.slug for s in sections):
            check.fail(where, "this section slug is used twice")
        check.keys(raw, where, SECTION_KEYS)
        question_solo = check.text(raw, "question_solo", where, MAX_LINE)
        hint = check.text(raw, "hint", where, MAX_LINE)
        examples = check.lines(raw, "examples", where, MIN_EXAMPLES, MAX_EXAMPLES)
        # The hint and examples are shown to solo clients too, so they are held to the same rule.
        check.solo(question_solo, f"{where}: 'question_solo'")
        check.solo(hint, f"{where}: 'hint'")
        for example in examples:
            check.solo(example, f"{where}: 'examples'")
        sections.append(
            AgendaSection(
                slug=slug,
                title=check.text(raw, "title", where, MAX_TITLE),
                question_couple=check.text(raw, "question_couple", where, MAX_LINE),
                question_solo=question_solo,
                hint=hint,
                examples=examples,
            )
        )

    found = tuple(section.slug for section in sections)
    if found != SECTION_SLUGS:
        check.fail(
            "the sections",
            f"must be, in this order: {', '.join(SECTION_SLUGS)}; found: {', '.join(found)}",
        )
    return Agenda(
        version=version,
        intro_couple=intro_couple,
        intro_solo=intro_solo,
        after_reveal=after_reveal,
        after_solo=after_solo,
        sections=tuple(sections),
    )


class _Checker:
    """Reads one TOML file and checks its values, raising AgendaError that names the file, the
    entry and the problem. (Each content loader keeps its own small copy of this, so the apps
    built on them stay independent of each other.)"""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.name = str(path.resolve().relative_to(PROJECT_ROOT))
        except ValueError:
            self.name = str(path)

    def fail(self, where: str, problem: str) -> NoReturn:
        raise AgendaError(f"{self.name}: {where}: {problem}")

    def load(self) -> dict[str, Any]:
        try:
            with self.path.open("rb") as handle:
                return tomllib.load(handle)
        except OSError as exc:
            self.fail("the file", f"cannot be read ({exc.strerror or exc})")
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            self.fail("the file", f"is not valid TOML ({exc})")

    def keys(self, table: dict[str, Any], where: str, allowed: tuple[str, ...]) -> None:
        # Both at once: a misspelt key is usually missing under one name and unknown under another.
        problems = []
        missing = [key for key in allowed if key not in table]
        if missing:
            problems.append(f"missing key(s): {', '.join(missing)}")
        unknown = sorted(set(table) - set(allowed))
        if unknown:
            problems.append(f"unknown key(s): {', '.join(unknown)} (allowed: {', '.join(allowed)})")
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
        self, table: dict[str, Any], key: str, where: str, fewest: int, most: int
    ) -> tuple[str, ...]:
        value = table.get(key)
        if not isinstance(value, list) or not fewest <= len(value) <= most:
            self.fail(where, f"'{key}' must be a list of {fewest} to {most} lines of text")
        return tuple(
            self.text({key: line}, key, f"{where}, line {n} of '{key}'", MAX_LINE)
            for n, line in enumerate(value, start=1)
        )

    def solo(self, text: str, where: str) -> str:
        found = partner_words(text)
        if found:
            self.fail(
                where,
                f"solo text must not presume a partner taking part; found {', '.join(found)!s} "
                f"in: {text}",
            )
        return text
