"""Every app's personal-data declarations (`<app>/personal_data.py`), gathered once."""

from __future__ import annotations

from functools import cache
from importlib import import_module

from django.apps import apps

from interlude.lib.personal_data import Record


@cache
def records() -> tuple[Record, ...]:
    """Each installed app's RECORDS, in INSTALLED_APPS order."""
    found: list[Record] = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.personal_data")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.personal_data":
                raise
            continue
        found.extend(module.RECORDS)
    return tuple(found)


def record_for(label: str) -> Record | None:
    return next((r for r in records() if r.label == label), None)
