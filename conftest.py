from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction

from interlude.encryption.keys import forget_cached_keys
from interlude.testing import Cast, make_cast


@pytest.fixture(autouse=True)
def _fresh_caches():
    # Rate-limit counters live in the cache, and data keys are cached per process for a minute;
    # each test's database starts empty (and reuses ids), so each test starts with neither.
    cache.clear()
    forget_cached_keys()
    yield
    cache.clear()
    forget_cached_keys()


@pytest.fixture
def cast(db: None) -> Cast:
    return make_cast()


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Any:
    """The cast and the rows the permission matrix's URLs point at, built once per module
    inside a transaction rolled back at the end (tests/test_permission_matrix.py)."""
    from tests.test_permission_matrix import build_world

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def logs() -> Any:
    """Every log line (SQL with its parameters included) while the test runs."""
    from tests.support import collect_logs

    yield from collect_logs()
