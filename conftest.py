import pytest
from django.core.cache import cache

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
