"""Where to get urgent help, as shown under every exercise's safety notes.

A practice may set its own emergency number, crisis line and domestic-abuse helpline (fields on
Practice); anything it leaves blank falls back to the US defaults below, marked as such so a
reader elsewhere knows to look for their own. Pure: no queries, so it is cheap to call and easy
to test.
"""

from __future__ import annotations

from typing import Any

# (field on Practice, US default). The defaults are public, free and confidential services.
DEFAULTS: dict[str, str] = {
    "emergency_number": "911",
    "crisis_line": "call or text 988",
    "abuse_helpline": (
        "National Domestic Violence Hotline, call 1-800-799-7233 or text START to 88788"
    ),
}
DEFAULT_REGION = "US"


def crisis_details(practice: Any = None) -> dict[str, Any]:
    """Each detail as the practice set it, or its US default; ``<name>_is_default`` says which.
    PRACTICE may be None (for example when a page has no practice to hand)."""
    details: dict[str, Any] = {"region": DEFAULT_REGION}
    for name, default in DEFAULTS.items():
        own = (getattr(practice, name, "") or "").strip() if practice is not None else ""
        details[name] = own or default
        details[f"{name}_is_default"] = not own
    return details
