"""Secrets that travel in URLs (invitation links, password-reset and address-confirmation keys,
the link that stops reminder e-mails, the private calendar feed's token)
never reach a log line: Django's request log, the development server's and gunicorn's access
log all pass through `redact`.
"""

from __future__ import annotations

import logging
import re
from typing import Any

HIDDEN = "[hidden]"
# A path segment after one of these prefixes is a secret, plain or percent-encoded (as in a
# ?next= parameter).
_SECRET_AFTER = (
    "invite/",
    "accounts/password/reset/key/",
    "accounts/confirm-email/",
    "reminders/stop/",
    "reminders/calendar/",
)
_PATTERNS = [
    re.compile(r"(?P<prefix>/" + re.escape(p) + r")[^/\s?&#\"']+", re.IGNORECASE)
    for p in _SECRET_AFTER
] + [
    re.compile(
        r"(?P<prefix>%2F" + re.escape(p).replace("/", "%2F") + r")(?:(?!%2F)[^\s&#\"'/])+",
        re.IGNORECASE,
    )
    for p in _SECRET_AFTER
]


def redact(text: str) -> str:
    """TEXT with every secret path segment replaced by [hidden]."""
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group("prefix") + HIDDEN, text)
    return text


class RedactSecretsFilter(logging.Filter):
    """A logging filter: the record's message, with its arguments, is redacted once."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        # Django's request logger also attaches the request; its repr holds the path.
        if hasattr(record, "request"):
            record.request = _RedactedRequest(record.request)
        return True


class _RedactedRequest:
    def __init__(self, request: Any) -> None:
        self._request = request

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request, name)

    def __repr__(self) -> str:
        return redact(repr(self._request))


def gunicorn_logger_class() -> type:
    """gunicorn's access logger with the same redaction (see gunicorn.conf.py)."""
    from gunicorn.glogging import Logger

    class RedactingLogger(Logger):  # type: ignore[misc]
        def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
            atoms = super().atoms(resp, req, environ, request_time)
            # Every atom, the {…}e environ and {…}i header ones included.
            return {k: redact(v) if isinstance(v, str) else v for k, v in atoms.items()}

    return RedactingLogger
