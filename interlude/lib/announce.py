"""Something new for some people: an action announces it; whoever listens (reminders' neutral
notices) hears it once the transaction commits.

Tools sit below reminders in the layers, so a tool's action cannot call reminders itself. It
announces instead (`announce("assignment_new", [client ids])`), and the reminders app listens
from its AppConfig.ready. Only what was done is ever announced, never what was not done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

Listener = Callable[[str, list[int]], None]
_listeners: list[Listener] = []

# The kinds of news: the words for each live with whoever listens.
KINDS = ("assignment_new", "assignment_changed", "checkin_ready", "measure_due")


def listen(listener: Listener) -> None:
    """Hear every announcement (registered once, at start-up)."""
    if listener not in _listeners:
        _listeners.append(listener)


def announce(kind: str, user_ids: Iterable[int]) -> None:
    """Something of KIND is new for these people; told once the transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"Not a kind of news: {kind!r}")
    people = sorted(set(user_ids))
    if not people:
        return

    def tell() -> None:
        for listener in list(_listeners):
            listener(kind, people)

    transaction.on_commit(tell)
