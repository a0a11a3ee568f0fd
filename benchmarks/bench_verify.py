"""Benchmark: ``powerbalance verify`` on the full corpus with the public datasets registered.

Issue 16 asks that ``powerbalance verify`` run in under 3 s on the full set
once the files of MANIFEST.md sections 5 (SIPRI) and 9 (the data that check
the 2025 articles, UN votes to 2025) are registered. This script

1. reads MANIFEST.md of the public datasets folder (``--data``,
   ``$POWERBALANCE_SHARED_DATA`` or ``../shared/data``) and takes the folders
   its sections 5 and 9 name;
2. registers, in a temporary store, every dataset card
   (:data:`powerbalance.datasets.cards.CARDS`) whose file-name patterns match a
   file in those folders (``powerbalance data add``; cards that need another
   dataset are registered after it), and prints which were registered, from
   which file, and which could not be (and why);
3. times ``powerbalance --store S verify --json`` as a user runs it (a new
   process: start-up, imports, the store, the checks, the JSON):

   - ``warm``: the parse cache holds every registered file (the usual case
     after ``data add``, which parses the file once);
   - ``cold``: an empty parse cache, so every dataset a check needs is parsed
     from its file again;

   and the in-process use case (:func:`powerbalance.app.data.verify`) the same
   two ways, to show how much of the time is start-up;
4. prints the statuses ``verify`` gives, and for each time its ratio to the
   3 s goal (below 1: within the goal).

The parse cache is always a temporary folder (``$POWERBALANCE_CACHE``): the
user's cache and store are never touched.

Usage: ``python benchmarks/bench_verify.py [--data DIR] [--repeats N] [--quick]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 3.0
SECTIONS = ("5", "9")
REPO = Path(__file__).resolve().parents[1]


def shared_dir(given: str | None) -> Path:
    candidates = [Path(given)] if given else []
    env = os.environ.get("POWERBALANCE_SHARED_DATA")
    if env:
        candidates.append(Path(env))
    candidates.append(REPO.parent / "shared" / "data")
    for c in candidates:
        if (c / "MANIFEST.md").is_file():
            return c
    sys.exit("no public datasets folder with a MANIFEST.md (give --data DIR)")


def section_folders(manifest: Path, sections: tuple[str, ...] = SECTIONS) -> list[str]:
    """The top-level folders of the files MANIFEST.md lists under ``sections``."""
    folders: list[str] = []
    current = None
    for line in manifest.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^## (\d+)\.", line)
        if m:
            current = m.group(1)
            continue
        if line.startswith("## "):
            current = None
        if current in sections and line.startswith("### "):
            for token in re.findall(r"`([^`]+)`", line):
                if "/" in token:
                    folder = token.split("/", 1)[0]
                    if folder not in folders:
                        folders.append(folder)
    return folders


def candidates(root: Path, folders: list[str]) -> dict[str, list[Path]]:
    """For each dataset card, the files of ``folders`` its file-name patterns match."""
    from powerbalance.datasets.cards import CARDS

    files = [p for f in folders for p in sorted((root / f).rglob("*")) if p.is_file()]
    out: dict[str, list[Path]] = {}
    for card_id, card in CARDS.items():
        matched = [p for p in files if any(p.match(pattern) for pattern in card.filenames)]
        if matched:
            # the newest version first when several match (as DataSources picks)
            out[card_id] = sorted(matched, key=lambda p: p.name, reverse=True)
    return out


def register(store_path: Path, found: dict[str, list[Path]]) -> tuple[dict, dict]:
    """Register each card's file (the ones needing another dataset last)."""
    from powerbalance.app import data as use_case
    from powerbalance.datasets.cards import CARDS
    from powerbalance.errors import UserError
    from powerbalance.evidence.store import open_store

    registered: dict[str, tuple[Path, float]] = {}
    refused: dict[str, str] = {}
    order = sorted(found, key=lambda k: (bool(CARDS[k].needs), k))
    with open_store(store_path) as s:
        for card_id in order:
            for path in found[card_id]:
                t0 = time.perf_counter()
                try:
                    use_case.add_dataset(s, card_id, path)
                except UserError as exc:
                    refused[card_id] = f"{path.name}: {exc}"
                    continue
                registered[card_id] = (path, time.perf_counter() - t0)
                refused.pop(card_id, None)
                break
    return registered, refused


