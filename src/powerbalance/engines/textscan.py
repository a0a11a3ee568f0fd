"""A compiled scanner for GDELT 2.0 exports: text straight to a rollup, with DuckDB deciding the rest.

DuckDB's CSV reader is general: it splits every one of the 61 fields of a row
into a vector, then casts the ones the query reads. The aggregation needs ten
fields of each row and one small table at the end, so this module reads the
bytes once with a loop compiled by numba: it finds the tabs, parses the
fields the series uses and adds the row straight into a hash table keyed as
the first stage of the engine keys its groups (:func:`~powerbalance.engines.sql.rollup_sql`).
Only that table, one row per group, goes on to DuckDB.

The scanner takes a row only when it is sure how DuckDB's reader would read
it: exactly 61 fields; plain ASCII with no control characters but the tab;
integers as an optional minus and digits; doubles as an optional minus,
digits and at most one point, with at most 15 significant digits (so that one
division by an exact power of ten gives the same correctly rounded double as
DuckDB's parser); dates as eight digits of a real calendar day; actor
countries of at most eight bytes. Any other row, well formed or not, is
*diverted*: its bytes go to a side file that DuckDB's reader reads with the
engine's usual options, and the line numbers of its rejects are mapped back to
the original file. So every row is judged by the same rule whichever way it
went, and the fast path only decides the rows where there is nothing to decide.

The scan runs in ``workers`` threads (numba releases the GIL), each folding
its chunks into its own table; the file is read in chunks of whole lines, so
memory stays flat whatever the file's size.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from powerbalance.engines.sql import EXACT_SUMS, parts

__all__ = ["DivertedFile", "ScanResult", "available", "scan_rollup"]

#: Roles of the fields the scanner reads (0: a field it skips), as the kernels number them.
_ID, _DATE, _A1, _A2, _ROOT, _QUAD, _GOLD, _MENT, _TONE, _ADDED = range(1, 11)
#: Period codes, as the engine's ``freq``.
FREQ_CODES = {"day": 0, "week": 1, "month": 2, "year": 3}
#: A scanner group's record: its key, then what every row adds to. A group
#: of a pair holds pair rows only, so with the missing counts below its
#: counts of values (``n - gnull``...) tell whether a sum is over none and so
#: NULL. The sums of doubles are exact, in the four parts of the engine's
#: rollup (``sql.EXACT_PARTS``): the ``_hi`` parts are doubles stored
#: in the same memory, the limbs integers.
_EXACT = EXACT_SUMS
_REC = (
    "period", "a1", "a2", "is_root", "n", "q1", "q2", "q3", "q4", "msum",
    *(c for name in _EXACT for c in parts(name)),
)  # fmt: skip
_REC_DOUBLES = frozenset(f"{name}_hi" for name in _EXACT)
#: Slots of a record (a power of two: four cache lines).
REC_WIDTH = 32
#: Counts touched only by rows with a missing value: missing g, t, m; g or m;
#: t or m; and the mentions (and their count) of the rows missing g, or t.
_COLD = ("gnull", "tnull", "mnull", "gmnull", "tmnull", "mgnull", "mgcnt", "mtnull", "mtcnt")
_NULL_PERIOD = -(2**62)
#: Bytes read per chunk.
CHUNK_BYTES = 16 << 20


def available() -> bool:
    """Whether numba is installed (the ``fast`` extra); without it DuckDB's reader reads every row."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def _field_indexes(columns: Sequence[str]) -> np.ndarray:
    """Where each role's field is in a row (indexed by role; 0 for the unused slot)."""
    names = {
        "GLOBALEVENTID": _ID,
        "SQLDATE": _DATE,
        "Actor1CountryCode": _A1,
        "Actor2CountryCode": _A2,
        "IsRootEvent": _ROOT,
        "QuadClass": _QUAD,
        "GoldsteinScale": _GOLD,
        "NumMentions": _MENT,
        "AvgTone": _TONE,
        "DATEADDED": _ADDED,
    }
    at = np.zeros(max(names.values()) + 1, dtype=np.int64)
    for i, c in enumerate(columns):
        if c in names:
            at[names[c]] = i
    return at


@dataclass
class DivertedFile:
    """Lines of one chunk the scanner left to DuckDB's reader, written to a side file."""

    path: Path
    source: Path
    #: The line number in ``source`` of each line of the side file (1-based, in order).
    lines: np.ndarray


@dataclass
class ScanResult:
    """The scanner's groups as a rollup table, and what it left to DuckDB."""

    rollup: pa.Table
    rows_taken: int
    diverted: list[DivertedFile] = field(default_factory=list)
    #: The lines (1-based) of each source holding a lone CR: malformed, read by neither reader.
    lone_cr: dict[Path, list[int]] = field(default_factory=dict)


@dataclass
class _Worker:
    state: tuple[Any, ...]


