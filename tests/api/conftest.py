import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()  # throttle counters live in the cache; each API test starts with a clean slate
    yield
    cache.clear()
