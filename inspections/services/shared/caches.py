"""The one kind of in-process cache the use cases keep: a thread-safe LRU of bounded size. Two live in the
app: parsed merged lists by the JSON's md5 (services.shared.merged_lists, one per process) and the
headers of visits in progress that the answer path checks (`Context.in_progress`, one per database).
Both drop the least recently used entry when full; neither is ever a source of truth (a write checks
again in its transaction)."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

Value = TypeVar("Value")


class LruCache(Generic[Value]):
    def __init__(self, capacity: int):
        self.capacity = capacity
        self._entries: OrderedDict[str, Value] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Value | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: str, value: Value) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def pop(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)
