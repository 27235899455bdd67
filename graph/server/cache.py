"""The endpoint's result cache: answers of light read-only queries, kept by the server.

The knowledge base behind the endpoint changes only through the updates it accepts, so the
answer to a query is fully determined by the query, how it is asked (result format, dataset,
base IRI, row cap) and the store's state. :class:`ResultCache` keeps answers under a key
made of all of these and the pool's update *version* (:attr:`~.pool.WorkerPool.version`,
raised before and after every update request): an answer computed before an update is
never looked up after it. Lookups cost no worker, so repeated light queries (the named
queries of a page, an editor's completion) are not queued behind heavy ones.

Only deterministic queries are kept: a text that mentions ``NOW``, ``RAND``, ``UUID``,
``STRUUID`` or ``BNODE`` is always run. Only successful answers are kept, each at most an
eighth of the capacity; the least recently used go first when the cache is full.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

__all__ = ["ResultCache", "cacheable", "normalise"]

#: Functions whose value differs from one evaluation to the next.
_VOLATILE = re.compile(r"\b(?:NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)


def cacheable(text: str) -> bool:
    """Whether the answer to query ``text`` depends on nothing but the store.

    Examples
    --------
    >>> cacheable("SELECT ?c WHERE { ?c a tkg:Country } LIMIT 10")
    True
    >>> cacheable("SELECT (NOW() AS ?t) WHERE {}")
    False
    """
    return _VOLATILE.search(text) is None


def normalise(text: str) -> str:
    """The query text as a cache key: surrounding white space does not make a new entry.

    White space inside a query is kept (it may sit in a string literal).

    Examples
    --------
    >>> normalise("  ASK { ?s ?p ?o }\\n") == normalise("ASK { ?s ?p ?o }")
    True
    """
    return text.strip()


class ResultCache:
    """Answers by key, bounded in bytes, least recently used out first.

    Parameters
    ----------
    capacity : int
        Bytes of answer bodies the cache may hold; 0 keeps nothing.

    Examples
    --------
    >>> cache = ResultCache(1000)
    >>> cache.put(("ASK {}", "json", 0), b'{"boolean": true}', "answer")
    True
    >>> cache.get(("ASK {}", "json", 0))
    'answer'
    >>> cache.get(("ASK {}", "json", 1)) is None  # another store version
    True
    >>> cache.put(("big",), b"x" * 200, "too big for an eighth")
    False
    >>> cache.stats()["entries"], cache.stats()["hits"], cache.stats()["misses"]
    (1, 1, 1)
    """

    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError(f"a cache capacity must be 0 or more bytes, got {capacity}")
        self.capacity = capacity
        self._entries: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Any:
        """The value kept under ``key`` (now the most recently used), or ``None``."""
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry[1]

    def put(self, key: Hashable, body: bytes, value: Any) -> bool:
        """Keep ``value`` (whose size is ``len(body)``) under ``key``; whether it was kept.

        An answer over an eighth of the capacity is not kept (it would push out many small
        ones); older entries go until the new one fits.
        """
        size = len(body) + len(repr(key))
        if size > self.capacity // 8:
            return False
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= old[0]
        while self._entries and self._bytes + size > self.capacity:
            _, (dropped, _) = self._entries.popitem(last=False)
            self._bytes -= dropped
        self._entries[key] = (size, value)
        self._bytes += size
        return True

    def clear(self) -> None:
        """Drop every entry."""
        self._entries.clear()
        self._bytes = 0

    def stats(self) -> dict[str, int]:
        """Entries, bytes held, capacity, hits and misses since start."""
        return {"entries": len(self._entries), "bytes": self._bytes,
                "capacity": self.capacity, "hits": self.hits, "misses": self.misses}
