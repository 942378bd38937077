"""The tools' parts of a client's page (interlude/lib/workspace.py), gathered from every
installed app that has a `workspace.py`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache
from importlib import import_module
from typing import Any

from django.apps import apps

from interlude.accounts.models import User
from interlude.homework.access import tools_given_to_client
from interlude.lib.workspace import CaseloadPart, Section


@cache
def _modules() -> tuple[Any, ...]:
    found = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.workspace")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.workspace":
                raise
            continue
        found.append(module)
    return tuple(found)


def section_functions() -> tuple[Any, ...]:
    return tuple(module.section for module in _modules())


def caseload_functions() -> tuple[Any, ...]:
    """Each tool's `caseload(therapist, since)`, for the tools that have one."""
    return tuple(module.caseload for module in _modules() if hasattr(module, "caseload"))


def chart_functions() -> tuple[Any, ...]:
    """Each tool's `charts(therapist, client)`, for the tools that have one."""
    return tuple(module.charts for module in _modules() if hasattr(module, "charts"))


def caseload_parts(
    therapist: User, since: Mapping[int, datetime | None]
) -> dict[int, list[CaseloadPart]]:
    """Every tool's part of each client's caseload row, by client id."""
    parts: dict[int, list[CaseloadPart]] = {}
    for function in caseload_functions():
        for client_id, part in function(therapist, since).items():
            parts.setdefault(client_id, []).append(part)
    return parts


def sections_for(therapist: User, client: User, since: datetime | None) -> list[Section]:
    """Every tool's section for CLIENT's page, in order; tools with nothing to show are left out.
    A tool app whose workspace declares `SHOWN_FOR` (tool names, interlude.exercises.tools) has
    something to show only when THERAPIST gave CLIENT an exercise that opens it, so it is asked
    only then (one query for all of them, instead of one or more for each)."""
    modules = _modules()
    given: set[str] | None = None
    if any(hasattr(m, "SHOWN_FOR") for m in modules):
        given = tools_given_to_client(therapist, client)
    sections = [
        s
        for m in modules
        if given is None or not hasattr(m, "SHOWN_FOR") or given & m.SHOWN_FOR
        if (s := m.section(therapist, client, since)) is not None
    ]
    return sorted(sections, key=lambda s: (s.order, s.title))
