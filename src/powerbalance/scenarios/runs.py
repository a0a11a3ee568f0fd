"""Stored runs: every scenario run goes into the store's ``runs`` table and can be replayed.

A row holds the scenario text, the seed, the number of draws, the code
version, the effective parameters and the anchors read from the evidence, the
summary, a digest of every output array and the arrays themselves (a
compressed ``.npz``, with the bargaining models' forecasts on their subsample
of draws and the indices of those draws). The row is written in one transaction: an interrupted
run leaves nothing behind. Replaying re-runs the stored text with the stored
seed, draws and model draws and checks the digest.

A finished run is never lost to a busy store: :func:`save_run_or_keep` tries
again with growing pauses for ``$POWERBALANCE_RUN_SAVE_WAIT`` seconds (default
30) and, if the store is still busy, keeps the row in a pending file beside the
store (``STORE.pending/``), which the next command opening the store adds.
"""

from __future__ import annotations

import io
import json
import os
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import numpy as np

from powerbalance.errors import StoreBusy
from powerbalance.evidence import Evidence
from powerbalance.evidence.store import RunRow, Store, stash_row
from powerbalance.scenarios.errors import ReplayMismatch, UnknownRun
from powerbalance.scenarios.montecarlo import (
    RunResult,
    comparison_rows,
    parameter_spec,
    run_scenario,
)
from powerbalance.scenarios.schema import Distribution, parse_scenario

KIND = "scenario"


@dataclass(frozen=True)
class StoredRun:
    """A run as stored: its text, seed, parameters, summary and (lazily) its arrays."""

    id: str
    name: str
    created_at: datetime
    code_version: str
    seed: int
    spec: str
    params: dict[str, Any]
    summary: dict[str, Any]
    _blob: bytes | None = None

    @property
    def draws(self) -> int:
        return int(self.params["draws"])

    @property
    def model_draws(self) -> int:
        """On how many draws the bargaining module's models ran (0: none)."""
        return int(self.params.get("model_draws") or 0)

    def arrays(self) -> dict[str, np.ndarray]:
        """Every draw's outputs, as saved."""
        if self._blob is None:
            return {}
        with np.load(io.BytesIO(self._blob)) as z:
            return {k: z[k] for k in z.files}

    def to_dict(self, *, with_spec: bool = True) -> dict[str, Any]:
        out = {
            "id": self.id,
            "name": self.name,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "code_version": self.code_version,
            "seed": self.seed,
            "draws": self.draws,
            "model_draws": self.model_draws,
            "engine": self.params.get("engine"),
            "digest": self.params.get("digest"),
            "summary": self.summary,
        }
        if with_spec:
            out["scenario"] = self.spec
            out["parameters"] = self.params.get("parameters")
            out["anchors"] = self.params.get("anchors")
        return out


def _param_json(v: Any) -> Any:
    return v.model_dump(exclude_none=True) if isinstance(v, Distribution) else v


def _verify(stored: RunRow, digest: str) -> bool:
    """Whether a run read back from the store carries the digest of the run written."""
    return stored.params is not None and json.loads(stored.params).get("digest") == digest


def _stored_run(r: RunRow) -> StoredRun:
    return StoredRun(
        r.id,
        r.name or "",
        cast(datetime, r.created_at),  # always set: the column defaults to the time of writing
        r.code_version or "",
        int(r.seed or 0),
        r.spec or "",
        json.loads(r.params or "{}"),
        json.loads(r.summary or "{}"),
        r.results or None,
    )


def _run_row(result: RunResult, run_id: str) -> dict[str, Any]:
    """The ``runs`` row of a finished run (``created_at`` is left to the store)."""
    params = {
        "draws": result.draws,
        "engine": result.engine,
        "digest": result.digest(),
        "parameters": {k: _param_json(v) for k, v in parameter_spec(result.scenario).items()},
        "anchors": result.anchors.to_dict(),
        "bargaining_actors": list(result.bargaining_actors),
        "model_draws": result.model_draws,
    }
    return {
        "id": run_id,
        "kind": KIND,
        "name": result.scenario.name,
        "code_version": result.code_version,
        "seed": result.seed,
        "spec": result.scenario.text,
        "params": json.dumps(params, allow_nan=False),
        "summary": json.dumps(_finite(result.summary), allow_nan=False),
        "results": result.arrays_blob(),
    }


def _new_run_id(result: RunResult) -> str:
    return f"{result.scenario.name}-{uuid.uuid4().hex[:8]}"


def save_run(store: Store, result: RunResult, *, run_id: str | None = None) -> str:
    """Write a run to the store in one transaction; return its id."""
    run_id = run_id or _new_run_id(result)
    row = _run_row(result, run_id)
    digest = json.loads(row["params"])["digest"]
    store.add_run(row, verify=lambda stored: _verify(stored, digest))
    result.id = run_id
    return run_id