def run_cli(store_path: Path, cache: Path) -> tuple[float, dict]:
    """One ``powerbalance verify --json`` in a new process: wall time and its output."""
    env = {**os.environ, "POWERBALANCE_CACHE": str(cache)}
    cmd = [sys.executable, "-m", "powerbalance.interfaces.cli.main"]
    cmd += ["--store", str(store_path), "verify", "--json"]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"verify failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed, json.loads(done.stdout)


def run_in_process(store_path: Path, cache: Path) -> float:
    """The use case alone (no start-up): read the registrations, check every claim."""
    from powerbalance.app import data as use_case
    from powerbalance.evidence.store import open_store

    os.environ["POWERBALANCE_CACHE"] = str(cache)
    t0 = time.perf_counter()
    with open_store(store_path, read_only=True) as s:
        evidence = s.evidence()
        registered = use_case.registrations(s)
    use_case.verify(evidence, registered)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="the public datasets folder (with MANIFEST.md)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each timing")
    parser.add_argument("--quick", action="store_true", help="one run of each timing")
    args = parser.parse_args()
    repeats = 1 if args.quick else max(1, args.repeats)

    root = shared_dir(args.data)
    folders = section_folders(root / "MANIFEST.md")
    with tempfile.TemporaryDirectory(prefix="powerbalance-bench-verify-") as tmp:
        tmpdir = Path(tmp)
        warm_cache = tmpdir / "cache-warm"
        os.environ["POWERBALANCE_CACHE"] = str(warm_cache)  # never the user's cache
        store_path = tmpdir / "store.duckdb"
        found = candidates(root, folders)
        t0 = time.perf_counter()
        registered, refused = register(store_path, found)
        t_register = time.perf_counter() - t0

        print(f"public data: {root}")
        print(f"MANIFEST sections {', '.join(SECTIONS)}: folders {', '.join(folders)}")
        print(f"registered {len(registered)} datasets in {t_register:.2f} s:")
        for card_id, (path, seconds) in sorted(registered.items()):
            print(f"  {card_id:28s} {path.relative_to(root)}  ({seconds:.2f} s)")
        for card_id, why in sorted(refused.items()):
            print(f"  not registered: {card_id}: {why}")

        # warm: a first run fills the cache (every file a check reads), then the timed runs
        run_cli(store_path, warm_cache)
        warm = []
        for _ in range(repeats):
            seconds, out = run_cli(store_path, warm_cache)
            warm.append(seconds)
        cold = []
        for i in range(repeats):
            seconds, _ = run_cli(store_path, tmpdir / f"cache-cold-{i}")
            cold.append(seconds)
        warm_in = [run_in_process(store_path, warm_cache) for _ in range(repeats)]
        cold_in = [
            run_in_process(store_path, tmpdir / f"cache-cold-in-{i}") for i in range(repeats)
        ]

    totals = out["summary"]
    settled = [r for r in out["results"] if r["status"] != "unverifiable"]
    print()
    print(
        f"verify: {len(out['results'])} claims; "
        + ", ".join(f"{n} {status}" for status, n in totals.items())
    )
    for r in settled:
        figure = "–" if r["computed"] is None else f"{r['computed']:g}"
        alts = "".join(
            f"; {a['computed']:g} ({a['definition']})" for a in r.get("alternatives") or []
        )
        print(f"  {r['claim']:50s} {r['status']:22s} {r['claimed']:g} -> {figure}{alts}")
    print()
    print(f"{'timing':42s} {'best s':>8s} {'median s':>9s} {'goal s':>7s} {'median/goal':>12s}")
    rows = [
        ("powerbalance verify --json, warm cache", warm),
        ("powerbalance verify --json, cold cache", cold),
        ("app.data.verify in process, warm cache", warm_in),
        ("app.data.verify in process, cold cache", cold_in),
    ]
    for name, times in rows:
        median = statistics.median(times)
        print(
            f"{name:42s} {min(times):8.2f} {median:9.2f} {GOAL_SECONDS:7.1f} "
            f"{median / GOAL_SECONDS:12.2f}"
        )
    print(f"({repeats} run(s) each; median/goal below 1 is within the goal)")


if __name__ == "__main__":
    main()
