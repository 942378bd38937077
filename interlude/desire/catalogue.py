"""The desire map catalogue: content/catalogue.toml, read and strictly checked.

A pure loader: standard library only, no Django models, so views, forms, migrations and tests can
all use it. The file is kept as TOML so a clinician can review every word in a pull request; this
module refuses a file that breaks the rules, naming the file, the entry and the problem, so a
mistake is caught by the tests rather than shown to a client.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal, NoReturn, cast

CONTENT_FILE = Path(__file__).resolve().parent / "content" / "catalogue.toml"
PROJECT_ROOT = Path(__file__).resolve().parents[2]

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_SLUG = 80
MAX_TITLE = 80
MAX_LINE = 300
MIN_GROUPS = 8
MIN_ITEMS = 80

Intensity = Literal["gentle", "moderate", "intimate"]
# Ordered from everyday affection to explicit sexual activity; a therapist can hide any of them.
INTENSITIES: tuple[Intensity, ...] = ("gentle", "moderate", "intimate")

TOP_KEYS = ("version", "groups")
GROUP_KEYS = ("slug", "title", "description", "items")
ITEM_KEYS = ("slug", "title", "intensity", "description", "prompt")
# Words for a personal map (a client whose partner is not taking part, or who maps alone),
# given where the title or description speaks of two people; optional, and checked like the rest.
PERSONAL_KEYS = ("personal_title", "personal_description")


class CatalogueError(ValueError):
    """The catalogue file cannot be read or is not in the expected shape."""


@dataclass(frozen=True)
class DesireItem:
    """One thing a person can mark in their desire map."""

    slug: str
    group: str
    title: str
    intensity: Intensity
    description: str
    prompt: str
    personal_title: str = ""
    personal_description: str = ""
    custom: bool = False  # added by a therapist for one assignment, not from the file

    def personal(self) -> DesireItem:
        """The item in the words of a personal map: nobody else is assumed to take part."""
        return replace(
            self,
            title=self.personal_title or self.title,
            description=self.personal_description or self.description,
        )


@dataclass(frozen=True)
class DesireGroup:
    """A titled group of items, in the order the file gives them."""

    slug: str
    title: str
    description: str
    items: tuple[DesireItem, ...]
    personal_title: str = ""
    personal_description: str = ""

    def personal(self) -> DesireGroup:
        return replace(
            self,
            title=self.personal_title or self.title,
            description=self.personal_description or self.description,
            items=tuple(item.personal() for item in self.items),
        )


@dataclass(frozen=True)
class Catalogue:
    """The whole catalogue. ``version`` is raised in the file whenever any text changes."""

    version: int
    groups: tuple[DesireGroup, ...]

    @property
    def items(self) -> tuple[DesireItem, ...]:
        """Every item, group by group, in file order."""
        return tuple(item for group in self.groups for item in group.items)

    def item(self, slug: str) -> DesireItem:
        """The item with this slug; KeyError if there is none."""
        for item in self.items:
            if item.slug == slug:
                return item
        raise KeyError(slug)

    def group(self, slug: str) -> DesireGroup:
        """The group with this slug; KeyError if there is none."""
        for group in self.groups:
            if group.slug == slug:
                return group
        raise KeyError(slug)

    def without(
        self,
        *,
        groups: Iterable[str] = (),
        intensities: Iterable[str] = (),
        items: Iterable[str] = (),
    ) -> Catalogue:
        """The catalogue with some groups, intensities and items hidden (for example after
        trauma, at a therapist's choice). Groups left with no items are dropped; ``version`` is
        kept."""
        hidden_groups, hidden_intensities, hidden_items = set(groups), set(intensities), set(items)
        kept = []
        for group in self.groups:
            if group.slug in hidden_groups:
                continue
            shown = tuple(
                i
                for i in group.items
                if i.intensity not in hidden_intensities and i.slug not in hidden_items
            )
            if shown:
                kept.append(replace(group, items=shown))
        return replace(self, groups=tuple(kept))

    def personal(self) -> Catalogue:
        """The catalogue in the words of a personal map (see PERSONAL_KEYS)."""
        return replace(self, groups=tuple(group.personal() for group in self.groups))

    def with_group(self, group: DesireGroup) -> Catalogue:
        """The catalogue with GROUP added at the end (a therapist's own items)."""
        return replace(self, groups=(*self.groups, group)) if group.items else self


@cache
def catalogue() -> Catalogue:
    """The catalogue of this installation, read once per process."""
    return load_catalogue()


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Read and check the catalogue (content/catalogue.toml unless PATH is given).

    Raises CatalogueError naming the file, the entry and the problem.
    """
    check = _Checker(CONTENT_FILE if path is None else path)
    data = check.load()
    check.keys(data, "the top level", TOP_KEYS)
    version = check.version(data)
    raw_groups = check.tables(data, "groups", "the top level")

    groups: list[DesireGroup] = []
    group_slugs: set[str] = set()
    item_slugs: dict[str, str] = {}
    for number, raw in enumerate(raw_groups, start=1):
        slug = check.slug(raw, f"group {number}")
        where = f"group {slug!r}"
        if slug in group_slugs:
            check.fail(where, "this group slug is used twice")
        group_slugs.add(slug)
        check.keys(raw, where, GROUP_KEYS, optional=PERSONAL_KEYS)
        items: list[DesireItem] = []
        for position, raw_item in enumerate(check.tables(raw, "items", where), start=1):
            item_slug = check.slug(raw_item, f"item {position} in {where}")
            item_where = f"item {item_slug!r} in {where}"
            if item_slug in item_slugs:
                check.fail(
                    item_where,
                    f"item slugs are unique across the catalogue; {item_slug!r} is already "
                    f"used in group {item_slugs[item_slug]!r}",
                )
            item_slugs[item_slug] = slug
            check.keys(raw_item, item_where, ITEM_KEYS, optional=PERSONAL_KEYS)
            intensity = raw_item["intensity"]
            if intensity not in INTENSITIES:
                check.fail(
                    item_where,
                    f"'intensity' is {intensity!r}; it must be one of {', '.join(INTENSITIES)}",
                )
            items.append(
                DesireItem(
                    slug=item_slug,
                    group=slug,
                    title=check.text(raw_item, "title", item_where, MAX_TITLE),
                    intensity=cast(Intensity, intensity),
                    description=check.text(raw_item, "description", item_where, MAX_LINE),
                    prompt=check.text(raw_item, "prompt", item_where, MAX_LINE),
                    personal_title=check.optional_text(
                        raw_item, "personal_title", item_where, MAX_TITLE
                    ),
                    personal_description=check.optional_text(
                        raw_item, "personal_description", item_where, MAX_LINE
                    ),
                )
            )
        groups.append(
            DesireGroup(
                slug=slug,
                title=check.text(raw, "title", where, MAX_TITLE),
                description=check.text(raw, "description", where, MAX_LINE),
                items=tuple(items),
                personal_title=check.optional_text(raw, "personal_title", where, MAX_TITLE),
                personal_description=check.optional_text(
                    raw, "personal_description", where, MAX_LINE
                ),
            )
        )

    if len(groups) < MIN_GROUPS:
        check.fail("the catalogue", f"needs at least {MIN_GROUPS} groups; found {len(groups)}")
    if len(item_slugs) < MIN_ITEMS:
        check.fail("the catalogue", f"needs at least {MIN_ITEMS} items; found {len(item_slugs)}")
    return Catalogue(version=version, groups=tuple(groups))


class _Checker:
    """Reads one TOML file and checks its values, raising CatalogueError that names the file,
    the entry and the problem. (Each content loader keeps its own small copy of this, so the
    apps built on them stay independent of each other.)"""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.name = str(path.resolve().relative_to(PROJECT_ROOT))
        except ValueError:
            self.name = str(path)

    def fail(self, where: str, problem: str) -> NoReturn:
        raise CatalogueError(f"{self.name}: {where}: {problem}")

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
        allowed: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> None:
        # Both at once: a misspelt key is usually missing under one name and unknown under another.
        problems = []
        missing = [key for key in allowed if key not in table]
        if missing:
            problems.append(f"missing key(s): {', '.join(missing)}")
        unknown = sorted(set(table) - set(allowed) - set(optional))
        if unknown:
            also = f"; optional: {', '.join(optional)}" if optional else ""
            problems.append(
                f"unknown key(s): {', '.join(unknown)} (allowed: {', '.join(allowed)}){also}"
            )
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

    def optional_text(self, table: dict[str, Any], key: str, where: str, limit: int) -> str:
        return self.text(table, key, where, limit) if key in table else ""

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
