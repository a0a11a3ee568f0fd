"""The store's write lock: imports hold it only to write, large ones write a copy, runs never lost.

- An import reads and validates its file with the store closed: another
  process can read the store meanwhile (before: "store busy" for the whole import).
- What another process wrote meanwhile is checked again at the write.
- A large import (``BULK_RECORDS`` or more) writes a copy of the store and renames it.
- The stored JSON of a record is its ``to_json_dict``.
- A finished scenario run whose store stays busy is kept in a pending file that
  the next opening adds; a store that frees in time gets it directly.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import textwrap
from functools import partial
from pathlib import Path

import pytest

import powerbalance.evidence.store as store_module
from powerbalance.errors import EvidenceFileError
from powerbalance.evidence.corpus import corpus_records
from powerbalance.evidence.loader import read_records
from powerbalance.evidence.models import Actor, Source
from powerbalance.evidence.store import (
    BULK_RECORDS,
    _body,
    open_store,
    pending_dir,
    pending_files,
    stash_row,
)

READ_COUNT = textwrap.dedent(
    """
    import sys
    from powerbalance.evidence.store import open_store
    with open_store(sys.argv[1], read_only=True) as s:
        print(s.row_count("evidence"))
    """
)

IMPORT = textwrap.dedent(
    """
    import sys
    from powerbalance.evidence.store import open_store
    with open_store(sys.argv[1]) as s:
        print(s.import_file(sys.argv[2]))
    """
)

HEADER = "type,id,indicator,actor,partner,value,unit,period,source,section,statement"

HOLD = textwrap.dedent(
    """
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    """
)


def write_claims(path: Path, n: int, *, first: int = 0) -> Path:
    """``n`` valid claims (ids ``t.claim.NNNNNN`` from ``first``) as CSV."""
    records = corpus_records()
    actors = [r.id for r in records if isinstance(r, Actor) and r.kind == "state"]
    sources = [r.id for r in records if isinstance(r, Source)]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER.split(","))
        for i in range(first, first + n):
            a, b = actors[i % len(actors)], actors[(i + 1) % len(actors)]
            source = sources[i % len(sources)]
            w.writerow(
                [
                    *("claim", f"t.claim.{i:06d}", "trade.share_of_total", a, b, i % 100),
                    *("percent", 2000 + i % 25, source, "p. 1", f"Test claim {i} of a bulk."),
                ]
            )
    return path


def run_py(script: str, *args: object, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def evidence_ids(path: Path) -> set[str]:
    with open_store(path, read_only=True) as s:
        return set(s.record_ids())


def test_stored_body_is_the_records_json_dict(tmp_path):
    records = [*corpus_records(), *read_records(write_claims(tmp_path / "c.csv", 50))]
    for r in records:
        assert json.loads(_body(r, r.type_name())) == r.to_json_dict()


@pytest.mark.parametrize("n", [3, BULK_RECORDS])
def test_store_can_be_read_while_an_import_reads_its_file(store_path, tmp_path, monkeypatch, n):
    data = write_claims(tmp_path / "claims.csv", n)
    with open_store(store_path):
        pass
    seen: list[subprocess.CompletedProcess] = []

    def read_and_peek(path, **kwargs):
        seen.append(run_py(READ_COUNT, store_path))  # another process reads meanwhile
        return read_records(path, **kwargs)

    monkeypatch.setattr(store_module, "read_records", read_and_peek)
    with open_store(store_path) as s:
        before = sum(s.counts().values())
        assert s.import_file(data) == n
        assert sum(s.counts().values()) == before + n
    assert seen[0].returncode == 0, seen[0].stderr
    assert int(seen[0].stdout) == before
    assert not list(tmp_path.glob(".*.import*"))  # no copy left behind


@pytest.mark.parametrize("n", [3, BULK_RECORDS])
def test_a_record_stored_meanwhile_by_another_process_is_refused(
    store_path, tmp_path, monkeypatch, n
):
    data = write_claims(tmp_path / "claims.csv", n)
    other = write_claims(tmp_path / "other.csv", 1, first=n - 1)  # the file's last id
    with open_store(store_path):
        pass

    def read_then_other_writes(path, **kwargs):
        records = read_records(path, **kwargs)
        done = run_py(IMPORT, store_path, other)
        assert done.returncode == 0, done.stderr
        return records

    monkeypatch.setattr(store_module, "read_records", read_then_other_writes)
    before = evidence_ids(store_path)
    with open_store(store_path) as s, pytest.raises(EvidenceFileError) as info:
        s.import_file(data)
    assert "already stored" in str(info.value) and f"t.claim.{n - 1:06d}" in str(info.value)
    assert evidence_ids(store_path) == before | {f"t.claim.{n - 1:06d}"}


def test_bulk_import_replaces_the_store_whole(store_path, tmp_path):
    data = write_claims(tmp_path / "claims.csv", BULK_RECORDS + 10)
    with open_store(store_path) as s:
        before = s.counts()
        assert s.import_file(data) == BULK_RECORDS + 10
        assert s.counts()["claim"] == before["claim"] + BULK_RECORDS + 10
        with pytest.raises(EvidenceFileError, match="already stored"):
            s.import_file(data)
        assert s.import_file(data, replace=True) == BULK_RECORDS + 10
        assert s.counts()["claim"] == before["claim"] + BULK_RECORDS + 10
        assert s.origin("t.claim.000000") == "user:claims.csv"
        assert s.get("t.claim.000007").value == 7
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_pending_rows_are_added_at_the_next_opening(store_path):
    with open_store(store_path):
        pass
    row = {"id": "r-1", "kind": "scenario", "name": "x", "seed": 1, "results": b"\x00\x01"}
    kept = stash_row(store_path, "runs", row)
    assert kept.exists() and pending_files(store_path) == [kept]
    broken = pending_dir(store_path) / "broken.json"
    broken.write_text("{not json")
    with open_store(store_path, read_only=True) as s:
        got = [(r.id, r.kind, r.seed, r.results) for r in s.runs_with_prefix("scenario", "")]
    assert got == [("r-1", "scenario", 1, b"\x00\x01")]
    assert pending_files(store_path) == [broken]  # an unreadable file is left for a person
    broken.unlink()
    with open_store(store_path):
        pass
    assert not pending_dir(store_path).exists()


def _hold_after_the_draws(monkeypatch, store_path: Path, seconds: float) -> list:
    """Make the next run's store held by another process from the end of its draws on."""
    import powerbalance.app.scenarios as api

    holders: list[subprocess.Popen] = []
    real_run = api.run_scenario

    def run_then_hold(*args, **kwargs):
        result = real_run(*args, **kwargs)
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(store_path), str(seconds)],
            stdout=subprocess.PIPE,
            text=True,
        )
        holders.append(holder)
        assert holder.stdout.readline().strip() == "locked"
        return result

    monkeypatch.setattr(api, "run_scenario", run_then_hold)
    return holders


