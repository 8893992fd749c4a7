"""The one in-process cache kind: least recently used goes first, reads count as use."""
from inspections.services.shared.caches import LruCache


def test_the_least_recently_used_entry_goes_first():
    cache = LruCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1                   # a is now the most recent
    cache.put("c", 3)
    assert ("a" in cache, "b" in cache, "c" in cache) == (True, False, True) and len(cache) == 2
    cache.pop("a")
    cache.pop("nothing")
    assert cache.get("a") is None and len(cache) == 1
    cache.clear()
    assert len(cache) == 0
