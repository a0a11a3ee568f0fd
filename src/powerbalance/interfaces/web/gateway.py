"""The dashboard's access to the store: short-lived connections and a read cache.

The server opens the DuckDB store only for the moment it needs it, so the
command line can still use the same store while the dashboard runs. Reads
are cached and the cache is keyed on the store file's size and modification
time (and its write-ahead log's), so a write by this server or by another
process invalidates it. One lock serialises opening the file inside the
process, because DuckDB refuses two connections with different modes to the
same file in one process.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from powerbalance.evidence.collection import Evidence
from powerbalance.evidence.models import Record
from powerbalance.evidence.store import Store, default_store_path, open_store

if TYPE_CHECKING:
    from powerbalance.scenarios.montecarlo import RunResult

T = TypeVar("T")

WEB_ORIGIN = "user:web"


@dataclass(frozen=True)
class Body:
    """A response body computed once, kept plain and gzipped."""

    raw: bytes
    gzipped: bytes

    @classmethod
    def of(cls, raw: bytes) -> Body:
        return cls(raw, gzip.compress(raw, compresslevel=6))

    def response(self, accept_encoding: str, media_type: str) -> Response:
        """The gzipped body when the client accepts it (browsers do), else the plain one."""
        if "gzip" in accept_encoding:
            return Response(
                self.gzipped,
                media_type=media_type,
                headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"},
            )
        return Response(self.raw, media_type=media_type, headers={"Vary": "Accept-Encoding"})


class Gateway:
    """Store access for one server process."""

    def __init__(self, path: Path | None = None, *, cache_size: int = 256) -> None:
        self.path = Path(path) if path is not None else default_store_path()
        self._lock = threading.RLock()
        self._cache: OrderedDict[Any, tuple[Any, Any]] = OrderedDict()
        self._cache_size = cache_size
        self._key_locks: dict[Any, threading.Lock] = {}
        self._writing = 0
        self._count_lock = threading.Lock()
        with self._lock, open_store(self.path):
            pass  # create and fill the store once, before the first request

    def _signature(self) -> tuple[int, ...]:
        sig: list[int] = []
        for p in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                st = p.stat()
                sig += [st.st_mtime_ns, st.st_size]
            except FileNotFoundError:
                sig += [0, 0]
        return tuple(sig)

    def cached(self, key: Any, compute: Callable[[], T]) -> T:
        """``compute()`` once per state of the store file (and per ``key``).

        Concurrent misses of one key compute it once: the others wait for
        that result instead of all recomputing it after a write.
        """
        hit = self.fresh(key)
        if hit is not None:
            return hit
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            sig = self._signature()
            hit = self._cache.get(key)
            if hit is not None and hit[0] == sig:
                return hit[1]
            value = compute()
            with self._lock:
                self._cache[key] = (sig, value)
                self._cache.move_to_end(key)
                while len(self._cache) > self._cache_size:
                    old, _ = self._cache.popitem(last=False)
                    self._key_locks.pop(old, None)
        return value

    def fresh(self, key: Any) -> Any | None:
        """The cached value for ``key`` if the store has not changed since, else None.

        While this server writes (storing a large scenario run can take
        seconds), readers keep getting the last complete state instead of
        waiting for the write to finish.
        """
        hit = self._cache.get(key)
        if hit is not None and (self._writing or hit[0] == self._signature()):
            return hit[1]
        return None

    async def cached_async(self, key: Any, compute: Callable[[], T]) -> T:
        """:meth:`cached` for async routes: a hit is served on the event loop, a miss in a thread."""
        hit = self.fresh(key)
        if hit is not None:
            return hit
        return await run_in_threadpool(self.cached, key, compute)

    def read(self, fn: Callable[[Store], T]) -> T:
        """Run ``fn`` on a read-only store connection."""
        with self._lock, open_store(self.path, read_only=True) as store:
            return fn(store)

    def write(self, fn: Callable[[Store], T]) -> T:
        """Run ``fn`` on a writable store connection (the store's own transactions apply)."""
        with self._count_lock:
            self._writing += 1
        try:
            with self._lock, open_store(self.path) as store:
                result = fn(store)
            with self._lock:
                self._cache.clear()
        finally:
            with self._count_lock:
                self._writing -= 1
        return result

    def save_run(self, result: RunResult) -> str:
        """Store a finished scenario run; a busy store is waited for and the run never lost.

        While another process holds the store, the save is retried for
        ``$POWERBALANCE_RUN_SAVE_WAIT`` seconds and then kept in a pending file
        beside the store, which the next opening adds
        (:func:`powerbalance.app.scenarios.store_run`). Returns the run id.
        """
        from powerbalance.app.scenarios import store_run

        with self._count_lock:
            self._writing += 1
        try:
            with self._lock:
                run_id = store_run(lambda: open_store(self.path), result, store_path=self.path)
                self._cache.clear()
        finally:
            with self._count_lock:
                self._writing -= 1
        return run_id

    # --- what the pages read -----------------------------------------------------------
    def evidence(self) -> Evidence:
        return self.cached("evidence", lambda: self.read(lambda s: s.evidence()))

    def origins(self) -> dict[str, str]:
        return self.cached("origins", lambda: self.read(lambda s: s.origins()))

    def query(
        self,
        *,
        kind: str | None = None,
        actor: str | None = None,
        indicator: str | None = None,
        text: str | None = None,
    ) -> list[Record]:
        key = ("query", kind, actor, indicator, text)
        return self.cached(
            key,
            lambda: self.read(
                lambda s: s.query(kind=kind, actor=actor, indicator=indicator, text=text)
            ),
        )

    def add_records(self, records: Sequence[Record]) -> int:
        """Add records through the store's validated ``add_records`` (all or nothing)."""
        from powerbalance.app.evidence import add_records

        return self.write(lambda s: add_records(s, records, origin=WEB_ORIGIN, file="the web form"))
