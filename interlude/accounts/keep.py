"""Nothing typed is lost when a session times out mid-form.

A view that takes writing marks itself with `keeps_typed_text(rescue)`. When the session
policy signs someone out on a POST to such a view, it first calls RESCUE(request, user), which
keeps what was posted as that person's draft; after signing in again they find it, with a calm
message. (The view lives in a higher app; this module only carries the hook.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest

View = TypeVar("View", bound=Callable[..., Any])
Rescue = Callable[[HttpRequest, Any], None]
ATTRIBUTE = "interlude_rescue_typed_text"


def keeps_typed_text(rescue: Rescue) -> Callable[[View], View]:
    def mark(view: View) -> View:
        setattr(view, ATTRIBUTE, rescue)
        return view

    return mark


def rescue_for(view: Callable[..., Any]) -> Rescue | None:
    """The rescue of VIEW, looking through decorators (functools.wraps keeps __wrapped__)."""
    while view is not None:
        rescue = getattr(view, ATTRIBUTE, None)
        if rescue is not None:
            return rescue  # type: ignore[no-any-return]
        view = getattr(view, "__wrapped__", None)  # type: ignore[assignment]
    return None
