"""URL converters."""

from __future__ import annotations

# The largest id any of our databases can hold (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class IdConverter:
    """A row id: 1 to 18 digits, so never more than a 64-bit integer holds (a longer number
    would overflow SQLite's integer or PostgreSQL's bigint and answer 500 instead of 404)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= MAX_ID:
            raise ValueError("not a row id")
        return number

    def to_url(self, value: int) -> str:
        return str(value)
