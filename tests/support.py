"""Shared test tools: a log collector, every raw column as text (for canaries), and counting a
page's queries (for query budgets). Each tool's own tests use these, so every new app proves
the same things the same way."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from interlude.encryption.keys import forget_cached_keys


class Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def collect_logs() -> Iterator[Collector]:
    """Every log line, SQL statements with their parameters included."""
    handler = Collector()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    sql = logging.getLogger("django.db.backends")
    old_sql_level = sql.level
    sql.setLevel(logging.DEBUG)
    connection.force_debug_cursor = True
    yield handler
    connection.force_debug_cursor = False
    sql.setLevel(old_sql_level)
    root.removeHandler(handler)
    root.setLevel(old_level)


def raw_database_text() -> str:
    """Every value of every column of every table, as text."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        chunks.append(bytes(value).decode("utf-8", "replace"))
                    else:
                        chunks.append(str(value))
    return "\n".join(chunks)


def count_queries(client: Any, url: str) -> int:
    """Queries a GET of URL runs, warmed up the same way each time, keys looked up cold."""
    forget_cached_keys()
    client.get(url)
    forget_cached_keys()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)
