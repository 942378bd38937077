"""The tools' parts of a client's page (interlude/lib/workspace.py), gathered from every
installed app that has a `workspace.py`."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from importlib import import_module
from typing import Any

from django.apps import apps

from interlude.accounts.models import User
from interlude.lib.workspace import Section


@cache
def section_functions() -> tuple[Any, ...]:
    found = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.workspace")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.workspace":
                raise
            continue
        found.append(module.section)
    return tuple(found)


def sections_for(therapist: User, client: User, since: datetime | None) -> list[Section]:
    """Every tool's section for CLIENT's page, in order; tools with nothing to show are left out."""
    sections = [s for f in section_functions() if (s := f(therapist, client, since)) is not None]
    return sorted(sections, key=lambda s: (s.order, s.title))
