"""kill -9 of an import and of a scenario run: the store is before or after, never between.

Each case copies one store, starts the command in a subprocess and kills it
with SIGKILL after a delay (from 0.05 s to the end of the command) or at the
moment it starts writing (the copy of a large import appears; the write-ahead
log of a small one appears). Then the store must open (for writing, too) and
hold exactly the records and runs it held before, or exactly those after an
uninterrupted run of the same command.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from powerbalance.evidence.corpus import corpus_records
from powerbalance.evidence.models import Actor, Source
from powerbalance.evidence.store import BULK_RECORDS, open_store

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals"),
]

CLI = [sys.executable, "-m", "powerbalance.interfaces.cli.main"]


def write_yaml(path: Path, n: int) -> Path:
    records = corpus_records()
    actors = [r.id for r in records if isinstance(r, Actor) and r.kind == "state"]
    sources = [r.id for r in records if isinstance(r, Source)]
    lines = ["claims:"]
    for i in range(n):
        lines += [
            f"  - id: kill.claim.{i:06d}",
            "    indicator: trade.share_of_total",
            f"    actor: {actors[i % len(actors)]}",
            f"    partner: {actors[(i + 1) % len(actors)]}",
            f"    value: {i % 100}",
            "    unit: percent",
            f"    period: {2000 + i % 25}",
            f"    source: {sources[i % len(sources)]}",
            "    section: p. 1",
            f"    statement: Claim {i} of a file imported and killed on the way.",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def state(path: Path) -> tuple[frozenset[str], frozenset[str]]:
    """The evidence ids and run ids, after opening the store for writing (it must open)."""
    with open_store(path) as s:
        ids = frozenset(s.record_ids())
        runs = frozenset(s.run_ids())
    leftovers = [p.name for p in path.parent.glob(f".{path.name}.*")]
    assert not leftovers, leftovers  # a killed import's copy is removed by the next writer
    return ids, runs


def kill_at(cmd: list[str], delay: float | None, appears: Callable[[], bool] | None = None) -> bool:
    """Run ``cmd``; SIGKILL it after ``delay`` s, or once ``appears()`` is true.

    Returns whether it was killed (False: it ended first).
    """
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while proc.poll() is None:
            now = time.monotonic() - start
            if delay is not None and now >= delay:
                break
            if appears is not None and appears():
                break
            if now > 120:
                break
            time.sleep(0.002)
        killed = proc.poll() is None
        if killed:
            proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    return killed


def timed(cmd: list[str]) -> float:
    """Seconds ``cmd`` takes uninterrupted (it must succeed)."""
    start = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.monotonic() - start


def _writing(store: Path, when: str, *, skip: float = 0.0, then: float = 0.0) -> Callable[[], bool]:
    """True ``then`` seconds after the write starts: the copy of a large import appears, or
    the store's write-ahead log appears (at a commit) after the first ``skip`` seconds (an
    import first opens the store for writing, then closes it while it reads its file)."""
    if when == "copy":

        def exists() -> bool:
            return any(store.parent.glob(f".{store.name}.*.import"))
    else:
        exists = store.with_name(store.name + ".wal").exists
    start = time.monotonic()
    seen: dict[str, float] = {}

    def check() -> bool:
        if "at" not in seen and time.monotonic() - start >= skip and exists():
            seen["at"] = time.monotonic()
        return "at" in seen and time.monotonic() - seen["at"] >= then

    return check


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kill9") / "base.duckdb"
    with open_store(path):
        pass
    return path


def _copy(base: Path, folder: Path) -> Path:
    folder.mkdir()
    target = folder / "store.duckdb"
    shutil.copyfile(base, target)
    return target


@pytest.mark.parametrize(
    ("claims", "when"),
    [
        (BULK_RECORDS + 1_000, "copy"),  # large: written in a copy of the store, renamed
        (1_000, "wal"),  # small: one transaction in the store itself
    ],
)
def test_killed_import_leaves_the_store_before_or_after(base, tmp_path, claims, when):
    data = write_yaml(tmp_path / "BIG.yaml", claims)
    before = state(base)
    done = _copy(base, tmp_path / "done")
    took = timed([*CLI, "--store", str(done), "evidence", "import", str(data)])
    after = state(done)
    assert len(after[0]) == len(before[0]) + claims and after[1] == before[1]

    points: list[tuple[str, float | None, float]] = [
        ("0.05 s", 0.05, 0),
        ("0.5 s", 0.5, 0),
        ("half", took / 2, 0),
        ("0.9 of the time", took * 0.9, 0),
        ("write starts", None, 0),
        ("0.05 s into the write", None, 0.05),
    ]
    if claims >= BULK_RECORDS:
        points.append(("3 s", 3.0, 0))
    seen = {}
    for n, (label, delay, then) in enumerate(points):
        store = _copy(base, tmp_path / f"k{n}")
        cmd = [*CLI, "--store", str(store), "evidence", "import", str(data)]
        writing = _writing(store, when, skip=took / 2 if when == "wal" else 0, then=then)
        killed = kill_at(cmd, delay, appears=None if delay else writing)
        assert killed or delay, f"the import ended before its write was seen ({label})"
        got = state(store)
        assert got in (before, after), f"killed at {label}: a partial import"
        seen[label] = "after" if got == after else "before"
    assert "before" in seen.values(), seen


def test_killed_scenario_run_leaves_the_store_before_or_after(base, tmp_path):
    before = state(base)
    done = _copy(base, tmp_path / "done")
    cmd = ["scenario", "run", "reverse-kissinger", "--draws", "20000", "--json"]
    took = timed([*CLI, "--store", str(done), *cmd])
    after = state(done)
    assert after[0] == before[0] and len(after[1]) == len(before[1]) + 1

    points: list[tuple[str, float | None, float]] = [
        ("0.05 s", 0.05, 0),
        ("1 s", 1.0, 0),
        ("0.9 of the time", took * 0.9, 0),
        ("write starts", None, 0),
        ("0.01 s into the write", None, 0.01),
    ]
    seen = {}
    for n, (label, delay, then) in enumerate(points):
        store = _copy(base, tmp_path / f"k{n}")
        writing = _writing(store, "wal", then=then)
        killed = kill_at(
            [*CLI, "--store", str(store), *cmd], delay, appears=None if delay else writing
        )
        assert killed or delay, f"the run ended before its write was seen ({label})"
        ids, runs = state(store)
        assert ids == before[0], f"killed at {label}: evidence changed"
        assert runs == before[1] or (len(runs) == len(before[1]) + 1 and runs >= before[1]), (
            f"killed at {label}: runs {sorted(runs)}"
        )
        seen[label] = "after" if runs != before[1] else "before"
    assert "before" in seen.values(), seen
