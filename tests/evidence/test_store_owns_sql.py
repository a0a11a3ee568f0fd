"""Issue 15: the store owns all SQL on its file; other modules use its typed methods.

The store's connection and its ``transaction`` are private now; the ``runs``
and ``datasets`` tables, the record origins and the read-only inspection the tests
need are public methods of :class:`~powerbalance.evidence.store.Store`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from powerbalance.errors import StoreError
from powerbalance.evidence.store import (
    RUN_COLUMNS,
    DatasetRegistration,
    RunRow,
    Store,
    open_store,
)

ROOT = Path(__file__).resolve().parents[2]
STORE_MODULE = ROOT / "src" / "powerbalance" / "evidence" / "store.py"
# Spelled in two pieces so that this file does not match tests/test_seams.py's search.
CONNECTION = re.compile(r"\." + "con" + r"\b(?!\w)")
TRANSACTION = re.compile(r"\." + r"transaction\(\)")


def _run_row(run_id: str, *, kind: str = "scenario", name: str = "x", digest: str = "d") -> dict:
    return {
        "id": run_id,
        "kind": kind,
        "name": name,
        "code_version": "test",
        "seed": 7,
        "spec": "name: x",
        "params": json.dumps({"draws": 1, "digest": digest}),
        "summary": json.dumps({"p": 0.5}),
        "results": b"\x00\x01\x02",
    }


def test_the_connection_and_transactions_are_private() -> None:
    assert not hasattr(Store, "c" + "on")
    assert not hasattr(Store, "transaction")


def test_no_module_but_the_store_reaches_its_connection() -> None:
    uses = []
    for folder in ("src", "tests", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path in (STORE_MODULE, Path(__file__).resolve(), ROOT / "tests" / "test_seams.py"):
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if CONNECTION.search(line) or TRANSACTION.search(line):
                    uses.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert uses == []


def test_runs_are_written_listed_and_found_by_prefix(store_path: Path) -> None:
    with open_store(store_path) as s:
        assert s.run_ids() == [] and s.row_count("runs") == 0
        s.add_run(_run_row("alpha-1", name="alpha"))
        s.add_run(_run_row("alpha-2", name="alpha"), verify=lambda r: r.id == "alpha-2")
        s.add_run(_run_row("beta-1", name="beta"))
        s.add_run(_run_row("other-1", kind="other"))
        assert s.row_count("runs") == 4
        assert s.run_ids() == ["alpha-1", "alpha-2", "beta-1", "other-1"]
        assert s.run_ids("scenario") == ["alpha-1", "alpha-2", "beta-1"]
        listed = s.runs("scenario", name="alpha")
        assert sorted(r.id for r in listed) == ["alpha-1", "alpha-2"]
        assert all(r.results is None and r.created_at is not None for r in listed)
        [found] = s.runs_with_prefix("scenario", "beta")
        assert found == RunRow(
            id="beta-1",
            kind="scenario",
            name="beta",
            created_at=found.created_at,
            code_version="test",
            seed=7,
            spec="name: x",
            params=json.dumps({"draws": 1, "digest": "d"}),
            summary=json.dumps({"p": 0.5}),
            results=b"\x00\x01\x02",
        )
        assert [r.id for r in s.runs_with_prefix("scenario", "alpha")] == ["alpha-1", "alpha-2"]
        assert s.runs_with_prefix("other", "alpha") == []
    assert RUN_COLUMNS[0] == "id" and RUN_COLUMNS[-1] == "results"


def test_a_run_that_fails_its_check_is_not_kept(store_path: Path) -> None:
    with open_store(store_path) as s:
        with pytest.raises(RuntimeError, match="not written as expected"):
            s.add_run(_run_row("bad-1"), verify=lambda r: json.loads(r.params)["digest"] == "x")
        assert s.run_ids() == []

        def interrupt(row: RunRow) -> bool:
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            s.add_run(_run_row("bad-2"), verify=interrupt)
        assert s.row_count("runs") == 0
        with pytest.raises(ValueError, match="unknown columns"):
            s.add_run({**_run_row("bad-3"), "nope": 1})


def test_dataset_registrations(store_path: Path) -> None:
    with open_store(store_path) as s:
        assert s.dataset_registrations() == []
        s.register_dataset("cow-nmc", "/data/a.csv", "abc", json.dumps({"rows": 1}))
        s.register_dataset("cow-nmc", "/data/b.csv", "def", json.dumps({"rows": 2}))
        s.register_dataset("sipri-register", "/data/s.csv", "123", "{}")
        regs = s.dataset_registrations()
        assert all(isinstance(r, DatasetRegistration) for r in regs)
        assert {(r.dataset, r.path, r.sha256, r.info) for r in regs} == {
            ("cow-nmc", "/data/b.csv", "def", json.dumps({"rows": 2})),
            ("sipri-register", "/data/s.csv", "123", "{}"),
        }
        assert all(r.registered_at is not None for r in regs)
        assert s.unregister_dataset("cow-nmc") == 1
        assert s.unregister_dataset("cow-nmc") == 0
        assert [r.dataset for r in s.dataset_registrations()] == ["sipri-register"]
        assert s.row_count("datasets") == 1


def test_evidence_inspection(store_path: Path) -> None:
    with open_store(store_path) as s:
        ids = s.record_ids()
        origins = s.origins()
        rows = s.evidence_rows()
        assert ids == sorted(ids) == sorted(origins) == [r[0] for r in rows]
        assert len(ids) == s.row_count("evidence") == sum(s.counts().values())
        assert set(origins.values()) == {"bundled"}
        assert all(json.loads(body)["id"] == i for i, _, body in rows)
        with pytest.raises(ValueError, match="no table"):
            s.row_count("evidence; DROP TABLE runs")


def test_a_read_only_store_refuses_the_writes(store_path: Path) -> None:
    with open_store(store_path):
        pass
    with open_store(store_path, read_only=True) as s:
        with pytest.raises(StoreError, match="read-only"):
            s.add_run(_run_row("r-1"))
        with pytest.raises(StoreError, match="read-only"):
            s.register_dataset("cow-nmc", "/a.csv", "x", "{}")
        with pytest.raises(StoreError, match="read-only"):
            s.unregister_dataset("cow-nmc")
        assert s.run_ids() == [] and s.dataset_registrations() == []
