"""How each app's rows are exported and erased for a client: declared beside the models.

Every app that stores anything about a client lists it in its own `personal_data.py` as
`RECORDS`; the privacy app gathers them for the client's export and for account deletion, and a
test fails when a model that holds a client's data is missing. Adding a model means declaring,
in the same place, what the client gets in their export and what happens to it when they leave.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models

Rows = Callable[[Any], "models.QuerySet[Any]"]


@dataclass(frozen=True)
class Record:
    """One model's part in a client's export and in erasing their account.

    rows     the client's rows (for the export), given the client
    fields   what is exported: a field path (`a__b`) and its name for a person
    erase    an action that erases the client's rows; None means the rows are kept, and
             `kept_because` says why (for example the clinical record or the audit log)
    """

    model: type[models.Model]
    title: str
    rows: Rows
    fields: Mapping[str, str] = field(default_factory=dict)
    erase: Callable[[Any], Any] | None = None
    kept_because: str = ""
    # How some fields read on the export's readable page (the data file keeps the raw value).
    describe: Mapping[str, Callable[[Any], str]] = field(default_factory=dict)
    not_exported_because: str = ""

    def __post_init__(self) -> None:
        if self.erase is None and not self.kept_because:
            raise ValueError(f"{self.model.__name__}: give an erase action or kept_because")
        if not self.fields and not self.not_exported_because:
            raise ValueError(f"{self.model.__name__}: give fields or not_exported_because")

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def exported(self) -> bool:
        return bool(self.fields)
