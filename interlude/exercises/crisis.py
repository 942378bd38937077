"""Where to get urgent help, as shown under every exercise's safety notes.

A practice may set its own emergency number, crisis line and domestic-abuse helpline (fields on
Practice); anything it leaves blank falls back to the US defaults below, marked as such so a
reader elsewhere knows to look for their own. Pure: no queries, so it is cheap to call and easy
to test.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

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


# A phone number inside a detail: digits, with spaces, dots, dashes or brackets between them.
_NUMBER = re.compile(r"\+?\d[\d\s().-]{1,18}\d")
# "text START to 88788": a number to send a text message to.
_TEXT_TO = re.compile(r"\btext\b[^,;]*?\bto\s*$", re.IGNORECASE)


def with_phone_links(detail: str) -> SafeString:
    """DETAIL with each phone number in it as a link a phone can call (``tel:``), or send a
    text to when the words before it say "text … to" (``sms:``). Everything else escaped."""
    parts: list[str] = []
    end = 0
    for match in _NUMBER.finditer(detail):
        # "+44 (0)20 …": the (0) is dialled only from inside the country.
        digits = re.sub(r"[^\d+]", "", match.group(0).replace("(0)", ""))
        if len(digits.lstrip("+")) < 3:
            continue
        before = detail[end : match.start()]
        scheme = "sms" if _TEXT_TO.search(detail[: match.start()]) else "tel"
        parts.append(str(escape(before)))
        parts.append(
            format_html('<a href="{}:{}" class="phone-link">{}</a>', scheme, digits, match.group(0))
        )
        end = match.end()
    parts.append(str(escape(detail[end:])))
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped above