def _offer(
    jobs: queue.Queue[Any],
    item: Any,
    futures: Sequence[Future[None]],
    stop_when: Callable[[Iterable[bool]], bool],
) -> bool:
    """Put ``item`` on the queue, unless ``stop_when`` (any or all) of the workers are done:
    a worker that failed takes no more jobs, so waiting on a full queue would never end."""
    while True:
        try:
            jobs.put(item, timeout=0.05)
            return True
        except queue.Full:
            if stop_when(f.done() for f in futures):
                return False


class _Buffers:
    """Reusable chunk buffers: fresh ones would cost a page fault per 4 KiB on every chunk."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.free: queue.SimpleQueue[np.ndarray] = queue.SimpleQueue()

    def get(self, need: int) -> np.ndarray:
        if need <= self.size:
            try:
                return self.free.get_nowait()
            except queue.Empty:
                return np.empty(self.size, dtype=np.uint8)
        return np.empty(need, dtype=np.uint8)  # a line longer than a chunk: a one-off buffer

    def put(self, buf: np.ndarray) -> None:
        if len(buf) == self.size:
            self.free.put(buf)


def _chunks(
    path: Path, chunk_bytes: int, last_newline: Callable[..., int], buffers: _Buffers
) -> Iterator[tuple[np.ndarray, int]]:
    """Chunks of whole lines: (buffer, byte count), each buffer with a newline after its bytes.

    A buffer holds the tail of the previous chunk (a line cut in two), then
    ``chunk_bytes`` read from the file, then room for the sentinel newline.
    """
    carry = b""
    with path.open("rb", buffering=0) as fh:
        while True:
            size = max(chunk_bytes, 2 * len(carry))
            buf = buffers.get(size + len(carry) + 1)
            buf[: len(carry)] = np.frombuffer(carry, dtype=np.uint8)
            got = fh.readinto(buf.data[len(carry) : len(carry) + size])
            filled = len(carry) + (got or 0)
            if not got:
                if filled:
                    buf[filled] = 10
                    yield buf, filled
                else:
                    buffers.put(buf)
                return
            cut = last_newline(buf, filled) + 1
            if cut == 0:  # no line ends in this chunk: read on with a larger buffer
                carry = buf[:filled].tobytes()
                buffers.put(buf)
                continue
            carry = buf[cut:filled].tobytes()
            buf[cut] = 10
            yield buf, cut


def scan_rollup(
    paths: Sequence[Path],
    columns: Sequence[str],
    *,
    freq: str,
    root_only: bool,
    workers: int | None = None,
    divert_dir: Path,
    progress: Callable[[int], None] | None = None,
    chunk_bytes: int | None = None,
) -> ScanResult:
    """Scan plain GDELT 2.0 exports into a rollup (the engine's ROLLUP_COLUMNS).

    ``progress`` is called with the number of bytes read so far. Lines the
    scanner is not sure of are written to side files in ``divert_dir`` (one
    per chunk that has any, so they never pile up in memory); the caller
    reads them with DuckDB.
    """
    # numba compiles the kernels on the first run ever, then loads them from its cache
    from powerbalance.engines._scankernels import grow, last_newline, new_state, scan

    chunk_bytes = chunk_bytes or CHUNK_BYTES
    workers = max(1, workers or os.cpu_count() or 1)
    at = _field_indexes(columns)
    nfields = len(columns)
    fcode = FREQ_CODES[freq]
    pow10 = np.array([10.0**k for k in range(23)])
    jobs: queue.Queue[Any] = queue.Queue(maxsize=workers * 2)
    # per (file index, chunk index): (line count, its side file, the side file's lines
    # there, the lines holding a lone CR)
    done: dict[tuple[int, int], tuple[int, Path | None, np.ndarray | None, np.ndarray]] = {}
    done_lock = threading.Lock()
    taken = [0] * workers
    states = [_Worker(new_state(1 << 14)) for _ in range(workers)]
    # a chunk, a line cut at its start (most are far shorter) and the sentinel
    buffers = _Buffers(chunk_bytes + (64 << 10) + 1)

    def work(w: int) -> None:
        me = states[w]
        dspan = np.empty((1024, 2), dtype=np.int64)
        dline = np.empty(1024, dtype=np.int64)
        while True:
            job = jobs.get()
            if job is None:
                return
            key, buf, n = job
            # one chunk; an error ends this worker and its future hands it on
            rec, cold, slots, used = me.state
            pos = lines = 0
            side = divert_dir / f"diverted-{key[0]:05d}-{key[1]:07d}.tsv"
            div_lines: list[np.ndarray] = []
            cr_lines: list[np.ndarray] = []
            while pos < n:
                if used * 2 >= rec.shape[0]:
                    rec, cold, slots = grow(rec, cold, used)
                pos, used, read, rows, ndiv = scan(
                    buf, n, pos, nfields, at, fcode, root_only, pow10,
                    rec, cold, slots, used, dspan, dline,
                )  # fmt: skip
                if ndiv:
                    # A line holding a lone CR is malformed whatever its fields
                    # (DuckDB's reader would take the CR for a line break): it is
                    # counted here, not written to the side file.
                    keep = np.ones(ndiv, dtype=bool)
                    with side.open("ab") as fh:
                        for k, (s, e) in enumerate(dspan[:ndiv]):
                            text = buf[s:e].tobytes()
                            if b"\r" in text:
                                keep[k] = False
                            else:
                                fh.write(text + b"\n")
                    div_lines.append(dline[:ndiv][keep] + lines)
                    if not keep.all():
                        cr_lines.append(dline[:ndiv][~keep] + lines)
                lines += read
                taken[w] += rows
            me.state = (rec, cold, slots, used)
            buffers.put(buf)
            found = np.concatenate(div_lines) if div_lines else None
            if found is not None and not len(found):
                found = None
            crs = np.concatenate(cr_lines) if cr_lines else np.empty(0, np.int64)
            with done_lock:
                done[key] = (lines, side if found is not None else None, found, crs)

    counts: list[int] = []
    # Each worker's future carries its error, if any, to this thread (future.result()).
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="textscan") as pool:
        futures = [pool.submit(work, w) for w in range(workers)]
        try:
            read = 0
            for i, p in enumerate(paths):
                chunks = 0
                for buf, n in _chunks(p, chunk_bytes, last_newline, buffers):
                    if not _offer(jobs, ((i, chunks), buf, n), futures, any):
                        break  # a worker failed: stop reading, its error is raised below
                    chunks += 1
                    read += n
                    if progress is not None:
                        progress(read)
                counts.append(chunks)
        finally:
            for _ in futures:
                _offer(jobs, None, futures, all)
        for f in futures:
            f.result()
    diverted, lone_cr = _diverted(paths, counts, done)
    return ScanResult(_to_table(states), sum(taken), diverted, lone_cr)


def _diverted(
    paths: Sequence[Path],
    counts: Sequence[int],
    done: dict[tuple[int, int], tuple[int, Path | None, np.ndarray | None, np.ndarray]],
) -> tuple[list[DivertedFile], dict[Path, list[int]]]:
    """The side files in file and chunk order, their lines numbered as in their sources,
    and the lines of each source holding a lone CR."""
    out = []
    lone_cr: dict[Path, list[int]] = {}
    for i, p in enumerate(paths):
        base = 0
        for c in range(counts[i]):
            n_lines, side, local, crs = done[(i, c)]
            if side is not None and local is not None:
                out.append(DivertedFile(side, p, local + base))
            if len(crs):
                lone_cr.setdefault(p, []).extend(int(x) for x in crs + base)
            base += n_lines
    return out, lone_cr


def _unpack(codes: np.ndarray) -> pa.Array:
    """Packed ASCII codes back to strings (0 is NULL), decoding each distinct code once."""
    distinct, index = np.unique(codes, return_inverse=True)
    text = np.array(
        [
            None if c == 0 else int(c).to_bytes(8, "big").rstrip(b"\0").decode("ascii")
            for c in distinct
        ],
        dtype=object,
    )
    return pa.array(text[index], type=pa.string())


def _to_table(states: Sequence[_Worker]) -> pa.Table:
    """The groups of every worker as a rollup (a group may be in several: the engine sums them)."""
    rec = np.concatenate([w.state[0][: w.state[3]] for w in states])
    cold = np.concatenate([w.state[1][: w.state[3]] for w in states])
    doubles = rec.view(np.float64)
    col = {name: (doubles if name in _REC_DOUBLES else rec)[:, j] for j, name in enumerate(_REC)}
    col.update({name: cold[:, j] for j, name in enumerate(_COLD)})
    n = col["n"]
    pair = col["a1"] != 0

    def over(values: np.ndarray, missing: np.ndarray) -> pa.Array:
        """A sum over the pair rows with a value: NULL when there is none."""
        return pa.array(values, mask=~pair | (n - missing == 0))

    def exact(name: str, missing: str) -> dict[str, pa.Array]:
        """The four parts of an exact sum, NULL as the sum would be."""
        return {
            f"{name}_{part}": over(col[f"{name}_{part}"], col[missing])
            for part in ("hi", "l2", "l1", "l0")
        }

    period = col["period"]
    null_period = period == _NULL_PERIOD
    days = pa.array(np.where(null_period, 0, period).astype(np.int32), mask=null_period)
    return pa.table(
        {
            "period": days.cast(pa.date32()),
            "a1": _unpack(col["a1"]),
            "a2": _unpack(col["a2"]),
            "is_root": pa.array(col["is_root"] == 1),
            "bad": pa.nulls(len(n), pa.string()),
            "raw": pa.array(n),
            "n": pa.array(n),
            "q1": pa.array(col["q1"]),
            "q2": pa.array(col["q2"]),
            "q3": pa.array(col["q3"]),
            "q4": pa.array(col["q4"]),
            **exact("gsum", "gnull"),
            "gnull": pa.array(col["gnull"]),
            **exact("tsum", "tnull"),
            "tnull": pa.array(col["tnull"]),
            "msum": over(col["msum"], col["mnull"]),
            **exact("gm", "gmnull"),
            "mgnull": pa.array(col["mgnull"], mask=col["mgcnt"] == 0),
            **exact("tm", "tmnull"),
            "mtnull": pa.array(col["mtnull"], mask=col["mtcnt"] == 0),
        }
    )