def test_run_finished_on_a_busy_store_is_kept_and_added_later(store_path, monkeypatch):
    from powerbalance.app.scenarios import run_and_store
    from powerbalance.scenarios.runs import get_run

    with open_store(store_path):
        pass
    monkeypatch.setenv("POWERBALANCE_STORE_TIMEOUT", "0.3")
    monkeypatch.setenv("POWERBALANCE_RUN_SAVE_WAIT", "0.5")
    holders = _hold_after_the_draws(monkeypatch, store_path, 60)
    notes: list[str] = []
    try:
        result, _ = run_and_store(
            partial(open_store, store_path), "reverse-kissinger", draws=300, notice=notes.append
        )
        assert result.id and pending_files(store_path)
        assert any("kept in" in n and result.id in n for n in notes), notes
    finally:
        for h in holders:
            h.kill()
            h.wait()
    with open_store(store_path, read_only=True) as s:
        stored = get_run(s, result.id)
    assert stored.params["digest"] == result.digest()
    assert stored.created_at is not None
    assert not pending_files(store_path)


def test_run_is_stored_when_the_store_frees_within_the_wait(store_path, monkeypatch):
    from powerbalance.app.scenarios import run_and_store
    from powerbalance.scenarios.runs import get_run

    with open_store(store_path):
        pass
    monkeypatch.setenv("POWERBALANCE_STORE_TIMEOUT", "0.3")
    monkeypatch.setenv("POWERBALANCE_RUN_SAVE_WAIT", "30")
    holders = _hold_after_the_draws(monkeypatch, store_path, 1.5)
    notes: list[str] = []
    try:
        result, _ = run_and_store(
            partial(open_store, store_path), "reverse-kissinger", draws=300, notice=notes.append
        )
    finally:
        for h in holders:
            h.kill()
            h.wait()
    assert any("waiting" in n for n in notes), notes
    assert not any("kept in" in n for n in notes)
    assert not pending_dir(store_path).exists()
    with open_store(store_path, read_only=True) as s:
        assert get_run(s, result.id).params["digest"] == result.digest()


def test_cli_run_on_a_busy_store_says_where_the_run_is_kept(
    store_path, tmp_path, monkeypatch, capsys
):
    from powerbalance.interfaces.cli.main import main

    with open_store(store_path):
        pass
    monkeypatch.setenv("POWERBALANCE_STORE_TIMEOUT", "0.3")
    monkeypatch.setenv("POWERBALANCE_RUN_SAVE_WAIT", "0.5")
    holders = _hold_after_the_draws(monkeypatch, store_path, 60)
    try:
        code = main(
            [
                *("--store", str(store_path), "scenario", "run", "reverse-kissinger"),
                *("-n", "300", "--json"),
            ]
        )
        out, err = capsys.readouterr()
    finally:
        for h in holders:
            h.kill()
            h.wait()
    assert code == 0, err
    run_id = json.loads(out)["id"]
    assert "note:" in err and "kept in" in err and run_id in err
    assert "Traceback" not in err
    assert main(["--store", str(store_path), "scenario", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert run_id in [r["id"] for r in listed]


def test_a_dashboard_run_on_a_busy_store_is_kept(store_path, monkeypatch):
    """The dashboard stores its runs the same way: a busy store never loses one."""
    from powerbalance.evidence.store import open_store as opener
    from powerbalance.interfaces.web.gateway import Gateway
    from powerbalance.scenarios.montecarlo import run_scenario
    from powerbalance.scenarios.runs import get_run
    from powerbalance.scenarios.schema import load_scenario

    with opener(store_path) as s:
        evidence = s.evidence()
    result = run_scenario(load_scenario("reverse-kissinger"), evidence, draws=200, seed=3)
    gateway = Gateway(store_path)  # the dashboard's, opened before the store gets busy
    monkeypatch.setenv("POWERBALANCE_STORE_TIMEOUT", "0.3")
    monkeypatch.setenv("POWERBALANCE_RUN_SAVE_WAIT", "0.5")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(store_path), "60"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        run_id = gateway.save_run(result)
        assert pending_files(store_path)
    finally:
        holder.kill()
        holder.wait()
    with opener(store_path, read_only=True) as s:
        assert get_run(s, run_id).params["digest"] == result.digest()