def save_wait() -> float:
    """Seconds a finished run waits for a busy store: ``$POWERBALANCE_RUN_SAVE_WAIT``, default 30."""
    try:
        return max(0.0, float(os.environ.get("POWERBALANCE_RUN_SAVE_WAIT", "30")))
    except ValueError:
        return 30.0


def save_run_or_keep(
    open_for_writing: Callable[[], AbstractContextManager[Store]],
    result: RunResult,
    *,
    store_path: Path,
    wait: float | None = None,
    notice: Callable[[str], None] | None = None,
) -> tuple[str, Path | None]:
    """Store a finished run, waiting for a busy store; keep it pending if the store stays busy.

    ``open_for_writing()`` opens the store for writing (each attempt waits up to
    ``$POWERBALANCE_STORE_TIMEOUT``). While the store is busy (another process
    writes it, or reads it at length), the save is tried again with pauses
    growing from 0.5 s to 5 s for ``wait`` seconds (default :func:`save_wait`);
    then the row goes to a pending file beside the store
    (:func:`~powerbalance.evidence.store.stash_row`) that the next command
    opening the store adds. ``notice`` is told of the wait and of the pending
    file. Returns the run's id (the same in both cases) and the pending file,
    or None when the run is in the store.
    """
    run_id = _new_run_id(result)
    wait = save_wait() if wait is None else wait
    tell = notice or (lambda message: None)
    deadline = time.monotonic() + wait
    pause = 0.5
    told = False
    while True:
        try:
            with open_for_writing() as store:
                save_run(store, result, run_id=run_id)
            return run_id, None
        except StoreBusy:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            if not told:
                tell(f"store busy: waiting up to {wait:g} s to store run {run_id}")
                told = True
            time.sleep(min(pause, left))
            pause = min(pause * 2, 5.0)
    row = _run_row(result, run_id)
    row["created_at"] = datetime.now()
    pending = stash_row(store_path, "runs", row)
    result.id = run_id
    tell(
        f"the store {store_path} stayed busy, so run {run_id} was kept in {pending}; "
        "the next powerbalance command that opens the store adds it"
    )
    return run_id, pending


def _finite(o: Any) -> Any:
    if isinstance(o, float) and not np.isfinite(o):
        return None
    if isinstance(o, dict):
        return {k: _finite(v) for k, v in o.items()}
    if isinstance(o, list):
        return [_finite(v) for v in o]
    return o


def list_runs(store: Store, *, name: str | None = None) -> list[StoredRun]:
    """Stored scenario runs, newest first (without their arrays)."""
    return [_stored_run(r) for r in store.runs(KIND, name=name)]


def get_run(store: Store, run_id: str) -> StoredRun:
    """One stored run by id (a unique prefix is enough), with its arrays."""
    rows = store.runs_with_prefix(KIND, run_id)
    exact = [r for r in rows if r.id == run_id]
    if exact:
        rows = exact
    if len(rows) != 1:
        if len(rows) > 1:
            from powerbalance.errors import UserError

            raise UserError(f"run id '{run_id}' is ambiguous: {', '.join(r.id for r in rows)}")
        raise UnknownRun(run_id, store.run_ids(KIND))
    return _stored_run(rows[0])


def replay_run(stored: StoredRun, evidence: Evidence) -> RunResult:
    """Re-run a stored run from its text, seed and draws; raise if the outputs differ.

    Raises
    ------
    ReplayMismatch
        When the digest differs (the evidence or the model changed since the run).
    """
    scenario = parse_scenario(stored.spec, file=f"run {stored.id}")
    # A run stored before the bargaining models ran on a subsample has no model_draws:
    # it then replays with the file's value (and reports the model change if outputs differ).
    model_draws = stored.params.get("model_draws") or None
    result = run_scenario(
        scenario,
        evidence,
        draws=stored.draws,
        seed=stored.seed,
        model_draws=model_draws,
        check_cited=False,
    )
    digest = result.digest()
    if digest != stored.params.get("digest"):
        then = stored.params.get("anchors", {})
        now = result.anchors.to_dict()
        changed = sorted(k for k in set(then) | set(now) if then.get(k) != now.get(k))
        why = (
            f"the evidence anchors changed ({', '.join(changed)})"
            if changed
            else (
                f"the model changed (stored with {stored.code_version}, now {result.code_version})"
            )
        )
        raise ReplayMismatch(f"run {stored.id} did not reproduce: {why}")
    result.id = stored.id
    return result


def compare_runs(a: StoredRun, b: StoredRun) -> dict[str, Any]:
    """A comparison table of two runs' summaries: one row per metric with both values."""
    return {
        "a": {"id": a.id, "name": a.name, "draws": a.draws, "seed": a.seed},
        "b": {"id": b.id, "name": b.name, "draws": b.draws, "seed": b.seed},
        "rows": comparison_rows(a.summary, b.summary),
    }
